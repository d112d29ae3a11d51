package oncpu

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// AppendSpans appends spans to dst in a compact binary form that DecodeSpans reads: a count,
// then per span its task, thread, core+1, start (as a difference from the previous start) and
// length, as varints.
func AppendSpans(dst []byte, spans []Span) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(spans)))
	var prev int64
	for _, s := range spans {
		dst = binary.AppendUvarint(dst, uint64(s.Task))
		dst = binary.AppendUvarint(dst, uint64(s.Tid))
		dst = binary.AppendUvarint(dst, uint64(s.Core+1))
		dst = binary.AppendVarint(dst, s.Start-prev)
		dst = binary.AppendUvarint(dst, uint64(s.End-s.Start))
		prev = s.Start
	}
	return dst
}

// maxBatch bounds how many spans one batch may claim, so a corrupt count cannot make the
// reader allocate without limit.
const maxBatch = 1 << 20

// errBadBatch is wrapped by every error about bytes that are not a batch of spans.
var errBadBatch = errors.New("bad batch of on-core spans")

// DecodeSpans reads one batch written by AppendSpans.
func DecodeSpans(b []byte) ([]Span, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxBatch || n > uint64(len(b)) {
		return nil, fmt.Errorf("%w: bad count", errBadBatch)
	}
	b = b[k:]
	out := make([]Span, 0, n)
	var prev int64
	for i := uint64(0); i < n; i++ {
		var f [5]int64
		for j := range f {
			var v int64
			if j == 3 {
				v, k = binary.Varint(b)
			} else {
				var u uint64
				u, k = binary.Uvarint(b)
				if u > 1<<62 {
					k = -1
				}
				v = int64(u)
			}
			if k <= 0 {
				return nil, fmt.Errorf("%w: span %d is cut short", errBadBatch, i)
			}
			f[j], b = v, b[k:]
		}
		start := prev + f[3]
		if f[2] > 1<<15 || f[0] > 1<<31 || f[1] > 1<<31 {
			return nil, fmt.Errorf("%w: span %d is out of range", errBadBatch, i)
		}
		out = append(out, Span{Task: int(f[0]), Tid: int(f[1]), Core: int(f[2]) - 1, Start: start, End: start + f[4]})
		prev = start
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%w: %d bytes after the last span", errBadBatch, len(b))
	}
	return out, nil
}
