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
	for id, want := range map[string]string{"py: cpu_threads": "x.py-cpu_threads.json", "../../etc": "x.etc.json", "a b/c": "x.a-b-c.json"} {
		if got := ExportPath("x.json", id, true); got != want {
			t.Errorf("ExportPath for %q = %q, want %q", id, got, want)
		}
	}
}

// TestRunPathsNeverShareAFile: a scenario that runs again gets its own file.
func TestRunPathsNeverShareAFile(t *testing.T) {
	got := RunPaths("x.trace", []string{"io-threads", "io-sequential", "io-threads", "io-threads"})
	want := []string{"x.io-threads.trace", "x.io-sequential.trace", "x.io-threads-2.trace", "x.io-threads-3.trace"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run %d: %q, want %q", i+1, got[i], want[i])
		}
	}
	if got := RunPaths("x.trace", []string{"io-threads"}); got[0] != "x.trace" {
		t.Errorf("a single run: %q, want the name as given", got[0])
	}
}
