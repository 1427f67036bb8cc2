package closerasreader

// A function declared to return io.Reader hides the Close of what it
// returns: the caller cannot close a file, a body or an object it cannot see.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"cloud.google.com/go/storage"
	"github.com/minio/minio-go/v7"
)

type Store struct {
	mc     *minio.Client
	bucket string
}

func (s *Store) Download(ctx context.Context, key string) (io.Reader, error) {
	obj, err := s.mc.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	return obj, nil // want "Download returns the object from \\(\\*minio\\.Client\\)\\.GetObject as io\\.Reader"
}

func openFile(path string) (io.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return f, nil // want "openFile returns the file from os\\.Open as io\\.Reader"
}

func fetchBody(c *http.Client, url string) (io.Reader, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil // want "fetchBody returns the response body from \\(\\*http\\.Client\\)\\.Get as io\\.Reader"
}

func openBlob(name string) (io.ReadCloser, error) {
	return os.Open(name)
}

func blobAsReader(name string) (io.Reader, error) {
	rc, err := openBlob(name)
	if err != nil {
		return nil, err
	}
	return rc, nil // want "blobAsReader returns the value from openBlob as io\\.Reader"
}

func uploadWriter(ctx context.Context, obj *storage.ObjectHandle) io.Writer {
	w := obj.NewWriter(ctx)
	w.ContentType = "application/octet-stream"
	return w // want "uploadWriter returns the object writer from \\(\\*storage\\.ObjectHandle\\)\\.NewWriter as io\\.Writer"
}

// Negative look-alikes.

func (s *Store) DownloadCloser(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.mc.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	return obj, nil
}

func openFileReadSeekCloser(path string) (io.ReadSeekCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func readAllFirst(path string) (io.Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(data), nil
}

func inMemory(data []byte) io.Reader {
	return bytes.NewReader(data)
}

func fileForCaller(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func stdinIsNotOurs() io.Reader {
	return os.Stdin
}
