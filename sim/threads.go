package sim

import (
	"errors"
	"runtime"
	"sort"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// samplerNice is the nice value of the sampling thread: well behind the work, yet with enough
// weight to keep its rounds when every core is busy.
const samplerNice = 10

// DefaultProcPeriod is how often a ProcSampler samples unless told otherwise.
const DefaultProcPeriod = 20 * time.Millisecond

// ProcSample is one stored observation of a thread or a process; times are MonoNow ns. An observation that changed
// nothing since the previous one is not stored: From says when the thread or process was last
// observed before At, so the window this sample covers is (From, At], and between the previous
// sample's At and From the counters did not change.
type ProcSample struct {
	// From and At are CLOCK_MONOTONIC ns: the previous observation and this one.
	From, At int64
	// Run and Wait are cumulative on-CPU and run-queue ns as the kernel counts them. For a
	// process they are the sum over its threads, counting from the first observation (threads
	// that exit keep what they added).
	Run, Wait int64
	// Queued is, for a process, the run-queue ns attributed to this window: the kernel's wait
	// growth moved back to the windows in which the threads actually sat in the queue (see
	// ProcessTasks).
	Queued int64
	// CPU is the core the thread last ran on, read only when Run grew in the window; for a process,
	// the core of the thread that ran most in the window. NoCore when not read or not known.
	CPU int
	// TID is, for a process, the thread that ran most in the window (0 if none ran).
	TID int
	// Done marks a process's last sample: its /proc entry is gone or it is a zombie.
	Done bool
}

// ProcConfig configures a ProcSampler. The zero value samples /proc every 20 ms.
type ProcConfig struct {
	// Root is where the proc file system is; empty means "/proc".
	Root string
	// Period is the sampling period; zero means DefaultProcPeriod.
	Period time.Duration
	// Now returns CLOCK_MONOTONIC ns; nil means MonoNow. Tests inject a fake clock.
	Now func() int64
}

// ProcSampler samples, from /proc, every thread of one child process and a set of watched
// processes, and keeps their history. Its methods are safe for concurrent use.
type ProcSampler struct {
	fs     ProcFS
	period time.Duration
	now    func() int64

	// round serialises sampling rounds and guards the groups' per-thread previous readings.
	round sync.Mutex
	child *group

	mu        sync.Mutex
	childLive bool
	threads   map[int]*history
	procs     []*watched
	last      int64
	err       error
	started   bool
	stopped   bool
	stop      chan struct{}
	done      chan struct{}
}

// history is the stored samples of one thread or process, guarded by ProcSampler.mu.
type history struct {
	samples []ProcSample
	// seen is the latest observation, stored or not.
	seen int64
	// vol and invol are the latest known context-switch counts.
	vol, invol int
	done       bool
}

// watched is one watched process: its history (under mu) and its threads (under round).
type watched struct {
	name string
	pid  int
	hist history
	g    *group
}

// NewProcSampler returns a sampler for every thread of child (no child if child <= 0). It does
// not sample until Start or SampleNow.
func NewProcSampler(child int, cfg ProcConfig) *ProcSampler {
	s := &ProcSampler{
		fs:      ProcFS{Root: cfg.Root},
		period:  cfg.Period,
		now:     cfg.Now,
		threads: map[int]*history{},
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if s.period <= 0 {
		s.period = DefaultProcPeriod
	}
	if s.now == nil {
		s.now = MonoNow
	}
	if cfg.Root == "" || cfg.Root == "/proc" {
		// Only the kernel's files can be kept open and re-read: a file a test replaces or
		// removes would still read as it was through an old descriptor.
		s.fs.open = newOpenFiles()
	}
	if child > 0 {
		s.child = newGroup(child)
		s.childLive = true
	}
	return s
}

// Period is the sampling period.
func (s *ProcSampler) Period() time.Duration { return s.period }

// Start starts the sampling goroutine: one sample now, then one every period until Stop.
// Calling it again, or after Stop, does nothing.
func (s *ProcSampler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.stopped {
		return
	}
	s.started = true
	go s.loop()
}

func (s *ProcSampler) loop() {
	defer close(s.done)
	// Sample from a thread of its own at a lower priority, so that on busy cores the work
	// being observed goes first. The counters are cumulative: a late round loses nothing but
	// resolution. The thread ends with this goroutine (it is never unlocked).
	runtime.LockOSThread()
	unix.Setpriority(unix.PRIO_PROCESS, 0, samplerNice) // 0: this thread only, on Linux
	t := time.NewTicker(s.period)
	defer t.Stop()
	for {
		s.SampleNow()
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

// Stop stops the sampling goroutine and waits for it to return. It is safe to call more than
// once and without Start. The history stays readable.
func (s *ProcSampler) Stop() {
	s.mu.Lock()
	started, stopped := s.started, s.stopped
	s.stopped = true
	s.mu.Unlock()
	if stopped {
		return
	}
	close(s.stop)
	if started {
		<-s.done
	}
	if s.fs.open != nil {
		s.fs.open.close()
	}
}

// Err says why the latest sampling round could not read /proc, or nil if it could. A process
// that has exited is not an error.
func (s *ProcSampler) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Watch adds a process to sample under a lane name, and observes it at once. A name already
// watched is kept as it is: the later call is ignored.
func (s *ProcSampler) Watch(name string, pid int) {
	s.round.Lock()
	defer s.round.Unlock()
	s.mu.Lock()
	for _, w := range s.procs {
		if w.name == name {
			s.mu.Unlock()
			return
		}
	}
	w := &watched{name: name, pid: pid, g: newGroup(pid)}
	s.procs = append(s.procs, w)
	s.mu.Unlock()
	now := s.now()
	err := s.sampleProcess(w, now)
	s.mu.Lock()
	if err != nil {
		s.err = err
	}
	s.mu.Unlock()
}

// SampleNow takes one sampling round at once. The sampling goroutine calls it every period; an
// owner may call it too, for instance right after the child exits.
func (s *ProcSampler) SampleNow() { s.sample(false) }

// SampleAll takes one round like SampleNow, but reads everything afresh: every thread list and
// every running thread's switch counts. It is the last word on a run that has ended.
func (s *ProcSampler) SampleAll() { s.sample(true) }

func (s *ProcSampler) sample(all bool) {
	s.round.Lock()
	defer s.round.Unlock()
	if all {
		if s.child != nil {
			s.child.rounds = 0
		}
		s.mu.Lock()
		for _, w := range s.procs {
			w.g.rounds = 0 // w.g is guarded by round, which is held
		}
		s.mu.Unlock()
	}
	now := s.now()
	var errs []error
	if s.child != nil {
		s.mu.Lock()
		live := s.childLive
		s.mu.Unlock()
		if live {
			errs = append(errs, s.sampleChild(now))
		}
	}
	s.mu.Lock()
	procs := append([]*watched(nil), s.procs...)
	s.mu.Unlock()
	for _, w := range procs {
		s.mu.Lock()
		done := w.hist.done
		s.mu.Unlock()
		if !done {
			errs = append(errs, s.sampleProcess(w, now))
		}
	}
	s.mu.Lock()
	s.err = nil
	for _, err := range errs {
		if err != nil {
			s.err = err // the first: the others almost always share its cause
			break
		}
	}
	if now > s.last {
		s.last = now
	}
	s.mu.Unlock()
}

// sampleChild reads every thread of the child and stores what changed.
func (s *ProcSampler) sampleChild(now int64) error {
	obs, err := s.child.read(s.fs, false, 0)
	s.mu.Lock()
	defer s.mu.Unlock()
	if errors.Is(err, ErrGone) {
		s.childLive = false
		return nil
	}
	if err != nil {
		return err
	}
	listed := make(map[int]bool, len(obs))
	for _, o := range obs {
		listed[o.tid] = true
		h := s.threads[o.tid]
		if h == nil {
			h = &history{seen: now}
			s.threads[o.tid] = h
		}
		h.done = false
		if o.first || o.dRun > 0 || o.dWait > 0 {
			h.samples = append(h.samples, ProcSample{From: h.seen, At: now, Run: o.ss.RunNs, Wait: o.ss.WaitNs, CPU: o.cpu, TID: o.tid})
		}
		h.seen = now
		h.vol, h.invol = o.vol, o.invol
	}
	for tid, h := range s.threads {
		if !listed[tid] {
			h.done = true
		}
	}
	return nil
}

// sampleProcess reads every thread of a watched process and stores the sums, or its end.
func (s *ProcSampler) sampleProcess(w *watched, now int64) error {
	st, err := s.fs.ReadStat(w.pid)
	var obs []threadObs
	if err == nil {
		s.mu.Lock()
		window := now - w.hist.seen
		s.mu.Unlock()
		obs, err = w.g.read(s.fs, true, window)
	}
	gone := errors.Is(err, ErrGone) || (err == nil && (st.State == 'Z' || st.State == 'X') && len(obs) <= 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	h := &w.hist
	h.vol, h.invol = w.g.switches()
	if !gone && err != nil {
		return err
	}
	var prev ProcSample
	first := len(h.samples) == 0
	if !first {
		prev = h.samples[len(h.samples)-1]
	} else {
		h.seen = now
	}
	if gone {
		h.samples = append(h.samples, ProcSample{From: h.seen, At: now, Run: prev.Run, Wait: prev.Wait, CPU: NoCore, Done: true})
		h.seen, h.done = now, true
		return nil
	}
	cur := ProcSample{From: h.seen, At: now, Run: prev.Run, Wait: prev.Wait, CPU: NoCore}
	var most int64
	for _, o := range obs {
		cur.Run += o.dRun
		cur.Wait += o.dWait
		cur.Queued += o.queued
		if o.dRun > most {
			most, cur.CPU, cur.TID = o.dRun, o.cpu, o.tid
		}
	}
	if first || cur.Run != prev.Run || cur.Wait != prev.Wait || cur.Queued > 0 {
		h.samples = append(h.samples, cur)
	}
	h.seen = now
	return nil
}

// group is the threads of one process as last read: what each had, to take differences.
type group struct {
	pid  int
	prev map[int]*threadPrev
	// tids is the thread list as last read, read again every relistEvery rounds: threads come
	// and go rarely, and listing the task directory costs more than reading a thread.
	tids   []int
	rounds int
	// exitedVol and exitedInvol keep the last known switch counts of threads that have exited.
	exitedVol, exitedInvol int
}

type threadPrev struct {
	run, wait  int64
	vol, invol int
	// state is the thread's state letter at the last read (0 if not read).
	state byte
	// credit is run-queue time already attributed to earlier windows that the kernel has not
	// added to the wait counter yet.
	credit int64
}

// threadObs is one thread read in one round, with its change since the previous round.
type threadObs struct {
	tid         int
	ss          Schedstat
	first       bool
	dRun, dWait int64
	// queued is the run-queue time attributed to this window (see group.read).
	queued     int64
	cpu        int
	vol, invol int
}

// relistEvery is how many sampling rounds pass between two listings of a process's threads;
// a thread that starts in between is seen at the next listing, with all its time counted then.
const relistEvery = 10

func newGroup(pid int) *group { return &group{pid: pid, prev: map[int]*threadPrev{}} }

// read reads the schedstat of every thread, and stat and status of those whose on-CPU time grew
// (a thread that switched since the last round ran since then, so its counts can only have moved
// then). A thread new since the last round counts all its time as new.
//
// With states, it reads every thread's stat to attribute run-queue time to the right window of
// length window ns. The kernel adds a thread's wait to its counter only when the thread gets a
// CPU, so a thread queued for a whole window shows no growth at all, and a lump later. A thread
// that was runnable (state R) at the start of a window and made no voluntary switch in it never
// left the runnable state (blocking is a voluntary switch), so whatever of the window it did not
// run, it spent queued: that is counted at once, and the kernel's later lump pays it back first,
// so the queued times still add up to the kernel's wait counter.
func (g *group) read(p ProcFS, states bool, window int64) ([]threadObs, error) {
	relisted := g.rounds%relistEvery == 0 || len(g.tids) == 0
	g.rounds++
	if relisted {
		tids, err := p.Threads(g.pid)
		if err != nil {
			return nil, err
		}
		g.tids = tids
	}
	tids := g.tids
	obs := make([]threadObs, 0, len(tids))
	listed := make(map[int]bool, len(tids))
	for _, tid := range tids {
		ss, err := p.ReadThreadSchedstat(g.pid, tid)
		if errors.Is(err, ErrGone) {
			continue
		}
		if err != nil {
			return nil, err
		}
		listed[tid] = true
		pr := g.prev[tid]
		o := threadObs{tid: tid, ss: ss, first: pr == nil, cpu: NoCore}
		if pr == nil {
			pr = &threadPrev{}
			g.prev[tid] = pr
		}
		o.dRun, o.dWait = max(ss.RunNs-pr.run, 0), max(ss.WaitNs-pr.wait, 0)
		pr.run, pr.wait = ss.RunNs, ss.WaitNs
		wasRunnable, vol := pr.state == 'R', pr.vol
		// A thread that neither ran nor was runnable at the last read (asleep) cannot have
		// queued since, unless it woke and waited a whole window for a core: rare, and seen at
		// its next run. Skipping its stat read keeps a round cheap.
		if o.dRun > 0 || (states && (pr.state == 'R' || pr.state == 0)) {
			pr.state = 0
			if st, err := p.ReadThreadStat(g.pid, tid); err == nil {
				pr.state = st.State
				if o.dRun > 0 {
					o.cpu = st.Processor
				}
			}
		}
		// The switch counts (status, a long file to render) of a thread that ran are read every
		// round for watched processes, whose lanes use them; for the child's threads, whose
		// lanes come from the trace, only when the thread list is read again (and at the end).
		if o.dRun > 0 && (states || relisted || o.first) {
			if st, err := p.ReadThreadStatus(g.pid, tid); err == nil {
				pr.vol, pr.invol = st.Voluntary, st.Involuntary
			} else {
				vol = -1 // unknown: infer nothing
			}
		}
		var inferred int64
		if states && !o.first && window > 0 && wasRunnable && pr.vol == vol {
			inferred = max(window-o.dRun, 0)
		}
		pr.credit += inferred
		paid := min(pr.credit, o.dWait)
		pr.credit -= paid
		o.queued = inferred + o.dWait - paid
		o.vol, o.invol = pr.vol, pr.invol
		obs = append(obs, o)
	}
	if len(listed) == 0 && !relisted {
		// Every thread we knew is gone: list again, to learn of new ones or that the process is.
		g.tids = nil
		return g.read(p, states, window)
	}
	for tid, pr := range g.prev {
		if !listed[tid] {
			g.exitedVol += pr.vol
			g.exitedInvol += pr.invol
			delete(g.prev, tid)
		}
	}
	return obs, nil
}

// switches sums the latest known switch counts of live and exited threads.
func (g *group) switches() (voluntary, involuntary int) {
	voluntary, involuntary = g.exitedVol, g.exitedInvol
	for _, pr := range g.prev {
		voluntary += pr.vol
		involuntary += pr.invol
	}
	return voluntary, involuntary
}

// ThreadIDs lists, in increasing order, every thread of the child seen so far.
func (s *ProcSampler) ThreadIDs() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	tids := make([]int, 0, len(s.threads))
	for tid := range s.threads {
		tids = append(tids, tid)
	}
	sort.Ints(tids)
	return tids
}

// ThreadHistory returns a copy of the stored samples of one thread of the child.
func (s *ProcSampler) ThreadHistory(tid int) []ProcSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.threads[tid]; h != nil {
		return append([]ProcSample(nil), h.samples...)
	}
	return nil
}

// ProcessHistory returns a copy of the stored samples of a watched process.
func (s *ProcSampler) ProcessHistory(name string) []ProcSample {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w := s.find(name); w != nil {
		return append([]ProcSample(nil), w.hist.samples...)
	}
	return nil
}

func (s *ProcSampler) find(name string) *watched {
	for _, w := range s.procs {
		if w.name == name {
			return w
		}
	}
	return nil
}

// ProcessTotals returns a watched process's on-CPU and run-queue time from its first sample to
// its last, exactly as the kernel counted them; zero for a name not watched.
func (s *ProcSampler) ProcessTotals(name string) (run, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.find(name)
	if w == nil || len(w.hist.samples) == 0 {
		return 0, 0
	}
	a, b := w.hist.samples[0], w.hist.samples[len(w.hist.samples)-1]
	return time.Duration(b.Run - a.Run), time.Duration(b.Wait - a.Wait)
}

// Switches returns the context switches of a process summed over its threads. For the child and
// watched processes it is the latest sampled count, which keeps threads and processes that have
// exited (as last seen); for any other pid it reads /proc now. Zero when nothing is known.
func (s *ProcSampler) Switches(pid int) (voluntary, involuntary int) {
	s.mu.Lock()
	if s.child != nil && s.child.pid == pid {
		for _, h := range s.threads {
			voluntary += h.vol
			involuntary += h.invol
		}
		s.mu.Unlock()
		return voluntary, involuntary
	}
	for _, w := range s.procs {
		if w.pid == pid {
			defer s.mu.Unlock()
			return w.hist.vol, w.hist.invol
		}
	}
	s.mu.Unlock()
	voluntary, involuntary, err := s.fs.Switches(pid)
	if err != nil {
		return 0, 0
	}
	return voluntary, involuntary
}

// ThreadCore returns the core a thread of the child was on while running in [from, to] (CLOCK_MONOTONIC
// ns), and false when that is not known; it never guesses.
//
// Samples taken inside [from, to] in which the thread's on-CPU time grew read the core of a
// thread that was running at that moment: if there are any, they must all name the same core.
// If there are none (an interval shorter than the period), the first sample after to is used,
// if it comes no later than to+period, its on-CPU time grew and its core was read; it names the
// core the thread last ran on, which is the interval's core unless the thread ran again on
// another core before that sample.
func (s *ProcSampler) ThreadCore(tid int, from, to int64) (core int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.threads[tid]
	if h == nil || to < from {
		return NoCore, false
	}
	core = NoCore
	for _, smp := range h.samples {
		if smp.At < from {
			continue
		}
		if smp.At > to {
			if core != NoCore {
				return core, true
			}
			if smp.At <= to+int64(s.period) && smp.CPU != NoCore {
				return smp.CPU, true
			}
			return NoCore, false
		}
		if smp.CPU == NoCore {
			continue
		}
		if core != NoCore && core != smp.CPU {
			return NoCore, false
		}
		core = smp.CPU
	}
	return core, core != NoCore
}

// ProcessTasks returns one Task per watched process, in the order they were watched, with
// intervals in time since startMono (CLOCK_MONOTONIC ns); time before startMono is cut off.
//
// Each stored sample covers the window (From, At] and the window before it, from the previous
// sample's At to From, changed nothing, so it is Waiting. A window of length w in which the
// process's threads added run ns of CPU time and spent wait ns in the run queue (Queued: the
// kernel's wait counter, moved back to the windows where the waiting happened) is drawn by
// splitWindow: Running (with Core and Thread of the thread that ran most in the window), Ready
// (runnable, waiting for a core) and Waiting (asleep, blocked or waiting for I/O) in proportion
// to run, wait and the rest, or all in one state when that state took three quarters of it.
//
// The window in which the process was seen to have exited has
// no counters and is left unknown (no interval); Done runs from the sample that saw the exit to
// the latest sampling round. Time after the latest observation of a live process is unknown.
// Adjacent intervals with the same state, core and thread are merged.
func (s *ProcSampler) ProcessTasks(startMono int64) []Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	tasks := make([]Task, 0, len(s.procs))
	for _, w := range s.procs {
		tasks = append(tasks, Task{Name: w.name, Kind: KindProcess, Intervals: w.hist.intervals(startMono, s.last)})
	}
	return tasks
}

// intervals classifies a process's samples as ProcessTasks documents.
func (h *history) intervals(startMono, last int64) []Interval {
	var out []Interval
	add := func(from, to int64, iv Interval) {
		from, to = max(from-startMono, 0), to-startMono
		if to <= from {
			return
		}
		iv.Start, iv.End = time.Duration(from), time.Duration(to)
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.End == iv.Start && p.State == iv.State && p.Core == iv.Core && p.Thread == iv.Thread {
				p.End = iv.End
				return
			}
		}
		out = append(out, iv)
	}
	waiting := Interval{State: StateWaiting, Core: NoCore}
	for i, smp := range h.samples {
		if i == 0 {
			if smp.Done {
				add(smp.At, last, Interval{State: StateDone, Core: NoCore})
			}
			continue
		}
		prev := h.samples[i-1]
		add(prev.At, smp.From, waiting)
		if smp.Done {
			add(smp.At, max(last, smp.At), Interval{State: StateDone, Core: NoCore})
			continue
		}
		for _, part := range splitWindow(smp.At-smp.From, smp.Run-prev.Run, smp.Queued, smp.CPU, smp.TID) {
			add(smp.From, smp.From+part.length, part.iv)
			smp.From += part.length
		}
	}
	if n := len(h.samples); n > 0 && !h.done {
		add(h.samples[n-1].At, h.seen, waiting)
	}
	return out
}

// windowPart is one state's share of a sampling window.
type windowPart struct {
	length int64
	iv     Interval
}

// splitWindow shares one window of length w between the states by the kernel's counts: run ns
// on a CPU, then wait ns queued for one, then the rest waiting (asleep); a state that took three
// quarters of the window or more gets all of it, so clear-cut windows draw clean. The kernel gives the
// amounts, not their order within the window (20 ms by default), so the lane draws them in that
// fixed order; totals over a run equal the kernel's counters.
func splitWindow(w, run, wait int64, core, tid int) []windowPart {
	run = min(max(run, 0), w)
	wait = min(max(wait, 0), w-run)
	shares := []windowPart{
		{run, Interval{State: StateRunning, Core: core, Thread: tid}},
		{wait, Interval{State: StateReady, Core: NoCore}},
		{w - run - wait, Interval{State: StateWaiting, Core: NoCore}},
	}
	for _, p := range shares {
		if p.length*4 >= w*3 { // one state took three quarters or more: draw the window in it
			return []windowPart{{w, p.iv}}
		}
	}
	parts := make([]windowPart, 0, 3)
	for _, p := range shares {
		if p.length > 0 {
			parts = append(parts, p)
		}
	}
	return parts
}
