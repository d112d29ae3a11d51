package scenarios

import (
	"context"
	"fmt"
	"sync"
	"time"

	"timeslice/internal/oncpu"
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

// checkStep is how many rounds of Burn make oncpu.CheckEvery of computation: the work checks
// its meter after each such step.
func (p Params) checkStep() int {
	return max(int(int64(p.ItersPerMs)*int64(oncpu.CheckEvery)/int64(time.Millisecond)), 1)
}

// meterFor is the meter of the task called name, reporting to env, or nil when nothing
// measures the work (a nil meter's methods do nothing).
func meterFor(env Env, name string) *oncpu.Meter {
	if sink := env.OnCPU(); sink != nil {
		return oncpu.New(name, sink)
	}
	return nil
}

// plainBurn is the work without any lock: Burn in steps, each followed by a check of the meter.
func plainBurn(m *oncpu.Meter, step int) func(int) {
	return func(iters int) {
		for iters > 0 {
			n := min(step, iters)
			Burn(n)
			iters -= n
			m.Check(n)
		}
	}
}

// reportPartial prints and reports one chunk's result as it completes.
func reportPartial(env Env, c Chunk, sum int64) {
	env.Printf("%s (%d..%d): partial sum %d", chunkName(c), c.From, c.To, sum)
	env.Partial(c.Index, sum)
}

// runCPUSequential works through the chunks one after another on one goroutine.
func runCPUSequential(ctx context.Context, env Env, p Params) error {
	iters := p.elementIters()
	// One thread does every chunk: one meter measures it from the first to the last.
	m := meterFor(env, "sequential")
	m.Resume()
	defer m.Stop()
	burn := plainBurn(m, p.checkStep())
	for _, c := range p.SplitChunks() {
		WorkOn(ctx, chunkName(c))
		sum, err := sumChunk(ctx, c, iters, burn)
		if err != nil {
			return err
		}
		reportPartial(env, c, sum)
	}
	Finish(ctx)
	return nil
}

// runChunksConcurrently gives each chunk its own goroutine, each burning through the function
// burner makes for its meter, and calling the done function it makes (if any) once the chunk's
// work is over. The meter measures the goroutine from its chunk's start until its partial sum is
// reported, unless the burner pauses it.
func runChunksConcurrently(ctx context.Context, env Env, p Params, burner func(m *oncpu.Meter) (burn func(int), done func())) error {
	iters := p.elementIters()
	chunks := p.SplitChunks()
	errs := make([]error, len(chunks))
	var wg sync.WaitGroup
	for i, c := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := meterFor(env, chunkName(c))
			defer m.Stop() // after Finish: the meter sees the chunk to its very end
			m.Resume()
			WorkOn(ctx, chunkName(c))
			defer Finish(ctx)
			burn, done := burner(m)
			sum, err := sumChunk(ctx, c, iters, burn)
			if done != nil {
				done()
			}
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
	step := p.checkStep()
	return runChunksConcurrently(ctx, env, p, func(m *oncpu.Meter) (func(int), func()) { return plainBurn(m, step), nil })
}

// runCPUThreadsGIL runs one goroutine per chunk, all needing one global lock to compute.
func runCPUThreadsGIL(ctx context.Context, env Env, p Params) error {
	g := newGlobalLock()
	step := p.checkStep()
	return runChunksConcurrently(ctx, env, p, func(m *oncpu.Meter) (func(int), func()) { return g.burner(m, step) })
}
