// Package handles holds descriptor types whose methods move the descriptor
// out of the value (the caller owns it then) or only read it.
package handles

import (
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
)

// FD owns a raw descriptor.
type FD struct {
	raw int
}

// OpenFD wraps raw with a finalizer.
func OpenFD(raw int) (*FD, error) {
	fd := &FD{raw}
	runtime.SetFinalizer(fd, (*FD).Close)
	return fd, nil
}

// Close closes the descriptor.
func (fd *FD) Close() error {
	if fd.raw < 0 {
		return nil
	}
	raw := fd.raw
	fd.raw = -1
	fd.Forget()
	return syscall.Close(raw)
}

// Forget drops the finalizer: someone else owns the descriptor now.
func (fd *FD) Forget() {
	runtime.SetFinalizer(fd, nil)
}

// File hands the descriptor to an *os.File, which owns it from then on.
func (fd *FD) File(name string) *os.File {
	fd.Forget()
	return os.NewFile(uintptr(fd.raw), name)
}

// Copy returns a file on a duplicate: fd must still be closed.
func (fd *FD) Copy(name string) (*os.File, error) {
	dup, err := syscall.Dup(fd.raw)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(dup), name), nil
}

// Int is the raw descriptor, still owned by fd.
func (fd *FD) Int() int {
	return fd.raw
}

// Socket owns a socket descriptor.
type Socket struct {
	fd atomic.Int64
}

// Bind opens a listening socket.
func Bind(addr string) (*Socket, error) {
	s := &Socket{}
	s.fd.Store(int64(len(addr)))
	return s, nil
}

// Close closes the socket.
func (s *Socket) Close() error {
	fd := int(s.fd.Swap(-1))
	if fd < 0 {
		return nil
	}
	return syscall.Close(fd)
}

// Release gives up the descriptor: the caller owns it.
func (s *Socket) Release() (int, error) {
	fd := int(s.fd.Swap(-1))
	if fd < 0 {
		return -1, syscall.EBADF
	}
	return fd, nil
}

// FD is the descriptor, still owned by s.
func (s *Socket) FD() int {
	return int(s.fd.Load())
}

// Server wraps a socket.
type Server struct {
	socket *Socket
}

// Listen opens a server socket.
func Listen(addr string) (*Server, error) {
	s, err := Bind(addr)
	if err != nil {
		return nil, err
	}
	return &Server{socket: s}, nil
}

// Close closes the server's socket.
func (s *Server) Close() error {
	return s.socket.Close()
}

// Release gives up the server's descriptor.
func (s *Server) Release() (int, error) {
	return s.socket.Release()
}

// FD is the server's descriptor, still owned by s.
func (s *Server) FD() int {
	return s.socket.FD()
}

// Stream reads frames over a descriptor.
type Stream struct {
	fd    *FD
	frame []byte
}

// Dial opens a stream.
func Dial(addr string) (*Stream, error) {
	fd, err := OpenFD(len(addr))
	if err != nil {
		return nil, err
	}
	return &Stream{fd: fd}, nil
}

// Close closes the stream's descriptor.
func (s *Stream) Close() error {
	return s.fd.Close()
}

// Read drops its frame once drained: it resets state, it gives nothing up.
func (s *Stream) Read(p []byte) (int, error) {
	n := copy(p, s.frame)
	s.frame = nil
	return n, nil
}
