// Package subcmd holds the commands of a tool: what a command's action adds
// to a package map lives for one run of that command, unless the action
// serves in an endless loop.
package subcmd

import (
	"context"
	"flag"
	"net"

	"github.com/google/subcommands"
	"github.com/spf13/cobra"
)

var tables = map[string]int{} // want "package-level map tables only grows: .* until the command exits"

var peers = map[string]bool{} // want "package-level map peers only grows: .* for the life of the process"

var pages = map[string]bool{} // want "package-level map pages only grows: .* until the command exits"

var jobs = map[string]bool{} // want "package-level map jobs only grows: .* for the life of the process"

var rows = map[string]bool{} // want "package-level map rows only grows: .* for the life of the process"

// List prints the tables its arguments name.
type List struct{}

// Execute runs once for the command line that names it.
func (l *List) Execute(ctx context.Context, f *flag.FlagSet, args ...interface{}) subcommands.ExitStatus {
	for i, a := range f.Args() {
		tables[a] = i
	}
	return subcommands.ExitSuccess
}

// Serve answers peers until it is stopped: its loop is a server's.
type Serve struct{ l net.Listener }

// Execute serves forever.
func (s *Serve) Execute(ctx context.Context, f *flag.FlagSet, args ...interface{}) subcommands.ExitStatus {
	for {
		conn, err := s.l.Accept()
		if err != nil {
			return subcommands.ExitFailure
		}
		peers[conn.RemoteAddr().String()] = true
	}
}

var crawl = &cobra.Command{
	Use: "crawl",
	RunE: func(cmd *cobra.Command, args []string) error {
		for _, a := range args {
			pages[a] = true
		}
		return nil
	},
}

// Job is no command: its Run runs whenever the scheduler says.
type Job struct{ Run func(name string) }

var nightly = Job{Run: func(name string) { jobs[name] = true }}

// Query is no command either: Execute is only its verb.
type Query struct{}

// Execute runs the query for each row.
func (q *Query) Execute(ctx context.Context, row string) error {
	rows[row] = true
	return nil
}
