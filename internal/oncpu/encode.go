package oncpu

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// AppendBatch appends one task's batch of samples to dst in a compact binary form that
// DecodeBatch reads: the task's name (its length, then its bytes), a count, then per sample its
// thread, core+1, and its two clocks as differences from the sample before, as varints.
func AppendBatch(dst []byte, task string, samples []Sample) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(task)))
	dst = append(dst, task...)
	dst = binary.AppendUvarint(dst, uint64(len(samples)))
	var at, cpu int64
	for _, s := range samples {
		dst = binary.AppendUvarint(dst, uint64(s.Tid))
		dst = binary.AppendUvarint(dst, uint64(s.Core+1))
		dst = binary.AppendVarint(dst, s.At-at)
		dst = binary.AppendVarint(dst, s.CPU-cpu)
		at, cpu = s.At, s.CPU
	}
	return dst
}

// maxBatch bounds how many samples one batch may claim, and maxName a task's name, so corrupt
// bytes cannot make the reader allocate without limit.
const (
	maxBatch = 1 << 20
	maxName  = 1 << 10
)

// errBadBatch is wrapped by every error about bytes that are not a batch of samples.
var errBadBatch = errors.New("bad batch of on-core samples")

// DecodeBatch reads one batch written by AppendBatch.
func DecodeBatch(b []byte) (task string, samples []Sample, err error) {
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
	out := make([]Sample, 0, n)
	var at, cpu int64
	for i := uint64(0); i < n; i++ {
		tid, k1 := binary.Uvarint(b)
		if k1 <= 0 || tid > 1<<31 {
			return "", nil, fmt.Errorf("%w: sample %d has no thread", errBadBatch, i)
		}
		b = b[k1:]
		core, k2 := binary.Uvarint(b)
		if k2 <= 0 || core > 1<<15 {
			return "", nil, fmt.Errorf("%w: sample %d has no core", errBadBatch, i)
		}
		b = b[k2:]
		dAt, k3 := binary.Varint(b)
		if k3 <= 0 {
			return "", nil, fmt.Errorf("%w: sample %d is cut short", errBadBatch, i)
		}
		b = b[k3:]
		dCPU, k4 := binary.Varint(b)
		if k4 <= 0 {
			return "", nil, fmt.Errorf("%w: sample %d is cut short", errBadBatch, i)
		}
		b = b[k4:]
		at, cpu = at+dAt, cpu+dCPU
		out = append(out, Sample{Tid: int(tid), Core: int(core) - 1, At: at, CPU: cpu})
	}
	if len(b) != 0 {
		return "", nil, fmt.Errorf("%w: %d bytes after the last sample", errBadBatch, len(b))
	}
	return task, out, nil
}
