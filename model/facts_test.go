package model

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

const ms = time.Millisecond

func running(from, to time.Duration, core int) Interval {
	return Interval{Start: from, End: to, State: StateRunning, Core: core}
}

func readyFor(from, to time.Duration, r Reason) Interval {
	return Interval{Start: from, End: to, State: StateReady, Core: NoCore, Reason: r}
}

// lockRun is four goroutines handing one lock around every 5 ms for 2 s, on two cores at
// half load, each preempted three times.
func lockRun() *Run {
	r := &Run{}
	const end = 2040 * ms
	for n := range 4 {
		tk := Task{Name: fmt.Sprintf("chunk %d", n+1), Kind: KindGoroutine, Preemptions: 3}
		for s := time.Duration(0); s < end; s += 20 * ms {
			o := s + time.Duration(n)*5*ms
			if o > s {
				tk.Intervals = append(tk.Intervals, readyFor(s, o, ReasonLock))
			}
			tk.Intervals = append(tk.Intervals, running(o, o+5*ms, (n+int(s/(20*ms)))%2))
			if o+5*ms < s+20*ms {
				tk.Intervals = append(tk.Intervals, readyFor(o+5*ms, s+20*ms, ReasonLock))
			}
		}
		r.Tasks = append(r.Tasks, tk)
	}
	for at := 200 * ms; at <= end; at += 200 * ms {
		r.Cores = append(r.Cores, CoreSample{At: at, Percent: []float64{55, 48}})
	}
	return r
}

func TestFactsOfALockedRun(t *testing.T) {
	f := FactsOf(lockRun())
	if f.AtOnce < 0.95 || f.AtOnce > 1.05 {
		t.Errorf("at once %.2f, want 1: one holder of the lock at a time", f.AtOnce)
	}
	if f.BusyCores != 1 || f.Cores != 2 || f.Preemptions != 12 {
		t.Errorf("busy cores %d, cores %d, preemptions %d; want 1, 2 and 12", f.BusyCores, f.Cores, f.Preemptions)
	}
	none := FactsOf(&Run{Tasks: []Task{{Kind: KindProcess}}})
	if none.BusyCores != -1 || none.Preemptions != -1 || none.AtOnce != 0 {
		t.Errorf("a run without samples or goroutines: %+v", none)
	}
}

// TestAtOnceOfSampledProcesses: four processes sharing two cores, each sampled every 40 ms and
// drawn running for the first half of each window, ran two at a time, not three or four.
func TestAtOnceOfSampledProcesses(t *testing.T) {
	const period = 40 * ms
	r := &Run{}
	for p := range 4 {
		tk := Task{Name: fmt.Sprintf("chunk %d", p+1), Kind: KindProcess}
		for at := time.Duration(0); at < time.Second; at += period {
			tk.Intervals = append(tk.Intervals, running(at, at+period/2, NoCore), readyFor(at+period/2, at+period, ReasonNone))
		}
		r.Tasks = append(r.Tasks, tk)
	}
	if n := FactsOf(r).AtOnce; n < 1.95 || n > 2.05 {
		t.Fatalf("four half-running processes: %.2f at once, want 2", n)
	}
	// A run shorter than the window is averaged over its own length.
	short := &Run{}
	for p := range 2 {
		short.Tasks = append(short.Tasks, Task{Name: fmt.Sprintf("chunk %d", p+1), Kind: KindGoroutine,
			Intervals: []Interval{running(0, 100*ms, p)}})
	}
	if n := FactsOf(short).AtOnce; n < 1.95 || n > 2.05 {
		t.Fatalf("two tasks running through a 100 ms run: %.2f at once, want 2", n)
	}
}

func TestCoreMoves(t *testing.T) {
	r := &Run{Tasks: []Task{
		{Intervals: []Interval{running(0, 10*ms, 0), readyFor(10*ms, 20*ms, ReasonNone), running(20*ms, 30*ms, 1),
			running(30*ms, 40*ms, 1), running(40*ms, 45*ms, NoCore), running(45*ms, 50*ms, 0)}}, // 0→1, 1→0 across the unknown slice
		{Intervals: []Interval{running(0, 10*ms, 1), {Start: 10 * ms, End: 20 * ms, State: StateWaiting}, running(20*ms, 30*ms, 1)}}, // stays
		{Intervals: []Interval{running(0, 10*ms, 3)}},
	}}
	f := FactsOf(r)
	if f.Cores != 4 || !slices.Equal(f.MovesOnto, []int{1, 1, 0, 0}) || f.CoreMoves != 2 || f.UnknownCore != 5*ms {
		t.Fatalf("cores %d, onto %v, moves %d, unknown %s", f.Cores, f.MovesOnto, f.CoreMoves, f.UnknownCore)
	}
}

func TestUntilCutsTheRunAndItsFacts(t *testing.T) {
	r := lockRun()
	r.Wall = 2040 * ms
	r.Lines = []Line{{At: 10 * ms, Text: "early"}, {At: time.Second, Text: "late"}}
	r.Facts = FactsOf(r)
	c := r.Until(500 * ms)
	if c.Wall != r.Wall || len(c.Lines) != 1 || len(c.Cores) != 2 || len(c.Tasks) != 4 {
		t.Fatalf("until 500 ms: wall %s, %d lines, %d samples, %d tasks", c.Wall, len(c.Lines), len(c.Cores), len(c.Tasks))
	}
	for _, tk := range c.Tasks {
		if last := tk.Intervals[len(tk.Intervals)-1]; last.End > 500*ms {
			t.Fatalf("%s runs on to %s", tk.Name, last.End)
		}
	}
	if c.Facts == nil || c.Facts == r.Facts || len(r.Tasks[0].Intervals) == len(c.Tasks[0].Intervals) {
		t.Fatal("the cut run should have its own facts and leave r as it was")
	}
	if (&Run{}).Until(time.Second).Facts != nil {
		t.Fatal("a run without facts gained some")
	}
}
