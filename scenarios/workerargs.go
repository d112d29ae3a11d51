package scenarios

import (
	"flag"
	"fmt"
	"time"
)

// checkWorkerArgs parses a worker's flags into fs and checks that they name a chunk the sum
// could have and a computation Validate allows, so nonsense ends at once instead of summing
// past the end of the numbers.
func checkWorkerArgs(fs *flag.FlagSet, args []string, c *Chunk, iters *int) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	const maxIters = int(MaxWork/time.Millisecond) * MaxItersPerMs
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.Index < 0 || c.Index >= MaxChunks || c.From < 1 || c.To < c.From || c.To > MaxUpto:
		return fmt.Errorf("want --index 0–%d and 1 ≤ --from ≤ --to ≤ %d, got %d, %d..%d", MaxChunks-1, MaxUpto, c.Index, c.From, c.To)
	case *iters < 0 || *iters > maxIters:
		return fmt.Errorf("want --iters 0–%d, got %d", maxIters, *iters)
	}
	return nil
}
