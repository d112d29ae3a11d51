package model

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestOpenTaskIsTheFlatTask: a live run's task, its final part shared snapshot after snapshot
// (appended to, never copied) and its newest intervals held apart (WithOpen), answers every
// question as the same intervals in one slice do: Tally over any stretch, the state at and
// since any time, its cores, threads, totals, first and last interval. Every snapshot is asked
// again after later ones extended the part they share.
func TestOpenTaskIsTheFlatTask(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 16))
	for lane := range 30 {
		all := randomLane(rng, 50+rng.IntN(700))
		end := all[len(all)-1].End
		var sealed []Interval // grows in place, as the live lanes' final part does
		var snaps []Task
		var prev *Task
		for n := 1; n <= len(all); n += 1 + rng.IntN(60) {
			s := max(len(sealed), n-rng.IntN(8))
			sealed = append(sealed, all[len(sealed):s]...)
			tk := Task{Intervals: sealed}.WithOpen(slices.Clone(all[s:n])).Indexed(prev, len(sealed))
			snaps = append(snaps, tk)
			prev = &snaps[len(snaps)-1]
		}
		for k := range snaps {
			tk := &snaps[k]
			flat := Task{Intervals: slices.Clone(tk.All())}
			n := len(flat.Intervals)
			if n == 0 {
				continue
			}
			if got := tk.Flat(); !slices.Equal(got.Intervals, flat.Intervals) || got.open != nil {
				t.Fatalf("lane %d, snapshot %d: Flat is not the intervals in order", lane, k)
			}
			if f, _ := tk.First(); f != flat.Intervals[0] {
				t.Fatalf("lane %d, snapshot %d: first %+v, want %+v", lane, k, f, flat.Intervals[0])
			}
			if l, _ := tk.Last(); l != flat.Intervals[n-1] {
				t.Fatalf("lane %d, snapshot %d: last %+v, want %+v", lane, k, l, flat.Intervals[n-1])
			}
			if !slices.Equal(tk.Cores(), flat.Cores()) || !slices.Equal(tk.ThreadStarts(), flat.ThreadStarts()) || tk.Totals() != flat.Totals() {
				t.Fatalf("lane %d, snapshot %d: cores, threads or totals differ from the flat task's", lane, k)
			}
			e := flat.Intervals[n-1].End
			for range 100 {
				at := time.Duration(rng.Int64N(int64(e) + 2e6))
				iv, since, ok := tk.StateSince(at)
				fiv, fsince, fok := flat.StateSince(at)
				if iv != fiv || since != fsince || ok != fok {
					t.Fatalf("lane %d, snapshot %d, at %v: %+v since %v (%v); flat %+v since %v (%v)", lane, k, at, iv, since, ok, fiv, fsince, fok)
				}
				if ok && (iv.Start > at || at >= iv.End) {
					t.Fatalf("lane %d, snapshot %d: at %v lies outside %+v", lane, k, at, iv)
				}
				from := time.Duration(rng.Int64N(int64(end)+2e6)) - 1e6
				to := from + time.Duration(rng.Int64N(int64(end)/(1+int64(rng.IntN(20)))+1))
				if got, want := tk.Tally(from, to), flat.Tally(from, to); got != want {
					t.Fatalf("lane %d, snapshot %d, [%v, %v): %+v\nflat %+v", lane, k, from, to, got, want)
				}
			}
		}
	}
}

// TestStateSinceFindsTheCoveringInterval: StateSince finds the interval covering a time by
// search, not by reading from the first: in a gap, before the first and after the last there
// is none, and it goes back over adjoining intervals in the same state on the same core.
func TestStateSinceFindsTheCoveringInterval(t *testing.T) {
	ms := time.Millisecond
	run := func(a, b time.Duration, core int) Interval {
		return Interval{Start: a * ms, End: b * ms, State: StateRunning, Core: core}
	}
	tk := Task{Intervals: []Interval{run(0, 10, 0), run(10, 20, 1)}}.WithOpen([]Interval{run(20, 30, 1), run(35, 40, 1)})
	for _, c := range []struct {
		at, since time.Duration
		ok        bool
	}{{5 * ms, 0, true}, {25 * ms, 10 * ms, true}, {32 * ms, 0, false}, {36 * ms, 35 * ms, true}, {40 * ms, 0, false}, {-ms, 0, false}} {
		if _, since, ok := tk.StateSince(c.at); since != c.since || ok != c.ok {
			t.Errorf("at %v: since %v (%v), want %v (%v)", c.at, since, ok, c.since, c.ok)
		}
	}
}
