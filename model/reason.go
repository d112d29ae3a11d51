package model

// Reason says why a task entered its state, as far as the observation tells: the Go
// scheduler's reason from the trace, or what the trace reader knows of the scenarios (the
// global lock, the event loop). It reads as the words the live view and the Chrome export show.
type Reason uint8

// The reasons a state can have. ReasonNone is the zero value: no reason given.
const (
	// ReasonNone means the observation gave no reason.
	ReasonNone Reason = iota
	// ReasonSleep is a timer: time.Sleep, which in the I/O scenarios is a call awaiting its response.
	ReasonSleep
	// ReasonLock is a goroutine blocked on a sync primitive: in these scenarios, the global
	// lock. It is drawn as ready: the task could run but for the lock.
	ReasonLock
	// ReasonPreempted is a task taken off its core against its will (or stopped for the
	// garbage collector).
	ReasonPreempted
	// ReasonSyscall is a goroutine inside a system call, drawn as running.
	ReasonSyscall
	// ReasonEventLoop is a coroutine that could run, waiting for its event loop's thread.
	ReasonEventLoop
	// ReasonAwait is a coroutine suspended at an await, waiting for its timer.
	ReasonAwait
	// ReasonCoroutineSwitch is a goroutine that handed its thread to a coroutine (iter.Pull).
	ReasonCoroutineSwitch
	// ReasonChanSend and ReasonChanReceive are a goroutine blocked on a channel.
	ReasonChanSend
	ReasonChanReceive
	// ReasonSelect is a goroutine blocked in a select statement.
	ReasonSelect
	// ReasonNetwork is a goroutine waiting for the network poller.
	ReasonNetwork
	// ReasonYield is a goroutine that gave up its core itself (runtime.Gosched).
	ReasonYield
	// ReasonOther is any other reason the trace gives.
	ReasonOther
	// ReasonCore is a task that could run and was given a thread, but the kernel had taken
	// that thread off its core to run something else: it waits for a core.
	ReasonCore
	// ReasonIO is a thread the kernel found blocked in a call that waits for input or output
	// (read, poll, epoll, select): a watched program's view of waiting for I/O.
	ReasonIO
)

var reasonWords = [...]string{
	ReasonNone:            "",
	ReasonSleep:           "sleep",
	ReasonLock:            "lock",
	ReasonPreempted:       "preempted",
	ReasonSyscall:         "syscall",
	ReasonEventLoop:       "event loop",
	ReasonAwait:           "await",
	ReasonCoroutineSwitch: "coroutine switch",
	ReasonChanSend:        "chan send",
	ReasonChanReceive:     "chan receive",
	ReasonSelect:          "select",
	ReasonNetwork:         "network",
	ReasonYield:           "runtime.Gosched",
	ReasonOther:           "other",
	ReasonCore:            "core",
	ReasonIO:              "io",
}

// String is the reason in words ("lock", "chan receive", ...); empty for ReasonNone.
func (r Reason) String() string {
	if int(r) < len(reasonWords) {
		return reasonWords[r]
	}
	return "other"
}

// waitsForIO reports whether a task waiting for reason r waits for input or output or a timer.
func (r Reason) waitsForIO() bool {
	switch r {
	case ReasonSleep, ReasonAwait, ReasonNetwork, ReasonIO:
		return true
	}
	return false
}
