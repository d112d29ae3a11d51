package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"timeslice/scenarios"
)

// Layout constants: the gaps between sections and the share of the width the core load gets.
const (
	sectionGaps   = 3  // blank lines between header, timeline, load/output and summary
	coresMinWidth = 34 // narrowest per-core load column
	coresMaxWidth = 52 // widest per-core load column
	columnGap     = 3  // between the load and output columns
	tallHeight    = 30 // from this height up the explanation may wrap onto more lines
)

// relayout hands every child its data and its size. It is cheap: the drawing happens in View.
func (m Model) relayout() Model {
	w, h := m.size()
	m.common.width, m.common.height = w, h
	m.common.paints = m.common.styles.lanePaints()
	m.help.Width = w
	scen := m.scenario()

	m.header = m.header.set(m.sel, w, h >= tallHeight)
	m.summary = m.summary.set(summaryData{
		scen:     scen,
		state:    m.state,
		run:      m.run,
		startErr: m.startErr,
		elapsed:  m.elapsed(),
		baseline: m.last[scen.Baseline],
		baseKey:  keyOf(m.scens, scen.Baseline),
	}, w)
	m.timeline = m.timeline.set(m.run, m.state == stateFinished || m.state == stateFailed)
	m.cores = m.cores.set(m.run)
	m.output = m.output.set(m.run)

	avail := h - m.header.height() - m.summary.height() - m.helpHeight()
	gaps := sectionGaps
	lowerMin := 1 + max(2, min(m.cores.rows(), 4))
	if avail-gaps < 3+lowerMin {
		gaps = 0
	}
	avail -= gaps
	th := min(m.timeline.wantHeight(), max(avail-lowerMin, 3))
	lh := max(avail-th, 0)

	cw := min(max(w*2/5, coresMinWidth), coresMaxWidth)
	m.timeline = m.timeline.setSize(w, th)
	m.cores = m.cores.setSize(cw, lh)
	m.output = m.output.setSize(max(w-cw-columnGap, 0), lh)
	return m
}

func (m Model) helpHeight() int {
	if !m.help.ShowAll {
		return 1
	}
	return lipgloss.Height(m.help.View(m.common.keys))
}

// keyOf returns the number key that selects scenario id, or "".
func keyOf(scens []scenarios.Scenario, id string) string {
	for i, s := range scens {
		if s.ID == id {
			return fmt.Sprint(i + 1)
		}
	}
	return ""
}

// View draws the screen: header, timelines, per-core load beside the output, summary and help.
func (m Model) View() string {
	w, h := m.size()
	if w <= 0 || h <= 0 {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		return tooSmall(m.common.styles, w, h)
	}
	var b strings.Builder
	gap := m.common.height - m.header.height() - m.timeline.height - m.cores.height -
		m.summary.height() - m.helpHeight()
	blank := func() {
		if gap > 0 {
			b.WriteString("\n")
			gap--
		}
	}
	section := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	section(m.header.view())
	blank()
	section(m.timeline.view())
	blank()
	section(m.lowerView())
	blank()
	section(m.summary.view())
	b.WriteString(m.help.View(m.common.keys))
	return fit(b.String(), w, h)
}

// lowerView puts the per-core load and the output side by side.
func (m Model) lowerView() string {
	if m.cores.height <= 0 {
		return ""
	}
	left := padLines(m.cores.view(), m.cores.width, m.cores.height)
	right := m.output.view()
	return lipgloss.JoinHorizontal(lipgloss.Top, left, strings.Repeat(" ", columnGap), right)
}

// tooSmall is the centred message shown instead of a layout that cannot fit.
func tooSmall(st Styles, w, h int) string {
	msg := fmt.Sprintf("terminal too small: need at least %d×%d, have %d×%d", MinWidth, MinHeight, w, h)
	if lipgloss.Width(msg) > w {
		msg = fmt.Sprintf("terminal too small:\nneed at least %d×%d,\nhave %d×%d", MinWidth, MinHeight, w, h)
	}
	return fit(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, st.Warning.Render(msg)), w, h)
}

// fit cuts s to at most h lines of at most w cells each: lines are truncated, never wrapped.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// padLines makes s exactly h lines of exactly w cells.
func padLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, h)
	for i := range out {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out[i] = padRight(truncate(l, w), w)
	}
	return strings.Join(out, "\n")
}

// truncate cuts one line to w cells, ending with … when it was cut.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// padRight pads one line with spaces to w cells.
func padRight(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// wrapWords breaks plain text into lines of at most w cells at spaces.
func wrapWords(s string, w int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}
