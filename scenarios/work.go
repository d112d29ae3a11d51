package scenarios

import (
	"strconv"
	"strings"
	"time"
)

// ParamsOf reads knobs back from the flags a run reports (Params.UserArgs, "--calls=4"); ok is
// false when args are not such flags (a watched program's run has none). It is cheap: the views
// read it for every run they compare, on every frame.
func ParamsOf(args []string) (p Params, ok bool) {
	if len(args) == 0 {
		return p, false
	}
	for _, a := range args {
		name, value, found := strings.Cut(strings.TrimPrefix(a, "--"), "=")
		if !found || !strings.HasPrefix(a, "--") {
			return Params{}, false
		}
		var err error
		switch name {
		case "calls":
			p.Calls, err = strconv.Atoi(value)
		case "latency":
			p.Latency, err = time.ParseDuration(value)
		case "upto":
			p.Upto, err = strconv.Atoi(value)
		case "chunks":
			p.Chunks, err = strconv.Atoi(value)
		case "work":
			p.Work, err = time.ParseDuration(value)
		case "cores":
			p.Cores, err = strconv.Atoi(value)
		case "iters-per-ms":
			p.ItersPerMs, err = strconv.Atoi(value)
		default:
			return Params{}, false
		}
		if err != nil {
			return Params{}, false
		}
	}
	return p, true
}

// SameWork reports whether runs of kind b with knobs x and y do the same work, so that their
// wall times may be compared: the same calls and latency for I/O-bound work, the same sum,
// chunks and work per element for CPU-bound work. The cores they may use do not matter: how
// the work uses them is what a speedup measures.
func SameWork(b Bound, x, y Params) bool {
	switch b {
	case IOBound:
		return x.Calls == y.Calls && x.Latency == y.Latency
	case CPUBound:
		return x.Upto == y.Upto && x.Chunks == y.Chunks && x.Work == y.Work
	}
	return true
}

// WorkText says in a few words what work runs of kind b do with knobs p: "4 calls of 1s",
// "1..100 in 4 chunks of 20ms an element".
func WorkText(b Bound, p Params) string {
	switch b {
	case IOBound:
		return plural(p.Calls, "call") + " of " + dur(p.Latency)
	case CPUBound:
		return "1.." + n(p.Upto) + " in " + plural(p.Chunks, "chunk") + ", " + dur(p.Work) + " an element"
	}
	return ""
}

// WorkDiff says how knobs y differ from x in the work of kind b, as the knobs are named:
// "5 calls, not 4", "latency 200ms, not 1s"; "" when they do the same work.
func WorkDiff(b Bound, x, y Params) string {
	var out []string
	add := func(differ bool, s string) {
		if differ {
			out = append(out, s)
		}
	}
	switch b {
	case IOBound:
		add(x.Calls != y.Calls, plural(y.Calls, "call")+", not "+n(x.Calls))
		add(x.Latency != y.Latency, "latency "+dur(y.Latency)+", not "+dur(x.Latency))
	case CPUBound:
		add(x.Upto != y.Upto, "1.."+n(y.Upto)+", not 1.."+n(x.Upto))
		add(x.Chunks != y.Chunks, plural(y.Chunks, "chunk")+", not "+n(x.Chunks))
		add(x.Work != y.Work, dur(y.Work)+" an element, not "+dur(x.Work))
	}
	return strings.Join(out, ", ")
}
