// Package osproc is what timeslice does to operating-system processes and to its own: start a
// child confined to some cores, kill and reap a child's whole process group, become the reaper
// of orphaned descendants, read a pipe or terminal without waking the Go runtime's monitor,
// and run on one scheduler P while nothing is observed. Every process-wide change here is made
// only when the program's entry point asks for it.
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
// wakes the monitor thread (sysmon) and resets it to polling every 20 µs, which it keeps up for
// about fifty polls before it slows down again. The child's snapshots arrive ten times a second
// at moments no timer foresaw, so each one restarted that polling: with the work on every core,
// each poll preempted a worker, some 400 times a second. The file is non-blocking and its
// reads are made only once the poller says it is ready, so they cannot block: they are made as
// raw system calls, which the runtime does not watch.
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
