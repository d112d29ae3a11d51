package model

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTallyAddsSharesOfMixedWindows(t *testing.T) {
	tk := Task{Name: "chunk 1", Intervals: []Interval{
		{Start: 0, End: 10 * ms, State: StateRunning, Core: 1, Thread: 7},
		{Start: 10 * ms, End: 20 * ms, State: StateReady, Reason: ReasonLock, Core: NoCore},
		{Start: 20 * ms, End: 60 * ms, State: StateMixed, RunShare: 0.25, ReadyShare: 0.5, Core: 0, Thread: 8},
		{Start: 70 * ms, End: 80 * ms, State: StateDone, Core: NoCore},
	}}
	got := tk.Tally(5*ms, 75*ms)
	want := Tally{Running: 5*ms + 10*ms, Ready: 10*ms + 20*ms, Lock: 10 * ms, Waiting: 10 * ms,
		Done: 5 * ms, Covered: 60 * ms, Core: 0, Thread: 8}
	if got != want {
		t.Fatalf("Tally = %+v\nwant    %+v", got, want)
	}
	if got := tk.Tally(0, 10*ms); got.Core != 1 || got.Thread != 7 || got.Running != 10*ms {
		t.Fatalf("Tally of the first interval = %+v", got)
	}
	if got := tk.Tally(60*ms, 70*ms); got.Covered != 0 || got.Core != NoCore {
		t.Fatalf("Tally of the gap = %+v", got)
	}
	if tot := tk.Totals(); tot.Running != 20*ms || tot.Ready != 30*ms || tot.Waiting != 10*ms {
		t.Fatalf("Totals = %+v", tot)
	}
}

// TestOnePerCoreCutsOverlapsAtTheMiddle: two tasks whose measured running on one core overlaps
// by less than the measuring's uncertainty end up taking turns, and each lane stays contiguous.
func TestOnePerCoreCutsOverlapsAtTheMiddle(t *testing.T) {
	run := func(a, b time.Duration, core int) Interval {
		return Interval{Start: a, End: b, State: StateRunning, Core: core, Source: SourceExact}
	}
	off := func(a, b time.Duration) Interval {
		return Interval{Start: a, End: b, State: StateReady, Reason: ReasonCore, Core: NoCore, Source: SourceExact}
	}
	tasks := []Task{
		{Name: "a", Intervals: []Interval{run(0, 10*ms, 0), off(10*ms, 20*ms), run(20*ms, 30*ms, 0)}},
		{Name: "b", Intervals: []Interval{off(0, 9*ms), run(9*ms, 21*ms, 0)}},
		{Name: "c", Intervals: []Interval{run(0, 30*ms, 1)}},                    // another core: untouched
		{Name: "d", Intervals: []Interval{off(0, 40*ms), run(40*ms, 50*ms, 1)}}, // no overlap
	}
	OnePerCore(tasks, ms/4*4+ms)
	if d := OverCores(&Run{Tasks: tasks[:2]}, 1); d != 0 {
		t.Fatalf("still %v with two tasks on a core at once", d)
	}
	a, b := tasks[0].Intervals, tasks[1].Intervals
	if a[0].End != 9500*time.Microsecond || b[1].Start != 9500*time.Microsecond {
		t.Fatalf("the first overlap is not cut in its middle: a %v, b %v", a, b)
	}
	for _, tk := range tasks {
		for i := 1; i < len(tk.Intervals); i++ {
			if tk.Intervals[i].Start != tk.Intervals[i-1].End {
				t.Fatalf("%s is not contiguous: %v", tk.Name, tk.Intervals)
			}
		}
		if tk.Tally(0, 50*ms).Covered != tk.Intervals[len(tk.Intervals)-1].End {
			t.Fatalf("%s lost time: %v", tk.Name, tk.Intervals)
		}
	}
	if len(tasks[2].Intervals) != 1 || len(tasks[3].Intervals) != 2 {
		t.Fatalf("lanes without an overlap changed: %v %v", tasks[2].Intervals, tasks[3].Intervals)
	}
	// An overlap longer than the uncertainty is a fault: it stays for the checks to find.
	long := []Task{{Name: "x", Intervals: []Interval{run(0, 10*ms, 0)}}, {Name: "y", Intervals: []Interval{run(5*ms, 15*ms, 0)}}}
	OnePerCore(long, ms)
	if d := OverCores(&Run{Tasks: long}, 1); d != 5*ms {
		t.Fatalf("a 5 ms overlap became %v", d)
	}
}

func TestCheckFindsWhatCannotHappen(t *testing.T) {
	running := func(a, b time.Duration, thread int) Interval {
		return Interval{Start: a, End: b, State: StateRunning, Core: NoCore, Thread: thread}
	}
	three := &Run{Finished: true, CPU: 100 * ms, Tasks: []Task{
		{Name: "1", Intervals: []Interval{running(0, 10*ms, 1)}},
		{Name: "2", Intervals: []Interval{running(0, 10*ms, 2)}},
		{Name: "3", Intervals: []Interval{running(5*ms, 10*ms, 3)}},
	}}
	if err := Check(three, 3); err != nil {
		t.Fatalf("three tasks on three cores: %v", err)
	}
	if err := Check(three, 2); err == nil || !strings.Contains(err.Error(), "more than 2 tasks running") {
		t.Fatalf("three tasks on two cores: %v", err)
	}
	three.CPU = 20 * ms
	if err := Check(three, 3); err == nil || !strings.Contains(err.Error(), "of CPU") {
		t.Fatalf("25 ms of running from 20 ms of CPU: %v", err)
	}
	loop := &Run{Tasks: []Task{
		{Name: "call 1", Kind: KindCoroutine, Intervals: []Interval{running(0, 5*ms, 9)}},
		{Name: "call 2", Kind: KindCoroutine, Intervals: []Interval{running(2*ms, 6*ms, 9)}},
	}}
	if err := Check(loop, 2); err == nil || !strings.Contains(err.Error(), "coroutines") {
		t.Fatalf("two coroutines of one loop at once: %v", err)
	}
	bad := &Run{Tasks: []Task{{Name: "x", Intervals: []Interval{running(0, 5*ms, 1), running(4*ms, 6*ms, 1)}}}}
	if err := Check(bad, 2); err == nil || !strings.Contains(err.Error(), "before the one before it ends") {
		t.Fatalf("overlapping intervals in one lane: %v", err)
	}
}

// TestOnePerCoreOnRandomLanes: four lanes taking turns on two cores, each running going on a
// little into the next one's, as measured boundaries do: afterwards no core runs two of them
// at once, every lane is still sorted and contiguous over the same stretch, and the running
// lost is exactly the overlaps given away as ready.
func TestOnePerCoreOnRandomLanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 16))
	const maxOverlap = 200 * time.Microsecond
	for round := range 50 {
		tasks := make([]Task, 4)
		var overlaps time.Duration
		ends := make([]time.Duration, 2) // where each core's last running ended
		at := make([]time.Duration, 4)   // where each lane is
		for range 400 {
			i := rng.IntN(4)
			core := i % 2
			start := max(ends[core]-time.Duration(rng.IntN(int(maxOverlap))), at[i])
			if start > at[i] {
				tasks[i].Intervals = append(tasks[i].Intervals, Interval{Start: at[i], End: start, State: StateReady, Reason: ReasonCore, Core: NoCore, Source: SourceExact})
			}
			end := start + time.Duration(100+rng.IntN(3000))*time.Microsecond
			if ends[core] > start {
				overlaps += ends[core] - start
			}
			tasks[i].Intervals = append(tasks[i].Intervals, Interval{Start: start, End: end, State: StateRunning, Core: core, Thread: i + 1, Source: SourceExact})
			ends[core], at[i] = max(ends[core], end), end
		}
		var before time.Duration
		spans := make([][2]time.Duration, 4)
		for i := range tasks {
			tasks[i].Name = string(rune('a' + i))
			before += tasks[i].Totals().Running
			if n := len(tasks[i].Intervals); n > 0 {
				spans[i] = [2]time.Duration{tasks[i].Intervals[0].Start, tasks[i].Intervals[n-1].End}
			}
		}
		OnePerCore(tasks, maxOverlap)
		if d := OverCores(&Run{Tasks: tasks}, 2); d != 0 {
			t.Fatalf("round %d: more than two running at once for %v", round, d)
		}
		var after time.Duration
		for i, tk := range tasks {
			after += tk.Totals().Running
			for k := 1; k < len(tk.Intervals); k++ {
				if tk.Intervals[k].Start != tk.Intervals[k-1].End {
					t.Fatalf("round %d: %s is not contiguous at %d: %v then %v", round, tk.Name, k, tk.Intervals[k-1], tk.Intervals[k])
				}
			}
			if n := len(tk.Intervals); n > 0 && (tk.Intervals[0].Start != spans[i][0] || tk.Intervals[n-1].End != spans[i][1]) {
				t.Fatalf("round %d: %s spans %v..%v, not %v", round, tk.Name, tk.Intervals[0].Start, tk.Intervals[n-1].End, spans[i])
			}
		}
		for c := range 2 { // on each core, one at a time
			var on []Interval
			for _, tk := range tasks {
				for _, iv := range tk.Intervals {
					if iv.State == StateRunning && iv.Core == c {
						on = append(on, iv)
					}
				}
			}
			if d := overlapAbove(on, 1); d != 0 {
				t.Fatalf("round %d: core %d runs two lanes at once for %v", round, c, d)
			}
		}
		if before-after > overlaps || after > before {
			t.Fatalf("round %d: running %v before, %v after, the overlaps %v", round, before, after, overlaps)
		}
	}
}

// TestOnePerCoreInPlaceIsTheSame: lanes with spare capacity, merged into it, come out as the
// same lanes without any; and in mergeByStart, of two that start together, the lane's own
// interval stays first either way.
func TestOnePerCoreInPlaceIsTheSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := range 30 {
		tight, roomy := make([]Task, 4), make([]Task, 4)
		at := make([]time.Duration, 4)
		for range 300 {
			i := rng.IntN(4)
			start := at[i] - time.Duration(rng.IntN(150))*time.Microsecond
			if start < 0 || len(tight[i].Intervals) == 0 {
				start = at[i]
			}
			start = max(start, at[i])
			end := start + time.Duration(100+rng.IntN(2000))*time.Microsecond
			tight[i].Intervals = append(tight[i].Intervals, Interval{Start: start, End: end, State: StateRunning, Core: rng.IntN(2), Thread: i + 1, Source: SourceExact})
			at[i] = end
		}
		for i := range tight {
			tight[i].Name = string(rune('a' + i))
			tight[i].Intervals = slices.Clip(tight[i].Intervals)
			roomy[i] = Task{Name: tight[i].Name, Intervals: append(make([]Interval, 0, 2*len(tight[i].Intervals)), tight[i].Intervals...)}
		}
		OnePerCore(tight, 200*time.Microsecond)
		OnePerCore(roomy, 200*time.Microsecond)
		for i := range tight {
			if !slices.Equal(tight[i].Intervals, roomy[i].Intervals) {
				t.Fatalf("round %d: lane %s differs with room to merge in", round, tight[i].Name)
			}
		}
	}
	own := Interval{Start: 5, End: 9, State: StateRunning}
	cut := Interval{Start: 5, End: 7, State: StateReady}
	for _, ivs := range [][]Interval{{own}, append(make([]Interval, 0, 4), own)} {
		if got := mergeByStart(ivs, []Interval{cut}); !slices.Equal(got, []Interval{own, cut}) {
			t.Fatalf("mergeByStart with capacity %d = %v, want the lane's own first", cap(ivs), got)
		}
	}
}
