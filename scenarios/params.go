package scenarios

import (
	"flag"
	"fmt"
	"runtime"
	"strconv"
	"time"
)

// Limits on the knobs, so a typo cannot ask for a million processes.
const (
	MaxCalls   = 10000
	MaxChunks  = 64
	MaxUpto    = 1_000_000
	MaxLatency = time.Minute
	MaxWork    = 10 * time.Second
	// MinWork is the least CPU work per element besides none: the resolution the work is
	// measured out in.
	MinWork = time.Microsecond
)

// CoresOrAll is the number of cores the child may use.
func (p Params) CoresOrAll() int {
	if p.Cores > 0 {
		return p.Cores
	}
	return runtime.NumCPU()
}

// Params are the knobs every scenario reads. They travel to the child process as flags.
type Params struct {
	// Calls is how many API calls the io-* scenarios make.
	Calls int
	// Latency is how long each call waits for its response.
	Latency time.Duration
	// Upto is the last number of the sum 1..Upto.
	Upto int
	// Chunks is how many parts the sum is split into.
	Chunks int
	// Work is the CPU cost of one element of the sum on one idle core.
	Work time.Duration
	// Cores is how many CPU cores the child may use (its CPU affinity, and its GOMAXPROCS
	// unless the scenario uses one thread); 0 means all of them.
	Cores int
	// ItersPerMs is the calibrated amount of computation one idle core does in a millisecond; 0 means
	// not calibrated yet. It is set by the observer, never by a user.
	ItersPerMs int
}

// DefaultParams are the article's numbers: four 1 s calls, 1..100 in four chunks.
func DefaultParams() Params {
	return Params{Calls: 4, Latency: time.Second, Upto: 100, Chunks: 4, Work: 20 * time.Millisecond}
}

// Register adds the user-facing flags to fs, with p's values as defaults.
func (p *Params) Register(fs *flag.FlagSet) {
	fs.IntVar(&p.Calls, "calls", p.Calls, fmt.Sprintf("API calls the io-* scenarios make (1–%d)", MaxCalls))
	fs.DurationVar(&p.Latency, "latency", p.Latency, "how long each call waits for its response (0–1m)")
	fs.IntVar(&p.Upto, "upto", p.Upto, fmt.Sprintf("sum the numbers 1..UPTO (1–%d)", MaxUpto))
	fs.IntVar(&p.Chunks, "chunks", p.Chunks, fmt.Sprintf("split the sum into this many chunks (1–%d, at most UPTO)", MaxChunks))
	fs.DurationVar(&p.Work, "work", p.Work, "CPU work per element of the sum, on one idle core (0, or 1µs–10s)")
	fs.IntVar(&p.Cores, "cores", p.Cores, fmt.Sprintf("CPU cores the work may use (1–%d; 0 = all)", runtime.NumCPU()))
}

// Validate says, in one line, what is wrong with p, or returns nil.
func (p Params) Validate() error {
	switch {
	case p.Calls < 1 || p.Calls > MaxCalls:
		return fmt.Errorf("--calls must be between 1 and %d, not %d", MaxCalls, p.Calls)
	case p.Latency < 0 || p.Latency > MaxLatency:
		return fmt.Errorf("--latency must be between 0s and %s, not %s", MaxLatency, p.Latency)
	case p.Upto < 1 || p.Upto > MaxUpto:
		return fmt.Errorf("--upto must be between 1 and %d, not %d", MaxUpto, p.Upto)
	case p.Chunks < 1 || p.Chunks > MaxChunks:
		return fmt.Errorf("--chunks must be between 1 and %d, not %d", MaxChunks, p.Chunks)
	case p.Chunks > p.Upto:
		return fmt.Errorf("--chunks (%d) cannot exceed --upto (%d)", p.Chunks, p.Upto)
	case p.Work < 0 || p.Work > MaxWork || (p.Work > 0 && p.Work < MinWork):
		return fmt.Errorf("--work must be 0s, or between %s and %s, not %s", MinWork, MaxWork, p.Work)
	case p.Cores < 0 || p.Cores > runtime.NumCPU():
		return fmt.Errorf("--cores must be between 1 and %d (0 for all), not %d", runtime.NumCPU(), p.Cores)
	case p.ItersPerMs < 0 || p.ItersPerMs > MaxItersPerMs:
		return fmt.Errorf("computation per millisecond must be between 0 and %d, not %d", MaxItersPerMs, p.ItersPerMs)
	}
	return nil
}

// UserArgs turns the user-facing knobs back into flags, as a run reports them.
func (p Params) UserArgs() []string {
	return []string{
		"--calls=" + strconv.Itoa(p.Calls),
		"--latency=" + p.Latency.String(),
		"--upto=" + strconv.Itoa(p.Upto),
		"--chunks=" + strconv.Itoa(p.Chunks),
		"--work=" + p.Work.String(),
		"--cores=" + strconv.Itoa(p.Cores),
	}
}

// Args turns p back into flags for the child process, the hidden ones included.
func (p Params) Args() []string {
	return append(p.UserArgs(), "--iters-per-ms="+strconv.Itoa(p.ItersPerMs))
}

// RegisterHidden adds the flags only the observer passes to a child.
func (p *Params) RegisterHidden(fs *flag.FlagSet) {
	fs.IntVar(&p.ItersPerMs, "iters-per-ms", p.ItersPerMs, "calibrated computation per millisecond (internal)")
}

// Chunk is one part of the sum: the numbers From..To.
type Chunk struct {
	Index    int
	From, To int
}

// SplitChunks splits 1..Upto into p.Chunks consecutive parts of near-equal size.
func (p Params) SplitChunks() []Chunk {
	out := make([]Chunk, p.Chunks)
	from := 1
	for i := range out {
		size := p.Upto / p.Chunks
		if i < p.Upto%p.Chunks {
			size++
		}
		out[i] = Chunk{Index: i, From: from, To: from + size - 1}
		from += size
	}
	return out
}
