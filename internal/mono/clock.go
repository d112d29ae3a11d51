// Package mono reads CLOCK_MONOTONIC, the clock the Go runtime stamps trace events with and
// the one every process on the machine shares, so the child's trace, the observer's /proc
// samples and its per-core samples line up. It owns that one reading and nothing else.
package mono

import (
	"time"

	"golang.org/x/sys/unix"
)

// monoBase and timeBase are one reading of CLOCK_MONOTONIC from the kernel and one of the Go
// runtime's monotonic clock, taken together at start. The runtime's clock is CLOCK_MONOTONIC
// too, read through the vDSO, so counting from the pair gives the kernel's value without
// entering the kernel.
var monoBase, timeBase = func() (int64, time.Time) {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano(), time.Now()
}()

// Now reads CLOCK_MONOTONIC in nanoseconds: the clock the Go runtime stamps trace events
// with, and the one every process on the machine shares, so the observer's /proc samples and
// the child's trace line up. It costs no system call: the samplers call it on every round.
func Now() int64 {
	return monoBase + int64(time.Since(timeBase))
}
