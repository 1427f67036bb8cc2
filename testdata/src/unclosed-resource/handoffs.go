package unclosedresource

import (
	"bufio"
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// Hand-offs peers miss, each beside a look-alike that still leaks.

// A type assertion is the same listener: returned, it is the caller's.
func listenUnix(path string) (*net.UnixListener, error) {
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	return l.(*net.UnixListener), nil
}

type tcpStream struct {
	listener *net.TCPListener
}

func listenStream(addr string) *tcpStream {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil
	}
	return &tcpStream{listener: l.(*net.TCPListener)}
}

// Asserted only to read its address: the listener is dropped.
func listenPort(addr string) int {
	l, err := net.Listen("tcp", addr) // want "listener from net\\.Listen is not closed on every path"
	if err != nil {
		return 0
	}
	return l.(*net.TCPListener).Addr().(*net.TCPAddr).Port
}

// rawLink holds a descriptor; a dereferenced copy holds the same one.
type rawLink struct {
	fd *os.File
}

func (l *rawLink) Close() error { return l.fd.Close() }

func attachRawLink(path string) (*rawLink, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &rawLink{fd: f}, nil
}

type cgroupLink struct {
	rawLink
}

func attachCgroup(path string) (*cgroupLink, error) {
	link, err := attachRawLink(path)
	if err != nil {
		return nil, err
	}
	return &cgroupLink{*link}, nil
}

func attachAndCheck(path string) error {
	link, err := attachRawLink(path) // want "attachRawLink is not closed on every path"
	if err != nil {
		return err
	}
	if (*link).fd == nil {
		return errors.New("no descriptor")
	}
	return nil
}

// The method value collected for a deferred cleanup closes on error; the
// success path returns the pipes.
type pipePair struct{ r, w *os.File }

func openPipes() (p *pipePair, err error) {
	var closers []func() error
	defer func() {
		if err == nil {
			return
		}
		for _, c := range closers {
			c()
		}
	}()
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	closers = append(closers, r.Close, w.Close)
	log, err := os.Create("pipes.log")
	if err != nil {
		return nil, err
	}
	closers = append(closers, log.Close)
	return &pipePair{r: r, w: w}, log.Close()
}

// Given to whoever runs cleanups: closed when they run.
func registerCleanup(path string, onExit func(func() error)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	onExit(f.Close)
	return nil
}

// The cleanups are kept only on success: the early error return leaks.
type store struct {
	cleanups []func() error
}

func openStore(path, pool string) (*store, error) {
	var cleanups []func() error
	meta, err := os.Open(path) // want "file from os\\.Open is not closed on every path"
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, meta.Close)
	if _, err := os.Stat(pool); err != nil {
		return nil, err
	}
	return &store{cleanups: cleanups}, nil
}

// A closure deferred first hands the descriptor to a helper that closes it.
type queueConfig struct {
	eventFD *os.File
	dataFD  *os.File
}

func closeQueue(c queueConfig) {
	if c.eventFD != nil {
		c.eventFD.Close()
	}
	if c.dataFD != nil {
		c.dataFD.Close()
	}
}

func createQueue(dir string) (cfg queueConfig, err error) {
	success := false
	var eventFD, dataFD *os.File
	defer func() {
		if success {
			return
		}
		closeQueue(queueConfig{eventFD: eventFD, dataFD: dataFD})
	}()
	eventFD, err = os.CreateTemp(dir, "event")
	if err != nil {
		return queueConfig{}, err
	}
	dataFD, err = os.CreateTemp(dir, "data")
	if err != nil {
		return queueConfig{}, err
	}
	success = true
	return queueConfig{eventFD: eventFD, dataFD: dataFD}, nil
}

// A variadic helper that keeps its files takes them.
type agency struct {
	pending []*os.File
}

func (a *agency) donateAndClose(files ...*os.File) {
	a.pending = append(a.pending, files...)
}

func (a *agency) names(files ...*os.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Name())
	}
	return out
}

func (a *agency) donateLog(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	a.donateAndClose(f)
	return nil
}

func (a *agency) nameLog(path string) string {
	f, err := os.Create(path) // want "file from os\\.Create is not closed on every path"
	if err != nil {
		return ""
	}
	return a.names(f)[0]
}

// A getter of a package's one instance hands out what exists.
type instance struct {
	conn net.Conn
}

func (i *instance) Close() error { return i.conn.Close() }

var (
	std     *instance
	stdOnce sync.Once
)

func newInstance(addr string) (*instance, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &instance{conn: c}, nil
}

func getInstance() *instance {
	stdOnce.Do(func() {
		std, _ = newInstance("localhost:1")
	})
	return std
}

func instanceAddr() string {
	ins := getInstance()
	return ins.conn.RemoteAddr().String()
}

func instanceOnce(addr string) (string, error) {
	ins, err := newInstance(addr) // want "newInstance is not closed on every path"
	if err != nil {
		return "", err
	}
	return ins.conn.RemoteAddr().String(), nil
}

// A constructor that only fills in a struct holds nothing yet: its socket
// is bound later by a method.
type notifier struct {
	socket *net.UnixConn
	path   string
}

func (n *notifier) Close() error { return n.socket.Close() }

func newNotifier(path string) *notifier {
	if path == "" {
		return nil
	}
	return &notifier{socket: nil, path: path}
}

func notifierPath(path string) string {
	n := newNotifier(path)
	if n == nil {
		return ""
	}
	return n.path
}

// A comma-ok assertion to an interface asks what the connection can do;
// to a pointer type it names the same connection.
func halfClose(addr string) error {
	c, err := net.Dial("tcp", addr) // want "connection from net\\.Dial is not closed on every path"
	if err != nil {
		return err
	}
	if hc, ok := c.(interface{ CloseWrite() error }); ok {
		return hc.CloseWrite()
	}
	return nil
}

type unixHolder struct {
	conns []*net.UnixConn
}

func (h *unixHolder) dialUnix(path string) error {
	c, err := net.Dial("unix", path)
	if err != nil {
		return err
	}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		c.Close()
		return errors.New("not a unix connection")
	}
	h.conns = append(h.conns, uc)
	return nil
}

// A session dialled behind named results and a naked return still opens.
type session struct {
	conn net.Conn
}

func (s *session) Close() error { return s.conn.Close() }

func dialSession(addr string) (s *session, err error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	s = &session{conn: c}
	return
}

func probeSession(addr string) error {
	_, err := dialSession(addr) // want "dialSession is discarded without being closed"
	return err
}

func useSession(addr string) error {
	s, err := dialSession(addr)
	if err != nil {
		return err
	}
	return s.Close()
}

// A Must wrapper opens what it wraps.
func mustOpenSession(addr string) *session {
	s, err := dialSession(addr)
	if err != nil {
		panic(err)
	}
	return s
}

func mustSession() *session {
	return mustOpenSession("localhost:1")
}

func sessionAddr() string {
	s := mustSession() // want "mustSession is not closed on every path"
	return s.conn.RemoteAddr().String()
}

func sessionAddrClosed() string {
	s := mustSession()
	defer s.Close()
	return s.conn.RemoteAddr().String()
}

// A writer over a connection the caller owns wraps it: closing the writer
// ends a record stream, the connection stays the caller's.
type recordConn struct {
	rwc net.Conn
}

func (c *recordConn) Close() error { return c.rwc.Close() }

type recordWriter struct {
	c  *recordConn
	bw *bufio.Writer
}

func (w *recordWriter) Close() error { return w.bw.Flush() }

func newRecordWriter(c *recordConn) *recordWriter {
	return &recordWriter{c: c, bw: bufio.NewWriterSize(c.rwc, 1024)}
}

func (c *recordConn) writePairs(pairs map[string]string) error {
	w := newRecordWriter(c)
	for k, v := range pairs {
		if _, err := w.bw.WriteString(k + "=" + v); err != nil {
			return err
		}
	}
	return w.Close()
}

// A method of the value's own type that closes it releases it.
func (s *session) mustClose() {
	if err := s.Close(); err != nil {
		panic(err)
	}
}

func (s *session) resetDeadline() error { return s.conn.SetDeadline(time.Time{}) }

func sessionAddrMustClose() string {
	s := mustSession()
	defer s.mustClose()
	return s.conn.RemoteAddr().String()
}

func sessionAddrReset() string {
	s := mustSession() // want "mustSession is not closed on every path"
	defer s.resetDeadline()
	return s.conn.RemoteAddr().String()
}

// The loop stops once a connection is held: no later dial replaces it.
func dialFirst(addrs []string) (conn net.Conn, err error) {
	for i := 0; i != len(addrs) && conn == nil; i++ {
		conn, err = net.Dial("tcp", addrs[i])
		if err != nil {
			continue
		}
		if err = conn.SetDeadline(time.Time{}); err != nil {
			conn.Close()
			conn = nil
			break
		}
	}
	return conn, err
}

// Without that test the next address replaces the held connection.
func dialLast(addrs []string) (conn net.Conn, err error) {
	for i := 0; i != len(addrs); i++ {
		conn, err = net.Dial("tcp", addrs[i]) // want "connection from net\\.Dial is not closed on every path"
		if err != nil {
			continue
		}
	}
	return conn, err
}
