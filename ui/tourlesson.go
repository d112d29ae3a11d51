package ui

import (
	"fmt"
	"strings"
	"time"

	"timeslice/scenarios"
)

// DefaultTourScript is the built-in lesson as a script, its numbers worked out from the knobs
// p: every scenario in turn, a caption while it runs saying what to watch, another once it
// has finished saying what it showed, each held for the tour's hold; on the way it opens the
// explanation (io-sequential), zooms in on the lock's turns (cpu-threads-gil) and shows the
// core lanes (cpu-goroutines); it ends on the whole comparison, held twice as long.
func DefaultTourScript(p scenarios.Params) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	calls, lat := count(p.Calls, "call"), p.Latency.String()
	all := p.Latency * time.Duration(p.Calls)
	cores := p.CoresOrAll()
	chunks := count(p.Chunks, "chunk")
	at := min(cores, p.Chunks)
	line("# timeslice's built-in tour: every scenario in turn, then the comparison.")
	line("# hold pauses for --hold (8s by default), or with --step until space is pressed.")

	line("\ncaption 1/7 · I/O-bound work, one call after another: each lane is one of the %s, a sliver of work (▁) then a long wait (─).", calls)
	line("run io-sequential\nwait done")
	line("caption The waits lined up end to end: %s took about %d × %s = %s. Below, what to look for in the picture (key e).", calls, p.Calls, lat, all)
	line("key e\nhold\nkey e")

	line("\ncaption 2/7 · The same %s, each waiting in a thread of its own: watch every wait (─) start at once.", calls)
	line("run io-threads\nwait done")
	line("caption The waits overlapped: about %s for all %d, not %s. The cores hardly worked: the time went into waiting.", lat, p.Calls, all)
	line("hold")

	line("\ncaption 3/7 · The same %s as coroutines on one event loop: the thread column names one thread for them all.", calls)
	line("run io-asyncio\nwait done")
	line("caption One thread, and still about %s: it switches to another coroutine at each await. Concurrency without parallelism.", lat)
	line("hold")

	line("\ncaption 4/7 · Now CPU-bound work: the sum of 1..%d in %s, one after another, each lane a chunk computing (█).", p.Upto, chunks)
	line("run cpu-sequential\nwait done")
	if cores > 1 {
		line("caption One chunk at a time, so one core's worth of work: the other cores had nothing to do. The next three are measured against this run.")
	} else {
		line("caption One chunk at a time, on the one core the run may use. The next three are measured against this run.")
	}
	line("hold")

	line("\ncaption 5/7 · %d threads that must hold one global lock to compute, like CPython's GIL: each lane computes only part of the time.", p.Chunks)
	line("run cpu-threads-gil\nwait done")
	line("caption Zoomed in (z): the lock goes from thread to thread, one computing at a time while the others wait for it (now: lock). No faster than one after another.")
	line("key z\nkey z\nkey z\nkey z\nkey z\nkey z\nhold\nkey 0")

	line("\ncaption 6/7 · One process per chunk, as Python's multiprocessing does: no shared lock, and the kernel spreads them over the cores.")
	line("run cpu-processes\nwait done")
	if at > 1 {
		line("caption Up to %d processes computed at once, one per core: the sum took about 1/%d of the time, less the cost of starting processes.", at, at)
	} else {
		line("caption With one core the processes took turns on it: no faster than one after another.")
	}
	line("hold")

	line("\ncaption 7/7 · Goroutines with no global lock: up to %d chunks compute at the same time.", at)
	line("run cpu-goroutines\nwait done")
	line("caption The core lanes (k): which chunk ran on each core, and when. %s", map[bool]string{true: "Every core busy at once: that is parallelism.", false: "One core, one chunk at a time."}[at > 1])
	line("key k\nhold\nkey k")

	line("\ncaption All seven on one time scale, with their speedups: waiting overlaps on any number of cores; computing gets faster only on more cores.")
	line("compare\nhold\nhold\nquit")
	return b.String()
}

// DefaultTour is the built-in lesson for knobs p; see DefaultTourScript.
func DefaultTour(p scenarios.Params) Tour {
	t, err := ParseTour(strings.NewReader(DefaultTourScript(p)))
	if err != nil {
		panic("the built-in tour does not parse: " + err.Error())
	}
	return t
}

// count is "4 calls", "1 chunk".
func count(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return intText(n) + " " + noun
}
