package fieldnotreleased

// A method named Stop that takes what to stop is not the type's release
// method: the monitor below has none, and nothing closes its epoll file.

import (
	"context"
	"os"
)

type task struct{ id string }

type monitor struct {
	events *os.File
	tasks  map[string]*task
}

func newMonitor(path string) (*monitor, error) {
	f, err := os.Open(path) // want `os.Open\(…\) is stored in monitor.events, but monitor has no Close or Stop method and nothing in the package closes it`
	if err != nil {
		return nil, err
	}
	return &monitor{events: f, tasks: map[string]*task{}}, nil
}

// Stop stops monitoring one task.
func (m *monitor) Stop(t *task) { delete(m.tasks, t.id) }

// Shutdown taking a context is a release method.
type server struct {
	log *os.File
}

func newServer(path string) (*server, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &server{log: f}, nil
}

func (s *server) Shutdown(ctx context.Context) error {
	_ = ctx
	return s.log.Close()
}
