package observe

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v3/cpu"
	"go.uber.org/goleak"

	"timeslice/internal/mono"
	"timeslice/internal/wire"
)

// fakeChildEnv, set in the environment a child inherits, makes this test binary's child
// subcommand misbehave instead of running the work: "garbage" starts a proper stream and then
// writes stray bytes into it, "exit3" starts it and exits with status 3 and a note on stderr.
const fakeChildEnv = "TIMESLICE_TEST_FAKE_CHILD"

// fakeChildMain is the misbehaving child; it returns the exit code.
func fakeChildMain(how string) int {
	fw, err := wire.NewWriter(os.Stdout)
	if err != nil {
		return 1
	}
	fw.Message(wire.Message{Type: wire.MsgHello, Pid: os.Getpid(), StartMono: mono.Now(), Procs: 1})
	fw.Message(wire.Message{Type: wire.MsgLine, AtNs: 1, Text: "call 1: request sent"})
	time.Sleep(20 * time.Millisecond)
	switch how {
	case "garbage":
		fmt.Fprint(os.Stdout, "panic: something printed on stdout by mistake\n")
		time.Sleep(50 * time.Millisecond)
		return 0
	case "exit3":
		fmt.Fprintln(os.Stderr, "child: the disk is on fire")
		return 3
	}
	return 1
}

func TestGarbageFromTheChildIsAClearError(t *testing.T) {
	t.Setenv(fakeChildEnv, "garbage")
	r := finalRun(t, runner(t), "io-threads", shortParams())
	if !strings.Contains(r.Err, wire.ErrBadStream.Error()) {
		t.Fatalf("error %q does not say the stream is corrupt", r.Err)
	}
	if len(r.Lines) != 1 {
		t.Errorf("lines before the garbage: %v, want the one sent", r.Lines)
	}
}

func TestChildExitingNonZeroIsReported(t *testing.T) {
	t.Setenv(fakeChildEnv, "exit3")
	r := finalRun(t, runner(t), "io-threads", shortParams())
	for _, want := range []string{"exited with status 3", "the disk is on fire"} {
		if !strings.Contains(r.Err, want) {
			t.Errorf("error %q does not say %q", r.Err, want)
		}
	}
}

func TestCoreLoadUnavailableIsSaidAndTheRunGoesOn(t *testing.T) {
	r, err := NewRunner()
	if err != nil {
		t.Fatal(err)
	}
	r.coreTimes = func() ([]cpu.TimesStat, error) {
		return nil, errors.New("open /proc/stat: permission denied")
	}
	run := finalRun(t, r, "io-threads", shortParams())
	if run.Err != "" {
		t.Fatalf("the run failed: %s", run.Err)
	}
	for _, want := range []string{"unavailable", "permission denied"} {
		if !strings.Contains(run.CoresNote, want) {
			t.Errorf("cores note %q does not say %q", run.CoresNote, want)
		}
	}
	if len(run.Cores) != 0 || len(run.Tasks) != 4 {
		t.Errorf("%d core samples and %d lanes, want none and 4", len(run.Cores), len(run.Tasks))
	}
}

// TestStopAtAnyMomentLeavesNothing stops sessions before calibration has ended, before the
// first snapshot, mid-run (also mid cpu-processes, with worker processes alive) and after the
// end, and checks that no goroutine and no process of the child's group is left.
func TestStopAtAnyMomentLeavesNothing(t *testing.T) {
	p := shortParams()
	p.Latency = 300 * time.Millisecond
	p.Work = 20 * time.Millisecond
	moments := []struct {
		name string
		id   string
		wait func(Session) // returns when it is time to stop
	}{
		{"at once", "io-threads", func(Session) {}},
		{"first update", "io-asyncio", func(s Session) { <-s.Updates() }},
		{"mid cpu-processes", "cpu-processes", func(s Session) {
			for r := range s.Updates() {
				if len(r.Tasks) == 4 && !r.Finished {
					return
				}
			}
		}},
		{"mid cpu-goroutines", "cpu-goroutines", func(s Session) {
			for r := range s.Updates() {
				if len(r.Lines) > 0 {
					return
				}
			}
		}},
		{"after the end", "io-sequential", func(s Session) {
			for range s.Updates() {
			}
		}},
	}
	fresh, err := NewRunner() // not calibrated yet: the first CPU-bound start calibrates
	if err != nil {
		t.Fatal(err)
	}
	cal := moments[3]
	cal.name, cal.wait = "before calibration ends", func(Session) {}
	for _, m := range append([]struct {
		name string
		id   string
		wait func(Session)
	}{cal}, moments...) {
		sess, err := fresh.Start(m.id, p)
		if err != nil {
			t.Fatal(err)
		}
		m.wait(sess)
		pid := sess.(*observed).childPid()
		sess.Stop()
		if pid != 0 && !groupGone(pid) {
			t.Errorf("%s (%s): the child's group %d is still there", m.name, m.id, pid)
		}
		if err := goleak.Find(); err != nil {
			t.Errorf("%s (%s): %v", m.name, m.id, err)
		}
	}
}
