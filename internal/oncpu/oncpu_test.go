package oncpu

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// spin computes for about d of CPU time, checking m as the work does.
func spin(m *Meter, d time.Duration) {
	var sum [32]byte
	start := threadCPU()
	for threadCPU()-start < int64(d) {
		for i := 0; i < 200; i++ {
			sum = sha256.Sum256(sum[:])
		}
		m.Check()
	}
}

// collect is a sink that keeps copies.
type collect struct {
	mu    sync.Mutex
	spans map[string][]Span
}

func (c *collect) sink(task string, b []Span) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.spans == nil {
		c.spans = map[string][]Span{}
	}
	c.spans[task] = append(c.spans[task], b...)
}

func TestEncodeRoundTrip(t *testing.T) {
	in := []Span{{Tid: 100, Core: 1, Start: 1_000_000, End: 1_250_000},
		{Tid: 101, Core: Off, Start: 1_250_000, End: 1_300_000},
		{Tid: 101, Core: 0, Start: 900_000, End: 1_000_000}}
	task, out, err := DecodeBatch(AppendBatch(nil, "chunk 3", in))
	if err != nil || task != "chunk 3" || !slices.Equal(in, out) {
		t.Fatalf("round trip: %q %v, %v", task, out, err)
	}
	b := AppendBatch(nil, "chunk 3", in)
	for _, bad := range [][]byte{nil, {0xff}, b[:len(b)-1], append(slices.Clone(b), 7), {5, 1}, {1, 'x', 5, 1}} {
		if _, _, err := DecodeBatch(bad); err == nil {
			t.Errorf("DecodeSpans(%x) accepted it", bad)
		}
	}
}

// TestTwoThreadsOnOneCoreTakeTurns pins two computing threads to one core: each is off its
// core about half the time, the running reported never exceeds the thread's CPU time by more
// than what the meter gathers, and on plus off covers the measured time without a hole.
func TestTwoThreadsOnOneCoreTakeTurns(t *testing.T) {
	var c collect
	type result struct{ cpu, from, to int64 }
	res := make([]result, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var one unix.CPUSet
			one.Set(0)
			if err := unix.SchedSetaffinity(0, &one); err != nil {
				t.Error(err)
				return
			}
			m := New(fmt.Sprint("task ", i), c.sink)
			cpu0 := threadCPU()
			m.Resume()
			res[i].from = m.last
			spin(m, 150*time.Millisecond)
			m.Stop()
			res[i].to, res[i].cpu = m.last, threadCPU()-cpu0
		}()
	}
	wg.Wait()
	var book Book
	for task, spans := range c.spans {
		book.Add(task, spans)
	}
	for i := range 2 {
		var on, off int64
		at := res[i].from
		name := fmt.Sprint("task ", i)
		for _, s := range book.Spans(name) {
			if s.Start != at {
				t.Fatalf("task %d: a hole or overlap at %d (span starts %d)", i, at, s.Start)
			}
			at = s.End
			if s.Core == Off {
				off += s.End - s.Start
			} else {
				on += s.End - s.Start
				if s.Core != 0 {
					t.Errorf("task %d ran on core %d, pinned to 0", i, s.Core)
				}
			}
		}
		if at != res[i].to {
			t.Errorf("task %d: spans end at %d, measuring ended at %d", i, at, res[i].to)
		}
		if on > res[i].cpu+gatherBelow {
			t.Errorf("task %d: %d ns on its core, but its thread used %d ns of CPU", i, on, res[i].cpu)
		}
		if off == 0 {
			t.Errorf("task %d: never off its core while sharing it", i)
		}
		t.Logf("task %d: on %.1f ms, off %.1f ms, CPU %.1f ms, %d spans", i, float64(on)/1e6, float64(off)/1e6, float64(res[i].cpu)/1e6, len(book.Spans(name)))
	}
}

func TestPauseEndsTheSpanAtOnce(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var c collect
	m := New("chunk 7", c.sink)
	m.Resume()
	spin(m, 2*time.Millisecond)
	m.Pause()
	paused := m.last
	time.Sleep(5 * time.Millisecond)
	m.Resume()
	resumed := m.last
	spin(m, 2*time.Millisecond)
	m.Stop()
	var book Book
	book.Add("chunk 7", c.spans["chunk 7"])
	spans := book.Spans("chunk 7")
	var stretches []Span
	Split(spans, 0, spans[0].Start, m.last, func(from, to int64, core int) {
		stretches = append(stretches, Span{Core: core, Start: from, End: to})
	})
	found := false
	for _, s := range stretches {
		if s.Core == Uncovered {
			if s.Start != paused || s.End != resumed {
				t.Fatalf("uncovered %d..%d, want the pause %d..%d", s.Start, s.End, paused, resumed)
			}
			found = true
		}
	}
	if !found {
		t.Fatalf("the pause left no uncovered stretch: %v", stretches)
	}
}

func TestSplitWalksSpansAndGaps(t *testing.T) {
	spans := []Span{{Tid: 1, Core: 0, Start: 10, End: 20}, {Tid: 1, Core: Off, Start: 20, End: 25},
		{Tid: 2, Core: 1, Start: 30, End: 40}}
	type part struct {
		from, to int64
		core     int
	}
	var got []part
	Split(spans, 0, 5, 45, func(f, t int64, c int) { got = append(got, part{f, t, c}) })
	want := []part{{5, 10, Uncovered}, {10, 20, 0}, {20, 25, Off}, {25, 30, Uncovered}, {30, 40, 1}, {40, 45, Uncovered}}
	if !slices.Equal(got, want) {
		t.Fatalf("Split = %v, want %v", got, want)
	}
	got = nil
	Split(spans, 2, 15, 35, func(f, t int64, c int) { got = append(got, part{f, t, c}) })
	want = []part{{15, 30, Uncovered}, {30, 35, 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("Split for thread 2 = %v, want %v", got, want)
	}
}

// BenchmarkChecks measures what the checks cost the work: the same computation with and
// without a check every CheckEvery, in CPU time, side by side.
func BenchmarkChecks(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// How many rounds take CheckEvery.
	var sum [32]byte
	t0 := threadCPU()
	n := 0
	for threadCPU()-t0 < int64(20*time.Millisecond) {
		for range 1000 {
			sum = sha256.Sum256(sum[:])
		}
		n += 1000
	}
	step := n / int(20*time.Millisecond/CheckEvery)
	const total = 5000 // CheckEvery steps: 1 s of work
	var with, without int64
	for b.Loop() {
		for _, checks := range []bool{false, true} {
			m := New("chunk 1", func(string, []Span) {})
			start := threadCPU()
			if checks {
				m.Resume()
			}
			for range total {
				for range step {
					sum = sha256.Sum256(sum[:])
				}
				if checks {
					m.Check()
				}
			}
			m.Stop()
			if checks {
				with += threadCPU() - start
			} else {
				without += threadCPU() - start
			}
		}
	}
	b.ReportMetric(float64(with)/float64(without), "with/without")
	b.ReportMetric(float64(with-without)/float64(b.N*total)/1e3, "µs/check")
	_ = sum
}
