package procfs

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"timeslice/model"
)

// Call is where a thread was, as /proc/<pid>/task/<tid>/syscall (or wchan) said at the moment it
// was read: on a core or waiting for one, or blocked inside a system call, and why.
type Call struct {
	// Runnable is true when the thread was running or waiting for a core: the kernel writes
	// "running" for both.
	Runnable bool
	// Number is the system call the thread was blocked in, or -1 when it was not in one (a
	// stopped thread, or a zombie) or when only wchan was readable.
	Number int
	// Reason is what the blocking call waits for, as far as the call says: a lock (futex),
	// input or output (read, poll, epoll, select, ...) or a timer (nanosleep); ReasonNone when
	// the call says nothing the model names.
	Reason model.Reason
}

// ParseSyscall parses a syscall file: "running", or the number of the system call the thread
// is blocked in and its arguments, or -1 when it is blocked outside one. Only the number is
// kept: the arguments are addresses of the watched program, of no use to a reader.
func ParseSyscall(b []byte) (Call, error) {
	f := bytes.Fields(b)
	if len(f) == 0 {
		return Call{}, fmt.Errorf("syscall: empty")
	}
	if string(f[0]) == "running" {
		return Call{Runnable: true, Number: -1}, nil
	}
	n, err := strconv.Atoi(string(f[0]))
	if err != nil || n < -1 {
		return Call{}, fmt.Errorf("syscall: not a call number: %q", clip(f[0]))
	}
	return Call{Number: n, Reason: callReason(n)}, nil
}

// callReason is why a thread blocked in call number n waits, by the sets for this machine's
// architecture (calls_*.go).
func callReason(n int) model.Reason {
	switch {
	case lockCalls[n]:
		return model.ReasonLock
	case ioCalls[n]:
		return model.ReasonIO
	case timerCalls[n]:
		return model.ReasonSleep
	}
	return model.ReasonNone
}

// ParseWchan reads a wchan file, the kernel function a thread sleeps in ("0" when it does not
// sleep), for when the syscall file cannot be read: it needs the right to trace the thread,
// which a hardened kernel may grant less readily. The function's name says the reason.
func ParseWchan(b []byte) Call {
	name := strings.TrimSpace(string(b))
	if name == "" || name == "0" {
		return Call{Runnable: true, Number: -1}
	}
	c := Call{Number: -1}
	switch {
	case strings.Contains(name, "futex"):
		c.Reason = model.ReasonLock
	case strings.Contains(name, "nanosleep"), strings.Contains(name, "hrtimer"):
		c.Reason = model.ReasonSleep
	case strings.Contains(name, "poll"), strings.Contains(name, "select"), strings.Contains(name, "pipe_"),
		strings.Contains(name, "wait_woken"), strings.Contains(name, "sk_wait"), strings.Contains(name, "_recv"),
		strings.Contains(name, "_read"), strings.Contains(name, "accept"):
		c.Reason = model.ReasonIO
	}
	return c
}

// ReadThreadCall reads where thread tid of pid is: its syscall file, or its wchan file when the
// syscall file may not be read.
func (p ProcFS) ReadThreadCall(pid, tid int) (Call, error) {
	b, err := p.read(procFile{pid, tid, "syscall"})
	if err == nil {
		return ParseSyscall(b)
	}
	if errors.Is(err, ErrGone) {
		return Call{}, err
	}
	b, werr := p.read(procFile{pid, tid, "wchan"})
	if werr != nil {
		return Call{}, err
	}
	return ParseWchan(b), nil
}

// ReadChildren reads the processes thread tid of pid has started and not yet seen end
// (/proc/<pid>/task/<tid>/children).
func (p ProcFS) ReadChildren(pid, tid int) ([]int, error) {
	b, err := p.read(procFile{pid, tid, "children"})
	if err != nil {
		return nil, err
	}
	var out []int
	for _, f := range bytes.Fields(b) {
		if n, err := strconv.Atoi(string(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out, nil
}

// callSet is a set of system call numbers.
func callSet(nums ...int) map[int]bool {
	m := make(map[int]bool, len(nums))
	for _, n := range nums {
		m[n] = true
	}
	return m
}
