package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
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
	m.help.Width = w
	m.help.Styles = helpStyles(m.common)
	m.enableKeys()
	scen := m.scenario()

	m.header = m.header.set(m.sel, w, h >= tallHeight, m.mode == viewCompare, m.cfg.Params).
		setBrief(m.explain && m.mode == viewMain && h < tallHeight)
	if m.mode == viewCompare {
		body := h - m.header.height() - m.statusHeight() - m.helpHeight() - 1
		m.compare = m.compare.set(m.compareEntries(), m.lessonMatrix(scenarios.All()), w, max(body, 0)).
			setPrograms(m.lessonMatrix(m.programs()))
		return m
	}
	shownRun, shownState, shownElapsed := m.shown()
	m.summary = m.summary.set(summaryData{
		scen:     scen,
		state:    shownState,
		run:      shownRun,
		startErr: m.startErr,
		elapsed:  shownElapsed,
		baseline: m.baselineFor(scen, m.runParams()),
		baseAny:  m.last[scen.Baseline],
		baseKey:  keyOf(m.scens, scen.Baseline),
	}, w)
	run, cursor := shownRun, time.Duration(-1)
	if m.replay.on && m.replayable() != nil {
		run, cursor = m.run.Until(m.replay.at), m.replay.at
	}
	m.timeline.expect, m.timeline.runID, m.timeline.expectTasks = m.expect, m.runID, expectedTasks(scen, m.cfg.Params)
	m.timeline = m.timeline.set(run, shownState == stateFinished || shownState == stateFailed, cursor)
	m.cores = m.cores.set(run)
	m.output = m.output.set(run)

	avail := h - m.header.height() - m.summary.height() - m.statusHeight() - m.helpHeight()
	lowerMin := 1 + max(2, min(m.cores.rows(), 4))
	switch {
	case m.explain:
		lowerMin = len(m.explainLines(w)) + 1
	case m.help.ShowAll:
		lowerMin = 0 // the full help is read instead
	}
	m.timeline.rows = m.laneRows(avail, lowerMin)
	want := m.timeline.wantHeight()
	if m.coreLanes {
		m.corel = m.corel.set(run, m.timeline.timeView(), cursor, w, 0)
		want = m.corel.wantHeight()
	}
	// Blank lines between the sections only once the lanes have every row they want.
	gaps := min(max(avail-lowerMin-want, 0), sectionGaps)
	avail -= gaps
	th := min(want, max(avail-lowerMin, 3))
	lh := max(avail-th, 0)

	cw := min(max(w*2/5, coresMinWidth), coresMaxWidth)
	m.timeline = m.timeline.setSize(w, th)
	m.corel.width, m.corel.height = w, th
	m.cores = m.cores.setSize(cw, lh)
	m.output = m.output.setSize(max(w-cw-columnGap, 0), lh)
	m.states = m.states.set(m.replayable(), scen.Bound, m.replay, max(w-cw-columnGap, 0), lh)
	m.enableLaneKeys() // they depend on the lanes just laid out
	return m
}

// Projector lanes: as tall as the room allows, up to maxLaneRows, once the lower panel has
// projectorLower rows more than it needs (so the output still shows a few lines).
const (
	maxLaneRows    = 8
	projectorLower = 3
)

// laneRows is how tall each task lane is: one; in projector mode, as many rows as fit in avail
// rows once the lower panel has its lowerMin and a few more, so a large screen is filled by
// the lanes, not left blank.
func (m Model) laneRows(avail, lowerMin int) int {
	t := m.timeline
	if !m.common.projector || m.coreLanes || t.fold || m.help.ShowAll {
		return 1
	}
	return min(max((avail-lowerMin-projectorLower-2)/t.lanesWanted(), 1), maxLaneRows)
}

// expectedTasks is how many lanes a run of s with knobs p is expected to have: one per call or
// per chunk; 0 when not known.
func expectedTasks(s scenarios.Scenario, p scenarios.Params) int {
	switch {
	case s.IsProgram():
		return 0
	case s.Bound == scenarios.IOBound:
		return p.Calls
	case s.Bound == scenarios.CPUBound:
		return p.Chunks
	}
	return 0
}

// statusHeight is how many lines the status takes: the knobs, run-all progress and messages,
// wrapped to the width.
func (m Model) statusHeight() int { return strings.Count(m.statusLine(), "\n") + 1 }

// explainLines is the current scenario's "what to look for", wrapped to width w.
func (m Model) explainLines(w int) []string {
	var out []string
	for _, l := range m.scenario().LookFor(m.cfg.Params, m.cfg.Params.CoresOrAll()) {
		for i, p := range wrapWords(l, w-2) {
			if i == 0 {
				out = append(out, "• "+p)
			} else {
				out = append(out, "  "+p)
			}
		}
	}
	return out
}

func (m Model) helpHeight() int {
	if !m.help.ShowAll && m.caption == "" {
		return 1
	}
	return lipgloss.Height(m.helpView())
}

// helpView is the help line, or the full help: drawn again only when the width, the choice
// between the two or the keys in force change, since it is the same on almost every frame.
func (m Model) helpView() string {
	c := m.common
	k := helpKey{width: m.help.Width, full: m.help.ShowAll, enabled: c.keys.enabledMask(m.help.ShowAll),
		play: c.keys.Play.Help().Desc, caption: m.caption, valid: true}
	if c.helpFor != k {
		c.helpFor, c.helpText = k, m.shortHelp()
		switch {
		case m.help.ShowAll:
			c.helpText = m.fullHelp()
		case m.caption != "":
			c.helpText = m.captionView()
		}
	}
	return c.helpText
}

// captionView is a tour's caption, wrapped to the width: every word of it on screen.
func (m Model) captionView() string {
	st := m.common.styles
	lines := wrapWords(m.caption, m.help.Width-2)
	for i, l := range lines {
		lead := "  "
		if i == 0 {
			lead = "▶ "
		}
		lines[i] = st.Heading.Render(lead + l)
	}
	return strings.Join(lines, "\n")
}

// defaultHelpStyles are the bubbles help's own styles.
var defaultHelpStyles = help.New().Styles

// helpStyles are the help's styles: the bubbles defaults, or in projector mode the screen's
// high-contrast ones.
func helpStyles(c *common) help.Styles {
	if !c.projector {
		return defaultHelpStyles
	}
	st := c.styles
	return help.Styles{ShortKey: st.Heading, ShortDesc: st.Explain, ShortSeparator: st.Dim, Ellipsis: st.Dim,
		FullKey: st.Heading, FullDesc: st.Explain, FullSeparator: st.Dim}
}

// shortHelp is the help line: of the keys that do something now, those that matter most and
// fit the width, in their order; ? and q always.
func (m Model) shortHelp() string {
	items := m.common.keys.shortItems()
	st := m.help.Styles
	sep := st.ShortSeparator.Inline(true).Render(m.help.ShortSeparator)
	entry := func(b key.Binding) string {
		return st.ShortKey.Inline(true).Render(b.Help().Key) + " " + st.ShortDesc.Inline(true).Render(b.Help().Desc)
	}
	keep := make([]bool, len(items))
	width := 0
	for rank := 0; rank <= 9; rank++ {
		for i, it := range items {
			if it.rank != rank || !it.b.Enabled() {
				continue
			}
			w := lipgloss.Width(entry(it.b))
			if width > 0 {
				w += lipgloss.Width(sep)
			}
			if width+w <= m.help.Width {
				keep[i], width = true, width+w
			}
		}
	}
	var parts []string
	for i, it := range items {
		if keep[i] {
			parts = append(parts, entry(it.b))
		}
	}
	return strings.Join(parts, sep)
}

// fullHelp is the full help's columns, as many side by side as fit the width, the rest in rows
// of columns below them.
func (m Model) fullHelp() string {
	h := m.help
	h.Width = 0 // measure the columns as they are
	h.FullSeparator = "   "
	var rows []string
	var row [][]key.Binding
	for _, col := range m.common.keys.FullHelp() {
		if len(row) > 0 && lipgloss.Width(h.FullHelpView(append(row, col))) > m.help.Width {
			rows = append(rows, h.FullHelpView(row))
			row = nil
		}
		row = append(row, col)
	}
	if len(row) > 0 {
		rows = append(rows, h.FullHelpView(row))
	}
	var out []string
	for _, r := range rows {
		if r != "" {
			out = append(out, r)
		}
	}
	return strings.Join(out, "\n")
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

// View draws the screen: header, timelines (or core lanes), per-core load beside the output (or
// the replay's states, or the explanation), summary, status and help; or the compare view.
func (m Model) View() string {
	w, h := m.size()
	if w <= 0 || h <= 0 {
		return ""
	}
	if w < MinWidth || h < MinHeight {
		return tooSmall(m.common.styles, w, h)
	}
	var b strings.Builder
	section := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	if m.mode == viewCompare {
		section(m.header.view())
		b.WriteString("\n")
		section(padLines(m.compare.view(), w, m.compare.height))
		section(m.statusLine())
		b.WriteString(m.helpView())
		return fit(b.String(), w, h)
	}
	gap := m.common.height - m.header.height() - m.timeline.height - m.cores.height -
		m.summary.height() - m.statusHeight() - m.helpHeight()
	blank := func() {
		if gap > 0 {
			b.WriteString("\n")
			gap--
		}
	}
	section(m.header.view())
	blank()
	if m.coreLanes {
		section(padLines(m.corel.view(), w, m.timeline.height))
	} else {
		section(m.timeline.view())
	}
	blank()
	section(m.lowerView())
	blank()
	section(m.summary.view())
	section(m.statusLine())
	b.WriteString(m.helpView())
	return fit(b.String(), w, h)
}

// lowerView puts the per-core load beside the output or the replay's states; or shows the
// explanation across the width.
func (m Model) lowerView() string {
	if m.cores.height <= 0 {
		return ""
	}
	if m.explain {
		st := m.common.styles
		lines := []string{st.Heading.Render("What to look for in "+m.scenario().ID) + st.Dim.Render("  (e or esc closes)")}
		for _, l := range m.explainLines(m.common.width) {
			lines = append(lines, st.Explain.Render(l))
		}
		return padLines(strings.Join(lines, "\n"), m.common.width, m.cores.height)
	}
	left := padLines(m.cores.view(), m.cores.width, m.cores.height)
	right := m.output.view()
	if m.replay.on && m.replayable() != nil {
		right = m.states.view()
	}
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
