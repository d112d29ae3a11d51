package osproc

import (
	"syscall"
	"time"
)

// killGroup kills the child and every process it started (they share its process group).
func KillGroup(pid int) {
	syscall.Kill(-pid, syscall.SIGKILL)
}

// reapGroup waits for every process left in the child's group that has become ours (we are
// their subreaper), so none is left behind as a zombie.
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
