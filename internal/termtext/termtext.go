// Package termtext makes text that comes from outside timeslice (a tour script's captions, a
// file's name, what a watched program prints, an error that quotes any of them) safe to show
// on a terminal. It owns one function, Clean, which every such path uses; it never draws.
package termtext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Clean returns s as one line of plain text a terminal shows as it is: escape sequences (colours,
// titles, clipboard writes, cursor moves) are removed, tabs and line breaks become spaces,
// and other control characters (C0, DEL, C1, the bidirectional overrides) and bytes that are
// not UTF-8 are dropped.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	s = ansi.Strip(s)
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		case unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
}

// isPlain is true when s has nothing Clean would change: printable ASCII only.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == 0x7f {
			return false
		}
	}
	return true
}

// Clip cleans s and cuts it to at most n characters, ending in "…" when it was cut: for a
// message that quotes what a file holds, which may be one line of megabytes.
func Clip(s string, n int) string {
	s = Clean(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:max(n-1, 0)]) + "…"
}
