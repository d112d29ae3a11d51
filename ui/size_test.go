package ui

import (
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w, h int
		err  string
	}{
		{in: "100x30", w: 100, h: 30},
		{in: " 80X24 ", w: 80, h: 24},
		{in: "120×40", w: 120, h: 40},
		{in: "1000x500", w: 1000, h: 500},
		{in: "100", err: "want COLSxROWS"},
		{in: "x30", err: "want COLSxROWS"},
		{in: "100x", err: "want COLSxROWS"},
		{in: "100x30x2", err: "want COLSxROWS"},
		{in: "-100x30", err: "columns must be"},
		{in: "79x24", err: "columns must be 80–1000"},
		{in: "80x23", err: "rows 24–500"},
		{in: "1001x30", err: "columns must be"},
		{in: "100x501", err: "columns must be"},
		{in: "", err: "want COLSxROWS"},
	} {
		w, h, err := ParseSize(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseSize(%q) = %d, %d, %v; want an error containing %q", tc.in, w, h, err, tc.err)
			}
			continue
		}
		if err != nil || w != tc.w || h != tc.h {
			t.Errorf("ParseSize(%q) = %d, %d, %v; want %d, %d", tc.in, w, h, err, tc.w, tc.h)
		}
	}
}
