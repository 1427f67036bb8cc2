// Package ctl holds the commands of a CLI: each action runs once per run
// of the command.
package ctl

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"
	"github.com/urfave/cli"
)

// Command is the `ctl` command tree.
var Command = cli.Command{
	Name: "ctl",
	Subcommands: cli.Commands{
		{
			Name: "ping",
			Action: func(c *cli.Context) error {
				conn, err := net.Dial("tcp", c.Args().First()) // want "connection from net\\.Dial is not closed on every path"
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(conn, "ping")
				return err
			},
		},
	},
}

// Root is a cobra command.
var Root = &cobra.Command{
	Use: "ctl",
	RunE: func(cmd *cobra.Command, args []string) error {
		conn, err := net.Dial("tcp", args[0]) // want "connection from net\\.Dial is not closed on every path"
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(conn, "ping")
		return err
	},
}

// Hooks is not a command: its function runs whenever it is called.
var Hooks = map[string]func(addr string) error{
	"ping": func(addr string) error {
		conn, err := net.Dial("tcp", addr) // want "connection from net\\.Dial is not closed on every path"
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(conn, "ping")
		return err
	},
}
