package procfs

import (
	"errors"
	"slices"
	"sync"
	"time"

	"timeslice/internal/mono"
	"timeslice/model"
)

// defaultPeriod is how often a ProcSampler samples unless told otherwise: often enough to
// see processes take turns on the cores, rarely enough that sampling barely touches the work.
const defaultPeriod = 40 * time.Millisecond

// ProcSample is one stored observation of a thread or a process; times are mono.Now ns. An observation that changed
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

// procConfig configures a ProcSampler for a test. The zero value samples /proc every defaultPeriod.
type procConfig struct {
	// Root is where the proc file system is; empty means "/proc".
	Root string
	// Period is the sampling period; zero means defaultPeriod.
	Period time.Duration
	// Now returns CLOCK_MONOTONIC ns; nil means mono.Now. Tests inject a fake clock.
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
	// ours is the CPU time every sampled thread has used since it was first seen, per core it
	// was read to be on; unplaced is the part whose core was not read.
	ours     []int64
	unplaced int64
	procs    []*watched
	// afterRound, if set, is called after each of the sampling goroutine's rounds.
	afterRound func()
	last       int64
	err        error
	started    bool
	stopped    bool
	stop       chan struct{}
	done       chan struct{}
}

// history is the stored samples of one thread or process, guarded by ProcSampler.mu.
type history struct {
	samples []ProcSample
	// seen is the latest observation, stored or not.
	seen int64
	// vol and invol are the latest known context-switch counts.
	vol, invol int
	done       bool
	// cache keeps the intervals classified so far (watched processes only).
	cache intervalCache
}

// watched is one watched process: its history (under mu) and its threads (under round).
type watched struct {
	name string
	pid  int
	hist history
	g    *group
}

// NewProcSampler returns a sampler of /proc every defaultPeriod for every thread of child (no
// child if child <= 0). It does not sample until Start.
func NewProcSampler(child int) *ProcSampler { return newProcSampler(child, procConfig{}) }

// newProcSampler is NewProcSampler with cfg: tests point it at recorded files and a fake clock.
func newProcSampler(child int, cfg procConfig) *ProcSampler {
	s := &ProcSampler{
		fs:      ProcFS{Root: cfg.Root},
		period:  cfg.Period,
		now:     cfg.Now,
		threads: map[int]*history{},
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if s.period <= 0 {
		s.period = defaultPeriod
	}
	if s.now == nil {
		s.now = mono.Now
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

// AfterRound has the sampling goroutine call f after each of its rounds, with nothing locked:
// what reads the threads' counters at the moment they were sampled (their CPU time per core,
// beside the cores' own counters) needs no round of its own. Call it before Start.
func (s *ProcSampler) AfterRound(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterRound = f
}

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
	// The rounds run on whichever thread has a P, not on a thread of their own: a dedicated
	// thread would hand a P over and back (two thread switches) every round, and one the work
	// on busy cores kept off its core would hold its P away from the screen. A round is short,
	// and the counters are cumulative, so a late round loses nothing but resolution.
	t := time.NewTicker(s.period)
	defer t.Stop()
	s.mu.Lock()
	after := s.afterRound
	s.mu.Unlock()
	for {
		s.SampleNow()
		if after != nil {
			after()
		}
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
// owner may call it too, as the observer does right before it reads the per-core load.
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
	obs, _, err := s.child.read(s.fs, false, 0)
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
		s.addOurs(o.cpu, o.dRun)
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

// addOurs counts d ns of CPU time used on core (or on no known core); s.mu is held.
func (s *ProcSampler) addOurs(core int, d int64) {
	if d <= 0 {
		return
	}
	if core < 0 || core >= 1<<12 {
		s.unplaced += d
		return
	}
	for len(s.ours) <= core {
		s.ours = append(s.ours, 0)
	}
	s.ours[core] += d
}

// CPUByCore returns how much CPU time the threads sampled so far (the child's and every
// watched process's) have used, per core they were on when read, and the part whose core was
// not read. A thread's time counts for the core it was on at the end of each sampling window.
func (s *ProcSampler) CPUByCore() (perCore []int64, unplaced int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ours), s.unplaced
}

// sampleProcess reads every thread of a watched process and stores the sums, or its end.
func (s *ProcSampler) sampleProcess(w *watched, now int64) error {
	s.mu.Lock()
	window := now - w.hist.seen
	s.mu.Unlock()
	obs, st, err := w.g.read(s.fs, true, window)
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
		h.samples = append(h.samples, ProcSample{From: h.seen, At: now, Run: prev.Run, Wait: prev.Wait, CPU: model.NoCore, Done: true})
		h.seen, h.done = now, true
		return nil
	}
	cur := ProcSample{From: h.seen, At: now, Run: prev.Run, Wait: prev.Wait, CPU: model.NoCore}
	var most int64
	for _, o := range obs {
		s.addOurs(o.cpu, o.dRun)
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
