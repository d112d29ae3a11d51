package scenarios

import (
	"context"
	"runtime/trace"
)

// Trace log categories the work writes and the observer reads. They are the contract between
// the child's work and the trace reader in package tracelanes.
const (
	// LogStart marks time zero of the run; its message is empty.
	LogStart = "timeslice.start"
	// LogTask says which task the logging goroutine works on from now on; an empty message
	// means none, and the task it worked on before is done.
	LogTask = "timeslice.task"
	// LogState gives a coroutine's new state as "NAME\tSTATE", STATE one of CoroutineRunning,
	// CoroutineReady, CoroutineWaiting, CoroutineDone. The goroutine that logs it is the event loop's.
	LogState = "timeslice.state"
)

// The states a coroutine reports through LogState.
const (
	CoroutineRunning = "running"
	CoroutineReady   = "ready"
	CoroutineWaiting = "waiting"
	CoroutineDone    = "done"
)

// MarkStart records time zero of the run in the trace.
func MarkStart(ctx context.Context) { trace.Log(ctx, LogStart, "") }

// WorkOn records that the calling goroutine now works on the task called name.
func WorkOn(ctx context.Context, name string) { trace.Log(ctx, LogTask, name) }

// Finish records that the calling goroutine's current task is done.
func Finish(ctx context.Context) { trace.Log(ctx, LogTask, "") }

// MarkCoroutine records a coroutine's new state; call it from the event loop's goroutine.
func MarkCoroutine(ctx context.Context, name, state string) {
	trace.Log(ctx, LogState, name+"\t"+state)
}
