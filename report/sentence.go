package report

import (
	"strconv"
	"time"

	"timeslice/model"
	"timeslice/scenarios"
)

// Thresholds the sentence reads the facts by.
const (
	// overlapped: a concurrent I/O run took at most this share of its waits one after another.
	overlapped = 0.6
	// oneAtATime: at most this many tasks ran at once on average, over any 200 ms.
	oneAtATime = 1.25
	// parallel: at least this many ran at once.
	parallel = 1.5
	// noFaster: a speedup under this reads as no faster (over it, as faster).
	noFaster = 1.15
)

// Sentence says in one sentence of plain words what finished run r of scenario s did, from
// what was measured: its wall and CPU time, how many of its tasks ran at once (Facts.AtOnce)
// and, when base is a finished run of its baseline that did the same work, how much faster
// it was. "The 4 waits overlapped: 1.00 s instead of 4.01 s one after another." It is "" for
// a run that failed or is not finished.
func Sentence(s scenarios.Scenario, r, base *model.Run) string {
	if r == nil || !r.Finished || r.Err != "" || r.Wall <= 0 {
		return ""
	}
	p, ok := scenarios.ParamsOf(r.Params)
	if !ok {
		p = scenarios.DefaultParams()
	}
	at := 0.0
	if r.Facts != nil {
		at = r.Facts.AtOnce
	}
	sp := model.Speedup(r, base)
	wall := secs(r.Wall)
	switch {
	case s.IsProgram():
		return "At most " + ftoa(at, 1) + " of its threads ran at once: " + secs(r.CPU) + " of CPU time in " + wall + "."
	case s.Bound == scenarios.IOBound && s.Style == scenarios.Sequential:
		waits := time.Duration(p.Calls) * p.Latency
		return "The " + count(p.Calls, "call") + " waited one after another: " + wall + ", the sum of " +
			"their waits (" + strconv.Itoa(p.Calls) + " × " + p.Latency.String() + " = " + waits.String() + ")."
	case s.Bound == scenarios.IOBound:
		waits := time.Duration(p.Calls) * p.Latency
		instead := "about " + waits.String() + " one after another"
		if sp > 0 {
			instead = secs(base.Wall) + " one after another"
		}
		switch {
		case p.Calls == 1:
			return "One call, so nothing to overlap: " + wall + "."
		case float64(r.Wall) <= overlapped*float64(waits):
			return "The " + strconv.Itoa(p.Calls) + " waits overlapped: " + wall + " instead of " + instead + "."
		}
		return "The waits did not overlap: " + wall + ", as long as one after another."
	case s.Style == scenarios.Sequential:
		return "One thread computed the " + count(p.Chunks, "chunk") + " one after another: " + wall +
			", with " + secs(r.CPU) + " of CPU time."
	case at <= oneAtATime && s.Style == scenarios.Concurrent:
		return "Only one thread computed at a time" + oneAtATimeSpeedup(sp) + "."
	case at <= oneAtATime:
		return "One chunk computed at a time" + oneAtATimeSpeedup(sp) + "."
	case at >= parallel:
		n := int(at + 0.5)
		return "Up to " + strconv.Itoa(n) + " chunks computed at once" + against(sp, ": ") + "."
	}
	return "At most " + ftoa(at, 1) + " chunks computed at once, on average" + against(sp, ": ") + "."
}

// oneAtATimeSpeedup says how fast a run that computed one chunk at a time was: no faster than
// one after another, or, when it measured faster, that the speedup is not parallelism (the
// baseline ran slower, other programs busy during it, say).
func oneAtATimeSpeedup(sp float64) string {
	if sp >= noFaster {
		return ", so its " + ftoa(sp, 2) + "× speedup is not parallelism: the baseline ran slower"
	}
	return against(sp, ": ")
}

// against says how fast a run was against one after another, after sep, or "" with no
// speedup measured.
func against(sp float64, sep string) string {
	switch {
	case sp <= 0:
		return ""
	case sp < 1/noFaster:
		return sep + "slower than one after another (" + ftoa(sp, 2) + "×)"
	case sp < noFaster:
		return sep + "no faster than one after another (" + ftoa(sp, 2) + "×)"
	}
	return sep + ftoa(sp, 2) + "× as fast as one after another"
}

// secs writes a duration as the summaries do: "1.00 s", or "12.0 ms" when short.
func secs(d time.Duration) string {
	if d < 100*time.Millisecond {
		return ftoa(float64(d)/float64(time.Millisecond), 1) + " ms"
	}
	return ftoa(d.Seconds(), 2) + " s"
}

// count is "4 calls", "1 chunk".
func count(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

func ftoa(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }
