package scenarios

import (
	"crypto/sha256"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// Burn does iters rounds of a SHA-256 checksum chain: a fixed amount of real computation whose
// duration depends only on how much CPU the calling thread gets. It returns the last digest's
// first byte so the compiler cannot drop the work.
func Burn(iters int) byte {
	var sum [sha256.Size]byte
	for i := 0; i < iters; i++ {
		sum = sha256.Sum256(sum[:])
	}
	return sum[0]
}

// Calibrate measures how many Burn iterations one core does per millisecond of CPU time: the
// best of a few short windows. It counts the thread's own CPU time, not the clock on the wall,
// so a busy machine does not make every element cost less computation than asked.
func Calibrate() int {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := 0
	for round := 0; round < 5; round++ {
		const batch = 2000
		n := 0
		start := threadCPU()
		for threadCPU()-start < 20*time.Millisecond {
			Burn(batch)
			n += batch
		}
		perMs := int(float64(n) / (float64(threadCPU()-start) / float64(time.Millisecond)))
		if perMs > best {
			best = perMs
		}
	}
	return min(max(best, 1), MaxItersPerMs)
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// elementIters is the fixed computation one element of the sum costs under p: at least one
// step when there is work at all. Validate bounds both factors, so the product cannot overflow.
func (p Params) elementIters() int {
	n := p.Work.Nanoseconds() * int64(p.ItersPerMs) / int64(time.Millisecond)
	if n == 0 && p.Work > 0 && p.ItersPerMs > 0 {
		n = 1
	}
	return int(n)
}
