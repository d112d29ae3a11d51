package model

import "time"

// Scale maps time onto Cells equal cells covering [0, End): cell i covers
// [CellStart(i), CellStart(i+1)). Every picture of a run that spreads time over screen cells
// uses it, and so does the binning behind Facts.AtOnce, so they all cut time the same way.
// End and Cells must be positive.
type Scale struct {
	End   time.Duration
	Cells int
}

// CellOf is the cell that time t falls in (t in [0, End)).
func (s Scale) CellOf(t time.Duration) int {
	return int(int64(t) * int64(s.Cells) / int64(s.End))
}

// CellStart is the time cell i begins at; CellStart(Cells) is End.
func (s Scale) CellStart(i int) time.Duration {
	return time.Duration(int64(i) * int64(s.End) / int64(s.Cells))
}

// CellLen is how long cell i is.
func (s Scale) CellLen(i int) time.Duration { return s.CellStart(i+1) - s.CellStart(i) }

// Spread calls fn, in cell order, for every cell the span [start, end) overlaps, with how long
// it overlaps that cell. What lies outside [0, End) is left out.
func (s Scale) Spread(start, end time.Duration, fn func(cell int, overlap time.Duration)) {
	a, b := max(start, 0), min(end, s.End)
	if b <= a {
		return
	}
	last := min(int((int64(b)*int64(s.Cells)-1)/int64(s.End)), s.Cells-1)
	for c := s.CellOf(a); c <= last; c++ {
		fn(c, min(b, s.CellStart(c+1))-max(a, s.CellStart(c)))
	}
}
