package scenarios

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"timeslice/internal/oncpu"
	"timeslice/internal/osproc"
	"timeslice/internal/wire"
)

// WorkerCommand is the hidden subcommand under which the binary runs as one worker process.
const WorkerCommand = "__worker"

// Executable names the program re-executed for worker processes. Tests whose binary handles
// WorkerCommand in TestMain may keep it; it is a variable only for that.
var Executable = os.Executable

// chunkResult is what one worker process gave back.
type chunkResult struct {
	chunk Chunk
	sum   int64
	err   error
}

// runCPUProcesses starts one worker process per chunk, as multiprocessing does, and gathers
// each partial sum as it arrives.
func runCPUProcesses(ctx context.Context, env Env, p Params) error {
	exe, err := Executable()
	if err != nil {
		return fmt.Errorf("cannot find this program to start workers: %w", err)
	}
	chunks := p.SplitChunks()
	results := make(chan chunkResult, len(chunks))
	sink := env.OnCPU()
	for _, c := range chunks {
		cmd, out, err := startWorker(ctx, exe, c, p, sink != nil)
		if err != nil {
			return err
		}
		env.Process(chunkName(c), cmd.Process.Pid)
		go func() { results <- waitWorker(cmd, out, c, sink) }()
	}
	var errs []error
	for range chunks {
		r := <-results
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		reportPartial(env, r.chunk, r.sum)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// startWorker starts one worker process for chunk c. It runs with one thread for Go code and
// dies with its parent; with measure, it measures its thread's time on its core.
func startWorker(ctx context.Context, exe string, c Chunk, p Params, measure bool) (*exec.Cmd, io.ReadCloser, error) {
	cmd := exec.CommandContext(ctx, exe, WorkerCommand,
		"--index="+strconv.Itoa(c.Index), "--from="+strconv.Itoa(c.From),
		"--to="+strconv.Itoa(c.To), "--iters="+strconv.Itoa(p.elementIters()),
		"--step="+strconv.Itoa(p.checkStep()), "--measure="+strconv.FormatBool(measure))
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("cannot start worker for %s: %w", chunkName(c), err)
	}
	return cmd, out, nil
}

// waitWorker reads what the worker sends (its on-core samples, passed on to sink as they come,
// then its partial sum) and reaps it.
func waitWorker(cmd *exec.Cmd, out io.Reader, c Chunk, sink oncpu.Sink) chunkResult {
	// Read quietly: an ordinary read of a pipe, made while the child is otherwise idle, would
	// set the runtime's system monitor polling fast, and every wake-up of the child takes a
	// core from the workers.
	sum, readErr := readWorker(osproc.QuietReader(out), sink)
	if readErr != nil {
		io.Copy(io.Discard, out) // let it finish writing, so Wait can reap it
	}
	if waitErr := cmd.Wait(); waitErr != nil {
		return chunkResult{chunk: c, err: fmt.Errorf("worker for %s: %w", chunkName(c), waitErr)}
	}
	if readErr != nil {
		return chunkResult{chunk: c, err: fmt.Errorf("worker for %s: %v", chunkName(c), readErr)}
	}
	return chunkResult{chunk: c, sum: sum}
}

// readWorker reads a worker's stream to its end: on-core samples for sink, and one partial sum.
func readWorker(out io.Reader, sink oncpu.Sink) (int64, error) {
	fr := wire.NewReader(out)
	var sum *int64
	for {
		kind, payload, err := fr.Next()
		if err == io.EOF {
			if sum == nil {
				return 0, errors.New("it sent no partial sum")
			}
			return *sum, nil
		}
		if err != nil {
			return 0, err
		}
		switch kind {
		case wire.FrameOnCPU:
			task, samples, err := oncpu.DecodeBatch(payload)
			if err != nil {
				return 0, err
			}
			if sink != nil {
				sink(task, samples)
			}
		case wire.FrameMessage:
			m, err := wire.DecodeMessage(payload)
			if err != nil {
				return 0, err
			}
			if m.Type == wire.MsgPartial {
				sum = &m.Sum
			}
		}
	}
}

// WorkerMain is the body of a worker process: it sums one chunk, paying each element's CPU
// cost, and sends the partial sum to its parent in the wire protocol on stdout, after the
// on-core samples of its thread when it measures them. It returns the process exit code.
func WorkerMain(args []string) int {
	fs := flag.NewFlagSet(WorkerCommand, flag.ContinueOnError)
	var c Chunk
	var iters, step int
	var measure bool
	fs.IntVar(&c.Index, "index", 0, "chunk index")
	fs.IntVar(&c.From, "from", 1, "first number")
	fs.IntVar(&c.To, "to", 0, "last number")
	fs.IntVar(&iters, "iters", 0, "computation per element")
	fs.IntVar(&step, "step", 1, "computation between two checks of the meter")
	fs.BoolVar(&measure, "measure", false, "measure the thread's time on its core")
	fs.SetOutput(io.Discard)
	if err := checkWorkerArgs(fs, args, &c, &iters); err != nil {
		fmt.Fprintf(os.Stderr, "timeslice: %s: %v\n", WorkerCommand, err)
		return 2
	}
	fw, err := wire.NewWriter(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	var m *oncpu.Meter
	if measure {
		var buf []byte
		m = oncpu.New(chunkName(c), func(task string, samples []oncpu.Sample) {
			buf = oncpu.AppendBatch(buf[:0], task, samples)
			fw.Frame(wire.FrameOnCPU, buf)
		})
	}
	m.Resume()
	sum, err := sumChunk(context.Background(), c, iters, plainBurn(m, max(step, 1)))
	m.Stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	if err := fw.Message(wire.Message{Type: wire.MsgPartial, Chunk: c.Index, Sum: sum}); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}
