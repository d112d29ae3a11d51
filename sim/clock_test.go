package sim

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestMonoNowIsTheKernelsClock checks that MonoNow, counted from one reading at start, still
// agrees with CLOCK_MONOTONIC read from the kernel, so times from different processes line up.
func TestMonoNowIsTheKernelsClock(t *testing.T) {
	for range 5 {
		var ts unix.Timespec
		before := MonoNow()
		if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
			t.Fatal(err)
		}
		after := MonoNow()
		if k := ts.Nano(); k < before-int64(time.Millisecond) || k > after+int64(time.Millisecond) {
			t.Fatalf("kernel clock %d outside MonoNow's %d..%d (±1 ms)", k, before, after)
		}
		if after < before {
			t.Fatalf("MonoNow went back: %d then %d", before, after)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
