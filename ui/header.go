package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"timeslice/scenarios"
)

// tabGap separates two scenario tabs.
const tabGap = "  "

// headerModel draws the scenario tabs, the selected scenario's id and title, and its explanation.
type headerModel struct {
	c     *common
	scens []scenarios.Scenario
	sel   int
	width int
	tall  bool // room for the explanation to wrap
	cmp   bool // the compare view: a title of its own and no explanation
	knobs scenarios.Params
	proj  bool // drawn in projector mode's styles
	brief bool // without the explanation: the full one is open below
	rows  [][]int
	expl  []string
	// drawn is the header as view returns it, drawn only when set is given something new, so a
	// frame does not style every tab again.
	drawn string
}

// set selects scenario sel and lays the header out for width; with tall the explanation may wrap.
// With cmp it heads the compare view instead. The explanation is the one for a run with p.
func (h headerModel) set(sel, width int, tall, cmp bool, p scenarios.Params) headerModel {
	if h.drawn != "" && sel == h.sel && width == h.width && tall == h.tall && cmp == h.cmp && p == h.knobs && h.proj == h.c.projector {
		return h // laid out and drawn already
	}
	h.sel, h.width, h.tall, h.cmp, h.knobs, h.proj = sel, width, tall, cmp, p, h.c.projector
	h.drawn = "" // to be drawn by setBrief
	h.rows = tabRows(h.scens, width)
	return h
}

// setBrief leaves the explanation out of the header while the full one is open below it (the
// lanes keep the rows it would take), and draws the header if anything changed.
func (h headerModel) setBrief(brief bool) headerModel {
	if h.drawn != "" && brief == h.brief {
		return h
	}
	h.brief = brief
	h.expl = nil
	if !brief {
		h.expl = h.explain()
	}
	h.drawn = h.draw()
	return h
}

// height is how many lines view returns.
func (h headerModel) height() int { return len(h.rows) + 1 + len(h.expl) }

// tabRows splits the tabs into rows that fit: one row if possible, else one row per Bound, and
// rows of their own for the watched programs, as many as they need.
func tabRows(scens []scenarios.Scenario, width int) [][]int {
	all := make([]int, len(scens))
	for i := range all {
		all[i] = i
	}
	if tabsWidth(scens, all) <= width {
		return [][]int{all}
	}
	var rows [][]int
	for i, s := range scens {
		newRow := i == 0 || s.Bound != scens[i-1].Bound && !s.IsProgram() || s.IsProgram() != scens[i-1].IsProgram()
		if !newRow && s.IsProgram() {
			last := rows[len(rows)-1]
			newRow = tabsWidth(scens, append(last[:len(last):len(last)], i)) > width
		}
		if newRow {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], i)
	}
	return rows
}

func tabLabel(scens []scenarios.Scenario, i int) string {
	return fmt.Sprintf("%d %s", i+1, scens[i].ID)
}

func tabsWidth(scens []scenarios.Scenario, idx []int) int {
	w := 0
	for n, i := range idx {
		if n > 0 {
			w += len(tabGap)
		}
		w += 1 + ansi.StringWidth(tabLabel(scens, i))
	}
	return w
}

// explain lays out the two explanation lines: wrapped when there is room, else one line each.
func (h headerModel) explain() []string {
	if h.width <= 0 || h.cmp {
		return nil
	}
	ex := h.scens[h.sel].Explanation(h.knobs, h.knobs.CoresOrAll())
	var out []string
	for _, l := range ex {
		out = append(out, wrapWords(l, h.width)...)
	}
	if h.tall || len(out) <= 4 {
		return out // wrapped, never cut: at most four lines at the widths the layout is made for
	}
	return []string{truncate(ex[0], h.width), truncate(ex[1], h.width)}
}

// view returns the header as last laid out by set.
func (h headerModel) view() string { return h.drawn }

// draw draws the header.
func (h headerModel) draw() string {
	st := h.c.styles
	var b strings.Builder
	for _, row := range h.rows {
		for n, i := range row {
			if n > 0 {
				b.WriteString(tabGap)
			}
			if i == h.sel {
				b.WriteString(st.TabActive.Render("▸" + tabLabel(h.scens, i)))
			} else {
				b.WriteString(st.Tab.Render(" " + tabLabel(h.scens, i)))
			}
		}
		b.WriteString("\n")
	}
	s := h.scens[h.sel]
	if h.cmp {
		sub := "every finished run of this session, on one time scale"
		if len(" — "+sub+"  (c or esc: back)")+len("compare") > h.width {
			sub = "every run of this session on one time scale"
		}
		b.WriteString(st.Title.Render("compare") + st.Dim.Render(" — ") + st.Subtitle.Render(sub) + st.Dim.Render("  (c or esc: back)"))
		return b.String()
	}
	b.WriteString(st.Title.Render(s.ID) + st.Dim.Render(" — ") + st.Subtitle.Render(s.Title))
	for _, l := range h.expl {
		b.WriteString("\n" + st.Explain.Render(l))
	}
	return b.String()
}
