package fieldnotreleased

// Connections and files in fields: a Close that releases the wrong things,
// redials that leak the old connection, helpers that do release.

import (
	"net"
	"os"
	"sync"
)

type Client struct {
	mu   sync.Mutex
	conn net.Conn
	log  *os.File
}

func Dial(addr string) (*Client, error) {
	c := &Client{}
	var err error
	c.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.log, err = os.Create("client.log") // want `os.Create\(…\) is stored in Client.log, but Client.Close never closes it`
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Reconnect replaces the connection and leaks the old one.
func (c *Client) Reconnect(addr string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, err := net.Dial("tcp", addr) // want `net.Dial\(…\) replaces Client.conn without releasing the old value: the previous one is never closed`
	if err != nil {
		return err
	}
	c.conn = conn
	return nil
}

func (c *Client) Close() error {
	return c.conn.Close()
}

// The fixed client: the old connection is closed before the redial, the
// log through a helper that closes its parameter.
type Session struct {
	conn net.Conn
	log  *os.File
}

func OpenSession(addr string) (*Session, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	f, err := os.Create("session.log")
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &Session{conn: conn, log: f}, nil
}

func (s *Session) Redial(addr string) error {
	if s.conn != nil {
		s.conn.Close()
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	s.conn = conn
	return nil
}

// A value receiver releases just as well.
func (s Session) Close() error {
	closeQuietly(s.log)
	return s.conn.Close()
}

func closeQuietly(f *os.File) {
	if f != nil {
		_ = f.Close()
	}
}

// Lazily dialled: the nil check shows the old value is gone.
type Lazy struct {
	conn net.Conn
	addr string
}

func (l *Lazy) get() (net.Conn, error) {
	if l.conn == nil {
		var err error
		l.conn, err = net.Dial("tcp", l.addr)
		if err != nil {
			return nil, err
		}
	}
	return l.conn, nil
}

func (l *Lazy) Close() error {
	if l.conn == nil {
		return nil
	}
	return l.conn.Close()
}
