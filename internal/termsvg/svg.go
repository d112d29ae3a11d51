package termsvg

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// rectKey is the paint of a group of rectangles.
type rectKey struct {
	fill  rgb
	alpha uint8 // percent
}

// rectGroup collects the rectangles of one paint, merging each with an
// earlier one that ends where it starts on the same band (same top and
// bottom), so that a run of cells becomes one rectangle.
type rectGroup struct {
	out     []byte
	pending []prect // open rectangles, at most one per band
}

// prect is a rectangle in pixels.
type prect struct{ x0, y0, x1, y1 float64 }

func (g *rectGroup) add(r prect) {
	for i := range g.pending {
		p := &g.pending[i]
		if p.y0 == r.y0 && p.y1 == r.y1 {
			if math.Abs(p.x1-r.x0) < 1e-6 {
				p.x1 = r.x1
				return
			}
			g.write(*p)
			*p = r
			return
		}
	}
	g.pending = append(g.pending, r)
}

// flush writes the open rectangles.
func (g *rectGroup) flush() {
	for _, p := range g.pending {
		g.write(p)
	}
	g.pending = g.pending[:0]
}

func (g *rectGroup) write(r prect) {
	g.out = append(g.out, `<rect x="`...)
	g.out = num(g.out, r.x0)
	g.out = append(g.out, `" y="`...)
	g.out = num(g.out, r.y0)
	g.out = append(g.out, `" width="`...)
	g.out = num(g.out, round2(r.x1)-round2(r.x0))
	g.out = append(g.out, `" height="`...)
	g.out = num(g.out, round2(r.y1)-round2(r.y0))
	g.out = append(g.out, "\"/>\n"...)
}

// rectLayer holds rectangle groups in the order their paints first appear.
type rectLayer struct {
	order  []rectKey
	groups map[rectKey]*rectGroup
}

func (l *rectLayer) add(k rectKey, x0, y0, x1, y1 float64) {
	g := l.group(k)
	g.add(prect{x0, y0, x1, y1})
}

// flush writes the open rectangles of every group; bands never span rows,
// so the painter flushes after each row.
func (l *rectLayer) flush() {
	for _, k := range l.order {
		l.groups[k].flush()
	}
}

func (l *rectLayer) group(k rectKey) *rectGroup {
	g := l.groups[k]
	if g == nil {
		if l.groups == nil {
			l.groups = make(map[rectKey]*rectGroup)
		}
		g = &rectGroup{}
		l.groups[k] = g
		l.order = append(l.order, k)
	}
	return g
}

func (l *rectLayer) write(b []byte) []byte {
	for _, k := range l.order {
		g := l.groups[k]
		b = append(b, `<g fill="`...)
		b = hex(b, k.fill)
		if k.alpha < 100 {
			b = append(b, `" fill-opacity="`...)
			b = num(b, float64(k.alpha)/100)
		}
		b = append(b, "\">\n"...)
		b = append(b, g.out...)
		b = append(b, "</g>\n"...)
	}
	return b
}

// textKey is the paint of a group of text runs.
type textKey struct {
	fill  rgb
	attrs uint8
}

// keyed collects SVG elements in groups, in the order the keys first appear.
type keyed[K comparable] struct {
	order []K
	out   map[K][]byte
}

func (k *keyed[K]) add(key K, elem []byte) {
	if k.out == nil {
		k.out = make(map[K][]byte)
	}
	b, ok := k.out[key]
	if !ok {
		k.order = append(k.order, key)
	}
	k.out[key] = append(b, elem...)
}

// painter writes the SVG for a grid.
type painter struct {
	g                *grid
	fontSize, cw, ch float64
	pad              float64
	bgs, glyphs      rectLayer
	arcs             keyed[rgb]
	texts            keyed[textKey]
	elem             []byte // scratch for one element
	run              []byte // scratch for a run's text
}

func (g *grid) svg(opt Options) []byte {
	fs := opt.FontSize
	if fs == 0 {
		fs = defaultFontSize
	}
	p := &painter{g: g, fontSize: fs, cw: fs * cellWidthEm, ch: fs * cellHeightEm}
	p.pad = p.cw
	for y := 0; y < g.rows; y++ {
		p.shapes(y)
		p.bgs.flush()
		p.glyphs.flush()
		p.textRow(y)
	}

	width := 2*p.pad + float64(g.cols)*p.cw
	height := 2*p.pad + float64(g.rows)*p.ch
	b := make([]byte, 0, 64*1024)
	b = append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"...)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" width="`...)
	b = num(b, width)
	b = append(b, `" height="`...)
	b = num(b, height)
	b = append(b, `" viewBox="0 0 `...)
	b = num(b, width)
	b = append(b, ' ')
	b = num(b, height)
	b = append(b, "\">\n<title>"...)
	title := opt.Title
	if title == "" {
		title = defaultTitle
	}
	b = escape(b, plain(title))
	b = append(b, "</title>\n<desc>"...)
	b = escape(b, g.text())
	b = append(b, "</desc>\n"...)
	b = append(b, `<rect width="`...)
	b = num(b, width)
	b = append(b, `" height="`...)
	b = num(b, height)
	b = append(b, `" fill="`...)
	b = hex(b, g.bg)
	b = append(b, "\"/>\n"...)

	if len(p.bgs.order)+len(p.glyphs.order) > 0 {
		b = append(b, "<g shape-rendering=\"crispEdges\">\n"...)
		b = p.bgs.write(b)
		b = p.glyphs.write(b)
		b = append(b, "</g>\n"...)
	}
	for _, k := range p.arcs.order {
		b = append(b, `<g fill="none" stroke="`...)
		b = hex(b, k)
		b = append(b, `" stroke-width="`...)
		b = num(b, p.thickness(1))
		b = append(b, "\">\n"...)
		b = append(b, p.arcs.out[k]...)
		b = append(b, "</g>\n"...)
	}

	b = append(b, `<g font-family="`...)
	family := opt.FontFamily
	if family == "" {
		family = defaultFontFamily
	}
	b = escape(b, plain(family))
	b = append(b, `" font-size="`...)
	b = num(b, fs)
	b = append(b, `" fill="`...)
	b = hex(b, g.fg)
	b = append(b, "\" xml:space=\"preserve\">\n"...)
	for _, k := range p.texts.order {
		plainKey := k == textKey{fill: g.fg}
		if !plainKey {
			b = append(b, "<g"...)
			if k.fill != g.fg {
				b = append(b, ` fill="`...)
				b = hex(b, k.fill)
				b = append(b, '"')
			}
			if k.attrs&attrBold != 0 {
				b = append(b, ` font-weight="bold"`...)
			}
			if k.attrs&attrItalic != 0 {
				b = append(b, ` font-style="italic"`...)
			}
			b = append(b, ">\n"...)
		}
		b = append(b, p.texts.out[k]...)
		if !plainKey {
			b = append(b, "</g>\n"...)
		}
	}
	b = append(b, "</g>\n</svg>\n"...)
	return b
}

// decoration appends the text-decoration attribute for attrs, if any. It
// goes on each <text>: renderers such as librsvg ignore it on a group.
func decoration(b []byte, attrs uint8) []byte {
	switch attrs & (attrUnderline | attrStrike) {
	case attrUnderline:
		b = append(b, ` text-decoration="underline"`...)
	case attrStrike:
		b = append(b, ` text-decoration="line-through"`...)
	case attrUnderline | attrStrike:
		b = append(b, ` text-decoration="underline line-through"`...)
	}
	return b
}

// thickness is the width in pixels of a box line of a weight (1 light,
// 2 heavy): whole pixels, so that lines stay sharp.
func (p *painter) thickness(weight uint8) float64 {
	t := max(1, math.Round(p.fontSize*0.08))
	if weight > 1 {
		t = max(2, math.Round(p.fontSize*0.16))
	}
	return t
}

// shapes adds a row's backgrounds, blocks and box lines.
func (p *painter) shapes(y int) {
	g := p.g
	py := p.pad + float64(y)*p.ch
	for x := 0; x < g.cols; x++ {
		c := g.at(x, y)
		if c.wide == 0 {
			continue
		}
		px := p.pad + float64(x)*p.cw
		if c.pen.bgSet {
			p.bgs.add(rectKey{fill: c.pen.bg, alpha: 100}, px, py, px+float64(c.wide)*p.cw, py+p.ch)
		}
		blk, a, arc, isBox := shapeOf(c.text)
		switch {
		case blk != nil && blk.alpha > 0:
			k := rectKey{fill: c.pen.fg, alpha: blk.alpha}
			for _, r := range blk.rects {
				p.glyphs.add(k, px+r.x0*p.cw, py+r.y0*p.ch, px+r.x1*p.cw, py+r.y1*p.ch)
			}
		case isBox:
			p.boxLines(px, py, a, arc, c.pen.fg)
		}
	}
}

// boxLines adds a box-drawing glyph: a rectangle for each line through the
// cell, or an arc for a rounded corner. The lines are centred on the cell,
// on whole pixels.
func (p *painter) boxLines(px, py float64, a arms, arc uint8, fg rgb) {
	t := p.thickness(max(a.left, a.right, a.up, a.down))
	snap := func(v float64) float64 { return math.Floor(v-t/2) + t/2 }
	cx, cy := snap(px+p.cw/2), snap(py+p.ch/2)
	right, bottom := px+p.cw, py+p.ch
	if arc != arcNone {
		r := p.cw / 2
		e := p.elem[:0]
		e = append(e, `<path d="M`...)
		e = num(e, cx)
		e = append(e, ' ')
		vEnd, hEnd, dy, dx, sweep := bottom, right, r, r, byte('1')
		switch arc {
		case arcDownLeft:
			hEnd, dx, sweep = px, -r, '0'
		case arcUpLeft:
			vEnd, hEnd, dy, dx = py, px, -r, -r
		case arcUpRight:
			vEnd, dy, sweep = py, -r, '0'
		}
		e = num(e, vEnd)
		e = append(e, 'V')
		e = num(e, cy+dy)
		e = append(e, 'A')
		e = num(e, r)
		e = append(e, ' ')
		e = num(e, r)
		e = append(e, " 0 0 "...)
		e = append(e, sweep, ' ')
		e = num(e, cx+dx)
		e = append(e, ' ')
		e = num(e, cy)
		e = append(e, 'H')
		e = num(e, hEnd)
		e = append(e, "\"/>\n"...)
		p.arcs.add(fg, e)
		p.elem = e
		return
	}
	k := rectKey{fill: fg, alpha: 100}
	if a.left > 0 || a.right > 0 {
		x0, x1 := px, right
		if a.left == 0 {
			x0 = cx - t/2
		}
		if a.right == 0 {
			x1 = cx + t/2
		}
		p.glyphs.add(k, x0, cy-t/2, x1, cy+t/2)
	}
	if a.up > 0 || a.down > 0 {
		y0, y1 := py, bottom
		if a.up == 0 {
			y0 = cy - t/2
		}
		if a.down == 0 {
			y1 = cy + t/2
		}
		p.glyphs.add(k, cx-t/2, y0, cx+t/2, y1)
	}
}

// textRow adds a row's text: one <text> for each run of cells that share a
// paint. A blank or a cell drawn as a shape joins any run as a space, but a
// run never ends in one and two of them end it, so that runs hold no spaces
// that a renderer could collapse: some (Chromium) ignore xml:space on the
// enclosing group. A wide rune is a run of its own, centred on its cells.
func (p *painter) textRow(y int) {
	g := p.g
	baseline := p.pad + float64(y)*p.ch + p.ch*0.78
	var (
		open     bool
		key      textKey
		start    int // first cell of the run
		cells    int // cells in the run, trailing gaps included
		trailing int // trailing gap cells (one byte each in p.run)
	)
	flush := func() {
		if !open {
			return
		}
		open = false
		n := cells - trailing
		text := p.run[:len(p.run)-trailing]
		e := p.elem[:0]
		e = append(e, `<text x="`...)
		e = num(e, p.pad+float64(start)*p.cw)
		e = append(e, `" y="`...)
		e = num(e, baseline)
		if n > 1 {
			e = append(e, `" textLength="`...)
			e = num(e, float64(n)*p.cw)
		}
		e = append(e, '"')
		e = decoration(e, key.attrs)
		if needsPreserve(text) {
			e = append(e, ` xml:space="preserve"`...)
		}
		e = append(e, '>')
		e = escape(e, string(text))
		e = append(e, "</text>\n"...)
		p.texts.add(key, e)
		p.elem = e
	}
	for x := 0; x < g.cols; x++ {
		c := g.at(x, y)
		if c.wide == 0 {
			continue
		}
		k := textKey{fill: c.pen.fg, attrs: c.pen.attrs}
		blk, _, _, isBox := shapeOf(c.text)
		isShape := isBox || (blk != nil && blk.alpha > 0)
		decorated := c.pen.attrs&(attrUnderline|attrStrike) != 0
		if isShape || (c.text == " " && !decorated) { // a gap
			if open && trailing > 0 {
				flush() // two blanks end a run: renderers may collapse them
			}
			if open {
				p.run = append(p.run, ' ')
				cells++
				trailing++
			}
			continue
		}
		if c.wide > 1 {
			flush()
			e := p.elem[:0]
			e = append(e, `<text x="`...)
			e = num(e, p.pad+(float64(x)+float64(c.wide)/2)*p.cw)
			e = append(e, `" y="`...)
			e = num(e, baseline)
			e = append(e, `" text-anchor="middle"`...)
			e = decoration(e, k.attrs)
			e = append(e, '>')
			e = escape(e, c.text)
			e = append(e, "</text>\n"...)
			p.texts.add(k, e)
			p.elem = e
			continue
		}
		if !open || k != key {
			flush()
			open, key, start, cells, trailing = true, k, x, 0, 0
			p.run = p.run[:0]
		}
		p.run = append(p.run, c.text...)
		cells++
		trailing = 0
	}
	flush()
}

// needsPreserve tells whether a run's text has spaces that XML's default
// white-space handling would collapse or strip: only runs of underlined or
// struck-through blanks do.
func needsPreserve(text []byte) bool {
	n := len(text)
	return n > 0 && (text[0] == ' ' || text[n-1] == ' ' || bytes.Contains(text, []byte("  ")))
}

// plain drops escape sequences and control characters from s, and replaces
// invalid UTF-8.
func plain(s string) string {
	s = ansi.Strip(s)
	ok := true
	for _, r := range s {
		if r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0 || r == utf8.RuneError || r == 0xfffe || r == 0xffff {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\n' || r >= 0x7f && r < 0xa0:
		case r == 0xfffe || r == 0xffff:
			out = append(out, utf8.RuneError)
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

// escape appends s to b with the five XML special characters escaped. s must
// hold no control character but "\n".
func escape(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\'':
			b = append(b, "&apos;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// hex appends a colour as #rrggbb.
func hex(b []byte, c rgb) []byte {
	const digits = "0123456789abcdef"
	b = append(b, '#')
	for shift := 20; shift >= 0; shift -= 4 {
		b = append(b, digits[c>>uint(shift)&0xf])
	}
	return b
}

// round2 rounds to two decimals, the precision of every coordinate.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// num appends v rounded to two decimals, in its shortest form.
func num(b []byte, v float64) []byte {
	v = round2(v)
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}
