package osproc

import (
	"os/exec"
	"runtime"

	"golang.org/x/sys/unix"
)

// StartOnCores starts cmd confined to the first n cores this process may use. A forked child
// inherits the CPU affinity of the thread that forks it, so the fork happens on a locked thread
// whose mask is narrowed for the moment, then restored. Worker processes the child starts
// inherit the same mask. With n at least the number of cores, cmd starts unconfined.
func StartOnCores(cmd *exec.Cmd, n int) error {
	if n <= 0 || n >= runtime.NumCPU() {
		return cmd.Start()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var old unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		return cmd.Start()
	}
	var narrow unix.CPUSet
	for cpu := 0; cpu < len(old)*64 && narrow.Count() < n; cpu++ {
		if old.IsSet(cpu) {
			narrow.Set(cpu)
		}
	}
	if err := unix.SchedSetaffinity(0, &narrow); err != nil {
		return cmd.Start()
	}
	defer unix.SchedSetaffinity(0, &old)
	return cmd.Start()
}
