package main

import (
	"bytes"
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

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"
)

// ptyTerm is the real binary running in a pseudo-terminal of its own, with everything it draws
// kept and time-stamped, and the terminal queries it makes at start answered.
type ptyTerm struct {
	cmd    *exec.Cmd
	master *os.File

	mu   sync.Mutex
	out  []byte
	seen chan struct{} // pinged after each read
}

// startTerm starts timeslice with args in a width×height pseudo-terminal.
func startTerm(tb testing.TB, width, height int, args ...string) *ptyTerm {
	tb.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		tb.Skip("no pseudo-terminal:", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		tb.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		tb.Fatal(err)
	}
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer slave.Close()
	unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: uint16(height), Col: uint16(width)})
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	t := &ptyTerm{cmd: cmd, master: master, seen: make(chan struct{}, 1)}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go t.read()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		master.Close()
	})
	return t
}

func (t *ptyTerm) read() {
	buf := make([]byte, 64<<10)
	for {
		n, err := t.master.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			// Answer the background-colour and cursor-position queries a terminal would.
			if bytes.Contains(chunk, []byte("\x1b]11;?")) {
				t.master.WriteString("\x1b]11;rgb:0000/0000/0000\x1b\\")
			}
			if bytes.Contains(chunk, []byte("\x1b[6n")) {
				t.master.WriteString("\x1b[1;1R")
			}
			t.mu.Lock()
			t.out = append(t.out, chunk...)
			t.mu.Unlock()
			select {
			case t.seen <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// mark is how much has been drawn so far.
func (t *ptyTerm) mark() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.out)
}

// waitFor returns once text has been drawn after mark, or fails after timeout.
func (t *ptyTerm) waitFor(tb testing.TB, mark int, text string, timeout time.Duration) {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		t.mu.Lock()
		found := strings.Contains(ansi.Strip(string(t.out[mark:])), text)
		t.mu.Unlock()
		if found {
			return
		}
		select {
		case <-t.seen:
		case <-deadline:
			tb.Fatalf("%q not drawn within %v", text, timeout)
		}
	}
}

// cpuTime is the CPU time the process's live threads have used, to the nanosecond: the sum of
// the scheduler's own counts, the first field of each /proc/<pid>/task/<tid>/schedstat.
func cpuTime(tb testing.TB, pid int) time.Duration {
	tb.Helper()
	files, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no threads for pid %d: %v", pid, err)
	}
	var total time.Duration
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread has just exited
		}
		ns, err := strconv.ParseInt(strings.Fields(string(b))[0], 10, 64)
		if err != nil {
			tb.Fatal(err)
		}
		total += time.Duration(ns)
	}
	return total
}

// rssMB is the resident memory of the process, from /proc/<pid>/status.
func rssMB(tb testing.TB, pid int) float64 {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			return kb / 1024
		}
	}
	return 0
}

// cpuShare is the share of one core (%) the process uses over d.
func cpuShare(tb testing.TB, pid int, d time.Duration) float64 {
	c0, t0 := cpuTime(tb, pid), time.Now()
	time.Sleep(d)
	return 100 * float64(cpuTime(tb, pid)-c0) / float64(time.Since(t0))
}

// BenchmarkLiveView measures the live view through a pseudo-terminal, as a user sees it:
// start-up to the first drawn frame, key press to redrawn frame while every core is busy with
// cpu-goroutines (p50, p99), the UI process's own CPU while idle and while observing, and its
// resident memory. Run it with -benchtime=1x: each iteration takes about 25 s.
func BenchmarkLiveView(b *testing.B) {
	for b.Loop() {
		// Start-up, then idle: a one-call run with no latency is over at once.
		t0 := time.Now()
		idle := startTerm(b, 100, 30, "--calls", "1", "--latency", "0s", "io-sequential")
		idle.waitFor(b, 0, "io-sequential", 5*time.Second)
		startup := time.Since(t0)
		time.Sleep(500 * time.Millisecond)
		idleCPU := cpuShare(b, idle.cmd.Process.Pid, 10*time.Second)
		idleLat := keyLatencies(b, idle, 20)

		// Busy: a sum long enough to keep both cores computing for the whole measurement.
		busy := startTerm(b, 100, 30, "--upto", "2000", "cpu-goroutines")
		busy.waitFor(b, 0, "chunk 1", 10*time.Second)
		pid := busy.cmd.Process.Pid
		observingCPU := cpuShare(b, pid, 10*time.Second)
		lat := keyLatencies(b, busy, 40)
		rss := rssMB(b, pid)
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		b.ReportMetric(ms(startup), "startup-ms")
		b.ReportMetric(ms(lat[len(lat)/2]), "key-p50-ms")
		b.ReportMetric(ms(lat[len(lat)*99/100]), "key-p99-ms")
		b.ReportMetric(ms(idleLat[len(idleLat)/2]), "key-idle-p50-ms")
		b.ReportMetric(idleCPU, "idle-cpu-%")
		b.ReportMetric(observingCPU, "observing-cpu-%")
		b.ReportMetric(rss, "rss-MB")
	}
}

// keyLatencies presses `?` n times (and again to close the help), and returns, sorted, how long
// each press took to be drawn as the full help.
func keyLatencies(b *testing.B, t *ptyTerm, n int) []time.Duration {
	b.Helper()
	var lat []time.Duration
	for range n {
		m := t.mark()
		start := time.Now()
		t.master.WriteString("?")
		t.waitFor(b, m, "lanes per core", 2*time.Second)
		lat = append(lat, time.Since(start))
		t.master.WriteString("?")
		// A gap that is not a whole number of frames, so presses land at every point of the
		// renderer's 60 Hz cycle rather than at one.
		time.Sleep(100*time.Millisecond + rand.N(17*time.Millisecond))
	}
	slices.Sort(lat)
	return lat
}
