package model

import (
	"testing"
	"time"
)

// TestSpreadCoversEachCellOnce: a span is cut at cell edges into overlaps that add up to the
// part of it inside the scale, and every cell's overlaps of a partition add up to its length.
func TestSpreadCoversEachCellOnce(t *testing.T) {
	sc := Scale{End: time.Second, Cells: 7} // cells of 142 or 143 ms
	per := make([]time.Duration, sc.Cells)
	var sum time.Duration
	for _, span := range [][2]time.Duration{{-50 * ms, 130 * ms}, {130 * ms, 131 * ms}, {131 * ms, 999 * ms}, {999 * ms, 2 * time.Second}} {
		prev := -1
		sc.Spread(span[0], span[1], func(c int, d time.Duration) {
			if c <= prev || d <= 0 {
				t.Fatalf("span %v: cell %d after %d, overlap %s", span, c, prev, d)
			}
			prev = c
			per[c] += d
			sum += d
		})
	}
	if sum != time.Second {
		t.Fatalf("the spans inside the scale add up to %s, want 1s", sum)
	}
	for c, d := range per {
		if d != sc.CellLen(c) {
			t.Errorf("cell %d got %s, is %s long", c, d, sc.CellLen(c))
		}
	}
	if sc.CellOf(sc.CellStart(3)+1) != 3 || sc.CellStart(sc.Cells) != sc.End {
		t.Error("CellOf and CellStart disagree")
	}
	sc.Spread(2*time.Second, 3*time.Second, func(int, time.Duration) { t.Error("a span past the end was spread") })
}

// TestZoomedScale: a scale that starts later covers only its own stretch, cut the same way.
func TestZoomedScale(t *testing.T) {
	sc := Scale{Start: 300 * ms, End: 310 * ms, Cells: 40} // 0.25 ms cells
	if sc.CellLen(0) != 250*time.Microsecond || sc.CellStart(0) != 300*ms || sc.CellStart(40) != 310*ms {
		t.Fatalf("cells of %s from %s to %s", sc.CellLen(0), sc.CellStart(0), sc.CellStart(40))
	}
	if c := sc.CellOf(305 * ms); c != 20 {
		t.Fatalf("305 ms falls in cell %d, want 20", c)
	}
	var sum time.Duration
	first := -1
	sc.Spread(0, 302*ms, func(c int, d time.Duration) {
		if first < 0 {
			first = c
		}
		sum += d
	})
	if first != 0 || sum != 2*ms {
		t.Fatalf("a span from 0 to 302 ms starts at cell %d and covers %s, want cell 0 and 2ms", first, sum)
	}
	sc.Spread(0, 300*ms, func(int, time.Duration) { t.Error("a span before the start was spread") })
}
