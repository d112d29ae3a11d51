package scenarios

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
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
	for _, c := range chunks {
		cmd, out, err := startWorker(ctx, exe, c, p.elementIters())
		if err != nil {
			return err
		}
		env.Process(chunkName(c), cmd.Process.Pid)
		go func() { results <- waitWorker(cmd, out, c) }()
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
// dies with its parent.
func startWorker(ctx context.Context, exe string, c Chunk, iters int) (*exec.Cmd, io.ReadCloser, error) {
	cmd := exec.CommandContext(ctx, exe, WorkerCommand,
		"--index="+strconv.Itoa(c.Index), "--from="+strconv.Itoa(c.From),
		"--to="+strconv.Itoa(c.To), "--iters="+strconv.Itoa(iters))
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

// waitWorker reads the worker's one line of output, its partial sum, and reaps it.
func waitWorker(cmd *exec.Cmd, out io.Reader, c Chunk) chunkResult {
	line, readErr := bufio.NewReader(out).ReadString('\n')
	waitErr := cmd.Wait()
	if waitErr != nil {
		return chunkResult{chunk: c, err: fmt.Errorf("worker for %s: %w", chunkName(c), waitErr)}
	}
	sum, err := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
	if err != nil {
		return chunkResult{chunk: c, err: fmt.Errorf("worker for %s sent %q: %v", chunkName(c), line, errors.Join(readErr, err))}
	}
	return chunkResult{chunk: c, sum: sum}
}

// WorkerMain is the body of a worker process: it sums one chunk, paying each element's CPU
// cost, and prints the partial sum. It returns the process exit code.
func WorkerMain(args []string) int {
	fs := flag.NewFlagSet(WorkerCommand, flag.ContinueOnError)
	var c Chunk
	var iters int
	fs.IntVar(&c.Index, "index", 0, "chunk index")
	fs.IntVar(&c.From, "from", 1, "first number")
	fs.IntVar(&c.To, "to", 0, "last number")
	fs.IntVar(&iters, "iters", 0, "computation per element")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	sum, err := sumChunk(context.Background(), c, iters, plainBurn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	fmt.Println(sum)
	return 0
}
