package procfs

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"timeslice/internal/mono"
	"timeslice/internal/termtext"
	"timeslice/model"
)

// How often a TreeSampler reads its threads: as often as minTreePeriod, but never so often that
// reading takes more than treeBudget of one core; a program with many threads is read less often.
const (
	minTreePeriod = time.Millisecond
	maxTreePeriod = 25 * time.Millisecond
	treeBudget    = 0.03
)

// treeRelistEvery is how many rounds pass between two listings of the processes' threads and
// children: a new thread or process is found within this many rounds.
const treeRelistEvery = 8

// TreeSampler samples, from /proc, every thread of a program it did not start itself: the
// process it is given and every process that one starts, and theirs, found through the
// kernel's lists of children. Each thread's time is read as windows (see window.go) and drawn
// as one lane. Its methods are safe for concurrent use.
type TreeSampler struct {
	fs        ProcFS
	root      int
	startMono int64
	now       func() int64
	minPeriod time.Duration

	mu      sync.Mutex
	procs   []*treeProc
	byPID   map[int]*treeProc
	threads map[int]*treeThread
	// listedAt is when the threads and children were last listed, bornAfter when they were
	// listed before that: a thread found at a listing was not there at the one before.
	listedAt, bornAfter int64
	rounds              int
	// busy is the time spent reading, cost the recent cost of one round (ns, smoothed).
	busy int64
	cost float64
	// ours is the CPU time the program's threads used per core, as read (see CPUByCore).
	ours          []int64
	unplaced      int64
	period        time.Duration
	first, last   int64
	err           error
	started, quit bool
	stop, done    chan struct{}
}

// treeProc is one process of the program.
type treeProc struct {
	pid  int
	tids []int
	done bool
}

// treeThread is one thread of the program, its previous reading and its windows.
type treeThread struct {
	pid, tid int
	comm     string
	prevAt   int64
	prevRun  int64
	prevWait int64
	prevCall Call
	core     int
	// settled are the intervals no late amount can change any more; open the windows since.
	// The first frozen of settled have been handed out (Tasks): they are never changed again.
	settled []model.Interval
	frozen  int
	open    []window
	// doneAt is when the thread was found gone; 0 while it lives.
	doneAt int64
}

// TreeConfig is how a TreeSampler reads: the zero value reads /proc on the monotonic clock.
// Tests point it at recorded files and a fake clock.
type TreeConfig struct {
	// Root is where the proc file system is; empty means "/proc".
	Root string
	// Now returns CLOCK_MONOTONIC ns; nil means mono.Now.
	Now func() int64
	// MinPeriod is the shortest time between two rounds; zero means a millisecond.
	MinPeriod time.Duration
}

// NewTreeSampler returns a sampler of the program whose first process is pid, started at
// startMono (CLOCK_MONOTONIC ns): lanes count time from then. It reads nothing until Start or
// Round.
func NewTreeSampler(pid int, startMono int64, cfg TreeConfig) *TreeSampler {
	s := &TreeSampler{fs: ProcFS{Root: cfg.Root}, root: pid, startMono: startMono, now: cfg.Now,
		minPeriod: cfg.MinPeriod, byPID: map[int]*treeProc{}, threads: map[int]*treeThread{},
		listedAt: startMono, bornAfter: startMono, stop: make(chan struct{}), done: make(chan struct{})}
	if s.now == nil {
		s.now = mono.Now
	}
	if s.minPeriod <= 0 {
		s.minPeriod = minTreePeriod
	}
	if cfg.Root == "" || cfg.Root == "/proc" {
		s.fs.open = newOpenFiles()
	}
	s.period = s.minPeriod
	p := &treeProc{pid: pid}
	s.procs, s.byPID[pid] = []*treeProc{p}, p
	return s
}

// Start starts reading: a round now, then one every period until Stop. Calling it again, or
// after Stop, does nothing.
func (s *TreeSampler) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.quit {
		return
	}
	s.started = true
	go s.loop()
}

func (s *TreeSampler) loop() {
	defer close(s.done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		t.Reset(s.Round())
	}
}

// Stop stops reading and waits for the reading goroutine to return; what was read stays, and
// Round may still be called. It is safe to call more than once and without Start.
func (s *TreeSampler) Stop() {
	s.mu.Lock()
	started, quit := s.started, s.quit
	s.quit = true
	s.mu.Unlock()
	if quit {
		return
	}
	close(s.stop)
	if started {
		<-s.done
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fs.open != nil {
		s.fs.open.close()
		s.fs.open = nil // a later Round opens, reads and closes each file
	}
}

// Round reads every thread once, now, and returns how long to wait before the next round.
func (s *TreeSampler) Round() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The round stays on one thread, so the thread's CPU clock measures what it cost.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, cpu0 := s.now(), threadCPU()
	if s.first == 0 {
		s.first = t0
	}
	s.err = nil
	if s.rounds%treeRelistEvery == 0 {
		s.list(t0)
	}
	for _, p := range s.procs {
		if p.done {
			continue
		}
		live := p.tids[:0]
		for _, tid := range p.tids {
			if s.read(p, tid) {
				live = append(live, tid)
			}
		}
		p.tids = live
		if len(live) == 0 {
			p.done = true
		}
	}
	end := s.now()
	s.rounds++
	s.last = end
	// The cost is the CPU time the round took: on a busy machine its wall time also counts the
	// time other programs had its core.
	cost := min(max(threadCPU()-cpu0, 0), end-t0)
	s.busy += cost
	if s.rounds == 1 {
		s.cost = float64(cost)
	} else {
		s.cost += (float64(cost) - s.cost) / 8
	}
	s.period = min(max(time.Duration(s.cost/treeBudget), s.minPeriod), maxTreePeriod)
	return s.period
}

// list lists every live process's threads, and the children of every thread, adding the
// processes not seen before (and listing them in turn).
func (s *TreeSampler) list(now int64) {
	for i := 0; i < len(s.procs); i++ {
		p := s.procs[i]
		if p.done {
			continue
		}
		tids, err := s.fs.Threads(p.pid)
		if errors.Is(err, ErrGone) {
			s.endProcess(p, now)
			continue
		}
		if err != nil {
			s.err = err
			continue
		}
		for _, old := range p.tids { // a thread no longer listed has ended
			if !slices.Contains(tids, old) {
				if th := s.threads[old]; th != nil && th.doneAt == 0 {
					th.doneAt = now
				}
			}
		}
		p.tids = tids
		for _, tid := range tids {
			kids, err := s.fs.ReadChildren(p.pid, tid)
			if err != nil {
				continue // the thread has ended, or the kernel keeps no such list
			}
			for _, k := range kids {
				if s.byPID[k] == nil {
					np := &treeProc{pid: k}
					s.procs = append(s.procs, np)
					s.byPID[k] = np
				}
			}
		}
	}
	s.bornAfter, s.listedAt = s.listedAt, now
}

// endProcess marks a process and all its threads as ended at now.
func (s *TreeSampler) endProcess(p *treeProc, now int64) {
	p.done, p.tids = true, nil
	for _, th := range s.threads {
		if th.pid == p.pid && th.doneAt == 0 {
			th.doneAt = now
		}
	}
}

// read reads one thread and adds the window since its previous reading. It returns false when
// the thread has ended.
func (s *TreeSampler) read(p *treeProc, tid int) bool {
	th := s.threads[tid]
	if th != nil && th.doneAt != 0 {
		return false
	}
	ss, err := s.fs.ReadThreadSchedstat(p.pid, tid)
	if err != nil {
		return s.readFailed(th, err)
	}
	at := s.now()
	call, err := s.fs.ReadThreadCall(p.pid, tid)
	var st Stat
	if err != nil && !errors.Is(err, ErrGone) {
		// Neither syscall nor wchan may be read here: the state letter still tells runnable
		// from blocked, though not why it blocked.
		s.err = fmt.Errorf("why a blocked thread waits cannot be read: %w", err)
		if st, err = s.fs.ReadThreadStat(p.pid, tid); err == nil {
			call = Call{Runnable: st.State == 'R', Number: -1}
		}
	}
	if err != nil {
		return s.readFailed(th, err)
	}
	if th == nil {
		th = &treeThread{pid: p.pid, tid: tid, prevAt: s.bornAfter, core: model.NoCore,
			prevCall: Call{Runnable: true, Number: -1}}
		s.threads[tid] = th
	}
	ran := ss.RunNs > th.prevRun
	if st.PID == 0 && (ran || th.comm == "" || (!call.Runnable && call.Number < 0)) {
		if st, err = s.fs.ReadThreadStat(p.pid, tid); err != nil {
			return s.readFailed(th, err)
		}
	}
	if st.PID != 0 {
		th.comm = termtext.Clean(st.Comm) // a program may name its threads anything
		if ran {
			th.core = st.Processor
		}
		if ran && th.core >= 0 && th.core < 1<<12 {
			for len(s.ours) <= th.core {
				s.ours = append(s.ours, 0)
			}
			s.ours[th.core] += ss.RunNs - th.prevRun
		} else if ran {
			s.unplaced += ss.RunNs - th.prevRun
		}
		if st.State == 'Z' || st.State == 'X' {
			th.doneAt = at
			return false
		}
	}
	th.open = addWindow(th.open, reading{from: th.prevAt, at: at, run: ss.RunNs - th.prevRun,
		wait: ss.WaitNs - th.prevWait, startCall: th.prevCall, endCall: call, core: th.core})
	s.settle(th, settle(th.open))
	th.prevAt, th.prevRun, th.prevWait, th.prevCall = at, ss.RunNs, ss.WaitNs, call
	return true
}

// settle moves the first n open windows of th to its settled intervals.
func (s *TreeSampler) settle(th *treeThread, n int) {
	if n <= 0 {
		return
	}
	for _, w := range th.open[:n] {
		iv := w.interval(s.startMono)
		if iv.State == model.StateRunning || iv.State == model.StateMixed && iv.RunShare > 0 {
			iv.Thread = th.tid
		}
		th.settled = appendMerged(th.settled, th.frozen, iv)
	}
	th.open = append(th.open[:0], th.open[n:]...)
}

// SettleAll settles every window left open: the counters have said all they will, once the
// program has ended.
func (s *TreeSampler) SettleAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, th := range s.threads {
		s.settle(th, len(th.open))
	}
}

// readFailed notes why a thread could not be read and returns false if it has ended.
func (s *TreeSampler) readFailed(th *treeThread, err error) bool {
	if errors.Is(err, ErrGone) {
		if th != nil && th.doneAt == 0 {
			th.doneAt = s.now()
		}
		return false
	}
	s.err = err
	return true
}

// appendMerged appends iv to ivs, joining it to the last one when it continues it unchanged,
// unless that one is among the first frozen (handed out already). Mixed windows are never
// joined: each has shares of its own.
func appendMerged(ivs []model.Interval, frozen int, iv model.Interval) []model.Interval {
	if n := len(ivs); n > frozen && iv.State != model.StateMixed {
		p := &ivs[n-1]
		if p.End == iv.Start && p.State == iv.State && p.Reason == iv.Reason && p.Core == iv.Core && p.Thread == iv.Thread {
			p.End = iv.End
			return ivs
		}
	}
	return append(ivs, iv)
}

// threadCPU is the CPU time of the calling thread, in ns.
func threadCPU() int64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return ts.Nano()
}
