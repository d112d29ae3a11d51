package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// palette is the colours of one look. Every colour adapts to light and dark backgrounds; none
// carries meaning alone, because every state also has its own glyph.
type palette struct {
	text, dim, faint, accent, tabBack, ready, waiting, err, ok lipgloss.AdaptiveColor
	// cores gives cpu0, cpu1, … distinct colours; they repeat past the eighth core.
	cores []lipgloss.AdaptiveColor
}

// screenPalette is the everyday look.
var screenPalette = palette{
	text:    lipgloss.AdaptiveColor{Light: "#1c1c1c", Dark: "#e4e4e4"},
	dim:     lipgloss.AdaptiveColor{Light: "#6c6c6c", Dark: "#8a8a8a"},
	faint:   lipgloss.AdaptiveColor{Light: "#a8a8a8", Dark: "#5f5f5f"},
	accent:  lipgloss.AdaptiveColor{Light: "#5f00d7", Dark: "#af87ff"},
	tabBack: lipgloss.AdaptiveColor{Light: "#e4dcff", Dark: "#3a2d6b"},
	ready:   lipgloss.AdaptiveColor{Light: "#af5f00", Dark: "#ffaf00"},
	waiting: lipgloss.AdaptiveColor{Light: "#767676", Dark: "#9e9e9e"},
	err:     lipgloss.AdaptiveColor{Light: "#c00000", Dark: "#ff5f5f"},
	ok:      lipgloss.AdaptiveColor{Light: "#007f3f", Dark: "#5fd787"},
	cores: []lipgloss.AdaptiveColor{
		{Light: "#0070b0", Dark: "#5fd7ff"}, // cpu0 cyan
		{Light: "#b0006f", Dark: "#ff87d7"}, // cpu1 magenta
		{Light: "#2f7f00", Dark: "#87d75f"}, // cpu2 green
		{Light: "#3f3fd0", Dark: "#8787ff"}, // cpu3 blue
		{Light: "#007f7f", Dark: "#5fd7af"}, // cpu4 teal
		{Light: "#c03f00", Dark: "#ff875f"}, // cpu5 orange-red
		{Light: "#6f6f00", Dark: "#d7d75f"}, // cpu6 olive
		{Light: "#7f3fbf", Dark: "#d7afff"}, // cpu7 violet
	},
}

// projectorPalette is high contrast for a projector: no grey text, labels as bright as the
// rest, unknown as visible as any state, and saturated core colours.
var projectorPalette = palette{
	text:    lipgloss.AdaptiveColor{Light: "#000000", Dark: "#ffffff"},
	dim:     lipgloss.AdaptiveColor{Light: "#1c1c1c", Dark: "#eeeeee"},
	faint:   lipgloss.AdaptiveColor{Light: "#4e4e4e", Dark: "#c6c6c6"},
	accent:  lipgloss.AdaptiveColor{Light: "#5f00af", Dark: "#d7afff"},
	tabBack: lipgloss.AdaptiveColor{Light: "#d7d7ff", Dark: "#5f00af"},
	ready:   lipgloss.AdaptiveColor{Light: "#af5f00", Dark: "#ffd700"},
	waiting: lipgloss.AdaptiveColor{Light: "#3a3a3a", Dark: "#dadada"},
	err:     lipgloss.AdaptiveColor{Light: "#af0000", Dark: "#ff5f5f"},
	ok:      lipgloss.AdaptiveColor{Light: "#005f00", Dark: "#87ff87"},
	cores: []lipgloss.AdaptiveColor{
		{Light: "#005f87", Dark: "#00ffff"},
		{Light: "#af0087", Dark: "#ff5fff"},
		{Light: "#005f00", Dark: "#5fff00"},
		{Light: "#0000d7", Dark: "#8787ff"},
		{Light: "#008787", Dark: "#00ffaf"},
		{Light: "#af3f00", Dark: "#ff8700"},
		{Light: "#5f5f00", Dark: "#ffff00"},
		{Light: "#5f00af", Dark: "#d787ff"},
	},
}

// Styles holds every style the screen uses, built once by DefaultStyles.
type Styles struct {
	// Tab and TabActive draw the scenario row; the active tab also gets a ▸ marker.
	Tab, TabActive lipgloss.Style
	// Title is the scenario id in the header, Subtitle its title, Explain its explanation.
	Title, Subtitle, Explain lipgloss.Style
	// Heading names a section; Dim is for secondary text such as the axis and times.
	Heading, Dim lipgloss.Style
	// Ready, Waiting and Unknown draw lane cells in those states; Running draws a running cell
	// whose core is not known (cells on a known core use Core).
	Ready, Waiting, Unknown, Running lipgloss.Style
	// Cores draws cpu0, cpu1, … in their own colours (running cells, load bars, legend).
	Cores []lipgloss.Style
	// BarEmpty is the unfilled part of a load bar; Other the part other programs used.
	BarEmpty, Other lipgloss.Style
	// Value highlights numbers in the summary; OK marks a finished run; Error a failed one.
	Value, OK, Error lipgloss.Style
	// Sentence is the summary's sentence of what a finished run did.
	Sentence lipgloss.Style
	// Busy is the "running" indicator.
	Busy lipgloss.Style
	// Warning is the too-small message.
	Warning lipgloss.Style
}

// resolve picks c's light or dark shade and converts it to the terminal's colour profile once,
// here, rather than on every Render: converting a hex colour to 256 colours searches the palette,
// too slow to repeat for every cell of every frame.
func resolve(c lipgloss.AdaptiveColor) lipgloss.TerminalColor {
	hex := c.Light
	if lipgloss.HasDarkBackground() {
		hex = c.Dark
	}
	switch tc := lipgloss.ColorProfile().Color(hex).(type) {
	case termenv.ANSI256Color:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.ANSIColor:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.RGBColor:
		return lipgloss.Color(string(tc))
	}
	return lipgloss.NoColor{}
}

// DefaultStyles builds the everyday Styles, for the colour profile and background decided
// before it is called.
func DefaultStyles() Styles { return stylesOf(screenPalette, false) }

// ProjectorStyles builds projector mode's high-contrast Styles: labels and the legend as bright
// as the text, every heading bold.
func ProjectorStyles() Styles { return stylesOf(projectorPalette, true) }

// stylesOf builds the Styles of palette p; bold makes the labels bold too.
func stylesOf(p palette, bold bool) Styles {
	colText, colDim, colFaint, colAccent, colTabBack := p.text, p.dim, p.faint, p.accent, p.tabBack
	colReady, colWaiting, colError, colOK, coreColors := p.ready, p.waiting, p.err, p.ok, p.cores
	base := lipgloss.NewStyle().Foreground(resolve(colText))
	s := Styles{
		Tab:       lipgloss.NewStyle().Foreground(resolve(colDim)),
		TabActive: lipgloss.NewStyle().Foreground(resolve(colAccent)).Background(resolve(colTabBack)).Bold(true),
		Title:     lipgloss.NewStyle().Foreground(resolve(colAccent)).Bold(true),
		Subtitle:  base.Bold(true),
		Explain:   base.Bold(bold),
		Heading:   lipgloss.NewStyle().Foreground(resolve(colAccent)).Bold(true),
		Dim:       lipgloss.NewStyle().Foreground(resolve(colDim)).Bold(bold),
		Ready:     lipgloss.NewStyle().Foreground(resolve(colReady)),
		Waiting:   lipgloss.NewStyle().Foreground(resolve(colWaiting)),
		Unknown:   lipgloss.NewStyle().Foreground(resolve(colFaint)),
		Running:   base,
		BarEmpty:  lipgloss.NewStyle().Foreground(resolve(colFaint)),
		Other:     lipgloss.NewStyle().Foreground(resolve(colWaiting)),
		Value:     base.Bold(true),
		Sentence:  base.Bold(true),
		OK:        lipgloss.NewStyle().Foreground(resolve(colOK)).Bold(true),
		Error:     lipgloss.NewStyle().Foreground(resolve(colError)).Bold(true),
		Busy:      lipgloss.NewStyle().Foreground(resolve(colReady)).Bold(true),
		Warning:   lipgloss.NewStyle().Foreground(resolve(colError)).Bold(true),
	}
	for _, c := range coreColors {
		s.Cores = append(s.Cores, lipgloss.NewStyle().Foreground(resolve(c)).Bold(bold))
	}
	return s
}

// Core returns the style of core c; an unknown core (model.NoCore) gets the plain Running style.
func (s Styles) Core(c int) lipgloss.Style {
	if c < 0 || len(s.Cores) == 0 {
		return s.Running
	}
	return s.Cores[c%len(s.Cores)]
}

// paint is a style's opening and closing escape sequences, so hot loops can colour text without a
// full lipgloss Render per call. Both are empty when colour is off.
type paint struct{ pre, post string }

func paintOf(s lipgloss.Style) paint {
	r := s.Render("X")
	i := strings.IndexByte(r, 'X')
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+1:]}
}

// wrap colours text, which must be one line.
func (p paint) wrap(text string) string {
	if p.pre == "" && p.post == "" {
		return text
	}
	return p.pre + text + p.post
}

// lanePaints are the paints of every lane cell kind, resolved once when the model is built: the
// colour profile and the background, which decide them, are settled before that.
type lanePaints struct {
	core                             []paint
	running, ready, waiting, unknown paint
	dim                              paint
	// g are the glyphs of the states without running; the zero value is plainGlyphs.
	g glyphSet
}

// glyphs are the glyphs the lanes draw states with.
func (lp lanePaints) glyphs() glyphSet {
	if lp.g.ready == "" {
		return plainGlyphs
	}
	return lp.g
}

func (s Styles) lanePaints() lanePaints {
	lp := lanePaints{
		running: paintOf(s.Running), ready: paintOf(s.Ready), waiting: paintOf(s.Waiting),
		unknown: paintOf(s.Unknown), dim: paintOf(s.Dim),
	}
	for _, c := range s.Cores {
		lp.core = append(lp.core, paintOf(c))
	}
	return lp
}

// coreOf is core c's paint; an unknown core gets the plain running paint.
func (lp lanePaints) coreOf(c int) paint {
	if c < 0 || len(lp.core) == 0 {
		return lp.running
	}
	return lp.core[c%len(lp.core)]
}
