// Command stubserver serves rendered headers until it is stopped.
package main

import (
	"net/http"

	"example.com/unboundedmap/tools/render"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(render.Header(r.URL.Path)))
	})
	_ = http.ListenAndServe(":8080", nil)
}
