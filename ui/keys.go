package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the screen answers to.
type KeyMap struct {
	// Pick selects a scenario (or watched program) by its tab's number, 1–9, and starts it.
	Pick key.Binding
	// Prev and Next move to the neighbouring scenario (wrapping around) and start it.
	Prev, Next key.Binding
	// Rerun starts the selected scenario again.
	Rerun key.Binding
	// RunAll runs every scenario in turn, then opens the compare view.
	RunAll key.Binding
	// Compare toggles the compare view: every finished run on one time scale, and the lesson matrix.
	Compare key.Binding
	// CoreLanes toggles one lane per CPU core in place of the task lanes.
	CoreLanes key.Binding
	// Explain toggles what to look for in the current scenario's picture.
	Explain key.Binding
	// More and Less change the work: calls for io-* scenarios, chunks for cpu-* ones; then rerun.
	More, Less key.Binding
	// Shorter and Longer halve and double the calls' latency; then rerun.
	Shorter, Longer key.Binding
	// FewerCores and MoreCores change the cores the child may use; then rerun.
	FewerCores, MoreCores key.Binding
	// Play freezes a live run on screen (the work goes on) and shows it live again; on a
	// finished run it plays or pauses the replay.
	Play key.Binding
	// Speed cycles the replay speed: 1×, 0.5×, 0.25×.
	Speed key.Binding
	// StepBack and StepForward move the replay cursor by a tenth of the time shown;
	// CellBack and CellForward by one cell.
	StepBack, StepForward, CellBack, CellForward key.Binding
	// ScrollUp and ScrollDown move the task lanes (or the compare view's runs) by one; PageUp
	// and PageDown by a screen.
	ScrollUp, ScrollDown, PageUp, PageDown key.Binding
	// ZoomIn and ZoomOut halve and double the stretch of time the lanes show, around the
	// replay cursor, the newest time while live, or the middle of what is shown.
	ZoomIn, ZoomOut key.Binding
	// PanLeft and PanRight move a zoomed-in stretch by half its length; Fit shows the whole run.
	PanLeft, PanRight, Fit key.Binding
	// Home and End go to the start and the end of the run: the replay cursor goes there (a
	// finished run's replay starts, paused, if it was not on), and a zoomed-in stretch with it.
	Home, End key.Binding
	// Fold folds the task lanes into one summary lane per state, and back.
	Fold key.Binding
	// Details shows and hides the scheduler's vocabulary: GOMAXPROCS, preemptions, context
	// switches, core moves, why a goroutine waits.
	Details key.Binding
	// Projector switches projector mode: taller lanes, glyphs that differ by shape, high
	// contrast and a larger summary, for the back of the room.
	Projector key.Binding
	// Export writes the finished run as a Chrome trace (and its raw Go trace, when kept) and
	// the screen as an SVG picture.
	Export key.Binding
	// Close leaves the compare view, the explanation or the replay.
	Close key.Binding
	// Help toggles the full help.
	Help key.Binding
	// Quit stops the running scenario and leaves.
	Quit key.Binding
}

// DefaultKeyMap returns the standard bindings.
func DefaultKeyMap() KeyMap {
	b := func(help string, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Pick:        b("1-7", "scenario", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
		Prev:        b("←/shift+tab", "previous", "left", "shift+tab"),
		Next:        b("→/tab", "next", "right", "tab"),
		Rerun:       b("r", "rerun", "r"),
		RunAll:      b("a", "run all", "a"),
		Compare:     b("c", "compare", "c"),
		CoreLanes:   b("k", "core lanes", "k"),
		Explain:     b("e", "explain", "e"),
		More:        b("+", "more work", "+", "="),
		Less:        b("-", "less work", "-"),
		Shorter:     b("[", "latency ÷2", "["),
		Longer:      b("]", "latency ×2", "]"),
		FewerCores:  b("<", "fewer cores", "<"),
		MoreCores:   b(">", "more cores", ">"),
		Play:        b("p", "pause", "p"),
		Speed:       b("s", "speed", "s"),
		StepBack:    b(",", "step back", ","),
		StepForward: b(".", "step on", "."),
		CellBack:    b("alt+,", "a cell back", "alt+,"),
		CellForward: b("alt+.", "a cell on", "alt+."),
		ScrollUp:    b("↑", "lanes up", "up"),
		ScrollDown:  b("↓", "lanes down", "down"),
		PageUp:      b("pgup", "lanes page up", "pgup"),
		PageDown:    b("pgdn", "lanes page down", "pgdown"),
		ZoomIn:      b("z", "zoom in", "z"),
		ZoomOut:     b("Z", "zoom out", "Z"),
		PanLeft:     b("h", "earlier", "h", "shift+left"),
		PanRight:    b("l", "later", "l", "shift+right"),
		Fit:         b("0", "whole run", "0"),
		Home:        b("home", "to the start", "home"),
		End:         b("end", "to the end", "end"),
		Fold:        b("f", "fold lanes", "f"),
		Details:     b("d", "details", "d"),
		Projector:   b("P", "projector", "P"),
		Export:      b("x", "export", "x"),
		Close:       b("esc", "close", "esc"),
		Help:        b("?", "more help", "?"),
		Quit:        b("q", "quit", "q", "ctrl+c"),
	}
}

// shortItem is one entry of the help line, and how much it matters: the line keeps the
// entries that matter most (lowest rank) that fit, in their order.
type shortItem struct {
	b    key.Binding
	rank int
}

// shortItems are the help line's entries, in the order shown.
func (k KeyMap) shortItems() []shortItem {
	with := func(b key.Binding, desc string) key.Binding {
		b.SetHelp(b.Help().Key, desc)
		return b
	}
	move := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "switch"))
	return []shortItem{
		{with(k.Pick, "pick"), 1}, {move, 9}, {k.Rerun, 9}, {with(k.RunAll, "all"), 3}, {k.Compare, 2},
		{k.Explain, 3}, {with(k.CoreLanes, "cores"), 4}, {with(k.ZoomIn, "zoom"), 6}, {k.Play, 5},
		{k.Details, 7}, {with(k.Help, "help"), 0}, {k.Quit, 0},
	}
}

// ShortHelp is the one-line help always shown at the bottom, every entry of it; the line shows
// as many as fit, keeping ? and q.
func (k KeyMap) ShortHelp() []key.Binding {
	var out []key.Binding
	for _, it := range k.shortItems() {
		out = append(out, it.b)
	}
	return out
}

// FullHelp is the help shown after pressing ?: four columns of at most seven keys, which fit
// side by side in 80 columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	with := func(b key.Binding, keys, desc string) key.Binding {
		b.SetHelp(keys, desc)
		return b
	}
	// either is one help entry for a pair of keys, shown while either does something.
	either := func(a, b key.Binding, keys, desc string) key.Binding {
		a = with(a, keys, desc)
		a.SetEnabled(a.Enabled() || b.Enabled())
		return a
	}
	return [][]key.Binding{
		{
			with(k.Pick, k.Pick.Help().Key, "start"),
			with(k.Prev, "←/⇧tab", "previous"),
			with(k.Next, "→/tab", "next"),
			with(k.Rerun, "r", "again"),
			with(k.RunAll, "a", "run all"),
			with(k.Export, "x", "export"),
			with(k.Quit, "q", "quit"),
		},
		{
			with(k.Compare, "c", "compare"),
			with(k.CoreLanes, "k", "core lanes"),
			with(k.Explain, "e", "explain"),
			with(k.Fold, "f", "fold lanes"),
			with(k.Details, "d", "details"),
			with(k.Projector, "P", "projector"),
			with(k.Close, "esc", "close"),
		},
		{
			with(k.More, "+/-", "calls/chunks"),
			with(k.Shorter, "[/]", "latency"),
			with(k.FewerCores, "</>", "cores"),
			with(k.ZoomIn, "z/Z", "zoom in/out"),
			either(k.PanLeft, k.PanRight, "h/l", "earlier/later"),
			with(k.Fit, "0", "whole run"),
			with(k.Help, "?", "close help"),
		},
		{
			with(k.Play, "p", k.Play.Help().Desc),
			with(k.Speed, "s", "speed"),
			either(k.StepBack, k.StepForward, ",/.", "step ⅒"),
			either(k.CellBack, k.CellForward, "alt+,/.", "a cell"),
			either(k.Home, k.End, "home/end", "start/end"),
			either(k.ScrollUp, k.ScrollDown, "↑/↓", "scroll"),
		},
	}
}

// enabledMask has bit i set when the i-th binding the help shows (the full help when full) is
// enabled: with the width, it is all the help line depends on.
func (k KeyMap) enabledMask(full bool) uint64 {
	var shown []key.Binding
	if full {
		for _, col := range k.FullHelp() {
			shown = append(shown, col...)
		}
	} else {
		shown = k.ShortHelp()
	}
	var mask uint64
	for i, b := range shown[:min(len(shown), 64)] {
		if b.Enabled() {
			mask |= 1 << i
		}
	}
	return mask
}
