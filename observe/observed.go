package observe

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"timeslice/internal/mono"
	"timeslice/internal/oncpu"
	"timeslice/internal/osproc"
	"timeslice/internal/procfs"
	"timeslice/internal/wire"
	"timeslice/model"
	"timeslice/scenarios"
)

// publishEvery is how often a session builds and hands out a fresh Run while the work runs.
const publishEvery = 100 * time.Millisecond

// observed is a Session backed by a real child process. One goroutine (run) owns the child,
// the samplers and the publishing; a second (read) drains the child's stream so the child
// never blocks on a full pipe, whatever the observer is doing.
type observed struct {
	runner  *Runner
	s       scenarios.Scenario
	p       scenarios.Params
	updates chan *model.Run
	// ctx is cancelled by Stop: it ends the calibration or the run at once.
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	mu        sync.Mutex // guards pid and what read collects, below
	pid       int
	hello     *wire.Message
	lines     []model.Line
	partials  []int64
	chunks    []int // the chunk (from 0) of each partial
	workers   []int // pids of the worker processes the child reported
	finished  *wire.Message
	snaps     snapshotQueue // trace snapshots not yet parsed
	snapTaken int64         // when the next trace window was taken (mono.Now ns), as the child said
	traceCut  string        // why the final trace is only the last window, when it is
	oncpu     oncpu.Book    // the work's own on-core samples, per thread
	streamErr error
}

func startObserved(r *Runner, s scenarios.Scenario, p scenarios.Params) *observed {
	o := &observed{runner: r, s: s, p: p, updates: make(chan *model.Run, 1),
		done: make(chan struct{})}
	o.ctx, o.cancel = context.WithCancel(context.Background())
	go o.run()
	return o
}

// Updates implements Session.
func (o *observed) Updates() <-chan *model.Run { return o.updates }

// Stop implements Session: the child's whole process group is killed and reaped.
func (o *observed) Stop() {
	o.cancel()
	<-o.done
}

// publish hands out r, replacing an older one the reader has not taken yet.
func (o *observed) publish(r *model.Run) {
	select {
	case <-o.updates:
	default:
	}
	o.updates <- r
}

// fail publishes a finished Run that says why the run could not happen.
func (o *observed) fail(err error) {
	o.publish(&model.Run{Scenario: o.s.ID, Params: o.p.UserArgs(), Finished: true, Err: err.Error()})
}

func (o *observed) run() {
	defer close(o.done)
	defer close(o.updates)
	if on := o.runner.OnSession; on != nil {
		on(true)
		defer on(false)
	}
	p := o.p
	procs := procsFor(o.s, p)
	var extra []string
	if o.runner.WholeTrace {
		extra = append(extra, "--"+wire.WholeTraceFlag)
	}
	cmd, stdout, stderr, err := o.runner.startChild(o.ctx, o.s, p, extra...)
	if err != nil {
		o.fail(err)
		return
	}
	pid := cmd.Process.Pid
	o.mu.Lock()
	o.pid = pid
	o.mu.Unlock()
	procSampler := procfs.NewProcSampler(pid)
	w := &watch{o: o, procs: procs, sampler: procSampler, cores: newCoreLog(o.runner.coreTimes)}
	procSampler.AfterRound(w.sampleCores)
	procSampler.Start()
	defer procSampler.Stop()

	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		o.read(osproc.QuietReader(stdout), procSampler)
	}()
	tick := time.NewTicker(publishEvery)
	defer tick.Stop()
	for {
		select {
		case <-o.ctx.Done():
			osproc.KillGroup(pid)
			<-readDone
			cmd.Wait()
			osproc.ReapGroup(pid)
			return
		case <-tick.C:
			o.publish(w.build(false, nil))
		case <-readDone:
			if o.streamError() != nil {
				osproc.KillGroup(pid)
			}
			waitErr := cmd.Wait()
			osproc.ReapGroup(pid)
			procSampler.SampleAll()
			w.sampleCores()
			o.publish(w.build(true, o.exitError(waitErr, stderr.String())))
			return
		}
	}
}

// read collects what the child sends until its stream ends or breaks.
func (o *observed) read(r io.Reader, procSampler *procfs.ProcSampler) {
	fr := wire.NewReader(r)
	for {
		kind, payload, err := fr.Next()
		if err != nil {
			if err != io.EOF {
				o.mu.Lock()
				o.streamErr = err
				o.mu.Unlock()
			}
			io.Copy(io.Discard, r)
			return
		}
		if kind == wire.FrameOnCPU {
			task, samples, err := oncpu.DecodeBatch(payload)
			o.mu.Lock()
			if err != nil {
				o.streamErr = fmt.Errorf("%w: %v", wire.ErrBadStream, err)
				o.mu.Unlock()
				io.Copy(io.Discard, r)
				return
			}
			o.oncpu.Add(task, samples)
			o.mu.Unlock()
			continue
		}
		if kind != wire.FrameMessage {
			o.mu.Lock()
			at := o.snapTaken
			if at == 0 {
				at = mono.Now() // no time from the child: when it arrived, later than when taken
			}
			o.snaps.add(snapshot{at: at, data: payload, whole: kind == wire.FrameFinalTrace})
			o.snapTaken = 0
			o.mu.Unlock()
			continue
		}
		m, err := wire.DecodeMessage(payload)
		if err != nil {
			o.mu.Lock()
			o.streamErr = err
			o.mu.Unlock()
			io.Copy(io.Discard, r)
			return
		}
		if m.Type == wire.MsgProcess {
			procSampler.Watch(m.Name, m.Pid)
		}
		o.mu.Lock()
		switch m.Type {
		case wire.MsgHello:
			o.hello = &m
		case wire.MsgLine:
			o.lines = append(o.lines, model.Line{At: time.Duration(m.AtNs), Text: m.Text})
		case wire.MsgProcess:
			o.workers = append(o.workers, m.Pid)
		case wire.MsgPartial:
			o.partials = append(o.partials, m.Sum)
			o.chunks = append(o.chunks, m.Chunk)
		case wire.MsgDone:
			o.finished = &m
		case wire.MsgNote:
			o.traceCut = m.Text
		case wire.MsgSnapshot:
			if o.hello != nil {
				o.snapTaken = o.hello.StartMono + m.AtNs
			}
		}
		o.mu.Unlock()
	}
}

func (o *observed) streamError() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.streamErr
}

// exitError says why a run that has ended did not end well, or returns nil.
func (o *observed) exitError(waitErr error, stderr string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	detail := ""
	if stderr != "" {
		detail = ": " + lastLine(stderr)
	}
	switch {
	case o.streamErr != nil:
		return fmt.Errorf("%v", o.streamErr)
	case o.finished != nil && o.finished.Err != "":
		return errors.New(o.finished.Err)
	case waitErr != nil:
		var ee *exec.ExitError
		if errors.As(waitErr, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				return fmt.Errorf("the run died: the child was killed by signal %d (%s)%s", int(ws.Signal()), ws.Signal(), detail)
			}
			return fmt.Errorf("the run died: the child exited with status %d%s", ee.ExitCode(), detail)
		}
		return fmt.Errorf("the run died: %v%s", waitErr, detail)
	case o.finished == nil:
		return fmt.Errorf("the run died: the child exited before it finished%s", detail)
	}
	return nil
}

// onCore is the work's own measurements so far: each thread's spans on and off its cores, and
// the spans of the tasks asked for (worker processes), from their own samples.
type onCore struct {
	spans map[int][]oncpu.Span
	tasks map[string][]oncpu.Span
}

// onCoreSoFar copies what the work has measured so far, the spans that end at or after since
// (CLOCK_MONOTONIC ns; 0 for all of them): those of the given tasks (worker processes), and
// each other thread's, for the goroutines that ran on it. The tasks' spans are written over
// those in reuse, which the result then holds (nil: fresh ones): a caller that asks every
// Run hands back the last result's tasks once done with them.
func (o *observed) onCoreSoFar(tasks []string, since int64, reuse map[string][]oncpu.Span) onCore {
	o.mu.Lock()
	defer o.mu.Unlock()
	if reuse == nil {
		reuse = map[string][]oncpu.Span{}
	}
	oc := onCore{spans: map[int][]oncpu.Span{}, tasks: reuse}
	workers := map[int]bool{}
	for _, task := range tasks {
		for _, tid := range o.oncpu.Threads(task) {
			workers[tid] = true
		}
	}
	for _, tid := range o.oncpu.AllThreads() {
		if workers[tid] {
			continue
		}
		spans := o.oncpu.Spans(tid)
		i, _ := slices.BinarySearchFunc(spans, since, func(s oncpu.Span, t int64) int { return cmp.Compare(s.End, t) })
		oc.spans[tid] = slices.Clone(spans[i:])
	}
	for _, task := range tasks {
		oc.tasks[task] = o.oncpu.AppendTaskSpans(oc.tasks[task][:0], task, since)
	}
	return oc
}

// spansChanged is the earliest time (CLOCK_MONOTONIC ns) from which the work's spans changed
// since it was last asked, and false when none did.
func (o *observed) spansChanged() (int64, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.oncpu.Changed()
}
