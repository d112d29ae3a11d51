package model

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// randomLane is a lane of n intervals in every state, mixed windows with their shares among
// them, with gaps, empty intervals, unknown and high cores, and lengths in whole milliseconds
// often enough that two cores tie.
func randomLane(rng *rand.Rand, n int) []Interval {
	ivs := make([]Interval, 0, n)
	at := time.Duration(rng.IntN(5)) * time.Millisecond
	for range n {
		if rng.IntN(8) == 0 {
			at += time.Duration(rng.IntN(3000)) * time.Microsecond // a gap
		}
		d := time.Duration(rng.IntN(4)) * time.Millisecond
		if rng.IntN(2) == 0 {
			d = time.Duration(rng.IntN(5000)) * time.Microsecond
		}
		iv := Interval{Start: at, End: at + d, State: State(rng.IntN(6)), Core: NoCore}
		switch iv.State {
		case StateRunning, StateMixed:
			iv.Core = []int{NoCore, 0, 1, 2, 70}[rng.IntN(5)]
			iv.Thread = rng.IntN(4) * 100
		case StateReady:
			iv.Reason = []Reason{ReasonNone, ReasonLock, ReasonEventLoop, ReasonCore}[rng.IntN(4)]
		case StateWaiting:
			iv.Reason = []Reason{ReasonNone, ReasonSleep, ReasonIO}[rng.IntN(3)]
		}
		if iv.State == StateMixed {
			iv.Reason = []Reason{ReasonNone, ReasonLock, ReasonIO}[rng.IntN(3)]
			iv.RunShare = rng.Float32()
			iv.ReadyShare = rng.Float32() * (1 - iv.RunShare)
		}
		ivs = append(ivs, iv)
		at = iv.End
	}
	return ivs
}

// TestIndexedTallyIsTheScan: on random lanes, every stretch adds up, through the index, to what
// reading each interval gives: short and long stretches, ones that start or end on an
// interval's edge, before and after the lane, for an index built at once and one extended
// snapshot by snapshot, and for every snapshot after later ones extended the shared index.
func TestIndexedTallyIsTheScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 16))
	for lane := range 40 {
		all := randomLane(rng, 50+rng.IntN(700))
		end := all[len(all)-1].End
		stretch := func() (time.Duration, time.Duration) {
			if rng.IntN(4) == 0 { // on interval edges
				a, b := all[rng.IntN(len(all))].Start, all[rng.IntN(len(all))].End
				return min(a, b), max(a, b)
			}
			a := time.Duration(rng.Int64N(int64(end)+2e6)) - 1e6
			return a, a + time.Duration(rng.Int64N(int64(end)/(1+int64(rng.IntN(20)))+1))
		}
		check := func(what string, tk *Task, scan Task) {
			t.Helper()
			if scan.index != nil {
				t.Fatal("the scan has an index")
			}
			for range 200 {
				from, to := stretch()
				if got, want := tk.Tally(from, to), scan.Tally(from, to); got != want {
					t.Fatalf("lane %d, %s, [%v, %v): indexed %+v\nscan %+v", lane, what, from, to, got, want)
				}
			}
		}
		whole := Task{Intervals: all}.Indexed(nil, len(all))
		if whole.index == nil {
			t.Fatalf("lane %d: %d intervals and no index", lane, len(all))
		}
		check("indexed at once", &whole, Task{Intervals: all})

		// Snapshot by snapshot: each a fresh copy of the intervals so far, sealed but the last few.
		var snaps []Task
		var prev *Task
		for n := 1; n <= len(all); n += 1 + rng.IntN(60) {
			ivs := append([]Interval(nil), all[:n]...)
			tk := Task{Intervals: ivs}.Indexed(prev, n-rng.IntN(5))
			snaps = append(snaps, tk)
			prev = &snaps[len(snaps)-1]
		}
		for k := range snaps {
			check("snapshot", &snaps[k], Task{Intervals: snaps[k].Intervals})
		}
	}
}

// TestIndexIsDroppedWhenTheIntervalsChange: a copy of an indexed task whose intervals were
// replaced or changed is read interval by interval, never through an index of other intervals.
func TestIndexIsDroppedWhenTheIntervalsChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 16))
	all := randomLane(rng, 400)
	tk := Task{Intervals: all}.Indexed(nil, len(all))
	end := all[len(all)-1].End

	cut := tk // as Run.Until cuts it: new intervals, the same index pointer
	cut.Intervals = append([]Interval(nil), all[:200]...)
	cut.Intervals[150].State = StateDone
	if got, want := cut.Tally(0, end), scan(cut.Intervals, 0, end); got != want {
		t.Fatalf("replaced intervals: %+v, want %+v", got, want)
	}
	// A later snapshot whose sealed part differs from the one indexed before starts afresh.
	changed := append([]Interval(nil), all...)
	changed[10].State = StateUnknown
	next := Task{Intervals: changed}.Indexed(&tk, len(changed))
	if got, want := next.Tally(0, end), scan(changed, 0, end); got != want {
		t.Fatalf("changed sealed part: %+v, want %+v", got, want)
	}
	// Extending an index that another snapshot already extended starts afresh too, and leaves
	// what that snapshot sees alone.
	a := Task{Intervals: all[:100]}.Indexed(nil, 100)
	b := Task{Intervals: append([]Interval(nil), all[:300]...)}.Indexed(&a, 300)
	other := append(append([]Interval(nil), all[:100]...), randomLane(rng, 200)...)
	for k := 100; k < len(other); k++ { // keep it sorted after the first 100
		d := other[k].Duration()
		other[k].Start = other[k-1].End
		other[k].End = other[k].Start + d
	}
	c := Task{Intervals: other}.Indexed(&a, 300)
	for _, x := range []Task{b, c} {
		e := x.Intervals[len(x.Intervals)-1].End
		for from := time.Duration(0); from < e; from += e / 37 {
			if got, want := x.Tally(from, e), scan(x.Intervals, from, e); got != want {
				t.Fatalf("branched index, from %v: %+v, want %+v", from, got, want)
			}
		}
	}
}

// scan is Tally of a task with intervals ivs and no index: read interval by interval.
func scan(ivs []Interval, from, to time.Duration) Tally {
	tk := Task{Intervals: ivs}
	return tk.Tally(from, to)
}

// TestTiedCoresFollowTheOrderTheTaskRanIn: when a stretch holds as much running on two cores,
// the core is the one that got there first, as reading the intervals in order gives it.
func TestTiedCoresFollowTheOrderTheTaskRanIn(t *testing.T) {
	var ivs []Interval
	ms := time.Millisecond
	for k := range 300 { // 1 ms on core 1, then on core 0, then ready, over and over
		at := time.Duration(k) * 3 * ms
		ivs = append(ivs,
			Interval{Start: at, End: at + ms, State: StateRunning, Core: 1, Thread: 7},
			Interval{Start: at + ms, End: at + 2*ms, State: StateRunning, Core: 0, Thread: 8},
			Interval{Start: at + 2*ms, End: at + 3*ms, State: StateReady, Core: NoCore})
	}
	tk := Task{Intervals: ivs}.Indexed(nil, len(ivs))
	for _, c := range []struct{ from, to time.Duration }{{0, 900 * ms}, {ms, 899 * ms}, {ms / 2, 600*ms + ms/2}, {3 * ms, 450 * ms}} {
		got, want := tk.Tally(c.from, c.to), scan(ivs, c.from, c.to)
		if got != want {
			t.Errorf("[%v, %v): indexed %+v, scan %+v", c.from, c.to, got, want)
		}
	}
	if got := tk.Tally(0, 900*ms); got.Core != 1 || got.Thread != 7 {
		t.Errorf("over the whole lane: core %d thread %d; want core 1 and thread 7, first to run", got.Core, got.Thread)
	}
}

func TestShortTasksHaveNoIndex(t *testing.T) {
	tk := Task{Intervals: randomLane(rand.New(rand.NewPCG(3, 16)), tallyBlock-1)}.Indexed(nil, tallyBlock-1)
	if tk.index != nil {
		t.Fatal("a task shorter than a block should have no index")
	}
}

// BenchmarkTally measures one cell's tally over a task of 100,000 intervals (20 ms slices, a
// long run's worth), read interval by interval and through the index, with the stretch a
// cell spans at three zooms: the whole run in 100 cells, a tenth of it, and 1 ms.
func BenchmarkTally(b *testing.B) {
	rng := rand.New(rand.NewPCG(4, 16))
	ivs := randomLane(rng, 100_000)
	end := ivs[len(ivs)-1].End
	plain := Task{Intervals: ivs}
	indexed := plain.Indexed(nil, len(ivs))
	for _, z := range []struct {
		name string
		cell time.Duration
	}{{"whole-run", end / 100}, {"tenth", end / 1000}, {"1ms", time.Millisecond}} {
		for _, c := range []struct {
			name string
			tk   *Task
		}{{"scan", &plain}, {"indexed", &indexed}} {
			b.Run(z.name+"/"+c.name, func(b *testing.B) {
				at := time.Duration(0)
				for b.Loop() {
					c.tk.Tally(at, at+z.cell)
					if at += z.cell; at+z.cell > end {
						at = 0
					}
				}
			})
		}
	}
}

// TestIndexedCoresAndThreadsAreTheScan: a task's cores, threads and when each thread first ran
// it are the same through its index as read interval by interval.
func TestIndexedCoresAndThreadsAreTheScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 16))
	for range 30 {
		ivs := randomLane(rng, rng.IntN(500))
		for k := range ivs { // more threads than randomLane gives
			if ivs[k].Thread != 0 {
				ivs[k].Thread += rng.IntN(5)
			}
		}
		plain := Task{Intervals: ivs}
		indexed := plain.Indexed(nil, len(ivs)-rng.IntN(20))
		if !slices.Equal(indexed.Cores(), plain.Cores()) || !slices.Equal(indexed.Threads(), plain.Threads()) ||
			!slices.Equal(indexed.ThreadStarts(), plain.ThreadStarts()) {
			t.Fatalf("indexed: cores %v threads %v starts %v\nscan: cores %v threads %v starts %v", indexed.Cores(), indexed.Threads(),
				indexed.ThreadStarts(), plain.Cores(), plain.Threads(), plain.ThreadStarts())
		}
	}
	if got := (Task{}).Cores(); got == nil || len(got) != 0 {
		t.Fatalf("a task that never ran: cores %#v, want empty and not nil", got)
	}
}

// TestIndexedTallyCountsTheLockAndIO: over a whole long lane, read through its index, the time
// waiting for the lock (ready for it, and a mixed window's ready share when the lock is its
// reason) and for I/O add up to what each interval says.
func TestIndexedTallyCountsTheLockAndIO(t *testing.T) {
	all := randomLane(rand.New(rand.NewPCG(8, 16)), 2000)
	var lock, io time.Duration
	for _, iv := range all {
		_, ready, wait := iv.Shares(iv.Duration())
		switch {
		case iv.State == StateReady && iv.Reason == ReasonLock:
			lock += iv.Duration()
		case iv.State == StateMixed && iv.Reason == ReasonLock:
			lock += ready
		}
		if iv.Reason == ReasonSleep || iv.Reason == ReasonIO {
			io += wait
		}
	}
	tk := Task{Intervals: all}.Indexed(nil, len(all))
	got := tk.Tally(0, all[len(all)-1].End)
	if slack := time.Duration(len(all)); (got.Lock-lock).Abs() > slack || (got.IO-io).Abs() > slack || io == 0 || lock == 0 {
		t.Fatalf("lock %v, I/O %v; the intervals say %v and %v", got.Lock, got.IO, lock, io)
	}
}
