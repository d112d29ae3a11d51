package procfs

import (
	"errors"

	"timeslice/model"
)

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

// sliver is the share of a window (one in sliver) below which a watched process's thread that
// ran counts as having barely run: on a line a hundred columns wide, too little to draw.
const sliver = 16

// relistEvery is how many sampling rounds pass between two listings of a process's threads,
// unless the process's thread count changes sooner (see group.read).
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
//
// It also returns the main thread's stat, whose state and thread count are the process's.
func (g *group) read(p ProcFS, states bool, window int64) ([]threadObs, Stat, error) {
	// The main thread's own stat file gives the thread count and state that the process's stat
	// gives, without summing every thread's times as that one does; it is also the main
	// thread's reading below. The count says when the thread list is out of date before the
	// next listing is due: a process starts most of its threads early on.
	lead, err := p.ReadThreadStat(g.pid, g.pid)
	if err != nil {
		return nil, Stat{}, err
	}
	relisted := g.rounds%relistEvery == 0 || len(g.tids) == 0 || lead.NumThreads != len(g.tids)
	g.rounds++
	if relisted {
		tids, err := p.Threads(g.pid)
		if err != nil {
			return nil, Stat{}, err
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
			return nil, Stat{}, err
		}
		listed[tid] = true
		pr := g.prev[tid]
		o := threadObs{tid: tid, ss: ss, first: pr == nil, cpu: model.NoCore}
		if pr == nil {
			pr = &threadPrev{}
			g.prev[tid] = pr
		}
		o.dRun, o.dWait = max(ss.RunNs-pr.run, 0), max(ss.WaitNs-pr.wait, 0)
		pr.run, pr.wait = ss.RunNs, ss.WaitNs
		wasRunnable, vol := pr.state == 'R', pr.vol
		// A thread that neither ran nor was runnable at the last read (asleep) cannot have
		// queued since, unless it woke and waited a whole window for a core: rare, and seen at
		// its next run. Skipping its stat read keeps a round cheap. Of a watched process, whose
		// lane shows the core of the thread that ran most, a thread that ran only a sliver of
		// the window (a runtime's monitor thread, say) is not read either: its state is then
		// unknown, and no queued time is inferred for it in the next window.
		readStat := o.dRun > 0
		if states {
			readStat = tid == g.pid || o.first || wasRunnable || o.dRun*sliver >= window
		}
		if readStat || o.dRun > 0 {
			pr.state = 0 // until read: it may have changed
		}
		if readStat {
			st, err := lead, error(nil)
			if tid != g.pid {
				st, err = p.ReadThreadStat(g.pid, tid)
			}
			if err == nil {
				pr.state = st.State
				if o.dRun > 0 {
					o.cpu = st.Processor
				}
			}
		}
		// The switch counts (status, a long file to render) of a thread that ran are read when
		// the thread list is, and at the end. For a watched process, whose queued time they
		// help attribute, also every round while the thread is runnable, so that each window
		// that starts with it runnable has its voluntary count from the window's start: a
		// thread that runs briefly and sleeps again (a runtime's monitor thread, say) is not
		// read every time it wakes. The final counts of a run come from the kernel's rusage.
		if o.dRun > 0 && (relisted || o.first || (states && (wasRunnable || pr.state == 'R'))) {
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
	return obs, lead, nil
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
