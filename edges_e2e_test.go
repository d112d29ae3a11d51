package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"timeslice/report"
)

// run is one run of the binary as the edge tests need it: an environment, a stdout, and a
// guard against a program that never ends (which is then a failure, not a hung test).
type run struct {
	args   []string
	env    []string
	stdout *os.File // nil: captured
	dir    string
}

// do runs r and waits at most 10 s for it; a program still running then is killed and fails
// the test.
func (r run) do(t *testing.T) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, r.args...)
	cmd.Env = append(os.Environ(), r.env...)
	cmd.Dir = r.dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if r.stdout != nil {
		cmd.Stdout = r.stdout
	}
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Errorf("timeslice %q did not end within 10 s", r.args)
		return result{code: -1}
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// oneLineError checks r is a refusal: exit code, one short line on stderr naming want, no panic.
func oneLineError(t *testing.T, what string, r result, code int, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != code || len(lines) != 1 || !strings.HasPrefix(lines[0], "timeslice: ") || len(lines[0]) > 300 ||
		strings.Contains(r.stderr, "panic") {
		t.Errorf("%s: exit %d, stderr %q; want exit %d and one short line", what, r.code, clipText(r.stderr), code)
		return
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("%s: stderr %q does not say %q", what, r.stderr, w)
		}
	}
}

func clipText(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// TestRecordNeverRemovesAFileItDidNotCreate: when the recording cannot be written (no room for
// a single byte; a device that refuses writes), the file or device it was pointed at is left
// as it was, and no temporary file stays beside it.
func TestRecordNeverRemovesAFileItDidNotCreate(t *testing.T) {
	dir := t.TempDir()
	precious := filepath.Join(dir, "v.txt")
	os.WriteFile(precious, []byte("precious\n"), 0o600)
	if _, err := exec.LookPath("bash"); err == nil {
		cmd := exec.Command("bash", "-c", `ulimit -f 0; exec "$0" run --record "$1" --latency 10ms io-threads`, binary, precious)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Errorf("a recording that cannot be written exited 0: %s", out)
		}
		if b, err := os.ReadFile(precious); err != nil || string(b) != "precious\n" {
			t.Errorf("the file --record named is now %q (%v), want it untouched", b, err)
		}
	}
	// A device node of its own (as /dev/full: every write fails), where this user may make one.
	full := filepath.Join(dir, "full")
	if err := syscall.Mknod(full, syscall.S_IFCHR|0o666, int(1<<8|7)); err != nil {
		t.Logf("no device node of our own (%v): /dev/full itself is not risked", err)
	} else {
		r := run{args: []string{"run", "--record", full, "--latency", "10ms", "io-threads"}}.do(t)
		if r.code == 0 {
			t.Errorf("recording to a full device exited 0")
		}
		if st, err := os.Lstat(full); err != nil || st.Mode()&os.ModeCharDevice == 0 {
			t.Errorf("the device node --record named is gone or replaced: %v", err)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "v.txt" && e.Name() != "full" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestOnePathForTwoOutputsIsRefused: two outputs on one file, or an output over the tour it
// plays, are refused up front in one line, whatever way the paths reach the same file.
func TestOnePathForTwoOutputsIsRefused(t *testing.T) {
	dir := t.TempDir()
	x := filepath.Join(dir, "x")
	tour := filepath.Join(dir, "lesson.tour")
	os.WriteFile(tour, []byte("run io-threads\nquit\n"), 0o644)
	os.Symlink(tour, filepath.Join(dir, "link.tour"))
	for _, args := range [][]string{
		{"run", "--record", x, "--go-trace", x, "io-threads"},
		{"run", "--record", x, "--export-trace", x, "io-threads"},
		{"run", "--go-trace", x, "--export-trace", x, "io-threads"},
		{"run", "--go-trace", x + ".trace", "--record", x + ".io-threads.trace", "io-threads", "io-sequential"},
		{"run", "--record", x, "--export-trace", filepath.Join(dir, ".", "sub", "..", "x"), "io-threads"},
		{"--record", x + ".io-threads", "--go-trace", x, "io-threads"}, // x: the live view puts the id in
		{"--export-trace", x + ".json", "--go-trace", x + ".json"},
		{"--record", x + ".io-asyncio.json", "--export-trace", x + ".json"},
		{"--tour", tour, "--record", filepath.Join(dir, "link.tour")},
		{"run", "--export-svg", x, "--export-trace", x, "io-threads"},
		{"run", "--export-svg", x + ".svg", "--record", x + ".io-threads.svg", "io-threads", "io-sequential"},
		{"--record", x + ".io-threads.svg", "--export-trace", x + ".json"}, // x also draws the screen
		{"--record", "timeslice.compare.svg"},
	} {
		os.Mkdir(filepath.Join(dir, "sub"), 0o755)
		r := run{args: args, dir: dir}.do(t)
		oneLineError(t, strings.Join(args, " "), r, 2)
		if !regexp.MustCompile(`both name|same file`).MatchString(r.stderr) {
			t.Errorf("%q: %q does not say two uses name one file", args, r.stderr)
		}
	}
	if b, _ := os.ReadFile(tour); string(b) != "run io-threads\nquit\n" {
		t.Errorf("the tour script was changed: %q", b)
	}
}

// TestWriteErrorsToStdoutAreErrors: output that cannot be written (a full disk) is an error
// with exit status 1, in JSON and text mode and for list, not a silent success.
func TestWriteErrorsToStdoutAreErrors(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	for _, args := range [][]string{
		{"run", "--json", "--latency", "10ms", "io-threads"},
		{"run", "--latency", "10ms", "io-threads"},
		{"run", "--bare", "--latency", "10ms", "io-threads"},
		{"list"},
		{"--help"},
	} {
		r := run{args: args, stdout: full}.do(t)
		oneLineError(t, strings.Join(args, " ")+" >/dev/full", r, 1, "no space left")
	}
}

// TestTourFilesAreCheckedBeforeReading: a tour must be a regular file of a sane size; a FIFO
// nobody writes, /dev/zero, a huge file and a scenario's name are refused at once, in one line.
func TestTourFilesAreCheckedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.tour")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.tour")
	f, _ := os.Create(huge)
	f.Truncate(120 << 20) // sparse: 120 MB that cost no disk
	f.Close()
	for _, tc := range []struct {
		arg  string
		want string
	}{
		{fifo, "not a regular file"},
		{"/dev/zero", "not a regular file"},
		{huge, "at most"},
		{"io-threads", "is a scenario"},
	} {
		r := run{args: []string{"--tour", tc.arg}}.do(t)
		oneLineError(t, "--tour "+tc.arg, r, 2, tc.want)
	}
}

// TestInterruptKeepsWhatFinished: SIGINT after two of three runs leaves the Chrome export of
// the two that finished, and a Go trace for each of them, though both ran the same scenario;
// the exit status says the signal.
func TestInterruptKeepsWhatFinished(t *testing.T) {
	dir := t.TempDir()
	export, goTrace := filepath.Join(dir, "f.json"), filepath.Join(dir, "x.trace")
	cmd := exec.Command(binary, "run", "--latency", "100ms", "--calls", "40", "--export-trace", export,
		"--go-trace", goTrace, "io-threads", "io-threads", "io-sequential")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	summaries := 0
	for summaries < 2 && sc.Scan() {
		if strings.HasPrefix(sc.Text(), "io-threads: wall") {
			summaries++
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	io.Copy(io.Discard, out)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("interrupted run ended with %v, want exit status 130; stderr %q", err, stderr.String())
	}
	data, err := os.ReadFile(export)
	if err != nil {
		t.Fatalf("no Chrome export of the runs that finished: %v", err)
	}
	if n := bytes.Count(data, []byte(`"process_name"`)); n != 2 {
		t.Errorf("%d runs in the Chrome export, want the 2 that finished", n)
	}
	first, err1 := os.ReadFile(filepath.Join(dir, "x.io-threads.trace"))
	second, err2 := os.ReadFile(filepath.Join(dir, "x.io-threads-2.trace"))
	if err1 != nil || err2 != nil || bytes.Equal(first, second) {
		t.Errorf("want one Go trace per run of io-threads: %v, %v", err1, err2)
	}
}

// TestFailedRunHasNoTotal: a worker process killed mid-run fails the run, and the JSON then
// has no total (its partials are what arrived), and the text says what is missing.
func TestFailedRunHasNoTotal(t *testing.T) {
	for _, jsonOut := range []bool{true, false} {
		args := []string{"run", "--work", "40ms", "--cores", "1", "cpu-processes"}
		if jsonOut {
			args = append(args, "--json")
		}
		cmd := exec.Command(binary, args...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill the worker of the last chunk as soon as it runs.
		var killed bool
		waitFor(15*time.Second, func() bool {
			pids, _ := exec.Command("pgrep", "-f", "^"+binary+" __worker --index=3").Output()
			for _, f := range strings.Fields(string(pids)) {
				var pid int
				if _, err := fmt.Sscan(f, &pid); err == nil && syscall.Kill(pid, syscall.SIGKILL) == nil {
					killed = true
				}
			}
			return killed
		})
		cmd.Wait()
		if !killed {
			t.Fatalf("no worker process to kill: %s", errb.String())
		}
		if jsonOut {
			var rep report.Report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("JSON: %v\n%s", err, out.String())
			}
			if rep.Error == "" || rep.Total != nil {
				t.Errorf("a failed run reports error %q and total %v; want an error and no total", rep.Error, rep.Total)
			}
			var raw map[string]any
			json.Unmarshal(out.Bytes(), &raw)
			if _, ok := raw["total"]; ok {
				t.Errorf("the JSON of a failed run has a total: %s", out.String())
			}
		} else if strings.Contains(out.String(), "]  total:") || !strings.Contains(out.String(), "missing") {
			t.Errorf("the text of a failed run:\n%s\nwant no total, and which partials are missing", out.String())
		}
	}
}

// TestKnobsWithNoBoundTogether: a run whose estimate passes the bound is refused up front with
// the estimate named (unless asked for with --long), and no knob can overflow into no work.
func TestKnobsWithNoBoundTogether(t *testing.T) {
	dir := t.TempDir()
	tour := filepath.Join(dir, "long.tour")
	os.WriteFile(tour, []byte("run io-sequential --calls 100 --latency 1m\n"), 0o644)
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"run", "--upto", "1000000", "--work", "10s", "cpu-goroutines"}, "would take about"},
		{nil, []string{"run", "--calls", "10000", "--latency", "1m", "io-sequential"}, "would take about"},
		{nil, []string{"--calls", "10000", "--latency", "1m", "io-sequential"}, "would take about"},
		{nil, []string{"--tour", tour}, "would take about"},
		{nil, []string{"run", "--work", "999ns", "cpu-sequential"}, "--work"},
		{[]string{"TIMESLICE_ITERS_PER_MS=2147483647"}, []string{"run", "--work", "1ms", "--upto", "4", "cpu-sequential"}, "TIMESLICE_ITERS_PER_MS"},
		{[]string{"TIMESLICE_ITERS_PER_MS=922337203685477580"}, []string{"run", "--work", "1ms", "cpu-sequential"}, "TIMESLICE_ITERS_PER_MS"},
	} {
		r := run{args: tc.args, env: tc.env}.do(t)
		oneLineError(t, strings.Join(append(tc.env, tc.args...), " "), r, 2, tc.want)
	}
}

// TestEdgesOfTheCommandLine: extra words and unknown flags of list, help, --version, and the
// hidden commands given nonsense.
func TestEdgesOfTheCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{"list", "extra"},
		{"list", "--bogus"},
		{"__worker"},
		{"__worker", "--from=9223372036854775806", "--to=9223372036854775807"},
		{"__worker", "--index=0", "--from=5", "--to=1", "--iters=1"},
		{"__worker", "--index=0", "--from=1", "--to=4", "--iters=1", "extra"},
		{"__calibrate", "extra"},
	} {
		r := run{args: args}.do(t)
		oneLineError(t, strings.Join(args, " "), r, 2)
	}
	if r := (run{args: []string{"__child", "--bogus", "io-threads"}}).do(t); r.code == 0 || r.stdout != "" {
		t.Errorf("__child --bogus: exit %d, stdout %q; want an error before any frame", r.code, r.stdout)
	}

	help := run{args: []string{"--help"}}.do(t)
	if r := (run{args: []string{"help"}}).do(t); r.code != 0 || r.stdout != help.stdout || !strings.Contains(r.stdout, "Usage:") {
		t.Errorf("help: exit %d, %q; want --help's usage", r.code, clipText(r.stdout))
	}

	r := run{args: []string{"--version"}}.do(t)
	info, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Skip("go version -m:", err)
	}
	var modVersion, revision string
	for _, line := range strings.Split(string(info), "\n") {
		f := strings.Fields(line)
		if len(f) >= 3 && f[0] == "mod" && f[1] == "timeslice" {
			modVersion = f[2]
		}
		if len(f) >= 2 && f[0] == "build" && strings.HasPrefix(f[1], "vcs.revision=") {
			revision = strings.TrimPrefix(f[1], "vcs.revision=")
		}
	}
	if r.code != 0 || !strings.HasPrefix(r.stdout, "timeslice "+modVersion) || (revision != "" && !strings.Contains(r.stdout, revision)) {
		t.Errorf("--version: exit %d, %q; want timeslice %s and revision %q", r.code, r.stdout, modVersion, revision)
	}
}
