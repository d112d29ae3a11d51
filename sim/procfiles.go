package sim

import (
	"errors"
	"io"
	"os"
	"sync"
)

// maxOpenProcFiles bounds how many /proc files a sampler keeps open; past it, files are read
// the ordinary way (open, read, close).
const maxOpenProcFiles = 2048

// openFiles keeps /proc files open between sampling rounds and re-reads them from offset 0:
// the kernel renders a proc file afresh on each read from its start, and skipping the open and
// close per file per round roughly halves what sampling costs. A file that fails to read (its
// thread or process is gone) is closed and forgotten. It is safe for concurrent use.
type openFiles struct {
	mu    sync.Mutex
	files map[string]*os.File
	buf   []byte
}

func newOpenFiles() *openFiles {
	return &openFiles{files: map[string]*os.File{}, buf: make([]byte, 4096)}
}

// read returns the contents of path, a fresh copy.
func (o *openFiles) read(path string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f := o.files[path]
	if f == nil {
		if len(o.files) >= maxOpenProcFiles {
			return os.ReadFile(path)
		}
		var err error
		if f, err = os.Open(path); err != nil {
			return nil, err
		}
		o.files[path] = f
	}
	for {
		n, err := f.ReadAt(o.buf, 0)
		if err != nil && !errors.Is(err, io.EOF) {
			f.Close()
			delete(o.files, path)
			return nil, err
		}
		if n < len(o.buf) {
			return append([]byte(nil), o.buf[:n]...), nil
		}
		o.buf = make([]byte, 2*len(o.buf)) // a long status file: read it whole
	}
}

// close closes every open file.
func (o *openFiles) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	for path, f := range o.files {
		f.Close()
		delete(o.files, path)
	}
}
