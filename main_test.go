package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"timeslice/report"
)

// binary is the real timeslice, built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "timeslice-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "timeslice")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("cannot build timeslice: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary did.
type result struct {
	code           int
	stdout, stderr string
}

// runBinary runs timeslice with args and no terminal, and waits for it.
func runBinary(t testing.TB, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

func TestListNamesEveryScenarioInOrder(t *testing.T) {
	r := runBinary(t, "list")
	if r.code != 0 {
		t.Fatalf("list exited %d: %s", r.code, r.stderr)
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		ids = append(ids, strings.Fields(line)[0])
	}
	want := []string{"io-sequential", "io-threads", "io-asyncio", "cpu-sequential", "cpu-threads-gil", "cpu-processes", "cpu-goroutines"}
	if !slices.Equal(ids, want) {
		t.Fatalf("list gave %v, want %v", ids, want)
	}
}

func TestBadInputIsOneLineAndExit2(t *testing.T) {
	for _, args := range [][]string{
		{"run", "io-fibers"},
		{"run", "--bogus", "io-threads"},
		{"run", "--calls", "0", "io-threads"},
		{"run", "--latency", "-1s", "io-threads"},
		{"run", "--chunks", "1000000", "cpu-sequential"},
		{"run", "--work", "lots", "cpu-sequential"},
		{"run", "--bare", "--go-trace", "out.trace", "io-threads"},
		{"run", "--bare", "--export-svg", "out.svg", "io-threads"},
		{"run"},
		{"io-fibers"},
		{"--calls=-3"},
		{"--step"},
		{"--loop", "io-threads"},
		{"--hold", "5s"},
		{"--tour", "--hold", "0s"},
		{"--tour", "--hold", "11m"},
		{"run", "--projector", "io-threads"},
		{}, // the live view, with no terminal
	} {
		r := runBinary(t, args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 2 || len(lines) != 1 || !strings.HasPrefix(lines[0], "timeslice: ") {
			t.Errorf("timeslice %q: exit %d, stderr %q; want exit 2 and one line", args, r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "panic") || r.stdout != "" {
			t.Errorf("timeslice %q: stdout %q stderr %q", args, r.stdout, r.stderr)
		}
	}
	if r := runBinary(t); !strings.Contains(r.stderr, "timeslice run") {
		t.Errorf("without a terminal the error should point at timeslice run: %q", r.stderr)
	}
}

func TestRunAllAsJSON(t *testing.T) {
	r := runBinary(t, "run", "--json", "--latency=200ms", "--work=2ms", "all")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var reps []report.Report
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	for dec.More() {
		var rep report.Report
		if err := dec.Decode(&rep); err != nil {
			t.Fatalf("bad JSON line: %v\n%s", err, r.stdout)
		}
		reps = append(reps, rep)
	}
	if len(reps) < 7 {
		t.Fatalf("got %d reports, want the 7 scenarios", len(reps))
	}
	for _, rep := range reps[:7] {
		if rep.Error != "" || rep.WallMs <= 0 || len(rep.Tasks) != 4 || len(rep.Lines) == 0 {
			t.Errorf("%s: %+v", rep.Scenario, rep)
		}
		// The chunks computed, so the facts must see something running; how much depends on
		// what else the machine ran. One thread at a time (sequential, or under the lock) is
		// never more than one at once, and nothing is ever more than the cores.
		if strings.HasPrefix(rep.Scenario, "cpu-") && rep.AtOnce <= 0 {
			t.Errorf("%s: at_once %v: the run's facts are missing", rep.Scenario, rep.AtOnce)
		}
		if one := rep.Scenario == "cpu-sequential" || rep.Scenario == "cpu-threads-gil"; one && rep.AtOnce > 1.05 ||
			rep.AtOnce > float64(runtime.NumCPU())+0.05 {
			t.Errorf("%s: at_once %v: more running at once than can be", rep.Scenario, rep.AtOnce)
		}
		if strings.HasPrefix(rep.Scenario, "cpu-") {
			got := slices.Clone(rep.Partials)
			slices.Sort(got)
			if !slices.Equal(got, []int64{325, 950, 1575, 2200}) || rep.Total == nil || *rep.Total != 5050 {
				t.Errorf("%s: partials %v total %v", rep.Scenario, rep.Partials, rep.Total)
			}
		}
		if rep.Scenario == "io-asyncio" {
			threads := map[int]bool{}
			for _, task := range rep.Tasks {
				for _, tid := range task.Threads {
					threads[tid] = true
				}
			}
			if len(threads) != 1 {
				t.Errorf("io-asyncio coroutines ran on threads %v, want one", threads)
			}
		}
	}
}

func TestRunPrintsLinesThenSummary(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "run.svg")
	r := runBinary(t, "run", "--latency=100ms", "--export-svg", svg, "io-sequential", "io-threads")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"call 1: request sent, waiting for response", "call 4: response received",
		"io-sequential: wall", "io-threads: wall", "against io-sequential", "waits overlapped"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	// --export-svg draws each finished run as the live view would, as a picture.
	for _, id := range []string{"io-sequential", "io-threads"} {
		b, err := os.ReadFile(strings.TrimSuffix(svg, ".svg") + "." + id + ".svg")
		if err != nil || !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "▸") ||
			!strings.Contains(string(b), "✓ finished") || !strings.Contains(string(b), "call 4") {
			t.Errorf("no picture of %s (%v)", id, err)
		}
	}
}

// TestRunBareGivesTheWallTimeAlone: --bare prints one wall time per scenario and nothing of the
// work's own output. A wall time cannot be shorter than the waits in the work (four calls of
// 150 ms one after another, or at once); how close it comes is BenchmarkRunBare's to measure.
func TestRunBareGivesTheWallTimeAlone(t *testing.T) {
	r := runBinary(t, "run", "--bare", "--latency=150ms", "io-sequential", "io-threads")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || strings.Contains(r.stdout, "call 1") {
		t.Fatalf("want one wall line per scenario, got:\n%s", r.stdout)
	}
	for i, c := range []struct {
		id    string
		least float64
	}{{"io-sequential", 0.6}, {"io-threads", 0.15}} {
		var id string
		var wall float64
		if _, err := fmt.Sscanf(lines[i], "%s wall %f s, bare (nothing observed it)", &id, &wall); err != nil ||
			id != c.id+":" || wall < c.least {
			t.Errorf("line %d %q: want %s: wall of at least %.2f s, bare (nothing observed it)", i+1, lines[i], c.id, c.least)
		}
	}
	r = runBinary(t, "run", "--bare", "--json", "--work=2ms", "cpu-processes")
	var rep bareReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v: %q %s", r.code, err, r.stdout, r.stderr)
	}
	if rep.Scenario != "cpu-processes" || !rep.Bare || rep.WallMs <= 0 || !slices.Contains(rep.Params, "--work=2ms") {
		t.Fatalf("bare JSON %+v", rep)
	}
}

// waitFor polls cond every 50 ms until it holds or d has passed.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func TestRunKeepsEveryLaneOfTenThousandCalls(t *testing.T) {
	r := runBinary(t, "run", "--json", "--calls=10000", "--latency=300ms", "io-threads")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep report.Report
	if err := json.NewDecoder(strings.NewReader(r.stdout)).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Tasks) != 10000 || len(rep.Lines) != 20000 {
		t.Fatalf("%d lanes and %d lines, want 10000 and 20000", len(rep.Tasks), len(rep.Lines))
	}
}
