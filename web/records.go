package web

import "net/http"

// recordRoutes registers this file's routes; see routes.go.
func (s *Server) recordRoutes(mux *http.ServeMux) {}
