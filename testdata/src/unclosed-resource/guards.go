package unclosedresource

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
)

// Guards on the error and on the value that decide where the value is held.

func bodyGuarded(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	if resp.Body != nil {
		defer resp.Body.Close()
	}
	return resp.StatusCode, nil
}

func guardOnAnotherField(c *http.Client, req *http.Request) (int, error) {
	resp, err := c.Do(req) // want "response from \\(\\*http\\.Client\\)\\.Do is not closed on every path"
	if err != nil {
		return 0, err
	}
	if resp.Header != nil {
		defer resp.Body.Close()
	}
	return resp.StatusCode, nil
}

func existsThenError(name string) (bool, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if os.IsExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.WriteString(name)
	return err == nil, err
}

func notExistThenLeak(name string) error {
	f, err := os.Open(name) // want "file from os\\.Open is not closed on every path"
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if name == "" {
		return nil
	}
	return f.Close()
}

func switchOnTheError(name string) error {
	f, err := os.Open(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		err = nil
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrInvalid):
		err = errors.New("unreadable")
	case err != nil:
		err = errors.Join(err, errors.New("open"))
	default:
		f.Close()
	}
	return err
}

func switchThatForgets(name string) error {
	f, err := os.Open(name) // want "file from os\\.Open is not closed on every path"
	switch {
	case err != nil:
		return err
	case name == "x":
		return nil
	default:
		return f.Close()
	}
}

// chunkReader's Close only checks that the input ended cleanly: it holds
// nothing, so its constructor acquires nothing.
type chunkReader struct{ pending int }

func newChunkReader() *chunkReader { return &chunkReader{} }

func (c *chunkReader) Close() error {
	if c.pending != 0 {
		return io.ErrUnexpectedEOF
	}
	return nil
}

func readChunks(chunks []int) error {
	cr := newChunkReader()
	for _, n := range chunks {
		cr.pending += n
		if n < 0 {
			return errors.New("negative chunk")
		}
	}
	return cr.Close()
}

// writerFromContext hands out the writer its context carries: an accessor,
// not an opener.
type progressWriter struct{ f *os.File }

func (w *progressWriter) Close() error { return w.f.Close() }

type ctxKey struct{}

func FromContext(ctx context.Context) (*progressWriter, bool) {
	w, ok := ctx.Value(ctxKey{}).(*progressWriter)
	return w, ok
}

func reportProgress(ctx context.Context) error {
	pw, ok := FromContext(ctx)
	if !ok {
		return nil
	}
	_, err := pw.f.WriteString("50%")
	return err
}

func newProgressWriter(path string) (*progressWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &progressWriter{f: f}, nil
}

func progressLeaks(path string) error {
	pw, err := newProgressWriter(path) // want "value from newProgressWriter is not closed on every path"
	if err != nil {
		return err
	}
	_, err = pw.f.WriteString("0%")
	return err
}
