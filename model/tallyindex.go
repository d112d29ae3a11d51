package model

import (
	"slices"
	"time"
)

// tallyBlock is how many intervals one checkpoint of a task's index spans: Tally reads at most
// this many intervals at each end of a stretch one by one, and the index costs a few bytes an
// interval.
const tallyBlock = 16

// stateSums are a task's times in each state over some of its intervals, as Tally counts them.
type stateSums struct {
	running, ready, waiting, unknown, done, lock, loop, io time.Duration
}

func (s stateSums) minus(o stateSums) stateSums {
	return stateSums{s.running - o.running, s.ready - o.ready, s.waiting - o.waiting,
		s.unknown - o.unknown, s.done - o.done, s.lock - o.lock, s.loop - o.loop, s.io - o.io}
}

func (s stateSums) plus(o stateSums) stateSums {
	return stateSums{s.running + o.running, s.ready + o.ready, s.waiting + o.waiting,
		s.unknown + o.unknown, s.done + o.done, s.lock + o.lock, s.loop + o.loop, s.io + o.io}
}

// tally is s as a Tally, with no core or thread.
func (s stateSums) tally() Tally {
	return Tally{Running: s.running, Ready: s.ready, Lock: s.lock, Loop: s.loop, Waiting: s.waiting,
		IO: s.io, Unknown: s.unknown, Done: s.done, Core: NoCore,
		Covered: s.running + s.ready + s.waiting + s.unknown + s.done}
}

// longest is the interval that ran longest with a known thread among some intervals: the first
// of them when several ran as long. run 0 means none ran.
type longest struct {
	run    time.Duration
	pos    int
	thread int
}

// over is the longer of a and b, the earlier on a tie.
func (a longest) over(b longest) longest {
	if b.run > a.run || b.run == a.run && b.run > 0 && b.pos < a.pos {
		return b
	}
	return a
}

// coreSums is a task's running on one core, at each checkpoint from the first one after the
// task was first seen there.
type coreSums struct {
	core int
	from int             // the first checkpoint in sums
	sums []time.Duration // sums[j-from] is the running on core over the first j blocks
}

// at is the running on the core over the first j blocks.
func (c coreSums) at(j int) time.Duration {
	if j < c.from {
		return 0
	}
	return c.sums[j-c.from]
}

// taskIndex lets Tally add up a long stretch of a task without reading every interval in it:
// running sums of every state at every tallyBlock-th interval (checkpoints), the running on
// each core there, and a tree of the longest running per block. It covers the task's first n
// intervals, which never change: a task extends the index of the same task published before
// it (Task.Indexed), and the snapshots share what the index holds, each seeing its own part.
type taskIndex struct {
	n     int       // the intervals covered, a multiple of tallyBlock
	base  *Interval // &Intervals[0] of the task the index was made for
	last  Interval  // Intervals[n-1] when indexed: the slice must still hold it
	sums  []stateSums
	cores []coreSums
	tree  [][]longest // tree[l][k] is the longest over blocks [k<<l, (k+1)<<l)
	// ranOn are the cores the task ran on, and ranBy the threads that ran it with when each
	// first did, in the order they first appear (Task.Cores, Task.ThreadStarts).
	ranOn []int
	ranBy []ThreadStart
	// shared is what every index extended from the same start shares; only the observer's
	// goroutine reads or writes it, never Tally.
	shared *indexShared
}

// indexShared says how far the arrays an index shares have been extended: an index may be
// extended only by the one that extended them last, so that no snapshot ever sees a part of
// them written again.
type indexShared struct{ n int }

// valid reports whether the index still describes ivs.
func (x *taskIndex) valid(ivs []Interval) bool {
	return x != nil && x.n > 0 && len(ivs) >= x.n && &ivs[0] == x.base && ivs[x.n-1] == x.last
}

// Indexed returns t with an index over its first sealed intervals, so that Tally adds up long
// stretches of them without reading each. The caller promises those intervals never change:
// prev is the same task as handed out before (nil for none), whose indexed intervals t begins
// with, so that only the intervals sealed since are read, and the index's arrays are shared
// with prev's. A task with fewer than tallyBlock sealed intervals gets no index: Tally reads it
// whole.
func (t Task) Indexed(prev *Task, sealed int) Task {
	sealed = min(sealed, len(t.Intervals)) / tallyBlock * tallyBlock
	t.index = nil
	if sealed == 0 {
		return t
	}
	var x taskIndex
	if p := prevIndex(prev, t.Intervals); p != nil && p.n <= sealed && p.shared.n == p.n {
		x = *p
		x.ranOn, x.ranBy = slices.Clip(p.ranOn), slices.Clip(p.ranBy)
		x.cores = append([]coreSums(nil), p.cores...)
		x.tree = append([][]longest(nil), p.tree...)
	} else {
		x = taskIndex{sums: []stateSums{{}}, shared: &indexShared{}}
	}
	for x.n < sealed {
		x.addBlock(t.Intervals[x.n : x.n+tallyBlock])
	}
	x.base, x.last = &t.Intervals[0], t.Intervals[x.n-1]
	x.shared.n = x.n
	t.index = &x
	return t
}

// prevIndex is prev's index if t's intervals ivs begin with the ones it covers.
func prevIndex(prev *Task, ivs []Interval) *taskIndex {
	if prev == nil || prev.index == nil {
		return nil
	}
	p := prev.index
	if !p.valid(prev.Intervals) || len(ivs) < p.n || ivs[p.n-1] != p.last {
		return nil
	}
	return p
}

// addBlock adds one block of intervals, the next after the first x.n.
func (x *taskIndex) addBlock(block []Interval) {
	j := len(x.sums) - 1 // the checkpoint before the block
	r := runSums{states: x.sums[j]}
	for k, iv := range block {
		x.ranOn, x.ranBy = ranOn(x.ranOn, iv), ranBy(x.ranBy, iv)
		r.add(iv, iv.Duration(), x.n+k)
	}
	x.sums = append(x.sums, r.states)
	for i := range x.cores {
		c := &x.cores[i]
		c.sums = append(c.sums, c.at(j)+r.byCore[c.core])
		r.byCore[c.core] = 0
	}
	for core, run := range r.byCore {
		if run > 0 { // a core the task first ran on in this block
			x.cores = append(x.cores, coreSums{core: core, from: j + 1, sums: []time.Duration{run}})
		}
	}
	best := r.best
	x.n += len(block)
	// The tree: the block is a leaf, and every node it completes is the longer of its halves.
	leaf := j
	for l := 0; ; l++ {
		if l == len(x.tree) {
			x.tree = append(x.tree, nil)
		}
		x.tree[l] = append(x.tree[l], best)
		if leaf%2 == 0 {
			return
		}
		best = x.tree[l][leaf-1].over(best)
		leaf /= 2
	}
}

// runSums adds up what a stretch of a task's intervals did: the time in each state, the
// running on each core, and the longest running by one thread.
type runSums struct {
	states stateSums
	byCore [trackedCores]time.Duration
	best   longest
}

// add counts d of iv, the task's interval at pos.
func (r *runSums) add(iv Interval, d time.Duration, pos int) {
	if d <= 0 {
		return
	}
	r.states.add(iv, d)
	run, _, _ := iv.Shares(d)
	if run <= 0 {
		return
	}
	if iv.Core >= 0 && iv.Core < trackedCores {
		r.byCore[iv.Core] += run
	}
	if iv.Thread != 0 {
		r.best = r.best.over(longest{run: run, pos: pos, thread: iv.Thread})
	}
}

// add counts d of interval iv in the state sums.
func (s *stateSums) add(iv Interval, d time.Duration) {
	run, ready, wait := iv.Shares(d)
	s.running += run
	s.ready += ready
	s.waiting += wait
	switch {
	case iv.State == StateUnknown:
		s.unknown += d
	case iv.State == StateDone:
		s.done += d
	case iv.State == StateReady && iv.Reason == ReasonLock:
		s.lock += d
	case iv.State == StateReady && iv.Reason == ReasonEventLoop:
		s.loop += d
	case iv.State == StateMixed && iv.Reason == ReasonLock: // its ready share is the lock's
		s.lock += ready
	}
	if iv.Reason.waitsForIO() {
		s.io += wait
	}
}

// longestIn is the longest running over blocks [lo, hi).
func (x *taskIndex) longestIn(lo, hi int) longest {
	var best longest
	for l := 0; lo < hi; l++ {
		if lo&1 == 1 {
			best = best.over(x.tree[l][lo])
			lo++
		}
		if hi&1 == 1 {
			hi--
			best = best.over(x.tree[l][hi])
		}
		lo, hi = lo>>1, hi>>1
	}
	return best
}

// tallyIndexed is Tally over [from, to) where intervals [i, j) of Intervals overlap it (and
// the open ones after them, when j is all of them), reading the intervals at both ends one by
// one and the blocks between from the index. ok is false when a tie between cores needs the
// order in which the task ran on them: Tally then reads them all.
func (t *Task) tallyIndexed(from, to time.Duration, i, j int) (tl Tally, ok bool) {
	x := t.index
	ivs := t.Intervals
	a := min((i+tallyBlock)/tallyBlock*tallyBlock, x.n) // the first checkpoint after i
	b := min((j-1)/tallyBlock*tallyBlock, x.n)          // the last checkpoint before j-1
	if b <= a {
		return Tally{}, false
	}
	var r runSums
	one := func(k int) {
		iv := ivs[k]
		r.add(iv, min(iv.End, to)-max(iv.Start, from), k)
	}
	for k := i; k < a; k++ {
		one(k)
	}
	for k := b; k < j; k++ {
		one(k)
	}
	if j == len(ivs) { // the stretch goes on into the open intervals
		for k, iv := range t.open {
			if iv.Start >= to {
				break
			}
			r.add(iv, min(iv.End, to)-max(iv.Start, from), j+k)
		}
	}
	byCore, best := r.byCore, r.best
	ja, jb := a/tallyBlock, b/tallyBlock
	for _, c := range x.cores {
		byCore[c.core] += c.at(jb) - c.at(ja)
	}
	best = best.over(x.longestIn(ja, jb))
	tl = r.states.plus(x.sums[jb].minus(x.sums[ja])).tally()
	ties := 0
	for c, run := range byCore {
		switch {
		case run <= 0:
		case tl.Core == NoCore || run > byCore[tl.Core]:
			tl.Core, ties = c, 1
		case run == byCore[tl.Core]:
			ties++
		}
	}
	if ties > 1 {
		return Tally{}, false
	}
	if best.run > 0 {
		tl.Thread = best.thread
	}
	return tl, true
}
