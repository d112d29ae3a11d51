package sim

import (
	"io/fs"
	"os"
	"sync"

	"golang.org/x/sys/unix"
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
		n, err := preadOnce(f, o.buf)
		if err != nil {
			f.Close()
			delete(o.files, path)
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if n < len(o.buf) {
			return append([]byte(nil), o.buf[:n]...), nil
		}
		o.buf = make([]byte, 2*len(o.buf)) // a long status file: read it whole
	}
}

// preadOnce reads f from its start with one pread. A /proc file is rendered whole on each read
// and handed back as far as buf holds, so a read that does not fill buf has it all; os.File's
// ReadAt would read again to find the end, and that second read renders the file again.
func preadOnce(f *os.File, buf []byte) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		for {
			n, rerr = unix.Pread(int(fd), buf, 0)
			if rerr != unix.EINTR {
				return true
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return max(n, 0), rerr
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
