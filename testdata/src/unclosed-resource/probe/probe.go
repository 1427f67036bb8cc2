// Package probe reads a connection's state without keeping the connection.
package probe

import "google.golang.org/grpc"

// State is a connection's state at one moment.
type State struct {
	Target string
	Ready  bool
}

// NewState reads cc's state; it keeps nothing of cc.
func NewState(cc *grpc.ClientConn) State {
	return State{Target: cc.Target(), Ready: cc.GetState().String() == "READY"}
}

// Pinger pings over a connection it keeps.
type Pinger struct {
	cc *grpc.ClientConn
}

// NewPinger keeps cc.
func NewPinger(cc *grpc.ClientConn) *Pinger {
	p := &Pinger{}
	p.cc = cc
	return p
}
