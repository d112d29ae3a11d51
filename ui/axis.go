package ui

import (
	"strconv"
	"strings"
	"time"

	"timeslice/model"
)

// axisFloor is the shortest time axis.
const axisFloor = 10 * time.Millisecond

// niceMultiples are the axis ends within each power of ten: 1, 1.5, 2, 3, 5, 7.5 (× 10ⁿ, in tenths).
var niceMultiples = []int64{10, 15, 20, 30, 50, 75}

// tickMultiples are the tick steps within each power of ten: 1, 2, 5 (× 10ⁿ, in tenths).
var tickMultiples = []int64{10, 20, 50}

// axisEnd is a nice time at or after everything observed, so the scale changes only now and then.
func axisEnd(run *model.Run) time.Duration {
	var d time.Duration
	if run != nil {
		d = max(run.Elapsed, run.Wall)
		for _, tk := range run.Tasks {
			if n := len(tk.Intervals); n > 0 {
				d = max(d, tk.Intervals[n-1].End)
			}
		}
	}
	return niceCeil(d)
}

// niceCeil rounds d up to the next nice value.
func niceCeil(d time.Duration) time.Duration {
	for base := axisFloor / 10; ; base *= 10 {
		for _, m := range niceMultiples {
			if v := base * time.Duration(m); v >= d && v >= axisFloor {
				return v
			}
		}
		if base > time.Hour {
			return d
		}
	}
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
