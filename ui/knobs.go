package ui

import (
	"runtime"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/internal/termtext"
	"timeslice/scenarios"
)

// Latency limits for [ and ]: halving stops at the floor, doubling at the ceiling.
const (
	latencyFloor = 10 * time.Millisecond
	latencyCeil  = scenarios.MaxLatency
)

// changeParams applies change to a copy of the knobs; if they validate, they become the knobs
// and the selected scenario reruns at once, else the error is shown and the old value kept.
func (m Model) changeParams(change func(p *scenarios.Params)) (Model, tea.Cmd) {
	p := m.cfg.Params
	change(&p)
	if p == m.cfg.Params {
		return m, nil // at a limit: nothing to rerun
	}
	if err := p.Validate(); err != nil {
		m.status = err.Error()
		return m, nil
	}
	m.cfg.Params = p
	m.status = ""
	m.all = runAll{}
	return m.startRun(m.sel)
}

// moreWork adds (or with dir -1 removes) one call for io-* scenarios, one chunk for cpu-* ones.
func (m Model) moreWork(dir int) (Model, tea.Cmd) {
	io := m.scenario().Bound == scenarios.IOBound
	return m.changeParams(func(p *scenarios.Params) {
		if io {
			p.Calls += dir
		} else {
			p.Chunks += dir
		}
	})
}

// scaleLatency doubles (up) or halves the calls' latency within its limits.
func (m Model) scaleLatency(up bool) (Model, tea.Cmd) {
	return m.changeParams(func(p *scenarios.Params) {
		if up {
			p.Latency = min(p.Latency*2, latencyCeil)
		} else {
			p.Latency = max(p.Latency/2, latencyFloor)
		}
	})
}

// moreCores changes the cores the child may use by dir, from 1 to all (stored as 0).
func (m Model) moreCores(dir int) (Model, tea.Cmd) {
	all := runtime.NumCPU()
	return m.changeParams(func(p *scenarios.Params) {
		n := min(max(p.CoresOrAll()+dir, 1), all)
		p.Cores = n
		if n == all {
			p.Cores = 0
		}
	})
}

// knobsText shows the knobs that matter for the selected scenario: "cores 1/2 · chunks 4", or
// "cores all" when the child may use every core.
func knobsText(p scenarios.Params, b scenarios.Bound) string {
	s := "cores all"
	if p.Cores > 0 {
		s = "cores " + intText(p.Cores) + "/" + intText(runtime.NumCPU())
	}
	if b == scenarios.IOBound {
		return s + " · calls " + intText(p.Calls) + " · latency " + p.Latency.String()
	}
	return s + " · chunks " + intText(p.Chunks)
}

// runAll is the progress of "run all": which scenario runs now, of how many.
type runAll struct {
	active bool
	pos    int // index of the scenario running now
}

// statusLine is the knobs, the run-all progress and the latest message, on one line.
func (m Model) statusLine() string {
	st := m.common.styles
	s := st.Dim.Render("knobs: ") + knobsText(m.cfg.Params, m.scenario().Bound)
	if sc := m.scenario(); sc.IsProgram() {
		s = st.Dim.Render("watching: ") + termtext.Clean(strings.Join(sc.Command, " "))
	}
	if z := m.timeline.zoomText(); z != "" && m.mode == viewMain {
		s += st.Dim.Render(" · ") + z
	}
	if m.all.active {
		s += st.Dim.Render(" · ") + st.Busy.Render("run all: "+intText(m.all.pos+1)+"/"+intText(len(m.scens)))
	}
	if f := m.frozenText(); f != "" {
		s += st.Dim.Render(" · ") + st.Busy.Render(f)
	}
	if m.status != "" {
		s += st.Dim.Render(" · ") + st.Error.Render(m.status)
	}
	if m.hint != "" {
		s += st.Dim.Render(" · ") + st.Warning.Render(m.hint)
	}
	if m.notice != "" {
		s += st.Dim.Render(" · ") + st.OK.Render(m.notice)
	}
	return strings.Join(wrapStyled(s, m.common.width), "\n")
}
