package main

import (
	"fmt"
	"sync"
	"time"

	"timeslice/observe"
	"timeslice/scenarios"
)

// budget refuses a run whose estimate (scenarios.Scenario.Estimate) passes
// scenarios.MaxEstimate, unless --long asked for long runs: knobs that multiply into hours by
// mistake are stopped before anything starts.
type budget struct {
	long bool
	// pinned is the computation per millisecond the runs pay for when CalibrationEnv pins
	// it, else 0: then an element costs --work on this machine, whatever its speed.
	pinned int
	// speed measures, once, this machine's computation per millisecond: needed only to know
	// what a pinned figure costs here.
	speed func() int
}

func newBudget(long bool, runner *observe.Runner) *budget {
	return &budget{long: long, pinned: runner.ItersPerMs(), speed: sync.OnceValue(scenarios.Calibrate)}
}

// check says, in one line, why scenario id with p would run too long, or returns nil; a
// watched program (not a scenario) runs as long as it runs. allow is what the user can do
// about it, as the mode says it.
func (b *budget) check(id string, p scenarios.Params, allow string) error {
	s, ok := scenarios.ByID(id)
	if !ok || b.long {
		return nil
	}
	measured := 0
	if b.pinned > 0 && s.Bound == scenarios.CPUBound && p.Work > 0 {
		p.ItersPerMs, measured = b.pinned, b.speed()
	}
	if est := s.Estimate(p, p.CoresOrAll(), measured); est > scenarios.MaxEstimate {
		return fmt.Errorf("%s would take about %s with these knobs, over the %s bound: %s",
			id, roundEstimate(est), fmtBound(scenarios.MaxEstimate), allow)
	}
	return nil
}

// limit is start, refusing what check refuses: the live view's every run goes through it.
func (b *budget) limit(start observe.Starter) observe.Starter {
	return func(id string, p scenarios.Params) (observe.Session, error) {
		if err := b.check(id, p, "start timeslice with --long to run it"); err != nil {
			return nil, err
		}
		return start(id, p)
	}
}

// roundEstimate writes an estimate to the second.
func roundEstimate(d time.Duration) string { return d.Round(time.Second).String() }

// fmtBound writes the bound as people say it: "10m".
func fmtBound(d time.Duration) string {
	return fmt.Sprintf("%dm", int(d.Minutes()))
}
