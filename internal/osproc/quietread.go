package osproc

import (
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// quietReader reads a pipe or terminal without waking the Go runtime's system monitor.
//
// Every ordinary system call tells the runtime it may block. When the process was idle, that
// wakes the monitor thread (sysmon) and sets it polling at its fastest rate for a while. The
// child's snapshots arrive at moments no timer foresaw, so each one would start that polling
// again, and with the work on every core each poll preempts a thread of the work. The file is
// non-blocking and is read only once the poller says it is ready, so a read cannot block: it
// is made as a raw system call, which the runtime does not watch.
type quietReader struct {
	f  *os.File
	rc syscall.RawConn
}

// QuietReader reads r without waking the runtime's system monitor when r is a non-blocking
// file the poller handles (a pipe, a pseudo-terminal), and reads it as it is otherwise. The
// observer reads the child's stream through it, and the benchmarks read the live view's
// terminal through it, as a terminal written in C would, so that what they measure is the
// live view. The file must stay non-blocking: its Fd method would make it blocking.
func QuietReader(r io.Reader) io.Reader {
	f, ok := r.(*os.File)
	if !ok {
		return r
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return r
	}
	nonblocking := false
	rc.Control(func(fd uintptr) {
		flags, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
		nonblocking = err == nil && flags&unix.O_NONBLOCK != 0
	})
	if !nonblocking {
		return r // a raw read would block the thread and its P
	}
	return &quietReader{f: f, rc: rc}
}

// Read reads what the file holds, waiting through the poller until it holds something.
func (q *quietReader) Read(p []byte) (int, error) {
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
