package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestWatchJSONHasTheShapeOfRun(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "watch.json")
	r := runBinary(t, "watch", "--json", "--export-trace", trace, "--", "sh", "-c", "echo one; sleep 0.2 & sleep 0.2; wait; echo two >&2; exit 5")
	if r.code != 5 {
		t.Fatalf("exit %d, want the program's 5; stderr %q", r.code, r.stderr)
	}
	if strings.Count(r.stdout, "\n") != 1 {
		t.Fatalf("want one JSON line, got %q", r.stdout)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "command", "wall_ms", "cpu_ms", "exit_code", "lines", "tasks", "at_once", "busy_cores", "other_load", "sampling"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %s", k, r.stdout)
		}
	}
	if got["scenario"] != "watch" || got["exit_code"] != 5.0 || got["label"] != "sh" {
		t.Errorf("scenario %v, label %v, exit_code %v", got["scenario"], got["label"], got["exit_code"])
	}
	var lines []string
	for _, l := range got["lines"].([]any) {
		lines = append(lines, l.(string))
	}
	if !slices.Equal(lines, []string{"one", "two"}) {
		t.Errorf("lines %q, want stdout's and stderr's", lines)
	}
	tasks := got["tasks"].([]any)
	if len(tasks) != 3 {
		t.Fatalf("%d tasks, want the shell and its two sleeps: %v", len(tasks), tasks)
	}
	for _, tk := range tasks {
		m := tk.(map[string]any)
		for _, k := range []string{"name", "kind", "pid", "tid", "running_ms", "ready_ms", "waiting_ms", "lock_ms", "io_ms", "cores"} {
			if _, ok := m[k]; !ok {
				t.Errorf("task %v has no %q", m["name"], k)
			}
		}
		if m["kind"] != "process" {
			t.Errorf("task %v is a %v; each process here has one thread", m["name"], m["kind"])
		}
	}
	b, err := os.ReadFile(trace)
	if err != nil || !json.Valid(b) || !strings.Contains(string(b), `"sleep `) {
		t.Errorf("export: %v, %d bytes", err, len(b))
	}
}

func TestWatchCommandNotFoundIs127(t *testing.T) {
	r := runBinary(t, "watch", "--json", "--", "timeslice-no-such-command", "x")
	if r.code != 127 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestWatchNeedsAProgram(t *testing.T) {
	for _, args := range [][]string{{"watch"}, {"watch", "--json"}, {"watch", "--bogus", "--", "true"}} {
		r := runBinary(t, args...)
		if r.code != exitUsage || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	if _, err := exec.LookPath("python3"); err != nil {
		return
	}
	r := runBinary(t, "watch", "--json", "--", "python3", "-c", "import sys; print('out'); sys.exit(4)")
	if r.code != 4 || !strings.Contains(r.stdout, `"label":"py: python3"`) {
		t.Errorf("python3 -c: exit %d, %s", r.code, r.stdout)
	}
}

// running lists the processes whose command line matches pattern.
func running(pattern string) []string {
	out, _ := exec.Command("pgrep", "-f", pattern).Output()
	return strings.Fields(string(out))
}

func TestWatchLiveViewQuitsMidRunLeavingNothing(t *testing.T) {
	p := startPane(t, 100, 30, "watch", "--", "sh", "-c", "echo watching; sleep 31.7 & sleep 31.7")
	p.expect(`▸8 sh`, `sh \d+`, `sleep \d+`, `cpu0 `, `cpu1 `, `watching`, `running`)
	p.keys("q")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("q exited %d", code)
	}
	if left := running("^sleep 31.7"); len(left) > 0 { // not the pane's shell, which names them
		t.Fatalf("the watched program's processes were left behind: %v", left)
	}
	if left := descendants(); len(left) > 0 {
		t.Fatalf("processes left behind: %v", left)
	}
}

func TestWatchLiveViewOfCPythonThreads(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("no python3 (.ci/run installs it)")
	}
	p := startPane(t, 100, 30, "watch", "--", "python3", "examples/python/cpu_threads.py")
	p.expect(`py: cpu_threads`, `pyth\S* \d+/\d+`, `cpu0 `, `cpu1 `)
	p.expect(`total 5050`, `finished`, `exit status 0`)
	p.keys("q")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("q exited %d", code)
	}
	if left := running("^[^ ]*python[^ ]* examples/python/cpu_threads.py"); len(left) > 0 { // not the pane's shell, which names it
		t.Fatalf("python was left behind: %v", left)
	}
}

// poolProgram is a CPython multiprocessing pool of four processes, each computing a fifth of a
// second or so.
const poolProgram = `
import multiprocessing
def spin(n):
    x = n
    for _ in range(3_000_000):
        x = (x * 31 + 7) % 1_000_003
    return x
if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        print(sum(pool.map(spin, range(4))))
`

// TestWatchExportNeverShowsMoreRunningThanCores reads the Chrome export of a watched program of
// four CPU-bound processes (CPython's multiprocessing pool, or four shell loops without it) as
// an outside checker would: more "running" slices than cores overlap for at most 2 ms.
func TestWatchExportNeverShowsMoreRunningThanCores(t *testing.T) {
	prog := []string{"sh", "-c", "for i in 1 2 3 4; do (n=0; while [ $n -lt 150000 ]; do n=$((n+1)); done) & done; wait"}
	if _, err := exec.LookPath("python3"); err == nil {
		prog = []string{"python3", "-c", poolProgram}
	}
	file := filepath.Join(t.TempDir(), "pool.json")
	r := runBinary(t, append([]string{"watch", "--json", "--export-trace", file, "--"}, prog...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		TraceEvents []chromeExportEvent `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	running := runningSlices(f.TraceEvents)
	procs := map[int]bool{}
	for _, e := range f.TraceEvents {
		if e.Ph == "X" && (e.Name == "running" || e.Name == "mixed") {
			procs[e.Tid] = true
		}
	}
	if len(procs) < 4 {
		t.Fatalf("%d lanes ran; want at least the four workers", len(procs))
	}
	if over := overlapMs(running, runtime.NumCPU()); over > 2 {
		t.Errorf("more than %d running at once for %.2f ms", runtime.NumCPU(), over)
	}
}
