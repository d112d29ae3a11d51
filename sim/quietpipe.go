package sim

import (
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// quietPipe reads the child's stream without waking the Go runtime's system monitor.
//
// Every ordinary system call tells the runtime it may block. When the process was idle, that
// wakes the monitor thread (sysmon) and resets it to polling every 20 µs, which it keeps up for
// about fifty polls before it slows down again. The child's snapshots arrive ten times a second
// at moments no timer foresaw, so each one restarted that polling: with the work on every core,
// each poll preempted a worker, some 400 times a second. The pipe is non-blocking and its reads
// are made only once the poller says it is ready, so they cannot block: they are made as raw
// system calls, which the runtime does not watch.
type quietPipe struct {
	f  *os.File
	rc syscall.RawConn
}

// newQuietPipe reads r quietly when it is a pipe the poller handles, and as it is otherwise.
func newQuietPipe(r io.Reader) io.Reader {
	f, ok := r.(*os.File)
	if !ok {
		return r
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return r
	}
	return &quietPipe{f: f, rc: rc}
}

// Read reads what is in the pipe, waiting through the poller until something is.
func (q *quietPipe) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var n uintptr
	var errno syscall.Errno
	err := q.rc.Read(func(fd uintptr) bool {
		for {
			n, _, errno = unix.RawSyscall(unix.SYS_READ, fd, uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)))
			if errno != unix.EINTR {
				return errno != unix.EAGAIN
			}
		}
	})
	switch {
	case err != nil: // closed under the read
		return 0, &os.PathError{Op: "read", Path: q.f.Name(), Err: err}
	case errno != 0:
		return 0, &os.PathError{Op: "read", Path: q.f.Name(), Err: errno}
	case n == 0:
		return 0, io.EOF
	}
	return int(n), nil
}
