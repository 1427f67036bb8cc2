package ctl

import (
	"context"
	"flag"
	"fmt"
	"net"

	"github.com/google/subcommands"
)

// Ping is a google/subcommands command: Execute runs once per command line.
type Ping struct{}

// Execute pings the address its argument names.
func (p *Ping) Execute(ctx context.Context, f *flag.FlagSet, args ...interface{}) subcommands.ExitStatus {
	conn, err := net.Dial("tcp", f.Arg(0)) // want "connection from net\\.Dial is not closed on every path"
	if err != nil {
		return subcommands.ExitFailure
	}
	fmt.Fprintln(conn, "ping")
	return subcommands.ExitSuccess
}

// Probe is no command: its Execute runs for every target a caller has.
type Probe struct{}

// Execute probes one target.
func (p *Probe) Execute(ctx context.Context, target string) error {
	conn, err := net.Dial("tcp", target) // want "connection from net\\.Dial is not closed on every path"
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(conn, "probe")
	return err
}
