package model

import (
	"math"

	"timeslice/scenarios"
)

// Speedup is how many times faster r ran than baseline (baseline wall time over r's), or 0
// when either is missing, failed or unfinished, or when they did not do the same work
// (SameWork): four calls one after another are no baseline for five at once.
func Speedup(r, baseline *Run) float64 {
	if r == nil || baseline == nil || !r.Finished || !baseline.Finished ||
		r.Err != "" || baseline.Err != "" || r.Wall <= 0 || baseline.Wall <= 0 || !SameWork(r, baseline) {
		return 0
	}
	return float64(baseline.Wall) / float64(r.Wall)
}

// SameWork reports whether runs r and other did the same work, by the knobs they were started
// with (scenarios.SameWork): the same calls and latency, or the same sum, chunks and work per
// element. Runs whose knobs are not known (watched programs) are taken to do the same work.
func SameWork(r, other *Run) bool {
	x, okX := scenarios.ParamsOf(r.Params)
	y, okY := scenarios.ParamsOf(other.Params)
	if !okX || !okY {
		return true
	}
	s, ok := scenarios.ByID(r.Scenario)
	if !ok {
		s, ok = scenarios.ByID(other.Scenario)
	}
	return !ok || scenarios.SameWork(s.Bound, x, y)
}

// MatrixRow is one kind of work's speedups: sequential (1 by definition), concurrent on one
// core, and parallel on all cores. A nil cell has not been measured yet.
type MatrixRow struct {
	Sequential *float64 `json:"sequential"`
	Concurrent *float64 `json:"concurrent"`
	Parallel   *float64 `json:"parallel"`
}

// Matrix is the lesson in numbers: rows I/O-bound and CPU-bound, columns the ways of running.
type Matrix struct {
	IO  MatrixRow `json:"io"`
	CPU MatrixRow `json:"cpu"`
}

// Cell returns the row and column's speedup, and false when it has not been measured.
func (m Matrix) Cell(b scenarios.Bound, s scenarios.Style) (float64, bool) {
	row := m.IO
	if b == scenarios.CPUBound {
		row = m.CPU
	}
	var c *float64
	switch s {
	case scenarios.Sequential:
		c = row.Sequential
	case scenarios.Concurrent:
		c = row.Concurrent
	case scenarios.Parallel:
		c = row.Parallel
	}
	if c == nil {
		return 0, false
	}
	return *c, true
}

// Complete reports whether every cell has been measured.
func (m Matrix) Complete() bool {
	for _, c := range []*float64{m.IO.Sequential, m.IO.Concurrent, m.IO.Parallel, m.CPU.Sequential, m.CPU.Concurrent, m.CPU.Parallel} {
		if c == nil {
			return false
		}
	}
	return true
}

// LessonMatrix builds the matrix from the last finished run of each scenario (by id). Each cell
// is the best speedup, against the scenario's baseline, of the scenarios of that kind and style.
func LessonMatrix(last map[string]*Run) Matrix { return LessonMatrixOf(scenarios.All(), last) }

// LessonMatrixOf is LessonMatrix over the scenarios scens: watched programs, say, which take the
// place of the scenarios they are named like (scenarios.Program). A scenario with no kind or
// style has no place in it.
func LessonMatrixOf(scens []scenarios.Scenario, last map[string]*Run) Matrix {
	return LessonMatrixBy(scens, func(id string) *Run { return last[id] },
		func(s scenarios.Scenario, _ *Run) *Run { return last[s.Baseline] })
}

// LessonMatrixBy is LessonMatrixOf with the runs found by runOf (a scenario's run, by id) and
// baseOf (the run of scenario s's baseline to measure r against: one of the same work, if
// any). A cell is the best speedup of its kind and style.
func LessonMatrixBy(scens []scenarios.Scenario, runOf func(id string) *Run, baseOf func(s scenarios.Scenario, r *Run) *Run) Matrix {
	var m Matrix
	for _, s := range scens {
		if s.Bound == "" || s.Style == "" {
			continue
		}
		r := runOf(s.ID)
		if r == nil {
			continue
		}
		sp := Speedup(r, baseOf(s, r))
		if sp == 0 {
			continue
		}
		sp = math.Round(sp*100) / 100
		row := &m.IO
		if s.Bound == scenarios.CPUBound {
			row = &m.CPU
		}
		cell := &row.Sequential
		switch s.Style {
		case scenarios.Concurrent:
			cell = &row.Concurrent
		case scenarios.Parallel:
			cell = &row.Parallel
		}
		if *cell == nil || sp > **cell {
			*cell = &sp
		}
	}
	return m
}
