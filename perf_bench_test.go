package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/sys/unix"

	"timeslice/internal/osproc"
	"timeslice/internal/wire"
	"timeslice/observe"
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
	return startTermEnv(tb, nil, width, height, args...)
}

// startTermEnv is startTerm with env added to timeslice's environment.
func startTermEnv(tb testing.TB, env []string, width, height int, args ...string) *ptyTerm {
	tb.Helper()
	return startTermBinary(tb, binary, env, width, height, args...)
}

// startTermBinary is startTermEnv running the program at bin instead of this tree's build.
func startTermBinary(tb testing.TB, bin string, env []string, width, height int, args ...string) *ptyTerm {
	tb.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		tb.Skip("no pseudo-terminal:", err)
	}
	// Through the raw descriptor, not master.Fd(), which would make the terminal blocking and
	// so unfit for quiet reads.
	rc, err := master.SyscallConn()
	if err != nil {
		tb.Fatal(err)
	}
	var n int
	if cerr := rc.Control(func(fd uintptr) {
		if err = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); err == nil {
			n, err = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
		}
	}); cerr != nil || err != nil {
		tb.Fatal(cerr, err)
	}
	slave, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer slave.Close()
	unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: uint16(height), Col: uint16(width)})
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	t := &ptyTerm{cmd: cmd, master: master, seen: make(chan struct{}, 1)}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go t.read()
	tb.Cleanup(t.stop)
	return t
}

// stop kills timeslice and closes the terminal; it may be called more than once.
func (t *ptyTerm) stop() {
	t.cmd.Process.Kill()
	t.cmd.Wait()
	t.master.Close()
}

// text is everything drawn so far, escape sequences removed.
func (t *ptyTerm) text() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return ansi.Strip(string(t.out))
}

// read keeps what timeslice draws. It reads as a terminal written in C would, once per chunk
// (osproc.QuietReader): a plain read here would wake this process's runtime monitor into polling
// every 20 µs after each frame, and the benchmarks would count that against the live view.
func (t *ptyTerm) read() {
	buf := make([]byte, 64<<10)
	r := osproc.QuietReader(t.master)
	for {
		n, err := r.Read(buf)
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

// waitFor returns once text has been drawn after mark, or fails after timeout. It reads only
// what arrived since its last look (and a little before, for text split between two reads), so
// that watching the screen costs the machine little while the work it measures runs.
func (t *ptyTerm) waitFor(tb testing.TB, mark int, text string, timeout time.Duration) {
	tb.Helper()
	const overlap = 1024
	deadline := time.After(timeout)
	from := mark
	for {
		t.mu.Lock()
		n := len(t.out)
		found := strings.Contains(ansi.Strip(string(t.out[max(from-overlap, mark):n])), text)
		t.mu.Unlock()
		if found {
			return
		}
		from = n
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
	return cpuShares(tb, d, pid)[0]
}

// cpuShares is cpuShare for several processes over the same d.
func cpuShares(tb testing.TB, d time.Duration, pids ...int) []float64 {
	c0 := make([]time.Duration, len(pids))
	for i, pid := range pids {
		c0[i] = cpuTime(tb, pid)
	}
	t0 := time.Now()
	time.Sleep(d)
	shares := make([]float64, len(pids))
	for i, pid := range pids {
		shares[i] = 100 * float64(cpuTime(tb, pid)-c0[i]) / float64(time.Since(t0))
	}
	return shares
}

// BenchmarkLiveView measures the live view through a pseudo-terminal, as a user sees it:
// start-up to the first drawn frame, key press to redrawn frame while every core is busy with
// cpu-goroutines (p50, p99), the UI process's own CPU while idle and while observing, and its
// resident memory. Run it with -benchtime=1x: each iteration takes about 25 s.
func BenchmarkLiveView(b *testing.B) {
	for b.Loop() {
		// Start-up, then idle: a one-call run with no latency is over at once. Beside it, the
		// same view with every P kept (a GOMAXPROCS set by hand keeps it), measured over the
		// same 10 s, shows what running on one P at rest saves on this machine right now.
		t0 := time.Now()
		idle := startTerm(b, 100, 30, "--calls", "1", "--latency", "0s", "io-sequential")
		idle.waitFor(b, 0, "io-sequential", 5*time.Second)
		startup := time.Since(t0)
		allPs := startTermEnv(b, []string{"GOMAXPROCS=" + strconv.Itoa(runtime.NumCPU())}, 100, 30,
			"--calls", "1", "--latency", "0s", "io-sequential")
		allPs.waitFor(b, 0, "io-sequential", 5*time.Second)
		time.Sleep(500 * time.Millisecond)
		shares := cpuShares(b, 10*time.Second, idle.cmd.Process.Pid, allPs.cmd.Process.Pid)
		idleCPU, allPsCPU := shares[0], shares[1]
		allPs.stop()
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
		b.ReportMetric(allPsCPU, "idle-all-Ps-cpu-%")
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
		t.waitFor(b, m, "close help", 2*time.Second)
		lat = append(lat, time.Since(start))
		t.master.WriteString("?")
		// A gap that is not a whole number of frames, so presses land at every point of the
		// renderer's 60 Hz cycle rather than at one.
		time.Sleep(100*time.Millisecond + rand.N(17*time.Millisecond))
	}
	slices.Sort(lat)
	return lat
}

// wallOnScreen reads the wall time from the live view's "✓ finished · wall 1.07 s" line.
var wallOnScreen = regexp.MustCompile(`finished · wall ([0-9.]+) (s|ms)`)

// BenchmarkObserverEffectLive measures what the whole live view costs the work: each
// scenario's wall time run bare (timeslice run --bare: no trace, no sampling, no screen) and run
// in the live view in a pseudo-terminal (flight recorder, snapshots, /proc and core sampling,
// parsing and drawing at 60 frames a second), in pairs, so both see the same machine, with the
// calibration pinned so both do the same work. Which of a pair runs first is drawn at random:
// a fixed order lets whatever the one leaves behind (page cache, a process still exiting) weigh
// on the other. Besides live/bare over all pairs it reports ci95, the half-width of the 95 %
// confidence interval of the pairs' mean ratio: the machine's noise, in the same units. The
// live view shows the wall to 10 ms; the mean over the pairs is finer than that. Run it with
// -benchtime=20x or more; with benchBeforeEnv set, another build runs in every pair too.
func BenchmarkObserverEffectLive(b *testing.B) {
	out, err := exec.Command(binary, wire.CalibrateCommand).Output()
	if err != nil {
		b.Fatal(err)
	}
	env := []string{observe.CalibrationEnv + "=" + strings.TrimSpace(string(out))}
	bare := func(id string) time.Duration {
		cmd := exec.Command(binary, "run", "--bare", "--json", id)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("%s bare: %v", id, err)
		}
		var rep struct {
			WallMs float64 `json:"wall_ms"`
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			b.Fatal(err)
		}
		return time.Duration(rep.WallMs * float64(time.Millisecond))
	}
	live := func(bin, id string) time.Duration {
		t := startTermBinary(b, bin, env, 100, 30, id)
		defer t.stop()
		t.waitFor(b, 0, "finished · wall", 30*time.Second)
		time.Sleep(50 * time.Millisecond) // the rest of the line
		m := wallOnScreen.FindStringSubmatch(t.text())
		if m == nil {
			b.Fatalf("%s: no wall on screen", id)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		if m[2] == "ms" {
			v /= 1000
		}
		return time.Duration(v * float64(time.Second))
	}
	before := os.Getenv(benchBeforeEnv)
	for _, id := range []string{"cpu-goroutines", "cpu-processes", "io-threads"} {
		b.Run(id, func(b *testing.B) {
			bare(id) // warm up: page cache
			var bareSum, liveSum, beforeSum time.Duration
			var ratios, beforeRatios []float64
			for b.Loop() {
				// One bare run and one live run of each build, in an order drawn at random.
				var bw, lw, fw time.Duration
				runs := []func(){func() { bw = bare(id) }, func() { lw = live(binary, id) }}
				if before != "" {
					runs = append(runs, func() { fw = live(before, id) })
				}
				for _, i := range rand.Perm(len(runs)) {
					runs[i]()
				}
				bareSum += bw
				liveSum += lw
				ratios = append(ratios, float64(lw)/float64(bw))
				if before != "" {
					beforeSum += fw
					beforeRatios = append(beforeRatios, float64(fw)/float64(bw))
				}
			}
			n := len(ratios)
			ms := func(d time.Duration) float64 { return float64(d) / float64(n) / float64(time.Millisecond) }
			b.ReportMetric(float64(liveSum)/float64(bareSum), "live/bare")
			b.ReportMetric(ci95(ratios), "ci95")
			b.ReportMetric(ms(bareSum), "bare-ms")
			b.ReportMetric(ms(liveSum), "live-ms")
			b.ReportMetric(ms(liveSum-bareSum), "delta-ms")
			if before != "" {
				b.ReportMetric(float64(beforeSum)/float64(bareSum), "before/bare")
				b.ReportMetric(ci95(beforeRatios), "before-ci95")
			}
		})
	}
}

// benchBeforeEnv names an environment variable that BenchmarkObserverEffectLive reads: the
// path of another build of timeslice (an earlier commit, say), whose live view then runs in
// every pair too, so that a change is measured against what it replaces on the same machine
// at the same moments, as before/bare beside live/bare.
const benchBeforeEnv = "TIMESLICE_BENCH_BEFORE"

// ci95 is the half-width of the 95 % confidence interval of the mean of xs: 1.96 standard
// errors, or 0 for fewer than two values. With the 20 or more pairs the benchmark is run with,
// the normal approximation is close enough.
func ci95(xs []float64) float64 {
	n := float64(len(xs))
	if n < 2 {
		return 0
	}
	var sum, sq float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / n
	for _, x := range xs {
		sq += (x - mean) * (x - mean)
	}
	return 1.96 * math.Sqrt(sq/(n-1)/n)
}

func TestCI95(t *testing.T) {
	// {1, 3}: mean 2, sample deviation √2, standard error 1.
	if got := ci95([]float64{1, 3}); math.Abs(got-1.96) > 1e-9 {
		t.Fatalf("ci95 of {1, 3} = %v; want 1.96", got)
	}
	if got := ci95([]float64{1.02}); got != 0 {
		t.Fatalf("ci95 of one value = %v; want 0", got)
	}
	if got := ci95([]float64{1.01, 1.01, 1.01}); got != 0 {
		t.Fatalf("ci95 of equal values = %v; want 0", got)
	}
}

// BenchmarkRunBare measures the work alone, as `timeslice run --bare` reports it: four calls of
// 150 ms one after another and at once, and how far each wall time is over its waits.
func BenchmarkRunBare(b *testing.B) {
	sums := map[string]float64{}
	for range b.N {
		r := runBinary(b, "run", "--bare", "--json", "--latency=150ms", "io-sequential", "io-threads")
		if r.code != 0 {
			b.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		for dec.More() {
			var rep bareReport
			if err := dec.Decode(&rep); err != nil {
				b.Fatal(err)
			}
			sums[rep.Scenario] += rep.WallMs
		}
	}
	for id, waits := range map[string]float64{"io-sequential": 600, "io-threads": 150} {
		b.ReportMetric(sums[id]/float64(b.N)-waits, id+"-ms-over-waits")
	}
}
