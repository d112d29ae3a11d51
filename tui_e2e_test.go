package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"timeslice/report"
)

// pane is the real binary running in a detached tmux pane of a fixed size, driven like a user.
type pane struct {
	t      *testing.T
	name   string
	rcFile string
}

// startPane starts timeslice with args in a cols×rows tmux pane; the test is skipped where
// tmux is not installed (.ci/run installs it).
func startPane(t *testing.T, cols, rows int, args ...string) *pane {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux); .ci/run installs it")
	}
	p := &pane{t: t, name: fmt.Sprintf("ts-e2e-%d", time.Now().UnixNano()), rcFile: filepath.Join(t.TempDir(), "rc")}
	quoted := []string{"TERM=xterm-256color", binary}
	for _, a := range args {
		quoted = append(quoted, "'"+a+"'")
	}
	shell := strings.Join(quoted, " ") + "; echo $? > " + p.rcFile + "; sleep 60"
	cmd := exec.Command("tmux", "new-session", "-d", "-s", p.name, "-x", fmt.Sprint(cols), "-y", fmt.Sprint(rows), shell)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", p.name).Run() })
	return p
}

// screen is the pane's visible text.
func (p *pane) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-t", p.name, "-p").Output()
	return string(out)
}

// keys types each key on its own, as a user would (several keys in one write reach bubbletea as one).
func (p *pane) keys(keys ...string) {
	for _, k := range keys {
		exec.Command("tmux", "send-keys", "-t", p.name, k).Run()
		time.Sleep(150 * time.Millisecond)
	}
}

// expect waits until the screen matches every pattern, or fails with the screen.
func (p *pane) expect(patterns ...string) {
	p.t.Helper()
	ok := waitFor(15*time.Second, func() bool {
		s := p.screen()
		for _, pat := range patterns {
			if !regexp.MustCompile(pat).MatchString(s) {
				return false
			}
		}
		return true
	})
	if !ok {
		p.t.Fatalf("screen never matched %q:\n%s", patterns, p.screen())
	}
}

// exitCode waits for the program to exit and returns its status.
func (p *pane) exitCode() int {
	p.t.Helper()
	var code int
	if !waitFor(10*time.Second, func() bool {
		b, err := os.ReadFile(p.rcFile)
		if err != nil {
			return false
		}
		_, err = fmt.Sscan(string(b), &code)
		return err == nil
	}) {
		p.t.Fatalf("the program did not exit:\n%s", p.screen())
	}
	return code
}

// descendants lists the processes still running this test's binary.
func descendants() []string {
	out, _ := exec.Command("pgrep", "-f", "^"+binary).Output()
	return strings.Fields(string(out))
}

func TestLiveViewShowsRunsSwitchesAndQuitsClean(t *testing.T) {
	p := startPane(t, 100, 30, "--latency=1500ms", "--work=10ms", "io-threads")
	// While the run goes: lanes, core bars and output are all on screen.
	p.expect(`io-threads`, `call 1 `, `call 4 `, `cpu0 `, `cpu1 `, `request sent`, `running`)
	p.expect(`response received`, `finished`)
	p.keys("6")
	p.expect(`▸6 cpu-processes`, `chunk 1 `, `chunk 4 `)
	p.keys("Right")
	p.expect(`▸7 cpu-goroutines`, `chunk 1 `)
	p.keys("Left", "Left")
	p.expect(`▸5 cpu-threads-gil`)
	p.keys("Tab")
	p.expect(`▸6 cpu-processes`)
	p.keys("3")
	p.expect(`▸3 io-asyncio`, `call 1 `)
	p.keys("q")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("q exited %d", code)
	}
	if s := p.screen(); strings.Contains(s, "cpu-processes") {
		t.Fatalf("the terminal was not restored after quitting:\n%s", s)
	}
	if left := descendants(); len(left) > 0 {
		t.Fatalf("processes left behind: %v", left)
	}
}

func TestLiveViewSaysWhenTheTerminalIsTooSmall(t *testing.T) {
	p := startPane(t, 100, 30, "--latency=3s", "io-threads")
	p.expect(`call 1 `)
	// Down to 20×5 and back, again and again, while the run goes on.
	for range 3 {
		exec.Command("tmux", "resize-window", "-t", p.name, "-x", "20", "-y", "5").Run()
		p.expect(`too small`)
		exec.Command("tmux", "resize-window", "-t", p.name, "-x", "100", "-y", "30").Run()
		p.expect(`call 1 `, `cpu0 `)
	}
	exec.Command("tmux", "resize-window", "-t", p.name, "-x", "60", "-y", "15").Run()
	p.expect(`too small`)
	exec.Command("tmux", "resize-window", "-t", p.name, "-x", "100", "-y", "30").Run()
	p.expect(`call 1 `, `cpu0 `)
	p.keys("C-c")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("ctrl+c exited %d", code)
	}
}

func TestLiveViewRecordsResizesAndExports(t *testing.T) {
	dir := t.TempDir()
	cast := filepath.Join(dir, "live.cast")
	export := filepath.Join(dir, "live.json")
	p := startPane(t, 100, 30, "--record", cast, "--export-trace", export, "--latency=300ms", "io-threads")
	p.expect(`finished`)
	exec.Command("tmux", "resize-window", "-t", p.name, "-x", "110", "-y", "32").Run()
	p.expect(`call 1 `)
	p.keys("x")
	p.expect(`exported`)
	p.keys("q")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("q exited %d", code)
	}
	f, err := os.Open(cast)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, events, err := report.ReadCast(f)
	if err != nil {
		t.Fatalf("the cast is not valid asciicast v2: %v", err)
	}
	resized := false
	for _, e := range events {
		resized = resized || (e.Code == "r" && e.Data == "110x32")
	}
	if !resized {
		t.Error("the cast has no resize event for 110x32")
	}
	if _, err := os.Stat(filepath.Join(dir, "live.io-threads.json")); err != nil {
		t.Errorf("x did not write the Chrome trace: %v", err)
	}
}

// TestTourRecordsACastByItself plays a short tour script with --size and --record in a detached
// pane: it must end by itself with exit 0 and leave a cast that asciinema replays, naming the
// scenarios it ran. (The built-in tour does the same with all seven, pausing longer.)
func TestTourRecordsACastByItself(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "short.tour")
	os.WriteFile(script, []byte(`# two scenarios and the comparison
caption I/O, one call after another
run io-sequential --latency 100ms
wait done
caption I/O, one thread per call
run io-threads --latency 100ms
wait done
compare
wait 500ms
quit
`), 0o644)
	cast := filepath.Join(dir, "t.cast")
	p := startPane(t, 120, 40, "--tour", script, "--size", "100x30", "--record", cast)
	if code := p.exitCode(); code != 0 {
		t.Fatalf("the tour exited %d", code)
	}
	f, err := os.Open(cast)
	if err != nil {
		t.Fatal(err)
	}
	h, events, err := report.ReadCast(f)
	f.Close()
	if err != nil {
		t.Fatalf("the cast is not valid asciicast v2: %v", err)
	}
	if h.Width != 100 || h.Height != 30 || len(events) == 0 {
		t.Fatalf("cast header %+v with %d events, want 100×30 and some output", h, len(events))
	}
	if _, err := exec.LookPath("asciinema"); err != nil {
		t.Skip("asciinema is not installed (apt-get install -y asciinema); .ci/run installs it")
	}
	out := asciinemaCat(t, cast)
	for _, want := range []string{"io-sequential", "io-threads", "I/O, one thread per call"} {
		if !strings.Contains(out, want) {
			t.Errorf("asciinema cat printed no %q", want)
		}
	}
}
