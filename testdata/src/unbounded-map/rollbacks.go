package unboundedmap

// A delete that only undoes a failed add bounds nothing: every request
// whose send succeeds leaves its entry behind.

import (
	"errors"
	"net/http"
)

type call struct{ id string }

func transmit(*call) error { return errors.New("unreachable") }

// Grows: the reply handler that should delete the entry was never written.
var pendingCalls = map[string]*call{} // want "package-level map pendingCalls only grows: entries are added with varying keys and deleted only when adding one fails"

func issue(r *http.Request) error {
	c := &call{id: r.Header.Get("X-Request-Id")}
	pendingCalls[c.id] = c
	if err := transmit(c); err != nil {
		delete(pendingCalls, c.id)
		return err
	}
	return nil
}

// Bounded: the reply deletes what the request added.
var outstanding = map[string]*call{}

func ask(r *http.Request) error {
	c := &call{id: r.Header.Get("X-Request-Id")}
	outstanding[c.id] = c
	if err := transmit(c); err != nil {
		delete(outstanding, c.id)
		return err
	}
	return nil
}

func replied(id string) {
	delete(outstanding, id)
}

// Bounded: the connection's entry goes when its read loop fails, which is
// how every connection ends.
var livePeers = map[string]bool{}

func trackPeer(r *http.Request) {
	livePeers[r.RemoteAddr] = true
	for {
		if err := transmit(nil); err != nil {
			delete(livePeers, r.RemoteAddr)
			return
		}
	}
}

// Bounded: the function that deletes on failure adds nothing itself.
var leases = map[string]int{}

func grant(r *http.Request) {
	leases[r.RemoteAddr]++
}

func revoke(id string) error {
	if err := transmit(nil); err != nil {
		delete(leases, id)
		return err
	}
	return nil
}
