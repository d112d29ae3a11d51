package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"timeslice/observe"
)

// bareReport is one line of `timeslice run --bare --json`.
type bareReport struct {
	Scenario string   `json:"scenario"`
	Params   []string `json:"params"`
	Bare     bool     `json:"bare"`
	WallMs   float64  `json:"wall_ms"`
}

// bare is `timeslice run --bare`: each scenario's work with nothing observing it, one line of
// wall time each. Set beside the same run observed, it shows what observing costs the work.
func bare(ctx context.Context, runner *observe.Runner, ids []string, o options, stdout *checkedWriter, stderr io.Writer) int {
	enc := json.NewEncoder(stdout)
	for _, id := range ids {
		wall, err := runner.RunBare(ctx, id, o.params)
		if ctx.Err() != nil {
			err = errors.New("interrupted") // as an observed run says it
		}
		if err != nil {
			fmt.Fprintf(stderr, "timeslice: %s: %v\n", id, err)
			return exitFailed
		}
		if o.json {
			enc.Encode(bareReport{Scenario: id, Params: o.params.UserArgs(), Bare: true,
				WallMs: float64(wall.Microseconds()) / 1000})
		} else {
			fmt.Fprintf(stdout, "%s: wall %.3f s, bare (nothing observed it)\n", id, wall.Seconds())
		}
		if stdout.err != nil {
			break // the caller says why
		}
	}
	return exitOK
}
