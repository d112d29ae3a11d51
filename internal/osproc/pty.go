package osproc

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// OpenPTY opens a new pseudo-terminal of cols×rows: the controlling side to read, and the
// terminal to hand a child as its stdout and stderr. A program that writes to a terminal
// writes each line as it ends (C's stdio, CPython), where to a pipe it would hold its output
// back until its buffer fills or it exits. The terminal does not become this process's or the
// child's controlling terminal.
func OpenPTY(cols, rows int) (control, term *os.File, err error) {
	control, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*os.File, *os.File, error) {
		control.Close()
		return nil, nil, fmt.Errorf("pseudo-terminal: %w", err)
	}
	rc, err := control.SyscallConn()
	if err != nil {
		return fail(err)
	}
	var n int
	var cerr error
	err = rc.Control(func(fd uintptr) {
		if cerr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); cerr != nil { // unlock
			return
		}
		n, cerr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
	})
	if err = cmpErr(err, cerr); err != nil {
		return fail(err)
	}
	term, err = os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fail(err)
	}
	ws := &unix.Winsize{Col: uint16(cols), Row: uint16(rows)}
	if err := unix.IoctlSetWinsize(int(term.Fd()), unix.TIOCSWINSZ, ws); err != nil {
		term.Close()
		return fail(err)
	}
	return control, term, nil
}

// cmpErr is the first of two errors that is not nil.
func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
