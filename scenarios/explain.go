package scenarios

import (
	"runtime"
	"strconv"
	"time"
)

// Explanations say only what the picture of a run with the given knobs shows: the numbers
// they name are worked out from the knobs and the cores the run may use, and what they point
// at (a glyph, a key) is what the lanes draw and what the keys can still do for that run.

// explainers give, per scenario id, the two header lines and the lines of what to look for.
var explainers = map[string]func(k knobs) (head [2]string, look []string){
	"io-sequential":   explainIOSequential,
	"io-threads":      explainIOThreads,
	"io-asyncio":      explainIOAsyncio,
	"cpu-sequential":  explainCPUSequential,
	"cpu-threads-gil": explainGIL,
	"cpu-processes":   explainProcesses,
	"cpu-goroutines":  explainGoroutines,
}

// knobs are what an explanation is worked out from: the run's knobs, the cores it may use and
// all the machine has.
type knobs struct {
	Params
	cores, all int
}

// Explanation is the scenario's two lines of explanation for the header, for a run with knobs
// p on cores cores.
func (s Scenario) Explanation(p Params, cores int) [2]string {
	head, _ := s.explain(p, cores)
	return head
}

// LookFor says, in a few lines, what to look for in the picture of a run with knobs p on cores
// cores.
func (s Scenario) LookFor(p Params, cores int) []string {
	_, look := s.explain(p, cores)
	return look
}

func (s Scenario) explain(p Params, cores int) ([2]string, []string) {
	if s.IsProgram() {
		return explainProgram(s)
	}
	fn, ok := explainers[s.ID]
	if !ok {
		return [2]string{s.Summary, ""}, []string{s.Summary}
	}
	return fn(knobs{Params: p, cores: max(cores, 1), all: runtime.NumCPU()})
}

// dur writes a duration as the knobs do: "1s", "250ms", "1.5s".
func dur(d time.Duration) string { return d.String() }

// n writes a count.
func n(i int) string { return strconv.Itoa(i) }

// plural is word, with an s unless i is 1.
func plural(i int, word string) string {
	if i == 1 {
		return n(i) + " " + word
	}
	return n(i) + " " + word + "s"
}

// moreCoresHint says what trying more or fewer cores would show, from the cores the run has.
func moreCoresHint(k knobs, more, fewer string) string {
	switch {
	case k.cores < k.all:
		return "Try more cores (>): " + more
	case k.cores > 1:
		return "Try fewer cores (<): " + fewer
	}
	return ""
}

func explainIOSequential(k knobs) ([2]string, []string) {
	total := time.Duration(k.Calls) * k.Latency
	head := [2]string{
		"Each call sends its request, then the program sits idle until the response arrives.",
		"Nothing overlaps: the total is the sum of the waits (" + n(k.Calls) + " × " + dur(k.Latency) + " = " + dur(total) + ").",
	}
	look := []string{
		"Each lane is one call: a sliver of running (▁) where it sends the request, a long ─ while it waits, a sliver for the response.",
	}
	if k.Calls > 1 {
		look = append(look, "The lanes form a staircase: a call starts only after the one before it has finished.")
	}
	look = append(look,
		"The cores are almost idle the whole time: the program is waiting, not working.",
		"Wall time is the sum of the waits, about "+dur(total)+"; CPU time is a tiny fraction of it.")
	return head, look
}

func explainIOThreads(k knobs) ([2]string, []string) {
	head := [2]string{
		"Each call waits in its own thread (a goroutine): while one waits, the others go on.",
		"The waits overlap, so " + plural(k.Calls, "call") + " of " + dur(k.Latency) + " take about " + dur(k.Latency) + ", not " + dur(time.Duration(k.Calls)*k.Latency) + ".",
	}
	look := []string{
		"All " + plural(k.Calls, "call") + " send their requests at once, then wait side by side: the ─ lines overlap.",
		"The run ends after about one latency (" + dur(k.Latency) + ") instead of " + n(k.Calls) + " of them.",
		"The thread column says which OS threads ran each call; compare io-asyncio, whose calls all share one.",
		"Almost nothing runs: more cores would not help, the speedup comes from overlapping the waits.",
	}
	return head, look
}

func explainIOAsyncio(k knobs) ([2]string, []string) {
	head := [2]string{
		"One thread runs an event loop: a coroutine runs until it awaits, then the loop runs the next.",
		"All the waits overlap on that single thread: about " + dur(k.Latency) + " for " + plural(k.Calls, "call") + ", with no second thread.",
	}
	look := []string{
		"The thread column reads the same thread for every lane: the loop's one thread runs every coroutine.",
		"Their bursts are slivers (▁) over the whole run; zoom in far (z, and home for the start): the coroutines run one after another, never two at once.",
	}
	if k.Calls > 1 {
		look = append(look, "Zoomed in, ▒ (now: loop) is a coroutine that is ready while the loop runs another one.")
	}
	look = append(look, "About as fast as io-threads, with a single thread: concurrency without parallelism.")
	return head, look
}

func explainCPUSequential(k knobs) ([2]string, []string) {
	head := [2]string{
		"Every element costs real computation, and one thread works through the " + plural(k.Chunks, "chunk") + " in turn.",
		"About one core's worth of work at any moment: the baseline the CPU scenarios compare with.",
	}
	look := []string{
		"One chunk computes at a time: a staircase of █ with no waiting at all.",
	}
	if k.cores > 1 {
		look = append(look, "The load of the "+n(k.cores)+" cores adds up to about one: the others have nothing to do.")
	} else {
		look = append(look, "The run's one core is busy the whole time.")
	}
	look = append(look,
		"CPU time is about the same as wall time: every moment is spent computing.",
		"This is the baseline the other cpu-* scenarios are measured against.")
	return head, look
}

func explainGIL(k knobs) ([2]string, []string) {
	head := [2]string{
		"Each chunk has its own thread, but computing needs a global lock, handed over every 5 ms.",
		"Only one thread computes at a time, so it is no faster than sequential, on any number of cores.",
	}
	var look []string
	if k.Chunks > 1 {
		look = append(look,
			"Over the whole run each of the "+n(k.Chunks)+" lanes runs only part of every cell, about 1/"+n(k.Chunks)+": together, one core.",
			"Zoom in (z) until a cell is under a millisecond: the lock's 5 ms turns show one thread █ at a time, the others ▒ (now: lock).")
	} else {
		look = append(look, "With one chunk there is one thread: it holds the lock all the time, a solid █.")
	}
	look = append(look, "The speedup stays near 1×: more threads only take turns, and handing the lock over costs a little.")
	if h := moreCoresHint(k, "it does not get faster, which is the lesson of a global lock.", "it is no slower, as it only ever used one."); h != "" {
		look = append(look, h)
	}
	return head, look
}

func explainProcesses(k knobs) ([2]string, []string) {
	at := min(k.Chunks, k.cores)
	head := [2]string{"Each chunk runs in its own process, and the kernel spreads processes across the cores.", ""}
	switch {
	case k.Chunks > k.cores:
		head[1] = "With more processes (" + n(k.Chunks) + ") than cores (" + n(k.cores) + ") they take turns: watch them wait for a core."
	case k.cores > 1:
		head[1] = "With a core for each of the " + plural(k.Chunks, "process") + ", they all compute at once."
	default:
		head[1] = "The one process has the one core to itself."
	}
	look := []string{"Each chunk is a process of its own, so the kernel can run all " + n(k.Chunks) + " at once on " + plural(k.cores, "core") + "."}
	if k.Chunks > k.cores {
		look[0] = "Each chunk is a process of its own: the kernel runs " + n(at) + " at a time on the " + plural(k.cores, "core") + "."
		look = append(look, "Each runs only part of the time: partial cells (▆ ▄ ▂) and ▒ while it waits for a core; no column runs more than "+n(k.cores)+".")
	} else if k.Chunks > 1 {
		look = append(look, "Each has a core of its own: their █ run side by side.")
	}
	if at > 1 {
		look = append(look, "The cores' load goes up together, and CPU time grows beyond wall time.")
	} else {
		look = append(look, "One process computes at a time, so CPU time stays about the wall time.")
	}
	look = append(look, "Starting a process costs a little, but for real work the speedup approaches "+n(at)+"×.")
	return head, look
}

func explainGoroutines(k knobs) ([2]string, []string) {
	at := min(k.Chunks, k.cores)
	head := [2]string{"Go has no global interpreter lock: each chunk's goroutine computes on whichever core is free.", ""}
	if at > 1 {
		head[1] = "With " + plural(k.cores, "core") + ", " + n(at) + " chunks compute at once: up to " + n(at) + "× as fast as sequential."
	} else if k.cores == 1 {
		head[1] = "With one core, one chunk computes at a time: no faster than sequential."
	} else {
		head[1] = "With one chunk there is nothing to run at the same time: no faster than sequential."
	}
	look := []string{"As many lanes run at once as there are cores: up to " + n(at) + " █ in a column, never more."}
	if k.Chunks > k.cores {
		look = append(look, "The "+n(k.Chunks)+" chunks share "+plural(k.cores, "core")+": the rest wait (▒), or they take the cores in turns (partial cells).")
	}
	look = append(look, "Watch the core lanes (k): the scheduler may move a goroutine from one core to another.")
	if h := moreCoresHint(k, "chunks then compute at once, and the speedup follows.", "with one core the same program loses its speedup."); h != "" {
		look = append(look, h)
	}
	return head, look
}
