package model

import (
	"slices"
	"time"
)

// FactsParts holds what the facts need of the part of a run's lanes that will not change any
// more, added lane by lane as it becomes final, so that the facts of a live run cost only the
// part still open: the running time per atOnceStep cell (a mixed window's running share spread
// over it), the highest core run on, and per lane the moves between cores and the running on
// no known core. FactsOf is its Facts with every lane open.
type FactsParts struct {
	cells   []time.Duration // running time per atOnceStep cell
	runEnd  time.Duration   // the end of the latest running interval
	maxCore int             // the highest core a running interval was on, or NoCore
	lanes   map[string]*laneFacts
	all     laneFacts // the moves and unknown running of every lane
}

// laneFacts is one lane's part of the core moves, or every lane's.
type laneFacts struct {
	prev    int   // the core of the lane's latest running interval on a known core, or NoCore
	onto    []int // the moves onto each core
	moves   int
	unknown time.Duration
}

// Add counts ivs, the next final intervals of lane: after those added before, in time order.
// An interval may be added in pieces.
func (p *FactsParts) Add(lane string, ivs []Interval) {
	if p.lanes == nil {
		p.lanes, p.maxCore = map[string]*laneFacts{}, NoCore
	}
	lf := p.lanes[lane]
	if lf == nil {
		lf = &laneFacts{prev: NoCore}
		p.lanes[lane] = lf
	}
	for _, iv := range ivs {
		if share := runShare(iv); share > 0 {
			p.maxCore = max(p.maxCore, iv.Core)
			p.runEnd = max(p.runEnd, iv.End)
			p.cells = spreadRunning(p.cells, iv, share)
		}
		if iv.State == StateRunning {
			moves, unknown := lf.moves, lf.unknown
			lf.count(iv)
			p.all.unknown += lf.unknown - unknown
			if lf.moves > moves {
				p.all.moves++
				p.all.onto = grow(p.all.onto, iv.Core+1)
				p.all.onto[iv.Core]++
			}
		}
	}
}

// grow is s with at least n elements.
func grow(s []int, n int) []int {
	for len(s) < n {
		s = append(s, 0)
	}
	return s
}

// count adds a running interval to the lane's core moves.
func (lf *laneFacts) count(iv Interval) {
	if iv.Core == NoCore {
		lf.unknown += iv.Duration()
		return
	}
	if lf.prev != NoCore && iv.Core != lf.prev {
		lf.moves++
		lf.onto = grow(lf.onto, iv.Core+1)
		lf.onto[iv.Core]++
	}
	lf.prev = iv.Core
}

// spreadRunning adds the share of iv the task ran to the atOnceStep cells it covers, growing
// them as needed.
func spreadRunning(cells []time.Duration, iv Interval, share float64) []time.Duration {
	n := int((iv.End + atOnceStep - 1) / atOnceStep)
	for len(cells) < n {
		cells = append(cells, 0)
	}
	Scale{End: time.Duration(n) * atOnceStep, Cells: n}.Spread(iv.Start, iv.End, func(c int, d time.Duration) {
		cells[c] += time.Duration(float64(d) * share)
	})
	return cells
}

// Facts are the facts of r, whose lanes are the parts added so far followed by open, one per
// task of r in order (what comes after the added part of each): FactsOf(r), for the cost of
// the open parts.
func (p *FactsParts) Facts(r *Run, open [][]Interval) *Facts {
	f := &Facts{BusyCores: busyCores(r), Preemptions: preemptions(r)}
	maxCore, runEnd := NoCore, p.runEnd
	if p.lanes != nil {
		maxCore = p.maxCore
	}
	for _, ivs := range open {
		for _, iv := range ivs {
			if runShare(iv) > 0 {
				maxCore = max(maxCore, iv.Core)
				runEnd = max(runEnd, iv.End)
			}
		}
	}
	f.Cores = maxCore + 1
	for _, s := range r.Cores {
		f.Cores = max(f.Cores, len(s.Percent))
	}

	// At once: the cells of the added part and of the open one.
	if runEnd > 0 {
		n := int((runEnd + atOnceStep - 1) / atOnceStep)
		cells := make([]time.Duration, n)
		copy(cells, p.cells)
		for _, ivs := range open {
			for _, iv := range ivs {
				if share := runShare(iv); share > 0 {
					cells = spreadRunning(cells, iv, share)
				}
			}
		}
		f.AtOnce = busiestWindow(cells)
	}

	f.MovesOnto = make([]int, f.Cores)
	f.CoreMoves, f.UnknownCore = p.all.moves, p.all.unknown
	copy(f.MovesOnto, p.all.onto)
	for i, ivs := range open {
		if i >= len(r.Tasks) || !slices.ContainsFunc(ivs, func(iv Interval) bool { return iv.State == StateRunning }) {
			continue
		}
		lf := laneFacts{prev: NoCore}
		if added := p.lanes[r.Tasks[i].Name]; added != nil {
			lf.prev = added.prev
		}
		for _, iv := range ivs {
			if iv.State == StateRunning {
				lf.count(iv)
			}
		}
		f.CoreMoves += lf.moves
		f.UnknownCore += lf.unknown
		for c, n := range lf.onto {
			f.MovesOnto[c] += n
		}
	}
	return f
}
