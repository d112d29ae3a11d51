package procfs

import "golang.org/x/sys/unix"

// The system calls, on amd64, whose blocked callers wait for a lock, for input or output, or
// for a timer.
var (
	lockCalls = callSet(unix.SYS_FUTEX, unix.SYS_FUTEX_WAITV)
	ioCalls   = callSet(unix.SYS_READ, unix.SYS_READV, unix.SYS_PREAD64, unix.SYS_PREADV, unix.SYS_PREADV2,
		unix.SYS_WRITE, unix.SYS_WRITEV, unix.SYS_RECVFROM, unix.SYS_RECVMSG, unix.SYS_RECVMMSG,
		unix.SYS_SENDTO, unix.SYS_SENDMSG, unix.SYS_POLL, unix.SYS_PPOLL, unix.SYS_SELECT,
		unix.SYS_PSELECT6, unix.SYS_EPOLL_WAIT, unix.SYS_EPOLL_PWAIT, unix.SYS_EPOLL_PWAIT2,
		unix.SYS_ACCEPT, unix.SYS_ACCEPT4, unix.SYS_CONNECT, unix.SYS_IO_GETEVENTS, unix.SYS_IO_URING_ENTER)
	timerCalls = callSet(unix.SYS_NANOSLEEP, unix.SYS_CLOCK_NANOSLEEP)
)
