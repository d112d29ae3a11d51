package procfs

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"timeslice/model"
)

// Tasks returns one lane per thread seen, in time since the program started: a process's main
// thread (kind process) and then its other threads (kind thread), the processes in the order
// they were found. Each lane runs from when its thread was first read (or from the listing
// before, for one found later) to its latest settled window: the last few milliseconds wait
// until the kernel's late amounts can no longer change them (see SettleAll). A lane shares its
// intervals with the sampler, which never changes them again, so handing lanes out costs the
// same however long the program has run.
func (s *TreeSampler) Tasks() []model.Task {
	s.mu.Lock()
	defer s.mu.Unlock()
	order := make(map[int]int, len(s.procs))
	for i, p := range s.procs {
		order[p.pid] = i
	}
	ths := make([]*treeThread, 0, len(s.threads))
	for _, th := range s.threads {
		ths = append(ths, th)
	}
	slices.SortFunc(ths, func(a, b *treeThread) int {
		return cmp.Or(cmp.Compare(order[a.pid], order[b.pid]), cmp.Compare(notMain(a), notMain(b)), cmp.Compare(a.tid, b.tid))
	})
	tasks := make([]model.Task, 0, len(ths))
	for _, th := range ths {
		t := model.Task{Name: laneName(th.comm, th.pid, th.tid), Kind: model.KindThread, PID: th.pid, TID: th.tid}
		if th.tid == th.pid {
			t.Kind = model.KindProcess
		}
		n := len(th.settled)
		t.Intervals, th.frozen = th.settled[:n:n], n
		tasks = append(tasks, t)
	}
	return tasks
}

// notMain is 0 for a process's main thread and 1 for its other threads: the main one comes first.
func notMain(th *treeThread) int {
	if th.tid == th.pid {
		return 0
	}
	return 1
}

// laneNameWidth is how long a lane's name may be: the live view shows that much of it.
const laneNameWidth = 16

// laneName names a thread's lane by its kernel name and ids: "python3 4120" for a process's
// main thread, "python3 4120/4123" for another of its threads, the name cut short so the ids
// always fit.
func laneName(comm string, pid, tid int) string {
	ids := fmt.Sprint(pid)
	if tid != pid {
		ids += "/" + fmt.Sprint(tid)
	}
	room := laneNameWidth - len(ids) - 1
	if r := []rune(comm); len(r) > room {
		comm = string(r[:max(room, 1)])
	}
	return comm + " " + ids
}

// TreeStats says what reading cost: how many rounds, the time spent in them, and the time from
// the first round to the latest.
type TreeStats struct {
	Rounds  int
	Busy    time.Duration
	Elapsed time.Duration
	// Period is the time between two rounds, on average.
	Period time.Duration
}

// Stats returns what reading has cost so far.
func (s *TreeSampler) Stats() TreeStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := TreeStats{Rounds: s.rounds, Busy: time.Duration(s.busy), Elapsed: time.Duration(s.last - s.first)}
	if s.rounds > 1 {
		st.Period = st.Elapsed / time.Duration(s.rounds-1)
	}
	return st
}

// Err is why the latest round could not read something, or nil.
func (s *TreeSampler) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// CPUByCore returns how much CPU time the program's threads have used, per core they were on
// when read, and the part whose core was not read: a thread's time counts for the core it was
// on at the end of each window in which it ran.
func (s *TreeSampler) CPUByCore() (perCore []int64, unplaced int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ours), s.unplaced
}
