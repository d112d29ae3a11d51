package ui

import (
	"testing"
	"time"

	"timeslice/model"
	"timeslice/scenarios"
)

func TestStateWords(t *testing.T) {
	lock := iv(model.StateReady, 300*ms, 400*ms, model.NoCore)
	lock.Reason = model.ReasonLock
	call := model.Task{Name: "call 3", Kind: model.KindGoroutine, Intervals: []model.Interval{
		run(100*ms, 101*ms, 1), wait(101*ms, 600*ms), wait(600*ms, 1101*ms), // two adjoining waits count as one
		ready(1101*ms, 1150*ms), run(1150*ms, 1152*ms, model.NoCore),
		iv(model.StateDone, 1152*ms, 2*time.Second, model.NoCore),
	}}
	chunk := model.Task{Name: "chunk 1", Kind: model.KindGoroutine, Intervals: []model.Interval{
		run(0, 300*ms, 0), lock, run(400*ms, 450*ms, 1), run(450*ms, 500*ms, 0),
		// nothing observed from 500 to 600 ms
		wait(600*ms, 700*ms),
	}}
	co := model.Task{Name: "call 1", Kind: model.KindCoroutine, Intervals: []model.Interval{ready(0, 50*ms)}}
	mixed := iv(model.StateMixed, 0, 40*ms, 1)
	mixed.RunShare, mixed.ReadyShare = 0.4, 0.35
	proc := model.Task{Name: "chunk 2", Kind: model.KindProcess, Intervals: []model.Interval{mixed}}
	cases := []struct {
		tk    model.Task
		bound scenarios.Bound
		at    time.Duration
		words string
		d     time.Duration
	}{
		{call, scenarios.IOBound, 50 * ms, "not started", 0},
		{call, scenarios.IOBound, 100 * ms, "running on cpu1", 0},
		{call, scenarios.IOBound, 721 * ms, "waiting for response", 620 * ms},
		{call, scenarios.IOBound, 1120 * ms, "waiting for a core", 19 * ms},
		{call, scenarios.IOBound, 1151 * ms, "running (core not known)", 1 * ms},
		{call, scenarios.IOBound, 1500 * ms, "done", 0},
		{call, scenarios.IOBound, 3 * time.Second, "done", 0},
		{chunk, scenarios.CPUBound, 350 * ms, "waiting for the lock", 50 * ms},
		{chunk, scenarios.CPUBound, 449 * ms, "running on cpu1", 49 * ms},
		{chunk, scenarios.CPUBound, 460 * ms, "running on cpu0", 10 * ms}, // a new core starts a new state
		{chunk, scenarios.CPUBound, 550 * ms, "unknown: not observed", 0},
		{chunk, scenarios.CPUBound, 650 * ms, "waiting (sleep)", 50 * ms},
		{co, scenarios.IOBound, 10 * ms, "waiting for the event loop", 10 * ms},
		{proc, scenarios.CPUBound, 20 * ms, "sampled window: running 40%, ready 35%, waiting 25%", 20 * ms},
	}
	for _, c := range cases {
		words, d := stateWords(c.tk, c.bound, c.at, true)
		if words != c.words || d != c.d {
			t.Errorf("%s at %s: %q, %s; want %q, %s", c.tk.Name, c.at, words, d, c.words, c.d)
		}
	}
	if got := fmtSecs(620 * ms); got != "0.62 s" {
		t.Errorf("fmtSecs = %q", got)
	}
}

func TestMoreText(t *testing.T) {
	for n, want := range map[int]string{1: "+1 more run", 2: "+2 more runs", 12: "+12 more runs"} {
		if got := moreText(n, "run"); got != want {
			t.Errorf("moreText(%d) = %q, want %q", n, got, want)
		}
	}
}
