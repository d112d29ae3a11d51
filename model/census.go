package model

import (
	"cmp"
	"slices"
	"time"
)

// Census is how long a run's tasks, all together, spent in each state over a stretch: the sum
// of their tallies' Running, Ready, Waiting and Done. Divided by the stretch's length, how many
// tasks were in each state on average: the folded view's rows.
type Census struct {
	Running, Ready, Waiting, Done time.Duration
}

// Census adds up what r's tasks did in [from, to). A run handed out by the observer carries a
// census index (WithCensus), so that this costs two binary searches whatever the number of
// tasks; any other run is added up task by task.
func (r *Run) Census(from, to time.Duration) Census {
	if to <= from {
		return Census{}
	}
	if r.census != nil {
		return r.census.between(from, to)
	}
	var c Census
	for i := range r.Tasks {
		tl := r.Tasks[i].Tally(from, to)
		c.Running += tl.Running
		c.Ready += tl.Ready
		c.Waiting += tl.Waiting
		c.Done += tl.Done
	}
	return c
}

// QuickCensus reports whether r carries a census index: Census then costs the same whatever
// the number of tasks.
func (r *Run) QuickCensus() bool { return r.census != nil }

// censusStates are the rates of the four states a census counts.
type censusStates [4]float64

// censusPart is the census of some intervals as a function of time: from each breakpoint on,
// how many of them were in each state (rate) and how long they had all spent in each so far
// (sum, in ns). Before the first breakpoint and after the last, none was in any.
type censusPart struct {
	at   []time.Duration
	sum  []censusStates
	rate []censusStates
}

// through is how long the part's intervals spent in each state before t.
func (p *censusPart) through(t time.Duration) censusStates {
	i, _ := slices.BinarySearch(p.at, t+1) // the breakpoints at or before t
	if i == 0 {
		return censusStates{}
	}
	i--
	s, r, d := p.sum[i], p.rate[i], float64(t-p.at[i])
	for k := range s {
		s[k] += r[k] * d
	}
	return s
}

// censusEvent is a change of rate at a moment.
type censusEvent struct {
	at   time.Duration
	rate censusStates
}

// add appends the rate changes of iv: its shares of each state from its start to its end.
func (e *censusEvents) add(iv Interval) {
	d := iv.Duration()
	if d <= 0 {
		return
	}
	var r censusStates
	switch iv.State {
	case StateRunning:
		r[0] = 1
	case StateReady:
		r[1] = 1
	case StateWaiting:
		r[2] = 1
	case StateDone:
		r[3] = 1
	case StateMixed:
		r[0], r[1] = float64(iv.RunShare), float64(iv.ReadyShare)
		r[2] = max(1-r[0]-r[1], 0)
	default:
		return
	}
	*e = append(*e, censusEvent{iv.Start, r}, censusEvent{iv.End, censusStates{-r[0], -r[1], -r[2], -r[3]}})
}

// censusEvents are rate changes not yet in a census part.
type censusEvents []censusEvent

// appendTo adds the events, all at or after the part's last breakpoint, to p. Breakpoints
// already in p are never changed (runs handed out before may share them): an event at the
// time of the last one adds another breakpoint there.
func (e censusEvents) appendTo(p *censusPart) {
	slices.SortFunc(e, func(a, b censusEvent) int { return cmp.Compare(a.at, b.at) })
	first := len(p.at)
	for _, ev := range e {
		n := len(p.at)
		switch {
		case n > first && p.at[n-1] == ev.at:
			for k := range ev.rate {
				p.rate[n-1][k] += ev.rate[k]
			}
			continue
		case n == 0:
			p.at, p.sum, p.rate = append(p.at, ev.at), append(p.sum, censusStates{}), append(p.rate, ev.rate)
			continue
		}
		s, r := p.sum[n-1], p.rate[n-1]
		for k := range s {
			s[k] += r[k] * float64(ev.at-p.at[n-1])
			r[k] += ev.rate[k]
		}
		p.at, p.sum, p.rate = append(p.at, ev.at), append(p.sum, s), append(p.rate, r)
	}
}

// censusIndex is a run's census: a final part before seal, which the runs handed out one
// after another share and extend, and the part from seal on, of each run alone.
type censusIndex struct {
	seal   time.Duration
	sealed censusPart
	open   censusPart
}

func (x *censusIndex) between(from, to time.Duration) Census {
	a, b := x.at(from), x.at(to)
	round := func(k int) time.Duration { return time.Duration(b[k] - a[k] + 0.5) }
	return Census{Running: round(0), Ready: round(1), Waiting: round(2), Done: round(3)}
}

// at is how long the tasks spent in each state before t.
func (x *censusIndex) at(t time.Duration) censusStates {
	s := x.sealed.through(min(t, x.seal))
	if t > x.seal {
		o := x.open.through(t)
		for k := range s {
			s[k] += o[k]
		}
	}
	return s
}

// CensusBuilder keeps the census of the final part of a run's lanes, added to as it grows, so
// that each run handed out gets its census for the cost of its open part (WithCensus).
type CensusBuilder struct {
	seal    time.Duration
	sealed  censusPart
	pending censusEvents
	last    *censusIndex // the index given last
}

// Seal adds ivs, final intervals of one lane that all end at or before seal, to the final part.
// Every lane's final intervals up to one seal are added before any of the next.
func (b *CensusBuilder) Seal(ivs []Interval, seal time.Duration) {
	if seal != b.seal {
		b.flush()
		b.seal = seal
	}
	for _, iv := range ivs {
		b.pending.add(iv)
	}
}

// flush makes the pending final intervals part of the final census.
func (b *CensusBuilder) flush() {
	b.pending.appendTo(&b.sealed)
	b.pending = b.pending[:0]
}

// WithCensus gives r a census index: the final part kept so far, and open, the lanes' parts
// after the seal.
func (b *CensusBuilder) WithCensus(r *Run, open [][]Interval) {
	b.flush()
	x := &censusIndex{seal: b.seal, sealed: censusPart{
		at: slices.Clip(b.sealed.at), sum: slices.Clip(b.sealed.sum), rate: slices.Clip(b.sealed.rate)}}
	var e censusEvents
	for _, ivs := range open {
		for _, iv := range ivs {
			e.add(iv)
		}
	}
	e.appendTo(&x.open)
	r.census, b.last = x, x
}

// Again gives r the census index given last: r's lanes are those of the run given it then.
func (b *CensusBuilder) Again(r *Run) { r.census = b.last }
