// Package termsvg draws one terminal screen as a standalone SVG picture.
//
// A screen is what a bubbletea View returns: lines separated by "\n", made of
// text and block or box glyphs, styled with ANSI SGR escape sequences. Render
// lays it on a grid of cols×rows cells as a terminal would and writes an SVG
// document that looks like that terminal: the same characters, foreground and
// background colours, bold, italic, underline, on a dark or light background.
// Block glyphs (█ ▀ ▄ ▌ ▐ ▁–▇ ▏–▉ ░ ▒ ▓ and the quadrants) and the common box
// lines and corners (─ │ ┌ ┼ ╭ …) are drawn as shapes, not left to a font, so
// that they join up without gaps; all other characters are <text>.
//
// The picture has a margin of one cell's width around the grid, a <title>
// (Options.Title) and a <desc> holding the screen's plain text, so that the
// words in it can be searched and read aloud.
//
// The package owns this conversion and nothing else. It never writes to a
// terminal, never reads files, the clock or the environment, and never copies
// an escape sequence or a control character into its output: SGR sequences
// become styles, "\n", "\r" and "\t" move the cursor, and every other sequence
// (cursor moves, erases, OSC titles and hyperlinks, DCS, APC) and every other
// control character is dropped. The output is deterministic: the same input
// always gives the same bytes.
package termsvg

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
)

// Theme chooses the default background and foreground colours: those of cells
// that no SGR sequence has coloured. Colours that the screen sets itself are
// drawn as they are, so a view styled for a dark terminal stays so.
type Theme int

const (
	// Dark is a light-grey-on-near-black terminal; it is the zero Theme.
	Dark Theme = iota
	// Light is a near-black-on-white terminal.
	Light
)

// Options tune the picture. The zero Options give a 14 px font on a dark
// background with a generic title.
type Options struct {
	// FontSize is the font's size in pixels; a cell is 0.6 of it wide and 1.2
	// of it high. Zero means 14.
	FontSize float64
	// Theme gives the default background and foreground colours.
	Theme Theme
	// Background and Foreground, when not nil, replace the theme's defaults.
	Background, Foreground color.Color
	// Title is the picture's <title>; empty means "Terminal screen". Escape
	// sequences and control characters in it are dropped.
	Title string
	// FontFamily is the CSS font-family list for the text; empty means a list
	// of common monospace fonts ending in the generic "monospace".
	FontFamily string
}

// MaxCells bounds cols×rows, so that a mistaken size cannot make Render
// allocate without limit.
const MaxCells = 1 << 20

const (
	defaultFontSize   = 14
	defaultTitle      = "Terminal screen"
	defaultFontFamily = "ui-monospace, SFMono-Regular, DejaVu Sans Mono, Menlo, Consolas, Liberation Mono, monospace"
	cellWidthEm       = 0.6 // a cell's width, in font sizes
	cellHeightEm      = 1.2 // a cell's height, in font sizes
)

// themeColours returns the default background and foreground of a theme.
func themeColours(t Theme) (bg, fg rgb) {
	if t == Light {
		return 0xfafafa, 0x1c1c1c
	}
	return 0x1c1c1c, 0xd0d0d0
}

// Render writes screen, laid on a grid of cols×rows cells, to w as an SVG
// document. Lines past rows and the part of a line past cols are cut, cells
// past the end of a line stay blank, and a wide rune takes two cells (one that
// would not fit before the right edge is cut too). Style carries from one line
// to the next as on a terminal. Render fails when cols or rows is not positive
// or their product exceeds MaxCells, when FontSize is negative or not finite,
// or when w fails; it writes nothing unless the error is w's.
func Render(w io.Writer, screen string, cols, rows int, opt Options) error {
	if cols <= 0 || rows <= 0 {
		return fmt.Errorf("termsvg: screen size %dx%d: both must be positive", cols, rows)
	}
	if cols > MaxCells/rows {
		return fmt.Errorf("termsvg: screen size %dx%d: more than %d cells", cols, rows, MaxCells)
	}
	if opt.FontSize < 0 || math.IsNaN(opt.FontSize) || math.IsInf(opt.FontSize, 0) {
		return errors.New("termsvg: font size must be a finite, non-negative number")
	}
	bg, fg := themeColours(opt.Theme)
	if c, ok := toRGB(opt.Background); ok {
		bg = c
	}
	if c, ok := toRGB(opt.Foreground); ok {
		fg = c
	}
	g := newGrid(cols, rows, bg, fg)
	g.parse(screen)
	_, err := w.Write(g.svg(opt))
	return err
}
