package sim

import "golang.org/x/sys/unix"

// MonoNow reads CLOCK_MONOTONIC in nanoseconds: the clock the Go runtime stamps trace events
// with, and the one every process on the machine shares, so the observer's /proc samples and
// the child's trace line up.
func MonoNow() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return ts.Nano()
}
