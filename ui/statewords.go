package ui

import (
	"strconv"
	"time"

	"timeslice/model"
	"timeslice/scenarios"
)

// stateWords says in words what task tk was doing at time at, and for how long it had been
// doing it: ("waiting for response", 620ms). The wording comes from the state and its reason:
// an I/O scenario's sleep is a call waiting for its response, a ready task waits for the lock,
// the event loop or a core. For "not started", "done" and "unknown" the duration is 0.
func stateWords(tk model.Task, bound scenarios.Bound, at time.Duration, details bool) (string, time.Duration) {
	iv, since, ok := tk.StateSince(at)
	if !ok {
		first, _ := tk.First()
		last, seen := tk.Last()
		switch {
		case !seen || at < first.Start:
			return "not started", 0
		case at >= last.End:
			return "done", 0
		}
		return "unknown: not observed", 0
	}
	if iv.State == model.StateDone {
		return "done", 0
	}
	// since goes back over adjoining intervals in the same state (and on the same core), so the
	// time is how long the task has been in this state, not in this one interval.
	return stateText(iv, tk.Kind, bound, details), at - since
}

// stateText words one interval's state.
func stateText(iv model.Interval, kind model.TaskKind, bound scenarios.Bound, details bool) string {
	switch iv.State {
	case model.StateRunning:
		if iv.Core != model.NoCore {
			return "running on cpu" + strconv.Itoa(iv.Core)
		}
		return "running (core not known)"
	case model.StateReady:
		switch {
		case iv.Reason == model.ReasonLock:
			return "waiting for the lock"
		case iv.Reason == model.ReasonEventLoop || kind == model.KindCoroutine:
			return "waiting for the event loop"
		}
		return "waiting for a core"
	case model.StateWaiting:
		switch {
		case bound == scenarios.IOBound && (iv.Reason == model.ReasonSleep || iv.Reason == model.ReasonAwait || iv.Reason == model.ReasonNone):
			return "waiting for response"
		case iv.Reason != model.ReasonNone && details:
			return "waiting (" + iv.Reason.String() + ")"
		}
		return "waiting"
	case model.StateDone:
		return "done"
	case model.StateMixed:
		run, ready, wait := iv.Shares(iv.Duration())
		pct := func(d time.Duration) string {
			return strconv.Itoa(int(100*float64(d)/float64(max(iv.Duration(), 1))+0.5)) + "%"
		}
		return "sampled window: running " + pct(run) + ", ready " + pct(ready) + ", waiting " + pct(wait)
	}
	return "unknown: not observed"
}

// fmtSecs writes a duration in seconds with two decimals: "0.62 s".
func fmtSecs(d time.Duration) string { return ftoa(d.Seconds(), 2) + " s" }

func ftoa(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }

func intText(n int) string { return strconv.Itoa(n) }

// moreText says how many more of noun (singular) there are than are shown: "+1 more run",
// "+3 more runs".
func moreText(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return "+" + intText(n) + " more " + noun
}
