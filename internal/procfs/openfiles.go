package procfs

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
// the kernel renders a proc file afresh on each read from its start, so a round spares an open
// and a close for every file it reads. A file that fails to read (its
// thread or process is gone) is closed and forgotten. It is safe for concurrent use.
type openFiles struct {
	mu    sync.Mutex
	files map[procFile]*os.File
	buf   []byte
}

func newOpenFiles() *openFiles {
	return &openFiles{files: map[procFile]*os.File{}, buf: make([]byte, 4096)}
}

// read returns the contents of file pf under root, a fresh copy.
func (o *openFiles) read(pf procFile, root string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f := o.files[pf]
	if f == nil {
		if len(o.files) >= maxOpenProcFiles {
			return os.ReadFile(pf.path(root))
		}
		var err error
		if f, err = os.Open(pf.path(root)); err != nil {
			return nil, err
		}
		o.files[pf] = f
	}
	for {
		n, err := preadOnce(f, o.buf)
		if err != nil {
			f.Close()
			delete(o.files, pf)
			return nil, &fs.PathError{Op: "read", Path: pf.path(root), Err: err}
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
	for pf, f := range o.files {
		f.Close()
		delete(o.files, pf)
	}
}
