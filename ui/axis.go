package ui

import (
	"strconv"
	"strings"
	"time"

	"timeslice/model"
)

// axisFloor is the shortest time axis.
const axisFloor = 10 * time.Millisecond

// tickMultiples are the tick steps within each power of ten: 1, 2, 5 (× 10ⁿ, in tenths).
var tickMultiples = []int64{10, 20, 50}

// Steady axis: while a run goes on, its time axis ends a little after what the run is expected
// to take (worked out from the knobs, scenarios.Scenario.Estimate), so lanes and labels stay
// where they are; should the run pass that end, the axis grows by half at once, rarely. Once
// finished, the axis ends where the run did, unless the run already fills most of it.
const (
	axisHeadroom = 1.05 // the axis ends this much after the expected end
	axisGrowth   = 1.5  // a run past the axis end gets an axis this much longer
	axisFill     = 0.95 // a finished run that fills this much of its axis keeps it
	// unknownAxis is the first axis of a run whose duration is not known (a watched program);
	// it doubles as the run passes it.
	unknownAxis = time.Second
)

// steadyEnd is the axis end of a live run expected to take expect (0: not known) that has been
// observed up to seen: the first of a few round ends, each half again longer than the last,
// at or after seen.
func steadyEnd(expect, seen time.Duration) time.Duration {
	end, growth := roundUp2(time.Duration(float64(expect)*axisHeadroom)), axisGrowth
	if expect <= 0 {
		end, growth = unknownAxis, 2
	}
	for end < seen && end < time.Duration(1<<62) {
		end = roundUp2(time.Duration(float64(end) * growth))
	}
	return end
}

// axisEnd is where the time axis of run ends, for a run expected to take expect: steadyEnd
// while it goes on; once finished, where it ended, unless it fills most of its live axis.
func axisEnd(run *model.Run, expect time.Duration) time.Duration {
	seen := time.Duration(0)
	if run != nil {
		seen = observedEnd(run)
	}
	return axisEndSeen(run, expect, seen)
}

// axisEndSeen is axisEnd for a run whose lanes reach seen.
func axisEndSeen(run *model.Run, expect, seen time.Duration) time.Duration {
	if run != nil {
		seen = max(run.Elapsed, seen)
	}
	live := steadyEnd(expect, seen)
	if run == nil || !run.Finished || seen <= 0 || float64(seen) >= axisFill*float64(live) {
		return live
	}
	return max(seen, axisFloor)
}

// tickStep is the smallest nice step whose labels fit plotW cells covering [start, end) with
// room between them.
func tickStep(start, end time.Duration, plotW int) time.Duration {
	span := end - start
	for base := time.Microsecond / 10; ; base *= 10 {
		for _, m := range tickMultiples {
			step := base * time.Duration(m)
			if step >= span {
				return step
			}
			if int(span/step)+1 > plotW/3 {
				continue
			}
			need := 0
			for t := firstTick(start, step); t <= end; t += step {
				need += len(tickLabel(t, step)) + 3
			}
			if need <= plotW+3 {
				return step
			}
		}
	}
}

// tickLabel writes time t on an axis whose ticks are step apart: "0s", "0.5s", "20ms".
func tickLabel(t, step time.Duration) string {
	switch {
	case step >= 100*time.Millisecond:
		return strconv.FormatFloat(t.Seconds(), 'f', -1, 64) + "s"
	case step >= 100*time.Microsecond:
		return strconv.FormatFloat(float64(t)/float64(time.Millisecond), 'f', -1, 64) + "ms"
	}
	return strconv.FormatFloat(float64(t)/float64(time.Microsecond), 'f', -1, 64) + "µs"
}

// firstTick is the first multiple of step at or after start.
func firstTick(start, step time.Duration) time.Duration {
	return (start + step - 1) / step * step
}

// axisLabels is the scale row of sc: tick labels starting at their tick's cell, the last one
// ending at the axis end.
func axisLabels(sc model.Scale) string {
	end, plotW := sc.End, sc.Cells
	step := tickStep(sc.Start, end, plotW)
	row := []rune(strings.Repeat(" ", plotW))
	free := 0
	for t := firstTick(sc.Start, step); t <= end; t += step {
		lab := []rune(tickLabel(t, step))
		pos := sc.CellOf(t)
		if pos+len(lab) > plotW {
			pos = plotW - len(lab)
		}
		if pos < free || pos < 0 {
			continue
		}
		copy(row[pos:], lab)
		free = pos + len(lab) + 2
	}
	return string(row)
}
