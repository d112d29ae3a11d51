package scenarios

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// chunkName is the lane name of a chunk.
func chunkName(c Chunk) string { return fmt.Sprintf("chunk %d", c.Index+1) }

// sumChunk adds up the chunk's numbers, paying the fixed CPU cost of each element, and checks
// ctx between elements so a stopped run ends promptly.
func sumChunk(ctx context.Context, c Chunk, iters int, burn func(int)) (int64, error) {
	var sum int64
	for n := c.From; n <= c.To; n++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		burn(iters)
		sum += int64(n)
	}
	return sum, nil
}

// plainBurn is the work without any lock.
func plainBurn(iters int) { Burn(iters) }

// reportPartial prints and reports one chunk's result as it completes.
func reportPartial(env Env, c Chunk, sum int64) {
	env.Printf("%s (%d..%d): partial sum %d", chunkName(c), c.From, c.To, sum)
	env.Partial(c.Index, sum)
}

// runCPUSequential works through the chunks one after another on one goroutine.
func runCPUSequential(ctx context.Context, env Env, p Params) error {
	iters := p.elementIters()
	for _, c := range p.SplitChunks() {
		WorkOn(ctx, chunkName(c))
		sum, err := sumChunk(ctx, c, iters, plainBurn)
		if err != nil {
			return err
		}
		reportPartial(env, c, sum)
	}
	Finish(ctx)
	return nil
}

// runChunksConcurrently gives each chunk its own goroutine, each burning through burn.
func runChunksConcurrently(ctx context.Context, env Env, p Params, burn func(int)) error {
	iters := p.elementIters()
	chunks := p.SplitChunks()
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			WorkOn(ctx, chunkName(c))
			defer Finish(ctx)
			sum, err := sumChunk(ctx, c, iters, burn)
			if err != nil {
				errs[i] = err
				return
			}
			reportPartial(env, c, sum)
		}()
	}
	wg.Wait()
	return firstError(errs)
}

// runCPUGoroutines runs one goroutine per chunk with every core available and no lock.
func runCPUGoroutines(ctx context.Context, env Env, p Params) error {
	return runChunksConcurrently(ctx, env, p, plainBurn)
}

// switchInterval is how long a thread holds the global lock before handing it over, as
// CPython's sys.getswitchinterval() does by default.
const switchInterval = 5 * time.Millisecond

// globalLock is a Python-style global interpreter lock: computing needs it, and its holder
// gives it up every switchInterval. sync.Mutex hands a lock straight to a waiter that has
// waited over a millisecond, so the hand-over is fair, as CPython's forced switching is.
type globalLock struct {
	mu sync.Mutex
}

// burner returns a burn function for one thread: it computes only while holding the lock,
// in small steps, and releases the lock whenever it has held it for switchInterval.
func (g *globalLock) burner(itersPerMs int) func(int) {
	step := itersPerMs / 10 // 0.1 ms of work between checks of the clock
	if step < 1 {
		step = 1
	}
	return func(iters int) {
		g.mu.Lock()
		held := time.Now()
		for iters > 0 {
			n := min(step, iters)
			Burn(n)
			iters -= n
			if time.Since(held) >= switchInterval {
				g.mu.Unlock()
				g.mu.Lock()
				held = time.Now()
			}
		}
		g.mu.Unlock()
	}
}

// runCPUThreadsGIL runs one goroutine per chunk, all needing one global lock to compute.
func runCPUThreadsGIL(ctx context.Context, env Env, p Params) error {
	var g globalLock
	return runChunksConcurrently(ctx, env, p, g.burner(p.ItersPerMs))
}
