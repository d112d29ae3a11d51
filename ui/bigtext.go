package ui

import "strings"

// bigRows is how tall big text is.
const bigRows = 3

// bigFont draws the characters of a time or a speedup three rows tall, for the projector's
// summary: each is its rows, top first, all of one width.
var bigFont = map[rune][bigRows]string{
	'0': {"█▀█", "█ █", "▀▀▀"},
	'1': {"▀█ ", " █ ", "▀▀▀"},
	'2': {"▀▀█", "█▀▀", "▀▀▀"},
	'3': {"▀▀█", " ▀█", "▀▀▀"},
	'4': {"█ █", "▀▀█", "  ▀"},
	'5': {"█▀▀", "▀▀█", "▀▀▀"},
	'6': {"█▀▀", "█▀█", "▀▀▀"},
	'7': {"▀▀█", "  █", "  ▀"},
	'8': {"█▀█", "█▀█", "▀▀▀"},
	'9': {"█▀█", "▀▀█", "▀▀▀"},
	'.': {" ", " ", "▀"},
	'×': {"   ", "▀▄▀", "▀ ▀"},
	' ': {" ", " ", " "},
	'm': {"     ", "█▀█▀█", "▀ ▀ ▀"},
	's': {"   ", "█▀▀", "▄▄█"},
}

// bigText draws s three rows tall, a space between characters; a character the font lacks is
// left out.
func bigText(s string) [bigRows]string {
	var rows [bigRows]strings.Builder
	first := true
	for _, r := range s {
		g, ok := bigFont[r]
		if !ok {
			continue
		}
		for i := range rows {
			if !first {
				rows[i].WriteString(" ")
			}
			rows[i].WriteString(g[i])
		}
		first = false
	}
	var out [bigRows]string
	for i := range rows {
		out[i] = rows[i].String()
	}
	return out
}
