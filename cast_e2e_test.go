package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"timeslice/report"
)

// TestRunRecordsACast: `timeslice run --record` writes a valid asciicast v2 file of exactly
// what it printed, which Debian's asciinema replays (where asciinema is installed).
func TestRunRecordsACast(t *testing.T) {
	cast := filepath.Join(t.TempDir(), "x.cast")
	r := runBinary(t, "run", "--record", cast, "--latency", "100ms", "io-threads")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	f, err := os.Open(cast)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, events, err := report.ReadCast(f)
	if err != nil {
		t.Fatalf("not a valid cast: %v", err)
	}
	if h.Width < 80 || h.Height < 24 || !strings.Contains(h.Title, "io-threads") || h.Timestamp == 0 || h.Env["TERM"] == "" {
		t.Errorf("header %+v", h)
	}
	var replay strings.Builder
	for _, e := range events {
		if e.Code != "o" {
			t.Errorf("event %+v: a headless run never resizes", e)
		}
		replay.WriteString(e.Data)
	}
	if want := strings.ReplaceAll(r.stdout, "\n", "\r\n"); replay.String() != want {
		t.Errorf("the cast replays\n%q\nbut the run printed\n%q", replay.String(), want)
	}

	if _, err := exec.LookPath("asciinema"); err != nil {
		t.Skip("asciinema is not installed (apt-get install -y asciinema); .ci/run installs it")
	}
	out := asciinemaCat(t, cast)
	for _, want := range []string{"io-threads: wall", "call 4: response received"} {
		if !strings.Contains(out, want) {
			t.Errorf("asciinema cat printed no %q:\n%s", want, out)
		}
	}
}

// asciinemaCat runs `asciinema cat file`. It reads /dev/tty, so where the test has no
// terminal it runs under script(1), which gives it one.
func asciinemaCat(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("asciinema", "cat", file).Output()
	if err == nil {
		return string(out)
	}
	if _, lerr := exec.LookPath("script"); lerr != nil {
		t.Fatalf("asciinema cat %s: %v (and no script(1) to give it a terminal)", file, err)
	}
	cmd := exec.Command("script", "-qec", "asciinema cat '"+file+"'", "/dev/null")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("asciinema cat %s under script: %v\n%s%s", file, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}
