package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// signalTrials is how many times each signal is sent, at a random moment, to the live view.
const signalTrials = 20

// signalRuns are the runs the signals land in, taken in turn: a long run of worker processes
// (the reproduction), goroutines computing, calls waiting, and a run that may already
// have finished when the signal comes.
var signalRuns = [][]string{
	{"--chunks", "8", "--upto", "2000", "--cores", "1", "cpu-processes"},
	{"--latency", "3s", "io-threads"},
	{"--cores", "1", "--work", "5ms", "cpu-goroutines"},
	{"--latency", "400ms", "io-asyncio"},
}

// TestSignalsEndTheLiveViewCleanly sends SIGTERM, SIGHUP and SIGINT, signalTrials times each,
// to the real live view in a tmux pane at a random moment of a run, and checks every time that
// it exits within a second, with the status 128+signal, the terminal as it was before (same
// stty settings, main screen, cursor shown), and no process of this binary left in the pane's
// session (its children and their worker processes included).
func TestSignalsEndTheLiveViewCleanly(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux); .ci/run installs it")
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("TIMESLICE_SIGNAL_SEED"); s != "" {
		seed, _ = strconv.ParseInt(s, 10, 64)
	}
	t.Logf("delays from seed %d (TIMESLICE_SIGNAL_SEED replays them)", seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 0))

	type trial struct {
		sig   syscall.Signal
		n     int
		args  []string
		delay time.Duration
	}
	var trials []trial
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT} {
		for n := range signalTrials {
			trials = append(trials, trial{sig: sig, n: n, args: signalRuns[n%len(signalRuns)],
				delay: time.Duration(rng.Int64N(int64(1200 * time.Millisecond)))})
		}
	}
	// Two panes at once keep the test to seconds; each trial's run is confined to one core, so
	// they ask for about one core together, and the rest of the suite keeps its share.
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	var took []time.Duration
	for _, tr := range trials {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := signalTrial(tr.sig, tr.args, tr.delay)
			mu.Lock()
			defer mu.Unlock()
			took = append(took, d)
			if err != nil {
				failures = append(failures, fmt.Sprintf("%v #%d after %v in %q: %v", tr.sig, tr.n+1, tr.delay, tr.args, err))
			}
		}()
	}
	wg.Wait()
	slices.Sort(took)
	t.Logf("%d signals: exit after the signal in %v at the median, %v at the 90th percentile, %v at the slowest",
		len(took), took[len(took)/2].Round(time.Millisecond), took[len(took)*9/10].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
	for _, f := range failures {
		t.Error(f)
	}
}

// signalTrial starts the live view in a pane, sends sig after delay, and checks how it ended.
// It returns how long the program took to exit after the signal.
func signalTrial(sig syscall.Signal, args []string, delay time.Duration) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "ts-signal")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	file := func(name string) string { return filepath.Join(dir, name) }
	name := fmt.Sprintf("ts-sig-%d-%d", os.Getpid(), time.Now().UnixNano())
	cmd := []string{"TERM=xterm-256color", binary}
	for _, a := range args {
		cmd = append(cmd, "'"+a+"'")
	}
	shell := "stty -g > " + file("before") + "; " + strings.Join(cmd, " ") + "; echo $? > " + file("rc") +
		"; stty -g > " + file("after") + "; sleep 60"
	if out, err := exec.Command("tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", shell).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("tmux: %v: %s", err, out)
	}
	defer exec.Command("tmux", "kill-session", "-t", name).Run()
	out, err := exec.Command("tmux", "display", "-p", "-t", name, "#{pane_pid}").Output()
	if err != nil {
		return 0, fmt.Errorf("no pane pid: %v", err)
	}
	shellPid := strings.TrimSpace(string(out))
	var pid int
	if !waitFor(5*time.Second, func() bool {
		out, _ := exec.Command("pgrep", "-P", shellPid, "-f", "^"+binary).Output()
		fields := strings.Fields(string(out))
		if len(fields) == 1 {
			pid, _ = strconv.Atoi(fields[0])
		}
		return pid > 0
	}) {
		return 0, fmt.Errorf("the program did not start")
	}
	time.Sleep(delay)
	sent := time.Now()
	if err := syscall.Kill(pid, sig); err != nil {
		return 0, fmt.Errorf("the program had ended before the signal: %v", err)
	}
	// The shell reaps the program at once: it is gone when kill(pid, 0) fails.
	for syscall.Kill(pid, 0) == nil && time.Since(sent) < 5*time.Second {
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(sent)
	var problems []string
	if took > time.Second {
		problems = append(problems, fmt.Sprintf("still running %v after the signal", took.Round(time.Millisecond)))
		syscall.Kill(pid, syscall.SIGKILL)
	}
	var code int
	var before, after []byte
	waitFor(2*time.Second, func() bool {
		b, err := os.ReadFile(file("rc"))
		if err != nil {
			return false
		}
		before, _ = os.ReadFile(file("before"))
		after, _ = os.ReadFile(file("after"))
		_, err = fmt.Sscan(string(b), &code)
		return err == nil && len(after) > 0
	})
	if want := 128 + int(sig); code != want {
		problems = append(problems, fmt.Sprintf("exit status %d, want %d", code, want))
	}
	if len(before) == 0 || string(before) != string(after) {
		problems = append(problems, fmt.Sprintf("terminal settings not restored: %q, then %q", before, after))
	}
	if out, _ := exec.Command("tmux", "display", "-p", "-t", name, "#{alternate_on} #{cursor_flag}").Output(); strings.TrimSpace(string(out)) != "0 1" {
		problems = append(problems, fmt.Sprintf("alternate screen and cursor flags %q, want main screen with the cursor shown", strings.TrimSpace(string(out))))
	}
	if out, _ := exec.Command("pgrep", "-s", shellPid, "-f", "^"+binary).Output(); len(strings.TrimSpace(string(out))) > 0 {
		problems = append(problems, "processes left behind: "+strings.Join(strings.Fields(string(out)), " "))
	}
	if len(problems) > 0 {
		return took, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return took, nil
}
