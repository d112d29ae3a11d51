package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// whyNot says why msg, a key that did nothing, does nothing now: "" when it is no key of the
// screen's. The status line shows it until the next key.
func (m Model) whyNot(msg tea.KeyMsg) string {
	k := m.common.keys
	is := func(bs ...key.Binding) bool {
		for _, b := range bs {
			if slices.Contains(b.Keys(), msg.String()) {
				return true
			}
		}
		return false
	}
	name := msg.String()
	inCompare := m.mode == viewCompare
	live := m.state == stateStarting || m.state == stateRunning
	switch {
	case inCompare && is(k.CoreLanes, k.Explain, k.Fold, k.ZoomIn, k.ZoomOut, k.PanLeft, k.PanRight, k.Fit, k.Home, k.End,
		k.Play, k.Speed, k.StepBack, k.StepForward, k.CellBack, k.CellForward):
		return name + ": this works on one run's lanes; c or esc goes back to them"
	case is(k.Export):
		return exportWaitText
	case is(k.Play) && live && m.run == nil:
		return "p: nothing to pause until the run has started"
	case is(k.Play, k.Speed, k.StepBack, k.StepForward, k.CellBack, k.CellForward) && m.state == stateFailed:
		return name + ": the run did not start, so there is nothing to replay"
	case is(k.Speed, k.StepBack, k.StepForward, k.CellBack, k.CellForward) && live:
		return name + ": steps through the replay, once the run has finished (p pauses it live)"
	case is(k.Play, k.Speed, k.StepBack, k.StepForward, k.CellBack, k.CellForward):
		return name + ": the run did not finish, so there is nothing to replay"
	case is(k.ZoomIn) && (m.run == nil || len(m.run.Tasks) == 0):
		return "z: nothing to zoom into until the first lanes arrive"
	case is(k.ZoomIn):
		return "z: zoomed in as far as it goes"
	case is(k.ZoomOut, k.Fit):
		return name + ": the whole run is shown already"
	case is(k.PanLeft, k.PanRight) && !m.timeline.zoomed():
		return name + ": the whole run is shown; zoom in (z) to move along it"
	case is(k.PanLeft, k.Home) && m.timeline.zoomed():
		return name + ": this is the run's start"
	case is(k.PanRight, k.End) && m.timeline.zoomed():
		return name + ": this is the run's newest time"
	case is(k.Home, k.End):
		return name + ": zoom in (z) first, or let the run finish to replay it"
	case is(k.ScrollUp, k.ScrollDown, k.PageUp, k.PageDown):
		return name + ": everything is on screen, nothing to scroll"
	case is(k.More, k.Less, k.FewerCores, k.MoreCores):
		return name + ": a watched program has no knobs"
	case is(k.Shorter, k.Longer):
		return name + ": latency is a knob of the io-* scenarios"
	case is(k.Close):
		return "esc: nothing to close"
	case is(k.Fold):
		return "f: folds the task lanes; k brings them back first"
	}
	return ""
}
