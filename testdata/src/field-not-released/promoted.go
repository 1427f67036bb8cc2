package fieldnotreleased

// A connection stored in an embedded field: the owner's promoted Close is
// the connection's, so whoever closes the owner closes it. An owner that
// declares its own Close shadows the promoted one and must release it there.

import "net"

type countedConn struct {
	net.Conn
}

func dialCounted(addr string) (net.Conn, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	counted := new(countedConn)
	counted.Conn = conn
	return counted, nil
}

type quietConn struct {
	net.Conn
	closed bool
}

func dialQuiet(addr string) (*quietConn, error) {
	conn, err := net.Dial("tcp", addr) // want `net.Dial\(…\) is stored in quietConn.Conn, but quietConn.Close never closes it`
	if err != nil {
		return nil, err
	}
	return &quietConn{Conn: conn}, nil
}

// Close shadows net.Conn's Close and forgets to call it.
func (q *quietConn) Close() error {
	q.closed = true
	return nil
}
