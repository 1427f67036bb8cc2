package unclosedresource

// HTTP responses: the body must be closed on every path, or the connection
// and its buffers stay pinned until the server gives up.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

var errStatus = errors.New("unexpected status")

type Item struct {
	ID string `json:"id"`
}

func fetchNeverClosed(url string) (int, error) {
	resp, err := http.Get(url) // want "response from http\\.Get is not closed on every path"
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func closedOnMainPathOnly(c *http.Client, url string) ([]Item, error) {
	resp, err := c.Get(url) // want "response from \\(\\*http\\.Client\\)\\.Get is not closed on every path"
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %d", errStatus, resp.StatusCode)
	}
	var items []Item
	err = json.NewDecoder(resp.Body).Decode(&items)
	resp.Body.Close()
	return items, err
}

func deferAfterEarlyReturn(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req) // want "response from \\(\\*http\\.Client\\)\\.Do is not closed on every path"
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNotModified {
		return nil
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func methodValueNeverCalled(url string) error {
	resp, err := http.Head(url) // want "response from http\\.Head is not closed on every path"
	if err != nil {
		return err
	}
	_ = resp.Body.Close
	return nil
}

func retryDropsPrevious(c *http.Client, url string) (*http.Response, error) {
	var resp *http.Response
	var err error
	for i := 0; i < 3; i++ {
		resp, err = c.Get(url) // want "response from \\(\\*http\\.Client\\)\\.Get is not closed on every path"
		if err == nil && resp.StatusCode < 500 {
			return resp, nil
		}
		time.Sleep(time.Second)
	}
	return nil, err
}

func discardedResponse(url string, body io.Reader) error {
	_, err := http.Post(url, "application/json", body) // want "response from http\\.Post is discarded"
	return err
}

// Negative look-alikes.

func deferredClose(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func deferredClosure(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	return json.NewDecoder(resp.Body).Decode(new(Item))
}

func drainThenClose(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil
}

func nilCheckedDefer(url string) error {
	resp, err := http.Get(url)
	if resp != nil {
		defer resp.Body.Close()
	}
	return err
}

func returnedToCaller(c *http.Client, url string) (*http.Response, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func returnedWithError(c *http.Client, url string) (*http.Response, error) {
	resp, err := c.Get(url)
	if err != nil {
		return resp, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp, errStatus
	}
	return resp, nil
}

type download struct {
	resp *http.Response
}

func (d *download) Close() error { return d.resp.Body.Close() }

func storedInStruct(url string) (*download, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return &download{resp: resp}, nil
}

func closedAfterIf(c *http.Client, primary, fallback string) error {
	var body io.ReadCloser
	resp, err := c.Get(primary)
	if err != nil {
		return err
	}
	body = resp.Body
	if resp.StatusCode == http.StatusNotFound {
		fmt.Println("falling back to", fallback)
	}
	defer body.Close()
	_, err = io.Copy(io.Discard, body)
	return err
}

func closedByHelper(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer closeQuietly(resp.Body)
	return nil
}

func closeQuietly(c io.Closer) {
	_ = c.Close()
}

type countingBody struct {
	io.ReadCloser
	n int
}

func swappedBody(c *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &countingBody{ReadCloser: resp.Body}
	return resp, nil
}

func retryClosesBeforeRetry(c *http.Client, url string) (*http.Response, error) {
	for i := 0; ; i++ {
		resp, err := c.Get(url)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode < 500 || i == 2 {
			return resp, nil
		}
		resp.Body.Close()
		time.Sleep(time.Second)
	}
}

func localHelperWithOwnName(url string) int {
	// A local type's Get is not net/http's.
	var s sessions
	resp := s.Get(url)
	return resp.code
}

type sessions struct{}

type fakeResponse struct{ code int }

func (sessions) Get(string) fakeResponse { return fakeResponse{} }
