package scenarios

import "context"

// Temporary: replaced by the real work in the next commits.
func runIOSequential(ctx context.Context, env Env, p Params) error  { return nil }
func runIOThreads(ctx context.Context, env Env, p Params) error     { return nil }
func runIOAsyncio(ctx context.Context, env Env, p Params) error     { return nil }
func runCPUSequential(ctx context.Context, env Env, p Params) error { return nil }
func runCPUThreadsGIL(ctx context.Context, env Env, p Params) error { return nil }
func runCPUProcesses(ctx context.Context, env Env, p Params) error  { return nil }
func runCPUGoroutines(ctx context.Context, env Env, p Params) error { return nil }
