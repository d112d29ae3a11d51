package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTourCaptionsCannotDriveTheTerminal: a caption that holds escape sequences (retitling the
// terminal, writing its clipboard) or other control characters is kept as plain text, and the
// tour's screen carries none of it.
func TestTourCaptionsCannotDriveTheTerminal(t *testing.T) {
	script := "caption look\x1b]0;pwned\x07 here\x1b]52;c;cHduZWQ=\x07\x1b[2J \x9b31m\u009d0;x\x07 done\r\nrun io-threads\n"
	tour, err := ParseTour(strings.NewReader(script))
	if err != nil {
		t.Fatal(err)
	}
	c := tour.Steps[0].Caption
	if c != "look here 0;x done" {
		t.Errorf("caption %q, want the text without its escape sequences", c)
	}
	m := NewTour(Config{Scenario: "io-threads", Width: 100, Height: 30}, tour, TourOptions{})
	m.caption = "raw\x1b]0;pwned\x07\x1b]52;c;eA==\x07 caption" // as set from an error, say
	v := m.View()
	for _, seq := range []string{"\x1b]", "\x07", "pwned", "\x1b[2J"} {
		if strings.Contains(v, seq) {
			t.Errorf("the tour's screen carries %q", seq)
		}
	}
}

// TestTourScriptsThatAreNotScripts: lines too long, endless files, a byte order mark and a
// first word of garbage all end in an error that names the line and quotes a few dozen
// characters at most, or (the mark) parse as the script they are.
func TestTourScriptsThatAreNotScripts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script io.Reader
		want   string // in the error
	}{
		{"a line of 70 KB", strings.NewReader("run io-threads\nwait done\ncaption " + strings.Repeat("x", 70<<10) + "\n"), "tour line 3"},
		{"endless zero bytes, as /dev/zero", zeros{}, "tour line 1"},
		{"a line of 60 KB", strings.NewReader(strings.Repeat("\x1b]0;t\x07ab", 6000) + " c\n"), "tour line 1"},
		{"a garbage first word of 3 KB", strings.NewReader(strings.Repeat("\x1b]0;t\x07ab", 300) + " c\n"), "tour line 1: unknown step"},
		{"8 MB of valid lines", bytes.NewReader(bytes.Repeat([]byte("wait 1s\n"), 1<<20)), "tour"},
		{"a key of 3 KB", strings.NewReader("key " + strings.Repeat("k", 3000) + "\n"), "tour line 1: unknown key"},
		{"a scenario of 3 KB", strings.NewReader("run " + strings.Repeat("s", 3000) + "\n"), "tour line 1: unknown scenario"},
		{"a flag of 3 KB", strings.NewReader("run io-threads --" + strings.Repeat("f", 3000) + "\n"), "tour line 1"},
	} {
		_, err := ParseTour(tc.script)
		if err == nil {
			t.Errorf("%s: parsed without error", tc.name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) || utf8.RuneCountInString(msg) > 240 || strings.ContainsAny(msg, "\x1b\x07\n") {
			t.Errorf("%s: error %q (%d characters), want one short clean line with %q", tc.name, clip(msg), len(msg), tc.want)
		}
	}

	tour, err := ParseTour(strings.NewReader("\uFEFFrun io-threads\r\nquit\r\n"))
	if err != nil || len(tour.Steps) != 2 || tour.Steps[0].Scenario != "io-threads" {
		t.Fatalf("a script with a byte order mark and CRLF line ends: %+v, %v", tour.Steps, err)
	}
}

// zeros reads as /dev/zero does: zero bytes, for ever.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// clip keeps a failing message short enough to print.
func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
