package web

import "net/http"

// importRoutes registers this file's routes; see routes.go.
func (s *Server) importRoutes(mux *http.ServeMux) {}
