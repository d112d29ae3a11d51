package ui

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits on a size given with --size: at least what the screen needs, at most what a
// terminal or a cast can sensibly hold.
const (
	// MaxWidth is the widest --size accepted, in columns.
	MaxWidth = 1000
	// MaxHeight is the tallest --size accepted, in rows.
	MaxHeight = 500
)

// ParseSize reads a terminal size written COLSxROWS ("100x30"; "X" and "×" work too) and
// checks it lies between MinWidth×MinHeight and MaxWidth×MaxHeight.
func ParseSize(s string) (width, height int, err error) {
	norm := strings.NewReplacer("×", "x", "X", "x").Replace(strings.TrimSpace(s))
	cols, rows, ok := strings.Cut(norm, "x")
	if !ok {
		return 0, 0, fmt.Errorf("size %q: want COLSxROWS, like 100x30", s)
	}
	width, errW := strconv.Atoi(cols)
	height, errH := strconv.Atoi(rows)
	if errW != nil || errH != nil {
		return 0, 0, fmt.Errorf("size %q: want COLSxROWS, like 100x30", s)
	}
	if width < MinWidth || width > MaxWidth || height < MinHeight || height > MaxHeight {
		return 0, 0, fmt.Errorf("size %q: columns must be %d–%d and rows %d–%d", s, MinWidth, MaxWidth, MinHeight, MaxHeight)
	}
	return width, height, nil
}
