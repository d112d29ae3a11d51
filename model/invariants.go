package model

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"
)

// What a run may show and still be true, within what measuring it cannot tell apart.
const (
	// OverCoresSlack is how long a run may show more tasks running than it has cores.
	OverCoresSlack = 2 * time.Millisecond
	// RunningSlack is how far the running its lanes show may exceed the CPU time it used.
	RunningSlack = time.Millisecond
	// LoadedRunningSlack is that margin, as a share of the CPU time, for a run during which
	// other programs used more than OtherLoadWarning of the machine: the moments its threads
	// left their cores are then many, and each is placed to within a fraction of a millisecond.
	LoadedRunningSlack = 0.03
	// CoroutineSlack is how long two coroutines of one event loop may show running together.
	CoroutineSlack = time.Millisecond
)

// Check says what in r could not have happened on a machine whose run could use cores cores,
// or returns nil: a lane's intervals out of order or overlapping; more tasks running at once
// than cores (beyond OverCoresSlack); more running in the lanes than the CPU time the run used
// (beyond RunningSlack, or LoadedRunningSlack of it when other programs loaded the machine;
// once finished); two coroutines of one loop running at once (beyond CoroutineSlack). Tests
// hold every output to it.
func Check(r *Run, cores int) error {
	var errs []error
	for _, t := range r.Tasks {
		ivs := t.All()
		for i, iv := range ivs {
			if iv.End < iv.Start {
				errs = append(errs, fmt.Errorf("%s: interval %d ends before it starts", t.Name, i))
			}
			if i > 0 && iv.Start < ivs[i-1].End {
				errs = append(errs, fmt.Errorf("%s: interval %d starts at %v, before the one before it ends (%v)", t.Name, i, iv.Start, ivs[i-1].End))
			}
		}
	}
	if d := OverCores(r, cores); d > OverCoresSlack {
		errs = append(errs, fmt.Errorf("more than %d tasks running at once for %v", cores, d))
	}
	if r.Finished && r.CPU > 0 {
		var run time.Duration
		for _, t := range r.Tasks {
			run += t.Totals().Running
		}
		slack := RunningSlack
		if r.OtherLoad() > OtherLoadWarning {
			slack = max(slack, time.Duration(float64(r.CPU)*LoadedRunningSlack))
		}
		if run > r.CPU+slack {
			errs = append(errs, fmt.Errorf("the lanes show %v running, but the run used %v of CPU", run, r.CPU))
		}
	}
	if d := CoroutineOverlap(r); d > CoroutineSlack {
		errs = append(errs, fmt.Errorf("coroutines of one event loop running at once for %v", d))
	}
	return errors.Join(errs...)
}

// OverCores is how long more than cores tasks of r were running at the same instant.
func OverCores(r *Run, cores int) time.Duration {
	var all []Interval
	for _, t := range r.Tasks {
		for _, iv := range t.All() {
			if iv.State == StateRunning {
				all = append(all, iv)
			}
		}
	}
	return overlapAbove(all, cores)
}

// CoroutineOverlap is how long two coroutine lanes that ran on the same thread were running
// at the same instant.
func CoroutineOverlap(r *Run) time.Duration {
	byThread := map[int][]Interval{}
	for _, t := range r.Tasks {
		if t.Kind != KindCoroutine {
			continue
		}
		for _, iv := range t.All() {
			if iv.State == StateRunning {
				byThread[iv.Thread] = append(byThread[iv.Thread], iv)
			}
		}
	}
	var d time.Duration
	for _, ivs := range byThread {
		d += overlapAbove(ivs, 1)
	}
	return d
}

// overlapAbove is how long more than n of ivs cover the same instant.
func overlapAbove(ivs []Interval, n int) time.Duration {
	type edge struct {
		at time.Duration
		d  int
	}
	edges := make([]edge, 0, 2*len(ivs))
	for _, iv := range ivs {
		if iv.End > iv.Start {
			edges = append(edges, edge{iv.Start, 1}, edge{iv.End, -1})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.d, b.d)) })
	var over, last time.Duration
	cur := 0
	for _, e := range edges {
		if cur > n {
			over += e.at - last
		}
		cur += e.d
		last = e.at
	}
	return over
}
