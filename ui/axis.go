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

// tickStep is the smallest nice step whose labels fit plotW cells with room between them.
func tickStep(end time.Duration, plotW int) time.Duration {
	for base := time.Millisecond / 10; ; base *= 10 {
		for _, m := range tickMultiples {
			step := base * time.Duration(m)
			if step >= end {
				return step
			}
			if int(end/step)+1 > plotW/3 {
				continue
			}
			need := 0
			for t := time.Duration(0); t <= end; t += step {
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
	if t == 0 {
		return "0s"
	}
	if step >= 100*time.Millisecond {
		return strconv.FormatFloat(t.Seconds(), 'f', -1, 64) + "s"
	}
	return strconv.FormatFloat(float64(t)/float64(time.Millisecond), 'f', -1, 64) + "ms"
}

// axisLabels is the scale row: tick labels starting at their tick's cell, the last one ending at the axis end.
func axisLabels(end time.Duration, plotW int) string {
	step := tickStep(end, plotW)
	sc := model.Scale{End: end, Cells: plotW}
	row := []rune(strings.Repeat(" ", plotW))
	free := 0
	for t := time.Duration(0); t <= end; t += step {
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

// laneBuf holds the per-cell scratch space of one lane, reused across lanes.
type laneBuf struct {
	kind []cellKind
	core []int
	best []time.Duration // the longest running overlap in the cell, which picks its core
	dur  []time.Duration // time per cell and kind, cellKinds entries per cell
	mark int             // the replay cursor's cell plus one, drawn as │; 0 means no cursor
	b    strings.Builder
}

// cellKinds is the number of cell kinds a cell's time is split into.
const cellKinds = int(cellRunning) + 1

// pickKind decides what a cell shows from the time it spent in each state (indexed by kind):
// running for half the cell or more is █; a shorter run whose cell was otherwise mostly ready
// (waiting for a core or the lock) is ▓, "took turns"; a short run between waits (I/O, await) stays
// █ so a brief burst remains visible; without running, the state covering most of the cell wins.
func pickKind(d []time.Duration, cell time.Duration) cellKind {
	if r := d[cellRunning]; r > 0 {
		if 2*r >= cell || d[cellReady] <= d[cellWaiting] {
			return cellRunning
		}
		return cellTurns
	}
	best := cellNone
	for k := cellDone; k < cellRunning; k++ {
		if d[k] > 0 && d[k] >= d[best] {
			best = k
		}
	}
	return best
}

// render draws one task's lane, plotW cells covering [0, end).
func (lb *laneBuf) render(lp lanePaints, tk model.Task, end time.Duration, plotW int, horizon time.Duration, finished bool) string {
	lb.kind = resize(lb.kind, plotW)
	lb.core = resize(lb.core, plotW)
	lb.best = resize(lb.best, plotW)
	lb.dur = resize(lb.dur, plotW*cellKinds)
	for i := range lb.kind {
		lb.kind[i], lb.core[i], lb.best[i] = cellNone, model.NoCore, 0
	}
	clear(lb.dur)
	sc := model.Scale{End: end, Cells: plotW}
	first, last := time.Duration(-1), time.Duration(0)
	lastState := model.StateUnknown
	for _, iv := range tk.Intervals {
		if first < 0 || iv.Start < first {
			first = iv.Start
		}
		if iv.End >= last {
			last, lastState = iv.End, iv.State
		}
		k := kindOf(iv.State)
		sc.Spread(iv.Start, iv.End, func(c int, ov time.Duration) {
			lb.dur[c*cellKinds+int(k)] += ov
			if k == cellRunning && (ov > lb.best[c] || lb.core[c] == model.NoCore) {
				lb.best[c], lb.core[c] = ov, iv.Core
			}
		})
	}
	for c := range lb.kind {
		lb.kind[c] = pickKind(lb.dur[c*cellKinds:(c+1)*cellKinds], sc.CellLen(c))
	}
	// Cells no interval covers: blank before the task began and after it ended, unknown in
	// between, and unknown up to the present while the task's end has not been observed.
	open := !finished && lastState != model.StateDone
	for c := range lb.kind {
		if lb.kind[c] != cellNone || first < 0 {
			continue
		}
		cs := sc.CellStart(c)
		if cs >= first && (cs < last || open && cs < horizon) {
			lb.kind[c] = cellUnknown
		}
	}
	// Draw runs of cells in the same paint (█ and ▓ on one core share it) inside one pair of
	// escape sequences: colour codes are most of what a frame sends to the terminal.
	lb.b.Reset()
	for c := 0; c < plotW; {
		if c == lb.mark-1 {
			lb.b.WriteString("│")
			c++
			continue
		}
		p := lb.cellPaint(lp, c)
		lb.b.WriteString(p.pre)
		for ; c < plotW && c != lb.mark-1 && lb.cellPaint(lp, c).pre == p.pre; c++ {
			lb.b.WriteString(cellGlyph[lb.kind[c]])
		}
		lb.b.WriteString(p.post)
	}
	return lb.b.String()
}

// cellPaint is how cell c is coloured: by its core while it runs or takes turns, else by state.
func (lb *laneBuf) cellPaint(lp lanePaints, c int) paint {
	switch lb.kind[c] {
	case cellRunning, cellTurns:
		return lp.coreOf(lb.core[c])
	case cellReady:
		return lp.ready
	case cellWaiting:
		return lp.waiting
	case cellUnknown:
		return lp.unknown
	}
	return paint{}
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
