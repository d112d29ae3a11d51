package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"timeslice/internal/wire"
)

// builds are the builds the scale benchmarks measure, one after the other in each iteration:
// this tree's, and the one named by benchBeforeEnv when set, reported with "before-" metrics.
func builds() []struct{ bin, prefix string } {
	out := []struct{ bin, prefix string }{{binary, ""}}
	if before := os.Getenv(benchBeforeEnv); before != "" {
		out = append(out, struct{ bin, prefix string }{before, "before-"})
	}
	return out
}

// BenchmarkLiveLongRun measures whether the live view costs more as a run goes on: the UI
// process's CPU a second over the first and the last 6 s of a CPU-bound run of 30 s on every
// core (cpu-goroutines summing to 3300, 20 ms of work each: 33 s), counted from the first lanes
// drawn. Run it with -benchtime=1x: each build takes about 35 s.
func BenchmarkLiveLongRun(b *testing.B) {
	const window = 6 * time.Second
	for b.Loop() {
		for _, bld := range builds() {
			t := startTermBinary(b, bld.bin, nil, 100, 30, "--upto", "3300", "cpu-goroutines")
			t.waitFor(b, 0, "chunk 1", 10*time.Second)
			pid := t.cmd.Process.Pid
			t0 := time.Now()
			first := cpuShare(b, pid, window)
			time.Sleep(time.Until(t0.Add(24 * time.Second)))
			last := cpuShare(b, pid, window)
			if strings.Contains(t.text(), "finished · wall") {
				b.Errorf("%s: the run ended before the last window did", bld.bin)
			}
			t.stop()
			b.ReportMetric(first*10, bld.prefix+"first-6s-ms/s")
			b.ReportMetric(last*10, bld.prefix+"last-6s-ms/s")
			b.ReportMetric(last/first, bld.prefix+"last/first")
		}
	}
}

// BenchmarkLiveManyTasks measures the live view observing 10,000 goroutines that each sleep
// 12 s (io-threads --calls 10000): the UI process's CPU a second while they sleep (from 2 s to
// 10 s after start), against the same view observing 4 such goroutines over the same stretch,
// its CPU over the whole run (start-up to the last frame) and its peak resident memory; and
// the child's CPU time observed, against the same work's child run bare (timeslice run --bare),
// both read from /proc the same way. Run it with -benchtime=1x: each build takes about 40 s.
func BenchmarkLiveManyTasks(b *testing.B) {
	args := func(calls int) []string {
		return []string{"--calls", strconv.Itoa(calls), "--latency", "12s", "io-threads"}
	}
	bare := func() time.Duration {
		run := exec.Command(binary, append([]string{"run", "--bare"}, args(10000)...)...)
		if err := run.Start(); err != nil {
			b.Fatal(err)
		}
		cpu := cpuUntilExit(waitChild(b, run.Process.Pid, 5*time.Second))
		if err := run.Wait(); err != nil {
			b.Fatal(err)
		}
		return cpu
	}
	for b.Loop() {
		bareCPU := bare()
		for _, bld := range builds() {
			t0 := time.Now()
			t := startTermBinary(b, bld.bin, nil, 100, 30, args(10000)...)
			pid := t.cmd.Process.Pid
			childCPU := make(chan time.Duration, 1)
			go func() { childCPU <- cpuUntilExit(waitChild(b, pid, 5*time.Second)) }()
			time.Sleep(time.Until(t0.Add(2 * time.Second)))
			sleeping := cpuShare(b, pid, 8*time.Second)
			t.waitFor(b, 0, "finished · wall", 30*time.Second)
			whole := 100 * float64(cpuTime(b, pid)) / float64(time.Since(t0))
			peak := peakRSSMB(b, pid)
			observed := <-childCPU
			t.stop()

			t0 = time.Now()
			few := startTermBinary(b, bld.bin, nil, 100, 30, args(4)...)
			time.Sleep(time.Until(t0.Add(2 * time.Second)))
			fewCPU := cpuShare(b, few.cmd.Process.Pid, 8*time.Second)
			few.stop()

			b.ReportMetric(sleeping*10, bld.prefix+"ui-sleeping-ms/s")
			b.ReportMetric(fewCPU*10, bld.prefix+"ui-4-tasks-ms/s")
			b.ReportMetric(whole*10, bld.prefix+"ui-whole-ms/s")
			b.ReportMetric(peak, bld.prefix+"ui-peak-rss-MB")
			b.ReportMetric(observed.Seconds(), bld.prefix+"child-observed-s")
			b.ReportMetric(float64(observed)/float64(bareCPU), bld.prefix+"child-observed/bare")
		}
		b.ReportMetric(bareCPU.Seconds(), "child-bare-s")
	}
}

// waitChild returns the pid of the child process of pid that runs the work (the hidden child
// command), waiting up to timeout for one.
func waitChild(tb testing.TB, pid int, timeout time.Duration) int {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			for _, field := range strings.Fields(string(b)) {
				c, err := strconv.Atoi(field)
				if err != nil {
					continue
				}
				if cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", c)); strings.Contains(string(cmd), "\x00"+wire.ChildCommand+"\x00") {
					return c
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Errorf("pid %d started no child within %v", pid, timeout)
	return 0
}

// cpuUntilExit is the CPU time (user and system, every thread) pid has used when last seen
// before it exits, read from /proc/<pid>/stat every 20 ms.
func cpuUntilExit(pid int) time.Duration {
	var last time.Duration
	for pid > 0 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return last
		}
		s := string(b)
		fs := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		if fs[0] == "Z" || fs[0] == "X" {
			return last
		}
		ut, _ := strconv.ParseInt(fs[11], 10, 64) // fields 14 and 15 of the whole line
		st, _ := strconv.ParseInt(fs[12], 10, 64)
		last = time.Duration(ut+st) * 10 * time.Millisecond // clock ticks of 10 ms
		time.Sleep(20 * time.Millisecond)
	}
	return last
}

// peakRSSMB is the most resident memory the process has had, from /proc/<pid>/status.
func peakRSSMB(tb testing.TB, pid int) float64 {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			return kb / 1024
		}
	}
	return 0
}
