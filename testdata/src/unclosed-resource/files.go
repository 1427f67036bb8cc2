package unclosedresource

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"

	"example.com/unclosedresource/closers"
	"github.com/samber/lo"
)

type Config struct {
	Name string `json:"name"`
}

func loadNeverClosed(path string) (*Config, error) {
	f, err := os.Open(path) // want "file from os\\.Open is not closed on every path"
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.NewDecoder(f).Decode(&c); err != nil {
		return nil, err
	}
	return &c, nil
}

func closedExceptOnWriteError(path string, lines []string) error {
	f, err := os.Create(path) // want "file from os\\.Create is not closed on every path"
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func tempNeverClosed(dir string) (string, error) {
	f, err := os.CreateTemp(dir, "upload-*") // want "file from os\\.CreateTemp is not closed on every path"
	if err != nil {
		return "", err
	}
	return f.Name(), nil
}

func mustOpenNeverClosed(path string) int64 {
	f := lo.Must(os.Open(path)) // want "file from os\\.Open is not closed on every path"
	st := lo.Must(f.Stat())
	return st.Size()
}

func zipNeverClosed(path string) (int, error) {
	zr, err := zip.OpenReader(path) // want "zip reader from zip\\.OpenReader is not closed on every path"
	if err != nil {
		return 0, err
	}
	return len(zr.File), nil
}

func formFileNeverClosed(r *http.Request) (int64, error) {
	file, header, err := r.FormFile("upload") // want "form file from \\(\\*http\\.Request\\)\\.FormFile is not closed on every path"
	if err != nil {
		return 0, err
	}
	_ = file
	return header.Size, nil
}

// Negative look-alikes.

func loadDeferred(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var c Config
	return &c, json.NewDecoder(f).Decode(&c)
}

func openForCaller(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	return f, nil
}

func closedByModuleHelper(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer closers.Close(f)
	_, err = io.Copy(io.Discard, f)
	return err
}

func mustOpenClosed(path string) int64 {
	f := lo.Must(os.Open(path))
	defer f.Close()
	return lo.Must(f.Stat()).Size()
}

func zipDeferred(path string) (int, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	return len(zr.File), nil
}

func formFileDeferred(r *http.Request) (int64, error) {
	file, _, err := r.FormFile("upload")
	if err != nil {
		return 0, err
	}
	defer file.Close()
	return io.Copy(io.Discard, file)
}

func createClosedWithError(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(data)
	return err
}

func exitsOnFailure(path string) {
	f, err := os.Open(path)
	if err != nil {
		os.Exit(1)
	}
	defer f.Close()
}

func createUnique(dir string, next func() string) (*os.File, error) {
	for try := 0; ; try++ {
		f, err := os.OpenFile(dir+"/"+next(), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) && try < 100 {
			continue
		}
		return f, err
	}
}
