package observe

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"timeslice/internal/mono"
	"timeslice/internal/osproc"
	"timeslice/internal/procfs"
	"timeslice/model"
	"timeslice/scenarios"
)

// ErrNotFound is the error of a watched program whose command cannot be found: a shell's
// "command not found", exit status 127.
var ErrNotFound = errors.New("command not found")

// ExitNotFound is the exit status a shell gives a command it cannot find.
const ExitNotFound = 127

// Watch starts program s (see scenarios.Program) and returns at once: the program runs as it
// is, in a process group of its own, with stdin from /dev/null and its stdout and stderr a
// terminal of its own whose lines are read, and every thread of it and of the processes it starts is read from /proc. A
// command that cannot be found is an error here, wrapping ErrNotFound.
func (r *Runner) Watch(s scenarios.Scenario) (Session, error) {
	if !s.IsProgram() {
		return nil, fmt.Errorf("%s is not a program to watch", s.ID)
	}
	path, err := exec.LookPath(s.Command[0])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Command[0], ErrNotFound)
	}
	w := &programSession{runner: r, s: s, path: path, updates: make(chan *model.Run, 1), done: make(chan struct{})}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	go w.run()
	return w, nil
}

// Starter returns the Starter of the live view: timeslice's scenarios by id, and the programs
// given, by theirs.
func (r *Runner) Starter(programs ...scenarios.Scenario) Starter {
	return func(id string, p scenarios.Params) (Session, error) {
		for _, s := range programs {
			if s.ID == id {
				return r.Watch(s)
			}
		}
		return r.Start(id, p)
	}
}

// programCols and programRows are the size of the terminal a watched program writes to.
const (
	programCols = 80
	programRows = 24
)

// Limits on what is kept of a watched program's output.
const (
	maxProgramLines = 20000
	maxLineBytes    = 4096
)

// programSession is a Session watching a program. One goroutine (run) owns the program, the
// samplers and the publishing; another reads the program's output.
type programSession struct {
	runner  *Runner
	s       scenarios.Scenario
	path    string
	updates chan *model.Run
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}

	mu      sync.Mutex // guards what the output reader collects
	lines   []model.Line
	dropped int
}

// Updates implements Session.
func (w *programSession) Updates() <-chan *model.Run { return w.updates }

// Stop implements Session: the program's whole process group is killed and reaped.
func (w *programSession) Stop() {
	w.cancel()
	<-w.done
}

func (w *programSession) publish(r *model.Run) {
	select {
	case <-w.updates:
	default:
	}
	w.updates <- r
}

func (w *programSession) run() {
	defer close(w.done)
	defer close(w.updates)
	if on := w.runner.OnSession; on != nil {
		on(true)
		defer on(false)
	}
	cmd := exec.Command(w.path, w.s.Command[1:]...)
	cmd.Args[0] = w.s.Command[0]
	cmd.Env = os.Environ()
	cmd.SysProcAttr = osproc.GroupAttr()
	// The program writes to a terminal, as it would run by hand: C's stdio and CPython then
	// write each line as it ends, where to a pipe they would hold it back until they exit.
	out, in, err := osproc.OpenPTY(programCols, programRows)
	if err != nil {
		if out, in, err = os.Pipe(); err != nil {
			w.fail(err)
			return
		}
	}
	cmd.Stdout, cmd.Stderr = in, in
	start := mono.Now()
	err = cmd.Start()
	in.Close()
	if err != nil {
		out.Close()
		w.fail(fmt.Errorf("cannot start %s: %w", w.s.Command[0], err))
		return
	}
	pid := cmd.Process.Pid
	tree := procfs.NewTreeSampler(pid, start, procfs.TreeConfig{})
	tree.Start()
	defer tree.Stop()
	b := &programBuild{w: w, start: start, tree: tree, cores: newCoreLog(w.runner.coreTimes)}
	b.sampleCores()

	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		w.read(osproc.QuietReader(out), start)
	}()
	exited := make(chan struct{})
	var end int64
	go func() {
		defer close(exited)
		cmd.Wait()
		end = mono.Now()
	}()
	tick := time.NewTicker(publishEvery)
	defer tick.Stop()
	for {
		select {
		case <-w.ctx.Done():
			osproc.KillGroup(pid)
			<-exited
			osproc.ReapGroup(pid)
			out.Close()
			<-readDone
			return
		case <-tick.C:
			b.sampleCores()
			w.publish(b.build(nil))
		case <-exited:
			tree.Stop()
			tree.Round() // what is left of the group, read once more before it is killed
			tree.SettleAll()
			osproc.KillGroup(pid)
			osproc.ReapGroup(pid)
			// The group is gone, and with it every writer of the pipe but one that left the
			// group: what it has not written by now is not waited for.
			select {
			case <-readDone:
			case <-time.After(200 * time.Millisecond):
			}
			out.Close()
			<-readDone
			b.sampleCores()
			w.publish(b.build(&finish{state: cmd.ProcessState, wall: time.Duration(end - start)}))
			return
		}
	}
}

// fail publishes a finished Run that says why the program could not be watched.
func (w *programSession) fail(err error) {
	w.publish(&model.Run{Scenario: w.s.ID, Command: w.s.Command, Finished: true, Err: err.Error(), ExitCode: exitFailed})
}

// exitFailed is the exit status reported when a program could not be started or watched.
const exitFailed = 1

// read collects the program's output lines until the pipe ends or is closed.
func (w *programSession) read(r io.Reader, start int64) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLineBytes)
	sc.Split(scanLines)
	for sc.Scan() {
		at := time.Duration(mono.Now() - start)
		w.mu.Lock()
		if len(w.lines) >= maxProgramLines {
			w.dropped++
		} else {
			w.lines = append(w.lines, model.Line{At: at, Text: sc.Text()})
		}
		w.mu.Unlock()
	}
	io.Copy(io.Discard, r) // a terminal whose program has ended reads as an error (EIO), not EOF
}

// scanLines is bufio.ScanLines, except that a line longer than the buffer is cut into pieces
// rather than ending the scan.
func scanLines(data []byte, atEOF bool) (int, []byte, error) {
	adv, tok, err := bufio.ScanLines(data, atEOF)
	if adv == 0 && tok == nil && err == nil && len(data) >= maxLineBytes {
		return len(data), data, nil
	}
	return adv, tok, err
}

// finish is how a watched program ended.
type finish struct {
	state *os.ProcessState
	wall  time.Duration
}

// programBuild is what the session's goroutine keeps between publications.
type programBuild struct {
	w     *programSession
	start int64
	tree  *procfs.TreeSampler
	cores coreLog
}

// sampleCores records the per-core load and the program's own share of it, reading the
// program's threads at the moment the cores are, so the two windows match.
func (b *programBuild) sampleCores() {
	b.cores.add(b.start, func() ([]int64, int64) {
		b.tree.Round()
		return b.tree.CPUByCore()
	})
}

// build makes a fresh Run of everything read so far; f is how the program ended, once it has.
func (b *programBuild) build(f *finish) *model.Run {
	w := b.w
	r := &model.Run{Scenario: w.s.ID, Command: w.s.Command, Tasks: b.tree.Tasks(),
		Elapsed: time.Duration(mono.Now() - b.start)}
	r.Cores, r.CoresNote = b.cores.read()
	w.mu.Lock()
	r.Lines = slices.Clone(w.lines)
	if w.dropped > 0 {
		r.TraceNote = fmt.Sprintf("%d more lines of output were not kept", w.dropped)
	}
	w.mu.Unlock()
	if err := b.tree.Err(); err != nil {
		r.TraceNote = "/proc: " + err.Error()
	}
	st := b.tree.Stats()
	r.Sampling = &model.Sampling{Period: st.Period, Rounds: st.Rounds}
	if st.Elapsed > 0 {
		r.Sampling.Cost = float64(st.Busy) / float64(st.Elapsed)
	}
	if f != nil {
		r.Finished = true
		r.Wall, r.Elapsed = f.wall, f.wall
		r.CPU = f.state.UserTime() + f.state.SystemTime()
		r.ExitCode = exitCode(f.state)
		if ru, ok := f.state.SysUsage().(*syscall.Rusage); ok {
			r.Switches = model.Switches{Voluntary: int(ru.Nvcsw), Involuntary: int(ru.Nivcsw)}
		}
	}
	r.Facts = model.FactsOf(r)
	return r
}

// exitCode is a finished program's status as a shell reports it: its exit code, or 128+N when
// signal N ended it.
func exitCode(st *os.ProcessState) int {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return st.ExitCode()
}
