package report

import "testing"

func TestExportPath(t *testing.T) {
	for _, tc := range []struct {
		file    string
		several bool
		want    string
	}{
		{"x.trace", false, "x.trace"},
		{"x.trace", true, "x.io-threads.trace"},
		{"out/run", true, "out/run.io-threads"},
		{"a.b/c.out", true, "a.b/c.io-threads.out"},
	} {
		if got := ExportPath(tc.file, "io-threads", tc.several); got != tc.want {
			t.Errorf("ExportPath(%q, %v) = %q, want %q", tc.file, tc.several, got, tc.want)
		}
	}
}
