package ui

import (
	"strconv"
	"time"
)

// Zoom limits: z stops once a cell is this short or shorter (a coroutine's step between two
// awaits can take a few microseconds), and a zoomed-in stretch is never shorter than minZoomSpan.
const (
	finestCell  = 2 * time.Microsecond
	minZoomSpan = 100 * time.Microsecond
)

// zoomState is how far the time axis is zoomed in, shared by the task lanes, the fold and the
// core lanes.
type zoomState struct {
	// span is how long the stretch shown is; 0 shows the whole run.
	span time.Duration
	// start is where the stretch begins, unless follow.
	start time.Duration
	// follow keeps the newest time in view while the run goes on: set by zooming in on a live
	// run, cleared by moving the stretch by hand.
	follow bool
}

// zoomed reports whether the axis shows less than the whole run.
func (t timelineModel) zoomed() bool { return t.zoom.span > 0 && t.zoom.span < t.axisEnd() }

// axisEnd is where the whole run's time axis ends (see axisEnd).
func (t timelineModel) axisEnd() time.Duration {
	return axisEndSeen(t.run, t.expect, t.observedEnd())
}

// window is the stretch of time the views draw: [0, the axis end) unzoomed; zoomed, span long,
// following the newest time or the replay cursor when it would leave the stretch, and within
// the run.
func (t timelineModel) window(horizon time.Duration) (start, end time.Duration) {
	full := t.axisEnd()
	if !t.zoomed() {
		return 0, full
	}
	span := t.zoom.span
	start = t.zoom.start
	switch {
	case t.cursor >= 0 && (t.cursor < start || t.cursor > start+span):
		start = t.cursor - span/2
	case t.cursor < 0 && t.zoom.follow && !t.finished:
		start = horizon - span*7/8
	}
	start = min(max(start, 0), full-span)
	return start, start + span
}

// focus is the time zooming keeps in view: the replay cursor, the newest time while live,
// else the middle of what is shown of the run.
func (t timelineModel) focus() time.Duration {
	v := t.timeView()
	switch {
	case t.cursor >= 0:
		return t.cursor
	case !t.finished:
		return v.horizon
	}
	return v.start + (min(v.end, max(v.horizon, v.start))-v.start)/2
}

// canZoomIn reports whether z would show more detail: while a cell of the lanes is longer than
// finestCell.
func (t timelineModel) canZoomIn() bool {
	if t.run == nil || len(t.run.Tasks) == 0 {
		return false
	}
	v := t.timeView()
	cells := t.plotWidth()
	return cells > 0 && (v.end-v.start)/time.Duration(cells) > finestCell && (v.end-v.start)/2 >= minZoomSpan
}

// runEnd is how long the run shown lasts, or has lasted so far: the first z halves it, so each
// press shows the run 2, 4, 8, … times larger.
func (t timelineModel) runEnd() time.Duration {
	if t.run == nil {
		return 0
	}
	return max(t.observedEnd(), t.run.Elapsed, t.run.Wall)
}

// zoomIn halves the stretch shown (the whole run, at first), around the focus.
func (t timelineModel) zoomIn() timelineModel {
	if !t.canZoomIn() {
		return t
	}
	at := t.focus()
	base := t.runEnd()
	if t.zoomed() {
		base = t.zoom.span
	}
	t.zoom.span = base / 2
	t.zoom.start = at - t.zoom.span/2
	t.zoom.follow = t.cursor < 0 && !t.finished
	return t.settle()
}

// zoomOut doubles the stretch shown, around its middle; at the whole run it stops.
func (t timelineModel) zoomOut() timelineModel {
	if !t.zoomed() {
		return t
	}
	v := t.timeView()
	mid := v.start + (v.end-v.start)/2
	t.zoom.span *= 2
	if t.zoom.span >= t.runEnd() {
		t.zoom = zoomState{}
		return t
	}
	t.zoom.start = mid - t.zoom.span/2
	return t.settle()
}

// pan moves the stretch shown by half its length, later (dir 1) or earlier (-1), and stops
// following the newest time.
func (t timelineModel) pan(dir int) timelineModel {
	if !t.zoomed() {
		return t
	}
	v := t.timeView()
	t.zoom.start = v.start + time.Duration(dir)*t.zoom.span/2
	t.zoom.follow = false
	return t.settle()
}

// panTo moves the stretch shown to the start of the run, or to its newest time (end), where a
// live run's stretch then follows it.
func (t timelineModel) panTo(end bool) timelineModel {
	if !t.zoomed() {
		return t
	}
	t.zoom.start, t.zoom.follow = 0, false
	if end {
		t.zoom.start = t.timeView().horizon - t.zoom.span*7/8
		t.zoom.follow = !t.finished
	}
	return t.settle()
}

// fit shows the whole run again.
func (t timelineModel) fit() timelineModel {
	t.zoom = zoomState{}
	return t
}

// settle stores the stretch as drawn, so the next move starts from what is on screen.
func (t timelineModel) settle() timelineModel {
	if t.zoomed() {
		t.zoom.start = t.timeView().start
	}
	return t
}

// zoomText says how far the axis is zoomed: "zoom ×8 · 0.67 ms a cell", or "" for the whole run.
func (t timelineModel) zoomText() string {
	if !t.zoomed() {
		return ""
	}
	cells := t.plotWidth()
	x := float64(t.runEnd()) / float64(t.zoom.span)
	s := "zoom ×" + strconv.FormatFloat(x, 'f', 0, 64)
	if cells > 0 {
		s += " · " + cellText(t.zoom.span/time.Duration(cells)) + " a cell"
	}
	return s
}

// cellText writes how long a cell is with two or three figures: "43 ms", "0.55 ms", "2.1 µs".
func cellText(d time.Duration) string {
	unit, per := "ms", float64(d)/float64(time.Millisecond)
	if per < 0.1 {
		unit, per = "µs", float64(d)/float64(time.Microsecond)
	}
	prec := 2
	if per >= 10 {
		prec = 0
	} else if per >= 1 {
		prec = 1
	}
	return strconv.FormatFloat(per, 'f', prec, 64) + " " + unit
}
