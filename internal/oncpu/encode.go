package oncpu

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// AppendBatch appends one task's batch of spans to dst in a compact binary form that
// DecodeBatch reads: the task's name (its length, then its bytes), a count, then per span its
// thread, core+1, start (as a difference from the previous start) and length, as varints.
func AppendBatch(dst []byte, task string, spans []Span) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(task)))
	dst = append(dst, task...)
	dst = binary.AppendUvarint(dst, uint64(len(spans)))
	var prev int64
	for _, s := range spans {
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

// maxName bounds a task's name in a batch.
const maxName = 1 << 10

// DecodeBatch reads one batch written by AppendBatch.
func DecodeBatch(b []byte) (task string, spans []Span, err error) {
	l, k := binary.Uvarint(b)
	if k <= 0 || l > maxName || l > uint64(len(b)-k) {
		return "", nil, fmt.Errorf("%w: bad task name", errBadBatch)
	}
	task, b = string(b[k:k+int(l)]), b[k+int(l):]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxBatch || n > uint64(len(b)) {
		return "", nil, fmt.Errorf("%w: bad count", errBadBatch)
	}
	b = b[k:]
	out := make([]Span, 0, n)
	var prev int64
	for i := uint64(0); i < n; i++ {
		var f [4]int64 // thread, core+1, start difference, length
		for j := range f {
			var v int64
			if j == 2 {
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
				return "", nil, fmt.Errorf("%w: span %d is cut short", errBadBatch, i)
			}
			f[j], b = v, b[k:]
		}
		start := prev + f[2]
		if f[0] > 1<<31 || f[1] > 1<<15 {
			return "", nil, fmt.Errorf("%w: span %d is out of range", errBadBatch, i)
		}
		out = append(out, Span{Tid: int(f[0]), Core: int(f[1]) - 1, Start: start, End: start + f[3]})
		prev = start
	}
	if len(b) != 0 {
		return "", nil, fmt.Errorf("%w: %d bytes after the last span", errBadBatch, len(b))
	}
	return task, out, nil
}
