package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the screen answers to.
type KeyMap struct {
	// Pick selects scenario 1–7 by number and starts it.
	Pick key.Binding
	// Prev and Next move to the neighbouring scenario (wrapping around) and start it.
	Prev, Next key.Binding
	// Rerun starts the selected scenario again.
	Rerun key.Binding
	// Help toggles the full help.
	Help key.Binding
	// Quit stops the running scenario and leaves.
	Quit key.Binding
}

// DefaultKeyMap returns the standard bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Pick: key.NewBinding(
			key.WithKeys("1", "2", "3", "4", "5", "6", "7"),
			key.WithHelp("1-7", "scenario"),
		),
		Prev: key.NewBinding(
			key.WithKeys("left", "shift+tab"),
			key.WithHelp("←/shift+tab", "previous"),
		),
		Next: key.NewBinding(
			key.WithKeys("right", "tab"),
			key.WithHelp("→/tab", "next"),
		),
		Rerun: key.NewBinding(
			key.WithKeys("r"),
			key.WithHelp("r", "rerun"),
		),
		Help: key.NewBinding(
			key.WithKeys("?"),
			key.WithHelp("?", "more help"),
		),
		Quit: key.NewBinding(
			key.WithKeys("q", "ctrl+c"),
			key.WithHelp("q", "quit"),
		),
	}
}

// ShortHelp is the one-line help always shown at the bottom; it fits in 80 columns.
func (k KeyMap) ShortHelp() []key.Binding {
	move := key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→/tab", "switch"))
	hlp := k.Help
	hlp.SetHelp("?", "help")
	return []key.Binding{k.Pick, move, k.Rerun, hlp, k.Quit}
}

// FullHelp is the help shown after pressing ?; it fits in 80 columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	with := func(b key.Binding, keys, desc string) key.Binding {
		b.SetHelp(keys, desc)
		return b
	}
	return [][]key.Binding{
		{
			with(k.Pick, "1-7", "select a scenario, start it"),
			with(k.Prev, "←/shift+tab", "previous scenario"),
			with(k.Next, "→/tab", "next scenario"),
		},
		{
			with(k.Rerun, "r", "run it again"),
			with(k.Help, "?", "close this help"),
			with(k.Quit, "q/ctrl+c", "stop the run and quit"),
		},
	}
}
