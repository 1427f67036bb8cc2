// Command shortener serves short links until it is stopped: its map grows
// with every request for the life of the process.
package main

import (
	"log"
	"net/http"
)

var links = map[string]string{} // want "package-level map links only grows: .* for the life of the process"

func shorten(w http.ResponseWriter, r *http.Request) {
	long := r.FormValue("url")
	key := r.FormValue("key")
	links[key] = long
	w.WriteHeader(http.StatusCreated)
}

func main() {
	http.HandleFunc("/shorten", shorten)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
