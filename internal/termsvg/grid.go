package termsvg

import (
	"image/color"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/cellbuf"
)

// rgb is a colour as 0xRRGGBB.
type rgb uint32

// toRGB converts a colour; nil and fully transparent colours are not
// converted. Indexed colours (16 and 256) map through x/ansi's xterm palette.
func toRGB(c color.Color) (rgb, bool) {
	if c == nil {
		return 0, false
	}
	r, g, b, a := c.RGBA()
	if a == 0 {
		return 0, false
	}
	if a != 0xffff { // un-premultiply
		r, g, b = r*0xffff/a, g*0xffff/a, b*0xffff/a
	}
	return rgb(r>>8)<<16 | rgb(g>>8)<<8 | rgb(b>>8), true
}

// blend mixes a and b, taking the fraction t of a.
func blend(a, b rgb, t float64) rgb {
	mix := func(shift uint) rgb {
		x, y := float64(a>>shift&0xff), float64(b>>shift&0xff)
		return rgb(x*t+y*(1-t)+0.5) << shift
	}
	return mix(16) | mix(8) | mix(0)
}

// Text attributes a pen draws with.
const (
	attrBold uint8 = 1 << iota
	attrItalic
	attrUnderline
	attrStrike
)

// pen is a resolved style: concrete colours, reverse and faint applied.
type pen struct {
	fg, bg rgb
	bgSet  bool // bg differs from the picture's background
	attrs  uint8
}

// cell is one cell of the grid.
type cell struct {
	text string // the grapheme drawn here; " " when blank, "" in a wide rune's right part
	wide uint8  // width of the grapheme that starts here: 1, or 2 and more for a wide rune
	pen  pen
}

// grid is the screen laid out as cells.
type grid struct {
	cols, rows int
	bg, fg     rgb
	cells      []cell
	blank      cell
}

func newGrid(cols, rows int, bg, fg rgb) *grid {
	g := &grid{cols: cols, rows: rows, bg: bg, fg: fg, cells: make([]cell, cols*rows)}
	g.blank = cell{text: " ", wide: 1, pen: pen{fg: fg, bg: bg}}
	for i := range g.cells {
		g.cells[i] = g.blank
	}
	return g
}

func (g *grid) at(x, y int) *cell { return &g.cells[y*g.cols+x] }

// resolve turns a parsed SGR style into a pen.
func (g *grid) resolve(s *cellbuf.Style) pen {
	p := pen{fg: g.fg, bg: g.bg}
	if c, ok := toRGB(s.Fg); ok {
		p.fg = c
	}
	if c, ok := toRGB(s.Bg); ok {
		p.bg = c
	}
	a := s.Attrs
	if a&cellbuf.ReverseAttr != 0 {
		p.fg, p.bg = p.bg, p.fg
	}
	if a&cellbuf.FaintAttr != 0 {
		p.fg = blend(p.fg, p.bg, 0.5)
	}
	if a&cellbuf.ConcealAttr != 0 {
		p.fg = p.bg
	}
	p.bgSet = p.bg != g.bg
	if a&cellbuf.BoldAttr != 0 {
		p.attrs |= attrBold
	}
	if a&cellbuf.ItalicAttr != 0 {
		p.attrs |= attrItalic
	}
	if s.UlStyle != cellbuf.NoUnderline {
		p.attrs |= attrUnderline
	}
	if a&cellbuf.StrikethroughAttr != 0 {
		p.attrs |= attrStrike
	}
	return p
}

// parse lays screen on the grid. SGR sequences set the pen; "\n" starts the
// next line at its first column, "\r" returns to the first column, "\t"
// moves to the next multiple of 8; everything else that is not printable is
// dropped.
func (g *grid) parse(screen string) {
	p := ansi.GetParser()
	defer ansi.PutParser(p)
	var style cellbuf.Style
	cur := g.blank.pen
	var state byte
	x, y := 0, 0
	for len(screen) > 0 && y < g.rows {
		seq, width, n, next := ansi.DecodeSequence(screen, state, p)
		if n <= 0 { // cannot happen with x/ansi's decoder; never loop forever
			n = 1
		}
		state = next
		screen = screen[n:]
		switch {
		case width > 0:
			g.put(x, y, seq, width, cur)
			x += width
		case seq == "\n":
			x, y = 0, y+1
		case seq == "\r":
			x = 0
		case seq == "\t":
			x = min(x/8*8+8, g.cols)
		case ansi.HasCsiPrefix(seq) && p.Command() == 'm':
			cellbuf.ReadStyle(p.Params(), &style)
			cur = g.resolve(&style)
		}
	}
}

// put writes a grapheme of the given width at (x, y), unless it would not fit
// on the line.
func (g *grid) put(x, y int, text string, width int, p pen) {
	if x+width > g.cols || width > 0xff {
		return
	}
	if p.fg == p.bg && p.attrs&(attrUnderline|attrStrike) == 0 {
		text = " " // concealed, or drawn in its own background: invisible
	} else {
		text = clean(text)
	}
	for i := x; i < x+width; i++ {
		g.unsplit(i, y)
	}
	c := g.at(x, y)
	*c = cell{text: text, wide: uint8(width), pen: p}
	for i := x + 1; i < x+width; i++ {
		*g.at(i, y) = cell{pen: p}
	}
}

// unsplit blanks the whole of a wide rune that covers (x, y), before part of
// it is overwritten.
func (g *grid) unsplit(x, y int) {
	c := g.at(x, y)
	if c.wide == 1 {
		return
	}
	head := x
	for head > 0 && g.at(head, y).wide == 0 {
		head--
	}
	w := int(g.at(head, y).wide)
	for i := head; i < head+max(w, 1) && i < g.cols; i++ {
		p := g.at(i, y).pen
		*g.at(i, y) = cell{text: " ", wide: 1, pen: p}
	}
}

// clean returns a grapheme that is safe in XML text: one holding invalid
// UTF-8, a control character or a non-character becomes U+FFFD.
func clean(s string) string {
	if len(s) == 1 && s[0] >= 0x20 && s[0] < 0x7f {
		return s
	}
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r < 0xa0) ||
			r == 0xfffe || r == 0xffff {
			return "\ufffd"
		}
	}
	return s
}

// text returns the grid's characters, one line per row, without trailing
// blanks or trailing empty lines.
func (g *grid) text() string {
	lines := make([]string, 0, g.rows)
	var line strings.Builder
	for y := 0; y < g.rows; y++ {
		line.Reset()
		for x := 0; x < g.cols; x++ {
			line.WriteString(g.at(x, y).text)
		}
		lines = append(lines, strings.TrimRight(line.String(), " "))
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}
