// Package child is the observed side of a run: the body of the process the observer starts
// (this binary re-executed under a hidden command). It runs one scenario's work under the
// runtime's flight recorder and streams what happens to its stdout in the wire protocol:
// printed lines, partial sums, worker processes, trace snapshots and its own CPU and switch
// counts. It never reads /proc, parses traces or draws: the observer does that.
package child

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"

	"timeslice/internal/mono"
	"timeslice/internal/oncpu"
	"timeslice/internal/wire"
	"timeslice/scenarios"
)

// Main is the body of the child process: it runs one scenario under the flight recorder
// and streams lines, results and trace snapshots to stdout. It returns the exit code.
func Main(args []string) int {
	a, err := parseArgs(args)
	if err != nil { // before the stream opens: nothing but this error is written
		fmt.Fprintf(os.Stderr, "timeslice: %s: %v\n", wire.ChildCommand, err)
		return 2
	}
	// The stream is written from a goroutine of its own: the work never waits for the
	// observer to read what it reports.
	fw, err := wire.NewQueue(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	err = runChild(a, fw)
	if cerr := fw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

// CalibrateMain prints the calibrated computation per millisecond and returns the exit code.
func CalibrateMain() int {
	fmt.Println(scenarios.Calibrate())
	return 0
}

// childArgs are what the child was asked to do.
type childArgs struct {
	s           scenarios.Scenario
	p           scenarios.Params
	bare, whole bool
}

// parseArgs reads the child's arguments: flags, then one scenario.
func parseArgs(args []string) (childArgs, error) {
	fs := flag.NewFlagSet(wire.ChildCommand, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	a := childArgs{p: scenarios.DefaultParams()}
	a.p.Register(fs)
	a.p.RegisterHidden(fs)
	fs.BoolVar(&a.bare, wire.BareFlag, false, "run without the flight recorder or trace snapshots (internal)")
	fs.BoolVar(&a.whole, wire.WholeTraceFlag, false, "also keep the whole trace and send it at the end (internal)")
	if err := fs.Parse(args); err != nil {
		return a, err
	}
	if fs.NArg() != 1 {
		return a, fmt.Errorf("want one scenario, got %q", fs.Args())
	}
	var err error
	if a.s, err = scenarios.Lookup(fs.Arg(0)); err != nil {
		return a, err
	}
	return a, a.p.Validate()
}

// runChild runs the work under observation, and reports how it went.
func runChild(a childArgs, fw *wire.Queue) error {
	s, p := a.s, a.p
	if p.ItersPerMs == 0 {
		p.ItersPerMs = scenarios.Calibrate()
	}
	var rec *recording
	var err error
	// Work done in worker processes is drawn from what they measure and /proc: the child's
	// own trace would be recorded, sent and parsed for no lane.
	if !a.bare && (a.whole || !s.InWorkers) {
		if rec, err = startRecording(a.whole); err != nil {
			return err
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	start := mono.Now()
	used0 := usedSoFar()
	if err := fw.Message(wire.Message{Type: wire.MsgHello, Pid: os.Getpid(), StartMono: start, Procs: runtime.GOMAXPROCS(0)}); err != nil {
		return err
	}
	scenarios.MarkStart(ctx)

	snaps := startSnapshots(rec, fw, start)
	workErr := s.Run(ctx, &childEnv{fw: fw, start: start, measure: !a.bare}, p)
	used := usedSoFar()
	done := wire.Message{Type: wire.MsgDone, WallNs: mono.Now() - start, CPUNs: int64(used.cpu - used0.cpu),
		Vol: used.vol - used0.vol, Invol: used.invol - used0.invol}
	if workErr != nil {
		done.Err = workErr.Error()
	}
	snaps.stop()
	if err := fw.Message(done); err != nil {
		return err
	}
	if rec == nil {
		return workErr
	}
	data, complete, taken, note, err := rec.finish()
	if err != nil {
		return err
	}
	if note != "" {
		fw.Message(wire.Message{Type: wire.MsgNote, Text: note})
	}
	switch {
	case complete:
		err = fw.Frame(wire.FrameFinalTrace, data)
	case data != nil:
		err = sendWindow(fw, taken-start, data) // the last window, joined like the others
	}
	if err != nil {
		return err
	}
	return workErr
}

// sendWindow sends one flight-recorder window, after a message saying when (since the start)
// it was taken: the observer needs that, not when the bytes arrived, to join windows.
func sendWindow(fw *wire.Queue, at int64, data []byte) error {
	if err := fw.Message(wire.Message{Type: wire.MsgSnapshot, AtNs: at}); err != nil {
		return err
	}
	return fw.Frame(wire.FrameTrace, data)
}

// childEnv is the Env the work sees in the child: everything it reports becomes a frame.
type childEnv struct {
	fw      *wire.Queue
	start   int64
	measure bool // the work measures its threads' time on their cores (not in a bare run)
}

// OnCPU sends each batch of on-core samples as a frame, unless the run is bare. The frames go
// lazily (wire.Queue.Lazy), with the next trace window or message: the observer wakes for
// them with the rest, not once for each batch of each task.
func (e *childEnv) OnCPU() oncpu.Sink {
	if !e.measure {
		return nil
	}
	return func(task string, samples []oncpu.Sample) {
		e.fw.Lazy(wire.FrameOnCPU, oncpu.AppendBatch(nil, task, samples))
	}
}

func (e *childEnv) Printf(format string, args ...any) {
	e.fw.Message(wire.Message{Type: wire.MsgLine, AtNs: mono.Now() - e.start, Text: fmt.Sprintf(format, args...)})
}

func (e *childEnv) Partial(chunk int, sum int64) {
	e.fw.Message(wire.Message{Type: wire.MsgPartial, Chunk: chunk, Sum: sum})
}

func (e *childEnv) Process(name string, pid int) {
	e.fw.Message(wire.Message{Type: wire.MsgProcess, Name: name, Pid: pid})
}

// snapshotter sends the windows of a recording until stopped: the generations the runtime
// ended by itself as soon as it has, and otherwise one it ends itself once wire.SnapshotWait
// has passed, for the size of the last window, since that one. With no recording (a bare run)
// it sends nothing.
type snapshotter struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

func startSnapshots(rec *recording, fw *wire.Queue, start int64) *snapshotter {
	s := &snapshotter{}
	if rec == nil {
		return s // bare: nothing to send
	}
	s.quit = make(chan struct{})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		tick := time.NewTicker(wire.SnapshotEvery)
		defer tick.Stop()
		var buf bytes.Buffer
		last, wait := mono.Now(), wire.SnapshotEvery
		for {
			select {
			case <-s.quit:
				return
			case <-tick.C:
			}
			data, taken := rec.ended()
			if data == nil && time.Duration(mono.Now()-last) >= wait {
				var err error
				// A window that fails is skipped, not fatal: the next one holds its generations.
				if data, taken, err = rec.window(&buf); err != nil {
					data = nil
				}
			}
			if data == nil {
				continue
			}
			if sendWindow(fw, taken-start, data) != nil {
				return
			}
			last, wait = taken, wire.SnapshotWait(len(data))
		}
	}()
	return s
}

func (s *snapshotter) stop() {
	if s.quit == nil {
		return
	}
	close(s.quit)
	s.wg.Wait()
}

// usage is what this process and its reaped children (the worker processes) have used so far,
// as the kernel counts it: CPU time, and context switches over every thread.
type usage struct {
	cpu        time.Duration
	vol, invol int64
}

func usedSoFar() usage {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return usage{
		cpu:   tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime),
		vol:   self.Nvcsw + kids.Nvcsw,
		invol: self.Nivcsw + kids.Nivcsw,
	}
}
