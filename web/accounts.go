package web

import "net/http"

// accountRoutes registers this file's routes; see routes.go.
func (s *Server) accountRoutes(mux *http.ServeMux) {}
