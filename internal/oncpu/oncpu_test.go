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
		m.Check(200)
	}
}

// collect is a sink that keeps copies in a book.
type collect struct {
	mu   sync.Mutex
	book Book
}

func (c *collect) sink(task string, b []Sample) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.book.Add(task, b)
}

func TestEncodeRoundTrip(t *testing.T) {
	in := []Sample{{Tid: 100, Core: 1, At: 1_000_000, CPU: 5_000},
		{Tid: 101, Core: Off, At: 1_250_000, CPU: 9_000_000},
		{Tid: 101, Core: 0, At: 900_000, CPU: 7}}
	task, out, err := DecodeBatch(AppendBatch(nil, "chunk 3", in))
	if err != nil || task != "chunk 3" || !slices.Equal(in, out) {
		t.Fatalf("round trip: %q %v, %v", task, out, err)
	}
	b := AppendBatch(nil, "chunk 3", in)
	for _, bad := range [][]byte{nil, {0xff}, b[:len(b)-1], append(slices.Clone(b), 7), {5, 1}, {1, 'x', 5, 1}} {
		if _, _, err := DecodeBatch(bad); err == nil {
			t.Errorf("DecodeBatch(%x) accepted it", bad)
		}
	}
}

// TestTwoThreadsOnOneCoreTakeTurns pins two computing threads to one core: each is off its
// core about half the time, the running reported adds up to the thread's CPU time, and on plus
// off covers the measured time without a hole.
func TestTwoThreadsOnOneCoreTakeTurns(t *testing.T) {
	var c collect
	type result struct {
		tid           int
		cpu, from, to int64
	}
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
			res[i].from, res[i].tid = m.cur.At, m.cur.Tid
			spin(m, 150*time.Millisecond)
			m.Stop()
			res[i].to, res[i].cpu = m.cur.At, threadCPU()-cpu0
		}()
	}
	wg.Wait()
	for i := range 2 {
		if got := c.book.Threads(fmt.Sprint("task ", i)); !slices.Equal(got, []int{res[i].tid}) {
			t.Fatalf("task %d: threads %v, want [%d]", i, got, res[i].tid)
		}
		var on, off int64
		at := res[i].from
		spans := c.book.Spans(res[i].tid)
		for _, s := range spans {
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
		if on > res[i].cpu {
			t.Errorf("task %d: %d ns on its core, but its thread used %d ns of CPU", i, on, res[i].cpu)
		}
		if off == 0 {
			t.Errorf("task %d: never off its core while sharing it", i)
		}
		t.Logf("task %d: on %.1f ms, off %.1f ms, CPU %.1f ms, %d spans", i, float64(on)/1e6, float64(off)/1e6, float64(res[i].cpu)/1e6, len(spans))
	}
}

// TestSamplesOfOneThreadFromTwoMetersAreReadTogether: two goroutines taking turns on one
// locked thread each report only their own checks; together they tell the thread's story, and
// the thread never shows more running than its CPU clock.
func TestSamplesOfOneThreadFromTwoMetersAreReadTogether(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var c collect
	a, b := New("a", c.sink), New("b", c.sink)
	cpu0 := threadCPU()
	a.Resume()
	spin(a, 2*time.Millisecond)
	a.Pause()
	time.Sleep(3 * time.Millisecond) // the thread sleeps: off its core
	b.Resume()
	spin(b, 2*time.Millisecond)
	b.Stop()
	a.Resume()
	spin(a, 2*time.Millisecond)
	a.Stop()
	used := threadCPU() - cpu0
	tid := currentThread()
	var on, off int64
	for _, s := range c.book.Spans(tid) {
		if s.Core == Off {
			off += s.End - s.Start
		} else {
			on += s.End - s.Start
		}
	}
	if on > used || on < used*9/10 {
		t.Errorf("on %d ns, the thread used %d ns", on, used)
	}
	if off < int64(3*time.Millisecond) {
		t.Errorf("off %d ns across a 3 ms sleep", off)
	}
	if th := c.book.Threads("a"); !slices.Equal(th, []int{tid}) {
		t.Errorf("threads of a: %v", th)
	}
}

func TestSpansPlaceAnAbsenceInTheMiddleOfTheRunning(t *testing.T) {
	var bk Book
	bk.Add("x", []Sample{{Tid: 1, Core: 0, At: 1000, CPU: 0}, {Tid: 1, Core: 1, At: 1400, CPU: 200}})
	bk.Add("x", []Sample{{Tid: 1, Core: 1, At: 1500, CPU: 300}})
	want := []Span{{1, 0, 1000, 1100}, {1, Off, 1100, 1300}, {1, 1, 1300, 1500}}
	if got := bk.Spans(1); !slices.Equal(got, want) {
		t.Fatalf("Spans = %v, want %v", got, want)
	}
	// A sample from another meter, earlier than the last: the spans are derived again.
	bk.Add("y", []Sample{{Tid: 1, Core: 0, At: 1200, CPU: 100}})
	got := bk.Spans(1)
	var on int64
	for _, s := range got {
		if s.Core != Off {
			on += s.End - s.Start
		}
	}
	if on != 300 || got[0].Start != 1000 || got[len(got)-1].End != 1500 {
		t.Fatalf("after an earlier sample: %v (on %d, want 300)", got, on)
	}
}

func TestSplitWalksSpansAndGaps(t *testing.T) {
	spans := []Span{{Tid: 1, Core: 0, Start: 10, End: 20}, {Tid: 1, Core: Off, Start: 20, End: 25},
		{Tid: 1, Core: 1, Start: 30, End: 40}}
	type part struct {
		from, to int64
		core     int
	}
	var got []part
	Split(spans, 5, 45, func(f, t int64, c int) { got = append(got, part{f, t, c}) })
	want := []part{{5, 10, Uncovered}, {10, 20, 0}, {20, 25, Off}, {25, 30, Uncovered}, {30, 40, 1}, {40, 45, Uncovered}}
	if !slices.Equal(got, want) {
		t.Fatalf("Split = %v, want %v", got, want)
	}
}

// BenchmarkChecks measures what the checks cost the work: the same computation with and
// without a check every CheckEvery, in the thread's CPU time, as pairs run back to back in a
// random order. It reports the median of the pairs' ratios (robust to a busy machine's
// bursts) and their spread. Run with -benchtime=20x or more.
func BenchmarkChecks(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
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
	const total = 1000 // steps of CheckEvery: 0.5 s of work
	work := func(checks bool) int64 {
		var m *Meter
		if checks {
			m = New("chunk 1", func(string, []Sample) {})
		}
		start := threadCPU()
		m.Resume()
		for range total {
			for range step {
				sum = sha256.Sum256(sum[:])
			}
			m.Check(step)
		}
		m.Stop()
		return threadCPU() - start
	}
	var ratios []float64
	for i := 0; b.Loop(); i++ {
		var with, without int64
		if i%2 == 0 {
			with, without = work(true), work(false)
		} else {
			without, with = work(false), work(true)
		}
		ratios = append(ratios, float64(with)/float64(without))
	}
	slices.Sort(ratios)
	q := func(f float64) float64 { return ratios[int(f*float64(len(ratios)-1))] }
	b.ReportMetric(q(0.5), "with/without")
	b.ReportMetric(q(0.25), "q1")
	b.ReportMetric(q(0.75), "q3")
	_ = sum
}

// TestTaskSpansFollowTheTaskAcrossThreads: a task that moved to another thread and back is
// told by its own samples, one thread after the other, never two at once.
func TestTaskSpansFollowTheTaskAcrossThreads(t *testing.T) {
	var bk Book
	bk.Add("w", []Sample{{Tid: 1, Core: 0, At: 0, CPU: 0}, {Tid: 1, Core: 0, At: 100, CPU: 100},
		{Tid: 2, Core: 1, At: 150, CPU: 7}, {Tid: 2, Core: 1, At: 250, CPU: 107},
		{Tid: 1, Core: 0, At: 300, CPU: 150}, {Tid: 1, Core: 0, At: 400, CPU: 250}})
	want := []Span{{1, 0, 0, 100}, {2, 1, 150, 250}, {1, 0, 300, 400}}
	if got := bk.TaskSpans("w", 0); !slices.Equal(got, want) {
		t.Fatalf("TaskSpans = %v, want %v", got, want)
	}
	// Thread 1's own story covers the time the task was away as well.
	if got := bk.Spans(1); got[0].Start != 0 || got[len(got)-1].End != 400 {
		t.Fatalf("Spans(1) = %v", got)
	}
}

// TestBookSaysFromWhenSpansChanged: a sample after the others changes the spans from the one
// before it; a sample from another meter, earlier than some already filed, changes them from the
// sample before its place; and each change is told once.
func TestBookSaysFromWhenSpansChanged(t *testing.T) {
	var bk Book
	if _, ok := bk.Changed(); ok {
		t.Fatal("an empty book says its spans changed")
	}
	bk.Add("a", []Sample{{Tid: 1, At: 1000}, {Tid: 1, At: 2000, CPU: 500}})
	if from, ok := bk.Changed(); !ok || from != 1000 {
		t.Fatalf("first samples: changed from %d, %v; want 1000", from, ok)
	}
	bk.Add("a", []Sample{{Tid: 1, At: 3000, CPU: 900}})
	if from, _ := bk.Changed(); from != 2000 {
		t.Fatalf("a later sample: changed from %d; want 2000, the sample before it", from)
	}
	bk.Add("b", []Sample{{Tid: 1, At: 1500, CPU: 200}})
	if from, _ := bk.Changed(); from != 1000 {
		t.Fatalf("an earlier sample from another meter: changed from %d; want 1000", from)
	}
	if _, ok := bk.Changed(); ok {
		t.Fatal("a change told twice")
	}
}

// TestSpansNeverOverlapAfterALateSample: a sample from another meter, earlier than some filed,
// lands inside a span joined across samples on one core; the spans derived again from there
// follow the earlier ones without overlapping them.
func TestSpansNeverOverlapAfterALateSample(t *testing.T) {
	var bk Book
	// On core 0 throughout, all running: one span from 1000 to 4000, joined across samples.
	bk.Add("a", []Sample{{Tid: 1, At: 1000}, {Tid: 1, At: 2000, CPU: 1000}, {Tid: 1, At: 4000, CPU: 3000}})
	if got := bk.Spans(1); len(got) != 1 || got[0].Start != 1000 || got[0].End != 4000 {
		t.Fatalf("spans %+v; want one from 1000 to 4000", got)
	}
	// Another meter's sample at 3000, on core 1: the spans from 2000 on are derived again.
	bk.Add("b", []Sample{{Tid: 1, Core: 1, At: 3000, CPU: 2000}})
	spans := bk.Spans(1)
	for i := 1; i < len(spans); i++ {
		if spans[i].Start < spans[i-1].End {
			t.Fatalf("span %+v overlaps %+v", spans[i], spans[i-1])
		}
	}
	if len(spans) == 0 || spans[0].Start != 1000 || spans[len(spans)-1].End != 4000 {
		t.Fatalf("spans %+v; want them to cover 1000 to 4000", spans)
	}
}
