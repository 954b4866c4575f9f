package web

// APIRouteTable lists the method and path of every route of the API's
// route table, for the tests of package web_test to hold the OpenAPI
// document against.
func APIRouteTable(s *Server) [][2]string {
	var out [][2]string
	for _, rt := range s.apiRoutes() {
		out = append(out, [2]string{rt.Method, rt.Path})
	}
	return out
}
