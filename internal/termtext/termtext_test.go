package termtext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCleanLeavesNothingATerminalActsOn(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text, 100 %", "plain text, 100 %"},
		{"a\x1b]0;retitled\x07b", "ab"},                  // window title (OSC 0, ended by BEL)
		{"a\x1b]52;c;cHduZWQ=\x07b", "ab"},               // clipboard write (OSC 52)
		{"a\x1b]52;c;cHduZWQ=\x1b\\b", "ab"},             // the same, ended by ST
		{"\x1b[31mred\x1b[0m", "red"},                    // colours
		{"a\x1b[2J\x1b[Hb", "ab"},                        // clear screen, cursor home
		{"a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},               // DCS (sixel)
		{"a\u009b31mb\u009d0;x\u009c", "a31mb0;x"},       // C1 controls as characters: dropped
		{"a\x9b2Jb", "ab"},                               // a raw 8-bit CSI byte starts a sequence
		{"tab\there\r\nnext", "tab here  next"},          // one line
		{"bell\a, nul\x00, del\x7f.", "bell, nul, del."}, // other controls
		{"\u202eevil\u202c", "evil"},                     // bidirectional override
		{"café ✓ █", "café ✓ █"},                         // ordinary Unicode stays
		{"bad \xff byte", "bad  byte"},
	} {
		if got := Clean(tc.in); got != tc.want {
			t.Errorf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClipCutsLongTextToAFewDozenCharacters(t *testing.T) {
	long := strings.Repeat("é", 60000)
	got := Clip(long, 32)
	if utf8.RuneCountInString(got) != 32 || !strings.HasSuffix(got, "…") {
		t.Fatalf("Clip gave %d characters: %q", utf8.RuneCountInString(got), got)
	}
	if got := Clip("short\x1b[1m", 32); got != "short" {
		t.Fatalf("Clip(short) = %q", got)
	}
}
