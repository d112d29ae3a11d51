package scenarios

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestGlobalLockTakesTurns: threads that all compute under the lock never compute at once, and
// hand it over about every switchInterval: the holder drops it when a waiter asks, and does not
// take it straight back.
func TestGlobalLockTakesTurns(t *testing.T) {
	perMs := Calibrate()
	g := newGlobalLock()
	const threads = 3
	work := 40 * perMs // 40 ms of computation each
	var inside, overlap atomic.Int32
	var wg sync.WaitGroup
	start := time.Now()
	for range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			burn, done := g.burner(nil, max(perMs/5, 1))
			for left := work; left > 0; left -= perMs / 10 {
				burn(min(perMs/10, left)) // numbers of 0.1 ms each, the lock kept from one to the next
				if inside.Add(1) > 1 {
					overlap.Add(1)
				}
				inside.Add(-1)
			}
			done()
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	if n := overlap.Load(); n > 0 {
		t.Errorf("two threads were between numbers at once %d times: only the holder computes", n)
	}
	// 120 ms of computation in turns of 5 ms: at least a dozen switches, however busy the
	// machine (a busy machine makes turns longer in wall time, never more frequent).
	g.mu.Lock()
	switches := g.switches
	g.mu.Unlock()
	if want := uint64(wall / switchInterval / 4); switches < min(want, 12) {
		t.Errorf("%d switches in %v: the holder did not give the lock up when asked", switches, wall)
	}
	if g.locked {
		t.Errorf("the lock is still held after every thread is done")
	}
}
