package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestCensusIsTheSumOfTallies: a census index built as the observer builds it (lanes final in
// parts cut at seals, every lane's part after the last seal open) adds up, over any stretch, to
// the sum of every task's tally, to within two nanoseconds an interval for the shares of mixed
// windows; and each run keeps its census as later ones extend the shared final part.
func TestCensusIsTheSumOfTallies(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 16))
	var b CensusBuilder
	lanes := make([][]Interval, 30)
	for i := range lanes {
		lanes[i] = randomLane(rng, 100+rng.IntN(200))
	}
	var end time.Duration
	for _, ivs := range lanes {
		end = max(end, ivs[len(ivs)-1].End)
	}
	type snap struct {
		run  *Run
		seal time.Duration
	}
	var snaps []snap
	done := make([]int, len(lanes)) // intervals of each lane final so far
	for seal := time.Duration(0); seal < end; seal += end / 7 {
		r := &Run{}
		open := make([][]Interval, len(lanes))
		for i, ivs := range lanes {
			// What lies before seal is final; the interval across it is cut there.
			var final []Interval
			k := done[i]
			for ; k < len(ivs) && ivs[k].End <= seal; k++ {
				final = append(final, ivs[k])
			}
			rest := ivs[k:]
			if k < len(ivs) && ivs[k].Start < seal {
				a, z := ivs[k], ivs[k]
				a.End, z.Start = seal, seal
				final = append(final, a)
				rest = append([]Interval{z}, ivs[k+1:]...)
			}
			b.Seal(final, seal)
			lanes[i] = append(append([]Interval(nil), ivs[:done[i]]...), append(final, rest...)...)
			done[i] = done[i] + len(final)
			open[i] = rest
			r.Tasks = append(r.Tasks, Task{Name: fmt.Sprint(i), Intervals: lanes[i]})
		}
		b.WithCensus(r, open)
		snaps = append(snaps, snap{r, seal})
	}
	for n, s := range snaps {
		plain := &Run{Tasks: s.run.Tasks}
		if !s.run.QuickCensus() || plain.QuickCensus() {
			t.Fatal("census index missing, or where there is none")
		}
		for range 300 {
			from := time.Duration(rng.Int64N(int64(end)))
			to := from + time.Duration(rng.Int64N(int64(end-from)+1))
			got, want := s.run.Census(from, to), plain.Census(from, to)
			slack := time.Duration(0) // 2 ns an interval: a mixed window's shares, rounded down each
			for _, tk := range s.run.Tasks {
				slack += 2 * time.Duration(len(tk.Intervals))
			}
			near := func(a, b time.Duration) bool { return (a - b).Abs() <= slack }
			if !near(got.Running, want.Running) || !near(got.Ready, want.Ready) || !near(got.Waiting, want.Waiting) || !near(got.Done, want.Done) {
				t.Fatalf("run %d (seal %v), [%v, %v): indexed %+v, summed %+v", n, s.seal, from, to, got, want)
			}
		}
	}
}
