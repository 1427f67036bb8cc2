package unclosedresource

import (
	"context"

	"example.com/unclosedresource/echopb"
	"example.com/unclosedresource/probe"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// A generated client constructor keeps the connection it is given: its body
// is not read, so it counts as keeping every argument.
func echoClient(ctx context.Context, target string) (echopb.EchoClient, error) {
	conn, err := grpc.DialContext(ctx, target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return echopb.NewEchoClient(conn), nil
}

// A hand-written constructor that stores the connection keeps it too.
func pinger(target string) (*probe.Pinger, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	return probe.NewPinger(conn), nil
}

// One that only reads it leaves the connection to the caller, who drops it.
func connState(target string) (probe.State, error) {
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials())) // want "connection from grpc\\.NewClient is not closed on every path"
	if err != nil {
		return probe.State{}, err
	}
	return probe.NewState(conn), nil
}
