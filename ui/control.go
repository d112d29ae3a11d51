package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/scenarios"
)

// handleKey answers a key press. Scenario keys, rerun, help and quit work in every view; a key
// that does nothing in the current state says why in the status line (see whyNot).
func (m Model) handleKey(msg tea.KeyMsg) (Model, tea.Cmd) {
	m.hint = ""
	k := m.common.keys
	n := len(m.scens)
	switch {
	case key.Matches(msg, k.Quit):
		m.owner.stopAll(true)
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
	case key.Matches(msg, k.Pick):
		i := int(msg.Runes[0] - '1')
		if i < 0 || i >= n {
			m.hint = msg.String() + ": there are " + intText(n) + " tabs"
			return m, nil
		}
		return m.pick(i)
	case key.Matches(msg, k.Prev):
		return m.pick((m.sel + n - 1) % n)
	case key.Matches(msg, k.Next):
		return m.pick((m.sel + 1) % n)
	case key.Matches(msg, k.Rerun):
		return m.pick(m.sel)
	case key.Matches(msg, k.RunAll):
		m.all = runAll{active: true}
		m.mode = viewMain
		return m.startRun(0)
	case key.Matches(msg, k.Compare):
		if m.mode == viewCompare {
			m.mode = viewMain
		} else {
			m.mode = viewCompare
			m.replay.playing = false
		}
		return m, nil
	case key.Matches(msg, k.Close):
		switch {
		case m.mode == viewCompare:
			m.mode = viewMain
		case m.explain:
			m.explain = false
		case m.replay.on:
			m.replay = replayState{speed: m.replay.speed, tag: m.replay.tag + 1}
		}
		return m, nil
	case key.Matches(msg, k.CoreLanes):
		m.coreLanes = !m.coreLanes
		return m, nil
	case key.Matches(msg, k.Explain):
		m.explain = !m.explain
		return m, nil
	case key.Matches(msg, k.Details):
		m.common.details = !m.common.details
		return m, nil
	case key.Matches(msg, k.Projector):
		m.common.setProjector(!m.common.projector)
		return m, nil
	case key.Matches(msg, k.More):
		return m.moreWork(1)
	case key.Matches(msg, k.Less):
		return m.moreWork(-1)
	case key.Matches(msg, k.Shorter):
		return m.scaleLatency(false)
	case key.Matches(msg, k.Longer):
		return m.scaleLatency(true)
	case key.Matches(msg, k.FewerCores):
		return m.moreCores(-1)
	case key.Matches(msg, k.MoreCores):
		return m.moreCores(1)
	case key.Matches(msg, k.ScrollUp), key.Matches(msg, k.ScrollDown), key.Matches(msg, k.PageUp), key.Matches(msg, k.PageDown):
		return m.scroll(msg), nil
	case key.Matches(msg, k.ZoomIn):
		m.timeline = m.timeline.zoomIn()
		return m, nil
	case key.Matches(msg, k.ZoomOut):
		m.timeline = m.timeline.zoomOut()
		return m, nil
	case key.Matches(msg, k.PanLeft):
		m.timeline = m.timeline.pan(-1)
		return m, nil
	case key.Matches(msg, k.PanRight):
		m.timeline = m.timeline.pan(1)
		return m, nil
	case key.Matches(msg, k.Home):
		return m.goTo(false), nil
	case key.Matches(msg, k.End):
		return m.goTo(true), nil
	case key.Matches(msg, k.Fit):
		m.timeline = m.timeline.fit()
		return m, nil
	case key.Matches(msg, k.Fold):
		m.timeline.fold = !m.timeline.fold
		return m, nil
	case key.Matches(msg, k.Export):
		if m.mode == viewCompare {
			return m, m.export(nil)
		}
		return m, m.export(m.finishedRun())
	case key.Matches(msg, k.Play):
		return m.togglePlay()
	case key.Matches(msg, k.Speed):
		m.replay.speed = (m.replay.speed + 1) % len(replaySpeeds)
		if !m.replay.on {
			m.hint = "replay speed " + speedText(m.replay.speed) + ": p plays the run at it"
		}
		return m, nil
	case key.Matches(msg, k.StepBack):
		return m.step(-1, false), nil
	case key.Matches(msg, k.StepForward):
		return m.step(1, false), nil
	case key.Matches(msg, k.CellBack):
		return m.step(-1, true), nil
	case key.Matches(msg, k.CellForward):
		return m.step(1, true), nil
	}
	m.hint = m.whyNot(msg)
	return m, nil
}

// scroll moves the task lanes, or the compare view's runs, by the key's amount.
func (m Model) scroll(msg tea.KeyMsg) Model {
	k := m.common.keys
	by := map[bool]int{true: 1, false: -1}[key.Matches(msg, k.ScrollDown) || key.Matches(msg, k.PageDown)]
	if key.Matches(msg, k.PageUp) || key.Matches(msg, k.PageDown) {
		by *= m.timeline.page()
		if m.mode == viewCompare {
			by = by / max(m.timeline.page(), 1) * max(m.compare.height/2, 1)
		}
	}
	if m.mode == viewCompare {
		m.compare.top = min(max(m.compare.top+by, 0), max(len(m.compare.entries)-1, 0))
		return m
	}
	m.timeline = m.timeline.scroll(by)
	return m
}

// goTo is home (end false) and end: the replay cursor goes to the run's start or end, a
// finished run's replay starting there, paused; a live run's zoomed-in stretch goes to its
// start or its newest time, which it then follows.
func (m Model) goTo(end bool) Model {
	if r := m.replayable(); r != nil {
		rp := &m.replay
		rp.on, rp.playing, rp.at = true, false, 0
		rp.tag++
		if end {
			rp.at = runEnd(r)
		}
		return m
	}
	m.timeline = m.timeline.panTo(end)
	return m
}

// pick starts scenario i on the user's request: it ends a run-all and shows the main view.
func (m Model) pick(i int) (Model, tea.Cmd) {
	m.all = runAll{}
	m.mode = viewMain
	return m.startRun(i)
}

// enableKeys turns off the keys that do nothing right now, so help shows only live ones.
func (m Model) enableKeys() {
	k := &m.common.keys
	main := m.mode == viewMain
	io := m.scenario().Bound == scenarios.IOBound
	knobs := !m.scenario().IsProgram() // a watched program has no knobs
	k.Compare.SetEnabled(true)
	k.CoreLanes.SetEnabled(main)
	k.Export.SetEnabled(m.finishedRun() != nil && main || !main && len(m.last) > 0)
	m.enableLaneKeys()
	k.Explain.SetEnabled(main)
	k.Shorter.SetEnabled(io && knobs)
	k.Longer.SetEnabled(io && knobs)
	for _, b := range []*key.Binding{&k.More, &k.Less, &k.FewerCores, &k.MoreCores} {
		b.SetEnabled(knobs)
	}
	canReplay := m.replayable() != nil
	live := main && m.state == stateRunning && m.run != nil
	k.Play.SetEnabled(canReplay || live || m.frozen != nil)
	switch {
	case m.frozen != nil:
		k.Play.SetHelp("p", "live")
	case live || m.replay.playing:
		k.Play.SetHelp("p", "pause")
	default:
		k.Play.SetHelp("p", "replay")
	}
	k.Speed.SetEnabled(canReplay)
	for _, b := range []*key.Binding{&k.StepBack, &k.StepForward, &k.CellBack, &k.CellForward} {
		b.SetEnabled(canReplay)
	}
	k.Close.SetEnabled(!main || m.explain || m.replay.on)
}

// enableLaneKeys turns on scrolling when there are more task lanes (or runs) than rows,
// folding when the task lanes are on screen, and the moves in time that move something.
func (m Model) enableLaneKeys() {
	k := &m.common.keys
	lanes := m.mode == viewMain && !m.coreLanes
	scroll := lanes && !m.timeline.fold && m.timeline.scrollable() || m.mode == viewCompare && m.compare.overflows()
	for _, b := range []*key.Binding{&k.ScrollUp, &k.ScrollDown, &k.PageUp, &k.PageDown} {
		b.SetEnabled(scroll)
	}
	k.Fold.SetEnabled(lanes)
	zoom := m.mode == viewMain
	k.ZoomIn.SetEnabled(zoom && m.timeline.canZoomIn())
	zoomed := zoom && m.timeline.zoomed()
	k.ZoomOut.SetEnabled(zoomed)
	k.Fit.SetEnabled(zoomed)
	v := m.timeline.timeView()
	earlier, later := zoomed && v.start > 0, zoomed && v.end < m.timeline.axisEnd()
	k.PanLeft.SetEnabled(earlier)
	k.PanRight.SetEnabled(later)
	replay := m.replayable() != nil
	k.Home.SetEnabled(replay || earlier)
	k.End.SetEnabled(replay || later)
}

// exportWaitText is the status after the export key during a run; it goes when the run ends.
const exportWaitText = "x: export once the run has finished"

// finishedRun is the current run once it has finished well enough to export, or nil.
func (m Model) finishedRun() *model.Run {
	if m.run == nil || !m.run.Finished {
		return nil
	}
	return m.run
}
