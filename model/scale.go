package model

import "time"

// Scale maps time onto Cells equal cells covering [Start, End): cell i covers
// [CellStart(i), CellStart(i+1)). Every picture of a run that spreads time over screen cells
// uses it, and so does the binning behind Facts.AtOnce, so they all cut time the same way. A
// zero Start is the whole run from its beginning; a later one is a zoomed-in stretch of it.
// End must be after Start, and Cells positive.
type Scale struct {
	Start, End time.Duration
	Cells      int
}

// CellOf is the cell that time t falls in (t in [Start, End)).
func (s Scale) CellOf(t time.Duration) int {
	return int(int64(t-s.Start) * int64(s.Cells) / int64(s.End-s.Start))
}

// CellStart is the time cell i begins at; CellStart(Cells) is End.
func (s Scale) CellStart(i int) time.Duration {
	return s.Start + time.Duration(int64(i)*int64(s.End-s.Start)/int64(s.Cells))
}

// CellLen is how long cell i is.
func (s Scale) CellLen(i int) time.Duration { return s.CellStart(i+1) - s.CellStart(i) }

// Spread calls fn, in cell order, for every cell the span [start, end) overlaps, with how long
// it overlaps that cell. What lies outside [Start, End) is left out.
func (s Scale) Spread(start, end time.Duration, fn func(cell int, overlap time.Duration)) {
	a, b := max(start, s.Start), min(end, s.End)
	if b <= a {
		return
	}
	last := min(int((int64(b-s.Start)*int64(s.Cells)-1)/int64(s.End-s.Start)), s.Cells-1)
	for c := s.CellOf(a); c <= last; c++ {
		fn(c, min(b, s.CellStart(c+1))-max(a, s.CellStart(c)))
	}
}
