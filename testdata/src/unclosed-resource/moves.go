package unclosedresource

import (
	"io"
	"os"
	"syscall"

	"example.com/unclosedresource/handles"
)

// A method that moves the descriptor out of the value hands the value off.

func iterReader(raw int) (io.ReadCloser, error) {
	fd, err := handles.OpenFD(raw)
	if err != nil {
		return nil, err
	}
	return fd.File("iter"), nil
}

func releasedSocket(addr string) (int, error) {
	s, err := handles.Bind(addr)
	if err != nil {
		return -1, err
	}
	return s.Release()
}

func releasedServer(addr string) (int, error) {
	s, err := handles.Listen(addr)
	if err != nil {
		return -1, err
	}
	return s.Release()
}

// Methods that only read the descriptor, or duplicate it, leave it owned.

func copiedReader(raw int) (io.ReadCloser, error) {
	fd, err := handles.OpenFD(raw) // want "OpenFD is not closed on every path"
	if err != nil {
		return nil, err
	}
	return fd.Copy("iter")
}

func socketNumber(addr string) (int, error) {
	s, err := handles.Bind(addr) // want "Bind is not closed on every path"
	if err != nil {
		return -1, err
	}
	return s.FD(), nil
}

func serverNumber(addr string) (int, error) {
	s, err := handles.Listen(addr) // want "Listen is not closed on every path"
	if err != nil {
		return -1, err
	}
	return s.FD(), nil
}

func streamRead(addr string, p []byte) (int, error) {
	s, err := handles.Dial(addr) // want "Dial is not closed on every path"
	if err != nil {
		return 0, err
	}
	return s.Read(p)
}

// The same shapes on a type of this package.

type pipeEnd struct {
	fd int
}

func openPipeEnd() (*pipeEnd, error) {
	fds := make([]int, 2)
	if err := syscall.Pipe(fds); err != nil {
		return nil, err
	}
	return &pipeEnd{fd: fds[0]}, nil
}

func (p *pipeEnd) Close() error {
	if p.fd < 0 {
		return nil
	}
	fd := p.fd
	p.fd = -1
	return syscall.Close(fd)
}

// detach gives up the descriptor to an *os.File.
func (p *pipeEnd) detach() *os.File {
	fd := p.fd
	p.fd = -1
	return os.NewFile(uintptr(fd), "pipe")
}

// number is the descriptor, still owned by p.
func (p *pipeEnd) number() int {
	return p.fd
}

func pipeFile() (*os.File, error) {
	p, err := openPipeEnd()
	if err != nil {
		return nil, err
	}
	return p.detach(), nil
}

func pipeNumber() (int, error) {
	p, err := openPipeEnd() // want "openPipeEnd is not closed on every path"
	if err != nil {
		return -1, err
	}
	return p.number(), nil
}
