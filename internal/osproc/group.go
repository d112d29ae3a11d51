package osproc

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// GroupAttr is how every child is started: in a process group of its own, so that it and the
// worker processes it starts can be killed together, and killed by the kernel should this
// process die first.
func GroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// BecomeSubreaper makes this process the reaper of its orphaned descendants, so the worker
// processes of a child that was killed are reaped here (by ReapGroup) rather than by init. It
// is best effort: without it, init reaps them on a normal system. The program's entry points
// call it once, before starting any child.
func BecomeSubreaper() {
	unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}

// KillGroup kills a child and every process it started (they share its process group).
func KillGroup(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
}

// ReapGroup waits for every process left in the child's group that has become ours (as its
// parent, or as its subreaper), so none is left behind as a zombie.
func ReapGroup(pid int) {
	for {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(-pid, &ws, syscall.WNOHANG, nil)
		if err != nil {
			return // ECHILD: nothing of that group is ours any more
		}
		syscall.Kill(-pid, syscall.SIGKILL)
		time.Sleep(time.Millisecond)
	}
}
