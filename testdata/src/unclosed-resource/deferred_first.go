package unclosedresource

import (
	"io"
	"os"
)

// The closure deferred first closes whatever `file` holds at return: every
// file later assigned to it is released, as mime/multipart's readForm does.
func spoolParts(dir string, parts [][]byte, limit int) (err error) {
	var file *os.File
	defer func() {
		if file != nil {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
		}
	}()
	for _, p := range parts {
		if len(p) <= limit {
			continue
		}
		if file == nil {
			file, err = os.CreateTemp(dir, "part-")
			if err != nil {
				return err
			}
		}
		if _, err := file.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// Closed and cleared before the next one: the deferred closure sees nil.
func spoolEach(dir string, parts [][]byte) error {
	var file *os.File
	defer func() {
		if file != nil {
			file.Close()
		}
	}()
	for _, p := range parts {
		var err error
		file, err = os.CreateTemp(dir, "part-")
		if err != nil {
			return err
		}
		if _, err := file.Write(p); err != nil {
			return err
		}
		if err := file.Close(); err != nil {
			return err
		}
		file = nil
	}
	return nil
}

// The deferred closure closes another variable.
func spoolWrongVariable(dir string, log *os.File, data []byte) error {
	var file *os.File
	defer func() {
		if log != nil {
			log.Close()
		}
	}()
	file, err := os.CreateTemp(dir, "part-") // want "file from os\\.CreateTemp is not closed on every path"
	if err != nil {
		return err
	}
	_, err = file.Write(data)
	return err
}

// The closure sees only the last file: the earlier ones are dropped.
func spoolOverwritten(dir string, parts [][]byte) error {
	var file *os.File
	defer func() {
		if file != nil {
			file.Close()
		}
	}()
	for _, p := range parts {
		var err error
		file, err = os.CreateTemp(dir, "part-") // want "file from os\\.CreateTemp is not closed on every path"
		if err != nil {
			return err
		}
		if _, err := file.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// Deferred only on one branch: the other path keeps the file open.
func spoolMaybeDeferred(dir string, keep bool, r io.Reader) error {
	var file *os.File
	if !keep {
		defer func() { file.Close() }()
	}
	file, err := os.CreateTemp(dir, "part-") // want "file from os\\.CreateTemp is not closed on every path"
	if err != nil {
		return err
	}
	_, err = io.Copy(file, r)
	return err
}
