package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestFactsPartsAreFactsOf: the facts of random runs, their lanes added in parts cut at random
// moments (cutting intervals in two), then the rest open, are FactsOf of the whole run.
func TestFactsPartsAreFactsOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 16))
	for k := range 60 {
		r := &Run{}
		for n := range 1 + rng.IntN(6) {
			r.Tasks = append(r.Tasks, Task{Name: fmt.Sprintf("lane %d", n), Kind: KindGoroutine,
				Intervals: randomLane(rng, rng.IntN(300)), Preemptions: rng.IntN(3)})
		}
		if k%3 == 0 {
			r.Cores = []CoreSample{{At: 100 * ms, Percent: []float64{60, 40, 70}}}
		}
		want := FactsOf(r)
		var p FactsParts
		open := make([][]Interval, len(r.Tasks))
		for i, tk := range r.Tasks {
			ivs := tk.Intervals
			for cuts := rng.IntN(4); cuts > 0 && len(ivs) > 0; cuts-- {
				at := ivs[rng.IntN(len(ivs))].Start + time.Duration(rng.IntN(2000))*time.Microsecond
				var done []Interval
				for len(ivs) > 0 && ivs[0].Start < at {
					iv := ivs[0]
					if iv.End > at { // cut in two: the first piece is final, the second stays open
						piece := iv
						piece.End = at
						done = append(done, piece)
						ivs[0].Start = at
						break
					}
					done = append(done, iv)
					ivs = ivs[1:]
				}
				p.Add(tk.Name, done)
			}
			open[i] = ivs
		}
		got := p.Facts(r, open)
		// A mixed window cut in two may round its running share a nanosecond differently.
		if math.Abs(got.AtOnce-want.AtOnce) > 1e-6 {
			t.Fatalf("run %d: at once %v in parts, %v whole", k, got.AtOnce, want.AtOnce)
		}
		got.AtOnce = want.AtOnce
		if fmt.Sprint(*got) != fmt.Sprint(*want) {
			t.Fatalf("run %d: in parts %+v\nFactsOf %+v", k, *got, *want)
		}
	}
}
