// Package b uses the connections of package a, rightly and wrongly.
package b

import (
	"io"

	"example.com/modfacts/a"
)

// Leak never closes the connection it dials.
func Leak(name string) error {
	c, err := a.Dial(name)
	if err != nil {
		return err
	}
	_, err = c.Read(nil)
	return err
}

// LeakBody never closes the body.
func LeakBody() ([]byte, error) {
	body, err := a.OpenBody("x")
	if err != nil {
		return nil, err
	}
	return io.ReadAll(body)
}

// Closes closes the connection on every path.
func Closes(name string) error {
	c, err := a.Dial(name)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Read(nil)
	return err
}

// HandsOff returns the connection: its caller closes it.
func HandsOff(name string) (*a.Conn, error) {
	c, err := a.Dial(name)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ClosesViaHelper has a's helper close the body.
func ClosesViaHelper() ([]byte, error) {
	body, err := a.OpenBody("x")
	if err != nil {
		return nil, err
	}
	defer a.CloseQuietly(body)
	return io.ReadAll(body)
}
