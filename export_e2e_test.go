package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunWritesTraces: --export-trace writes Chrome trace-event JSON that names every call and
// carries ph, ts, dur, pid and tid on its slices; --go-trace writes what `go tool trace` reads.
func TestRunWritesTraces(t *testing.T) {
	dir := t.TempDir()
	js, gt := filepath.Join(dir, "x.json"), filepath.Join(dir, "x.trace")
	r := runBinary(t, "run", "--export-trace", js, "--go-trace", gt, "--latency", "100ms", "io-threads")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		TraceEvents []struct {
			Name string         `json:"name"`
			Ph   string         `json:"ph"`
			Ts   *float64       `json:"ts"`
			Dur  *float64       `json:"dur"`
			Pid  *int           `json:"pid"`
			Tid  *int           `json:"tid"`
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	threads := map[int]string{}
	slices := map[string]int{}
	counters := 0
	for _, ev := range file.TraceEvents {
		switch ev.Ph {
		case "M":
			if ev.Name == "thread_name" && ev.Tid != nil {
				threads[*ev.Tid] = fmt.Sprint(ev.Args["name"])
			}
		case "X":
			if ev.Ts == nil || ev.Dur == nil || ev.Pid == nil || ev.Tid == nil {
				t.Fatalf("slice without ts, dur, pid or tid: %+v", ev)
			}
			slices[threads[*ev.Tid]]++
		case "C":
			counters++
		}
	}
	for i := 1; i <= 4; i++ {
		if name := fmt.Sprintf("call %d", i); slices[name] == 0 {
			t.Errorf("no slices named for %q: %v", name, slices)
		}
	}
	if counters == 0 {
		t.Error("no core load counters")
	}
	goToolTrace(t, gt)
}

// TestRunWritesOneGoTracePerScenario: with several scenarios, each gets its own Go trace, named
// after it, and the Chrome trace holds them all.
func TestRunWritesOneGoTracePerScenario(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "both.json")
	r := runBinary(t, "run", "--export-trace", js, "--go-trace", filepath.Join(dir, "x.trace"), "--latency", "50ms", "io-sequential", "io-threads")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, id := range []string{"io-sequential", "io-threads"} {
		if st, err := os.Stat(filepath.Join(dir, "x."+id+".trace")); err != nil || st.Size() == 0 {
			t.Errorf("no Go trace for %s: %v", id, err)
		}
	}
	data, _ := os.ReadFile(js)
	if n := bytes.Count(data, []byte(`"process_name"`)); n != 2 {
		t.Errorf("%d processes in the Chrome trace, want 2", n)
	}
	if r := runBinary(t, "run", "--export-trace", filepath.Join(dir, "no", "x.json"), "io-threads"); r.code != 2 ||
		!strings.Contains(r.stderr, "no directory") {
		t.Errorf("a file in a missing directory: exit %d, %q; want exit 2 before running", r.code, r.stderr)
	}
}

// goToolTrace checks `go tool trace -d=parsed` accepts file; skipped without go on PATH.
func goToolTrace(t *testing.T, file string) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Log("go is not on PATH: go tool trace not checked")
		return
	}
	out, err := exec.Command(goTool, "tool", "trace", "-d=parsed", file).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool trace -d=parsed %s: %v\n%s", file, err, out[max(0, len(out)-2000):])
	}
}
