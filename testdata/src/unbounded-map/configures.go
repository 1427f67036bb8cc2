package unboundedmap

// Exported `Add…`/`Set…` functions are the package's configuration API:
// what they add under a parameter grows the map only when some caller in
// the scan passes a varying value after initialisation.

import (
	"io"
	"net/http"
	"os"
)

// Grows: every subscription request adds the topic it names.
var subscribers = map[string]io.Writer{} // want "package-level map subscribers only grows: .* for the life of the process"

// AddSubscriber sends the topic's events to w.
func AddSubscriber(topic string, w io.Writer) {
	subscribers[topic] = w
}

func subscribe(w http.ResponseWriter, r *http.Request) {
	AddSubscriber(r.URL.Query().Get("topic"), w)
}

// Grows: a client's address keys it, one per connection.
var clientNames = map[string]string{} // want "package-level map clientNames only grows"

// SetClientName names the client at addr.
func SetClientName(addr, name string) {
	clientNames[addr] = name
}

func greet(r *http.Request) {
	SetClientName(r.RemoteAddr, r.Header.Get("X-Client"))
}

// Bounded: configured with constants, even from code that runs later.
var extensions = map[string]string{}

// AddExtension maps a file extension to a media type.
func AddExtension(ext, mediaType string) {
	extensions[ext] = mediaType
}

func serveDefaults() {
	AddExtension(".json", "application/json")
	AddExtension(".yaml", "application/yaml")
}

// Bounded: configured once at start-up, from the command line.
var enabled = map[string]bool{}

// SetEnabled turns a feature on or off.
func SetEnabled(feature string, on bool) {
	enabled[feature] = on
}

func init() {
	for _, f := range os.Args[1:] {
		SetEnabled(f, true)
	}
}

// Bounded: no caller in the scan; the importing program configures it.
var quotas = map[string]int{}

// SetQuota sets the request quota of a tenant.
func SetQuota(tenant string, n int) {
	quotas[tenant] = n
}
