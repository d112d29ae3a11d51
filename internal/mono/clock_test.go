package mono

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestNowIsTheKernelsClock checks that Now, counted from one reading at start, still
// agrees with CLOCK_MONOTONIC read from the kernel, so times from different processes line up.
func TestNowIsTheKernelsClock(t *testing.T) {
	for range 5 {
		var ts unix.Timespec
		before := Now()
		if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
			t.Fatal(err)
		}
		after := Now()
		if k := ts.Nano(); k < before-int64(time.Millisecond) || k > after+int64(time.Millisecond) {
			t.Fatalf("kernel clock %d outside Now's %d..%d (±1 ms)", k, before, after)
		}
		if after < before {
			t.Fatalf("Now went back: %d then %d", before, after)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
