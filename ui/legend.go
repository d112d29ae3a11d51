package ui

import "github.com/charmbracelet/x/ansi"

// legendTiers say what the lane glyphs mean, from the widest wording to the narrowest: the
// running share (and that its colour is the core's), ready, waiting, unknown and blank. Every
// tier says what colour means; the narrowest fits the smallest screen.
var legendTiers = [][5]string{
	{"ran all … a sliver of the cell (colour = core)", "ready: wants a core, the lock or the loop", "waiting: I/O or sleep", "unknown", "blank: not started or done"},
	{"ran all … a sliver of the cell (colour = core)", "ready: wants a core/lock/loop", "waiting: I/O, sleep", "unknown", ""},
	{"ran all…a sliver (colour = core)", "ready: core/lock/loop", "waiting: I/O, sleep", "unknown", ""},
	{"ran all…a bit (colour=core)", "ready: core/lock/loop", "waiting", "unknown", ""},
	{"ran (colour=core)", "ready", "waiting", "unknown", ""},
}

// legend explains the glyphs g, as fully as the width allows.
func legend(st Styles, g glyphSet, width int) string {
	for n, tier := range legendTiers {
		s := st.Core(0).Render("█▆▄▂▁") + " " + st.Dim.Render(tier[0]) + "  " +
			st.Ready.Render(g.ready) + " " + st.Dim.Render(tier[1]) + "  " +
			st.Waiting.Render(g.waiting) + " " + st.Dim.Render(tier[2]) + "  " +
			st.Unknown.Render(g.unknown) + " " + st.Dim.Render(tier[3])
		if tier[4] != "" {
			s += "  " + st.Dim.Render(tier[4])
		}
		if ansi.StringWidth(s) <= width || n == len(legendTiers)-1 {
			return truncate(s, width)
		}
	}
	return ""
}
