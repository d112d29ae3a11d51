package scenarios

// lookFor is, per scenario id, what to look for in the picture while it runs.
var lookFor = map[string][]string{
	"io-sequential": {
		"Each lane is one call: a thin █ where it sends the request, a long ─ while it waits, a thin █ for the response.",
		"The lanes form a staircase: a call starts only after the one before it has finished.",
		"The cores are almost idle the whole time: the program is waiting, not working.",
		"Wall time is the sum of the waits, and CPU time is a tiny fraction of it.",
	},
	"io-threads": {
		"All four calls send their requests at once, then wait side by side: the ─ lines overlap.",
		"The responses arrive together, so the run ends after about one latency instead of four.",
		"Almost nothing runs: more cores would not help, the speedup comes from overlapping the waits.",
		"Compare the speedup with io-asyncio: threads and an event loop win the same way here.",
	},
	"io-asyncio": {
		"All the coroutines live on one thread: their short █ bursts never overlap, yet their waits do.",
		"A coroutine runs until it awaits; ▒ means it is ready but the loop is busy with another one.",
		"With core lanes (k) every burst lands on the loop's one thread, whatever core that is.",
		"About as fast as io-threads, with a single thread: concurrency without parallelism.",
	},
	"cpu-sequential": {
		"One chunk computes at a time: a solid █ staircase with no waiting at all.",
		"One core sits near 100 % while the others stay idle.",
		"CPU time is about the same as wall time: every moment is spent computing.",
		"This is the baseline the other cpu-* scenarios are measured against.",
	},
	"cpu-threads-gil": {
		"Every chunk has a thread, but all lanes show ▓: each ran a slice, then waited for the lock.",
		"Only one thread computes at any moment, so the load adds up to about one core.",
		"The speedup stays near 1×: more threads only take turns, and handing the lock over costs a little.",
		"Try more cores (>): it does not get faster, which is the lesson of a global lock.",
	},
	"cpu-processes": {
		"Each chunk is a process of its own, so the kernel can put them on different cores at once.",
		"With more processes than cores they take turns (▓): each runs part of the time and waits for a core (▒) the rest.",
		"Every core's load goes up together; CPU time grows beyond wall time.",
		"Starting a process costs a little, but for real work the speedup approaches the number of cores.",
	},
	"cpu-goroutines": {
		"Goroutines without a global lock: as many lanes show █ at once as there are cores.",
		"Chunks beyond the core count wait (▒) and start as soon as a core is free.",
		"Watch the core lanes (k): the scheduler may move a goroutine from one core to another.",
		"Try cores 1 (<): the same program loses its speedup, the picture turns into taking turns.",
	},
}

// LookFor says, in a few lines, what to look for in the scenario's picture.
func (s Scenario) LookFor() []string {
	if l, ok := lookFor[s.ID]; ok {
		return l
	}
	return []string{s.Explain[0], s.Explain[1]}
}
