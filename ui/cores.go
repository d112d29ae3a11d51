package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
)

// sparkGlyphs draw a load history from 0 % to 100 %.
var sparkGlyphs = []rune("▁▂▃▄▅▆▇█")

// coresModel draws one load bar per core with its percentage and a short history.
type coresModel struct {
	c             *common
	run           *model.Run
	width, height int
}

func (m coresModel) set(run *model.Run) coresModel {
	m.run = run
	return m
}

func (m coresModel) setSize(w, h int) coresModel {
	m.width, m.height = w, h
	return m
}

func (m coresModel) samples() []model.CoreSample {
	if m.run == nil {
		return nil
	}
	return m.run.Cores
}

// rows is how many lines the cores want below the heading.
func (m coresModel) rows() int {
	s := m.samples()
	if len(s) == 0 {
		return 1
	}
	return max(len(s[len(s)-1].Percent), 1)
}

// window is the length of the latest sample, rounded for display.
func (m coresModel) window() time.Duration {
	s := m.samples()
	if len(s) < 2 {
		return 0
	}
	return (s[len(s)-1].At - s[len(s)-2].At).Round(10 * time.Millisecond)
}

// view draws the heading and one row per core, as many as fit.
func (m coresModel) view() string {
	if m.height <= 0 || m.width <= 0 {
		return ""
	}
	st := m.c.styles
	lines := []string{m.heading()}
	samples := m.samples()
	switch {
	case m.run != nil && m.run.CoresNote != "":
		lines = append(lines, truncate(st.Dim.Render("per-core load unavailable: "+m.run.CoresNote), m.width))
	case len(samples) == 0:
		lines = append(lines, st.Dim.Render("no sample yet"))
	default:
		lines = append(lines, m.bars(samples, m.height-1)...)
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// heading names the panel, its window and what the bars' glyphs mean, as fully as fits.
func (m coresModel) heading() string {
	st, lp := m.c.styles, m.c.paints
	over := ""
	if w := m.window(); w > 0 {
		over = " over " + strconv.FormatFloat(w.Seconds(), 'f', 1, 64) + " s" // one figure: 90 ms and 110 ms read alike
	}
	s := m.samples()
	if len(s) == 0 {
		return truncate(st.Heading.Render("Per-core load"+over), m.width)
	}
	if !m.split(s[len(s)-1]) {
		return truncate(st.Heading.Render("Per-core load"+over)+st.Dim.Render(" (all programs)"), m.width)
	}
	key := func(run, others string) string {
		return lp.coreOf(0).wrap("█") + st.Dim.Render(" "+run+" ") + paintOf(st.Other).wrap(lp.glyphs().other) + st.Dim.Render(" "+others)
	}
	var h string
	for _, h = range []string{
		st.Heading.Render("Per-core load"+over) + "  " + key("this run", "others"),
		st.Heading.Render("Load"+over) + "  " + key("this run", "others"),
		st.Heading.Render("Load") + " " + key("this run", "others"),
		st.Heading.Render("Load") + " " + key("ours", "others"),
	} {
		if ansi.StringWidth(h) <= m.width {
			break
		}
	}
	return truncate(h, m.width)
}

// split reports whether sample s says which part of each core's load was this run's.
func (m coresModel) split(s model.CoreSample) bool { return len(s.Ours) == len(s.Percent) }

// bars draws up to room rows: one per core, or all but one and "+N more cores". A core's bar
// is this run's share (█ in the core's colour) and other programs' (▓), with this run's share
// in figures and its history, when the samples tell them apart; else the core's whole load.
func (m coresModel) bars(samples []model.CoreSample, room int) []string {
	st, lp := m.c.styles, m.c.paints
	empty := paintOf(st.BarEmpty)
	last := samples[len(samples)-1]
	latest, split := last.Percent, m.split(last)
	other := paintOf(st.Other)
	n := len(latest)
	shown := n
	if n > room {
		shown = max(room-1, 0)
	}
	labelW := len("cpu" + strconv.Itoa(max(n-1, 0)))
	rest := m.width - labelW - 1 - 5 - 1 // label, bar, " 100%", " ", history
	sparkW := min(max(rest/2, 4), 24)    // as wide from the first sample on: the bars never shrink
	barW := rest - sparkW
	var out []string
	for c := 0; c < shown; c++ {
		all := clampPct(latest[c])
		ours := all
		if split {
			ours = min(clampPct(last.Ours[c]), all)
		}
		cs := lp.coreOf(c)
		mine := int(ours/100*float64(barW) + 0.5)
		theirs := max(int(all/100*float64(barW)+0.5)-mine, 0)
		row := cs.wrap(padRight("cpu"+strconv.Itoa(c), labelW)) + " " +
			cs.wrap(strings.Repeat("█", mine)) + other.wrap(strings.Repeat(lp.glyphs().other, theirs)) +
			empty.wrap(strings.Repeat("░", barW-mine-theirs)) +
			fmt.Sprintf(" %3.0f%% ", ours) + cs.wrap(spark(samples, c, sparkW, split))
		out = append(out, truncate(row, m.width))
	}
	if shown < n {
		out = append(out, st.Dim.Render(moreText(n-shown, "core")))
	}
	return out
}

// spark is core c's load over the last w samples, oldest first: this run's share when ours.
func spark(samples []model.CoreSample, c, w int, ours bool) string {
	if len(samples) > w {
		samples = samples[len(samples)-w:]
	}
	out := make([]rune, 0, w)
	for range w - len(samples) {
		out = append(out, ' ') // the history still to come
	}
	for _, s := range samples {
		p := 0.0
		switch {
		case ours && c < len(s.Ours):
			p = clampPct(s.Ours[c])
		case !ours && c < len(s.Percent):
			p = clampPct(s.Percent[c])
		}
		out = append(out, sparkGlyphs[min(int(p/100*float64(len(sparkGlyphs))), len(sparkGlyphs)-1)])
	}
	return string(out)
}

func clampPct(p float64) float64 {
	if p != p || p < 0 { // NaN or negative
		return 0
	}
	return min(p, 100)
}
