package scenarios

import (
	"math"
	"time"
)

// MaxEstimate is the longest a run may be estimated to take before timeslice asks the user to
// say they mean it (--long): a bound on knobs that multiply into hours by mistake.
const MaxEstimate = 10 * time.Minute

// MaxItersPerMs bounds the computation per millisecond of one core: far beyond any core's
// rate of SHA-256 steps (a few thousand here), and small enough that no product of it with
// the other knobs can overflow.
const MaxItersPerMs = 1_000_000

// Estimate is about how long scenario s takes with p when its work may use cores cores: the
// waits of the calls, one after another or at once, and the computation of the sum, on one
// core or spread over the cores its chunks can use. Start-up and observing are left out.
//
// itersPerMs is this machine's measured computation per millisecond of one core, or 0 when not
// measured. Every element of the sum costs p.ItersPerMs·--work computation; when p.ItersPerMs
// is pinned (TIMESLICE_ITERS_PER_MS) to another rate than the machine's, an element takes
// that much longer or shorter than --work. The estimate never overflows: past the largest
// time.Duration it stays there.
func (s Scenario) Estimate(p Params, cores, itersPerMs int) time.Duration {
	var est float64 // nanoseconds
	switch s.Bound {
	case IOBound:
		est = float64(p.Latency)
		if s.Style == Sequential {
			est *= float64(p.Calls)
		}
	case CPUBound:
		element := float64(p.Work)
		if p.ItersPerMs > 0 && itersPerMs > 0 {
			element *= float64(p.ItersPerMs) / float64(itersPerMs)
		}
		est = element * float64(p.Upto)
		if s.Style == Parallel && p.Chunks > 0 {
			// The chunks share out the cores; the largest chunk is the least it can take.
			spread := float64(max(min(cores, p.Chunks), 1))
			largest := math.Ceil(float64(p.Upto) / float64(p.Chunks))
			est = max(est/spread, element*largest)
		}
	}
	if est >= math.MaxInt64 || math.IsNaN(est) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(est)
}
