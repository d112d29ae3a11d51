package tracelanes

import (
	"bytes"
	"context"
	"fmt"
	"runtime/trace"
	"sync"
	"testing"
	"time"

	"timeslice/internal/tracegen"
	"timeslice/scenarios"
)

// recordOverlapping records flight recorder snapshots of one run, as the child takes them:
// each cuts a generation, and the second repeats the generations of the first and more.
func recordOverlapping(t testing.TB) (first, second []byte) {
	t.Helper()
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Minute, MaxBytes: 64 << 20})
	if err := fr.Start(); err != nil {
		t.Skipf("cannot trace: %v", err)
	}
	defer fr.Stop()
	snap := func() []byte {
		var buf bytes.Buffer
		if _, err := fr.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	ctx := context.Background()
	scenarios.MarkStart(ctx)
	var mu sync.Mutex // two tasks taking turns on a lock, across the cuts
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for _, name := range []string{"chunk 1", "chunk 2"} {
		wg.Go(func() {
			scenarios.WorkOn(ctx, name)
			for {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				spinFor(2 * time.Millisecond)
				mu.Unlock()
			}
		})
	}
	time.Sleep(30 * time.Millisecond)
	snap()
	time.Sleep(30 * time.Millisecond)
	first = snap()
	time.Sleep(30 * time.Millisecond)
	second = snap()
	close(stop)
	wg.Wait()
	return first, second
}

// TestTrimmedSnapshotsGiveTheSameLanes: reading only the generations a snapshot adds to the last
// snapshot read must merge into the lanes the whole snapshot gives, in less data, with nothing
// lost at the seam. Two snapshots may time one event a few nanoseconds apart, and the older one may
// lack a short hand-over at a generation cut it saw early, so each task's time in each state
// must agree to within a millisecond, over the same span.
func TestTrimmedSnapshotsGiveTheSameLanes(t *testing.T) {
	first, second := recordOverlapping(t)
	_, _, newest := tracegen.Since(first, 0)
	if newest == 0 {
		t.Fatal("no generation found in the first snapshot")
	}
	trimmed, _, newest2 := tracegen.Since(second, newest)
	if newest2 <= newest || len(trimmed) >= len(second) {
		t.Fatalf("second snapshot: newest generation %d after %d, %d bytes of %d kept", newest2, newest, len(trimmed), len(second))
	}
	prev, err := ParseTrace(first)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := ParseTraceAfter(second, prev)
	if err != nil {
		t.Fatal(err)
	}
	part, err := ParseTraceAfter(trimmed, prev)
	if err != nil {
		t.Fatal(err)
	}
	want, got := MergeViews(cloneView(prev), whole), MergeViews(cloneView(prev), part)
	if len(want.Tasks) != 2 || len(got.Tasks) != len(want.Tasks) {
		t.Fatalf("%d lanes trimmed, %d whole; want 2", len(got.Tasks), len(want.Tasks))
	}
	near := func(a, b time.Duration) bool { return (a - b).Abs() <= time.Millisecond }
	for i, w := range want.Tasks {
		g := got.Tasks[i]
		gt, wt := g.Totals(), w.Totals()
		if g.Name != w.Name || !near(gt.Running, wt.Running) || !near(gt.Ready, wt.Ready) || !near(gt.Waiting, wt.Waiting) {
			t.Errorf("%s: trimmed %+v, whole %+v", w.Name, gt, wt)
		}
		if wt.Running < 10*time.Millisecond || wt.Ready < 10*time.Millisecond {
			t.Errorf("%s: %+v; the two tasks should have taken turns for tens of ms", w.Name, wt)
		}
		ge, we := g.Intervals[len(g.Intervals)-1].End, w.Intervals[len(w.Intervals)-1].End
		if g.Intervals[0].Start != w.Intervals[0].Start || !near(ge, we) {
			t.Errorf("%s: trimmed spans %v–%v, whole %v–%v", w.Name, g.Intervals[0].Start, ge, w.Intervals[0].Start, we)
		}
	}
}

// BenchmarkParseLiveSnapshot measures what the live view pays for one snapshot: the second of
// two real snapshots read whole, from the generation it shares with the first (as the live view
// read it before), and from only the generations it adds; each then merged into the first's view.
func BenchmarkParseLiveSnapshot(b *testing.B) {
	first, second := recordOverlapping(b)
	prev, err := ParseTrace(first)
	if err != nil {
		b.Fatal(err)
	}
	_, _, newest := tracegen.Since(first, 0)
	for _, c := range []struct {
		name  string
		after uint64
	}{{"whole", 0}, {"shared-and-new", newest - 1}, {"new-generations", newest}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				data, _, _ := tracegen.Since(second, c.after)
				v, err := ParseTraceAfter(data, prev)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				p := cloneView(prev)
				b.StartTimer()
				MergeViews(p, v)
			}
		})
	}
}

// recordSleepers records what the child sends while n named goroutines sleep: the first
// window (start mark, namings, every goroutine going to sleep), then a window in which they
// only go on sleeping, with only the generations the first did not hold.
func recordSleepers(tb testing.TB, n int) (first, second []byte) {
	tb.Helper()
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Minute, MaxBytes: 64 << 20})
	if err := fr.Start(); err != nil {
		tb.Skipf("cannot trace: %v", err)
	}
	defer fr.Stop()
	snap := func() []byte {
		var buf bytes.Buffer
		if _, err := fr.WriteTo(&buf); err != nil {
			tb.Fatal(err)
		}
		return buf.Bytes()
	}
	ctx := context.Background()
	scenarios.MarkStart(ctx)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			scenarios.WorkOn(ctx, fmt.Sprintf("call %d", i+1))
			<-stop
			scenarios.Finish(ctx)
		})
	}
	time.Sleep(100 * time.Millisecond)
	first = snap()
	time.Sleep(100 * time.Millisecond)
	second = snap()
	close(stop)
	wg.Wait()
	_, _, newest := tracegen.Since(first, 0)
	second, _, _ = tracegen.Since(second, newest)
	return first, second
}

// BenchmarkReadSleepers measures what the observer pays for one window of 10,000 sleeping
// goroutines, each restated in the window's generation: parsing it after the first window's
// view, and joining it to that view.
func BenchmarkReadSleepers(b *testing.B) {
	first, second := recordSleepers(b, 10000)
	prev, err := ParseTrace(first)
	if err != nil {
		b.Fatal(err)
	}
	next, err := ParseTraceAfter(second, prev)
	if err != nil {
		b.Fatal(err)
	}
	if len(next.Tasks) != 10000 {
		b.Fatalf("%d lanes in the second window, want 10000", len(next.Tasks))
	}
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(second)))
		for b.Loop() {
			if _, err := ParseTraceAfter(second, prev); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("merge", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			p, n := cloneView(prev), cloneView(next)
			b.StartTimer()
			MergeViews(p, n)
		}
	})
}
