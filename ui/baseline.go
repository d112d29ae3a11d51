package ui

import (
	"timeslice/model"
	"timeslice/scenarios"
)

// keepRuns is how many finished runs of each scenario the session keeps: a run is measured
// against the newest run of its baseline that did the same work, which need not be the last.
const keepRuns = 8

// remember keeps r, a finished run of scenario id: the last of id, and among its runs.
func (m Model) remember(id string, r *model.Run) {
	m.last[id] = r
	h := append(m.history[id], r)
	if len(h) > keepRuns {
		h = h[len(h)-keepRuns:]
	}
	m.history[id] = h
}

// baselineFor is the newest finished run of s's baseline that did the same work as a run of s
// with knobs p (scenarios.SameWork), or nil.
func (m Model) baselineFor(s scenarios.Scenario, p scenarios.Params) *model.Run {
	runs := m.history[s.Baseline]
	for i := len(runs) - 1; i >= 0; i-- {
		bp, ok := scenarios.ParamsOf(runs[i].Params)
		if !ok || scenarios.SameWork(s.Bound, p, bp) {
			return runs[i]
		}
	}
	return nil
}

// baselineOf is the baseline run r of s is measured against: one of the same work (see
// baselineFor), by r's own knobs.
func (m Model) baselineOf(s scenarios.Scenario, r *model.Run) *model.Run {
	p, ok := scenarios.ParamsOf(r.Params)
	if !ok {
		return m.last[s.Baseline]
	}
	return m.baselineFor(s, p)
}

// compareEntries picks, in scenario order, the last finished run of every scenario, each with
// its baseline.
func (m Model) compareEntries() []compareEntry {
	var out []compareEntry
	for _, s := range m.scens {
		if r := m.last[s.ID]; r != nil {
			out = append(out, compareEntry{scen: s, run: r, base: m.baselineOf(s, r), baseAny: m.last[s.Baseline]})
		}
	}
	return out
}

// lessonMatrix is the matrix of scens' last runs, each measured against a baseline of the same
// work.
func (m Model) lessonMatrix(scens []scenarios.Scenario) model.Matrix {
	return model.LessonMatrixBy(scens, func(id string) *model.Run { return m.last[id] }, m.baselineOf)
}

// runParams are the knobs of the run shown: its own once it reports them, else those it was
// started with.
func (m Model) runParams() scenarios.Params {
	if m.run != nil {
		if p, ok := scenarios.ParamsOf(m.run.Params); ok {
			return p
		}
	}
	return m.cfg.Params
}
