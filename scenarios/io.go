package scenarios

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// callName is the lane name of the i-th call (counted from 0).
func callName(i int) string { return fmt.Sprintf("call %d", i+1) }

// sleepCtx waits d, or less if ctx ends first; it is the stand-in for waiting on a response.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// apiCall is one simulated API call: send the request, wait for the response, report it.
func apiCall(ctx context.Context, env Env, i int, latency time.Duration) error {
	env.Printf("%s: request sent, waiting for response", callName(i))
	if err := sleepCtx(ctx, latency); err != nil {
		return err
	}
	env.Printf("%s: response received", callName(i))
	return nil
}

// runIOSequential makes the calls one after another on one goroutine.
func runIOSequential(ctx context.Context, env Env, p Params) error {
	for i := 0; i < p.Calls; i++ {
		WorkOn(ctx, callName(i))
		if err := apiCall(ctx, env, i, p.Latency); err != nil {
			return err
		}
	}
	Finish(ctx)
	return nil
}

// runIOThreads makes each call in its own goroutine and waits for all of them.
func runIOThreads(ctx context.Context, env Env, p Params) error {
	var wg sync.WaitGroup
	errs := make([]error, p.Calls)
	for i := 0; i < p.Calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			WorkOn(ctx, callName(i))
			errs[i] = apiCall(ctx, env, i, p.Latency)
			Finish(ctx)
		}()
	}
	wg.Wait()
	return firstError(errs)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
