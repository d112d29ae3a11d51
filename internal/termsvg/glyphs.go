package termsvg

import "unicode/utf8"

// frect is a rectangle in fractions of a cell: x from the left, y from the top.
type frect struct{ x0, y0, x1, y1 float64 }

// block is how a block glyph is drawn: rectangles in the foreground colour,
// at an opacity (the shades ░ ▒ ▓ are the full cell, partly transparent).
type block struct {
	rects []frect
	alpha uint8 // percent; 0 means the glyph is not a block
}

// Quadrants of a cell, for the quadrant glyphs ▖ … ▟.
var (
	quadUL = frect{0, 0, 0.5, 0.5}
	quadUR = frect{0.5, 0, 1, 0.5}
	quadLL = frect{0, 0.5, 0.5, 1}
	quadLR = frect{0.5, 0.5, 1, 1}
)

// blocks holds the Block Elements, U+2580 to U+259F.
var blocks = func() (t [0x20]block) {
	opaque := func(r ...frect) block { return block{rects: r, alpha: 100} }
	full := frect{0, 0, 1, 1}
	t[0x00] = opaque(frect{0, 0, 1, 0.5}) // ▀
	for n := 1; n <= 8; n++ {             // ▁ … █: the lower n eighths
		t[n] = opaque(frect{0, 1 - float64(n)/8, 1, 1})
	}
	for n := 7; n >= 1; n-- { // ▉ … ▏: the left n eighths
		t[0x09+7-n] = opaque(frect{0, 0, float64(n) / 8, 1})
	}
	t[0x10] = opaque(frect{0.5, 0, 1, 1})            // ▐
	t[0x11] = block{rects: []frect{full}, alpha: 25} // ░
	t[0x12] = block{rects: []frect{full}, alpha: 50} // ▒
	t[0x13] = block{rects: []frect{full}, alpha: 75} // ▓
	t[0x14] = opaque(frect{0, 0, 1, 1.0 / 8})        // ▔
	t[0x15] = opaque(frect{1 - 1.0/8, 0, 1, 1})      // ▕
	t[0x16] = opaque(quadLL)                         // ▖
	t[0x17] = opaque(quadLR)                         // ▗
	t[0x18] = opaque(quadUL)                         // ▘
	t[0x19] = opaque(quadUL, frect{0, 0.5, 1, 1})    // ▙
	t[0x1a] = opaque(quadUL, quadLR)                 // ▚
	t[0x1b] = opaque(frect{0, 0, 1, 0.5}, quadLL)    // ▛
	t[0x1c] = opaque(frect{0, 0, 1, 0.5}, quadLR)    // ▜
	t[0x1d] = opaque(quadUR)                         // ▝
	t[0x1e] = opaque(quadUR, quadLL)                 // ▞
	t[0x1f] = opaque(quadUR, frect{0, 0.5, 1, 1})    // ▟
	return t
}()

// Arms of a box-drawing glyph: the weight (1 light, 2 heavy) of the line
// from the cell's centre to its left, right, top and bottom edges.
type arms struct{ left, right, up, down uint8 }

// Rounded corners, drawn as an arc between two arms.
const (
	arcNone uint8 = iota
	arcDownRight
	arcDownLeft
	arcUpLeft
	arcUpRight
)

// box holds the box-drawing glyphs drawn as shapes, by rune: the light and
// heavy lines, corners, tees and crosses of one weight, and the rounded
// corners. Mixed weights and double lines are left to the font.
var box = map[rune]struct {
	arms arms
	arc  uint8
}{
	'─': {arms: arms{1, 1, 0, 0}}, '━': {arms: arms{2, 2, 0, 0}},
	'│': {arms: arms{0, 0, 1, 1}}, '┃': {arms: arms{0, 0, 2, 2}},
	'┌': {arms: arms{0, 1, 0, 1}}, '┏': {arms: arms{0, 2, 0, 2}},
	'┐': {arms: arms{1, 0, 0, 1}}, '┓': {arms: arms{2, 0, 0, 2}},
	'└': {arms: arms{0, 1, 1, 0}}, '┗': {arms: arms{0, 2, 2, 0}},
	'┘': {arms: arms{1, 0, 1, 0}}, '┛': {arms: arms{2, 0, 2, 0}},
	'├': {arms: arms{0, 1, 1, 1}}, '┣': {arms: arms{0, 2, 2, 2}},
	'┤': {arms: arms{1, 0, 1, 1}}, '┫': {arms: arms{2, 0, 2, 2}},
	'┬': {arms: arms{1, 1, 0, 1}}, '┳': {arms: arms{2, 2, 0, 2}},
	'┴': {arms: arms{1, 1, 1, 0}}, '┻': {arms: arms{2, 2, 2, 0}},
	'┼': {arms: arms{1, 1, 1, 1}}, '╋': {arms: arms{2, 2, 2, 2}},
	'╴': {arms: arms{1, 0, 0, 0}}, '╸': {arms: arms{2, 0, 0, 0}},
	'╵': {arms: arms{0, 0, 1, 0}}, '╹': {arms: arms{0, 0, 2, 0}},
	'╶': {arms: arms{0, 1, 0, 0}}, '╺': {arms: arms{0, 2, 0, 0}},
	'╷': {arms: arms{0, 0, 0, 1}}, '╻': {arms: arms{0, 0, 0, 2}},
	'╭': {arms: arms{0, 1, 0, 1}, arc: arcDownRight},
	'╮': {arms: arms{1, 0, 0, 1}, arc: arcDownLeft},
	'╯': {arms: arms{1, 0, 1, 0}, arc: arcUpLeft},
	'╰': {arms: arms{0, 1, 1, 0}, arc: arcUpRight},
}

// shapeOf tells how a cell's grapheme is drawn: as a block, as box lines, or
// (neither) as text.
func shapeOf(text string) (b *block, a arms, arc uint8, isBox bool) {
	if len(text) != 3 { // every glyph drawn as a shape is 3 bytes in UTF-8
		return nil, arms{}, 0, false
	}
	r, _ := utf8.DecodeRuneInString(text)
	if r >= 0x2580 && r <= 0x259f {
		return &blocks[r-0x2580], arms{}, 0, false
	}
	if r >= 0x2500 && r <= 0x257f {
		if g, ok := box[r]; ok {
			return nil, g.arms, g.arc, true
		}
	}
	return nil, arms{}, 0, false
}
