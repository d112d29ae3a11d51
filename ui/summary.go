package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/internal/termtext"
	"timeslice/model"
	"timeslice/report"
	"timeslice/scenarios"
)

// busyFrames animate the "running" indicator; the frame follows elapsed time, not a timer of its own.
var busyFrames = []string{"◐", "◓", "◑", "◒"}

// summaryData is what the summary reports on.
type summaryData struct {
	scen     scenarios.Scenario
	state    runState
	run      *model.Run
	startErr string
	elapsed  time.Duration
	baseline *model.Run // the newest finished run of scen.Baseline that did the same work, if any
	baseAny  *model.Run // the last finished run of scen.Baseline, whatever its work
	baseKey  string     // the key that selects the baseline
}

// summaryModel reports the run's state, times, speedup and (for CPU-bound scenarios) its results.
type summaryModel struct {
	c     *common
	d     summaryData
	width int
	lines []string
}

func (m summaryModel) set(d summaryData, width int) summaryModel {
	m.d, m.width = d, width
	m.lines = nil
	for _, l := range m.build() {
		m.lines = append(m.lines, wrapStyled(l, width)...) // wrapped, never cut
	}
	return m
}

// wrapStyled breaks a styled line into lines of at most w cells, at spaces.
func wrapStyled(s string, w int) []string {
	if w <= 0 || ansi.StringWidth(s) <= w {
		return []string{s}
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
}

// height is fixed per scenario kind, so the layout does not jump when a run ends.
func (m summaryModel) height() int { return len(m.lines) }

func (m summaryModel) view() string {
	out := make([]string, len(m.lines))
	for i, l := range m.lines {
		out[i] = truncate(l, m.width)
	}
	return strings.Join(out, "\n")
}

func (m summaryModel) build() []string {
	st := m.c.styles
	d := m.d
	r := d.run
	var first, sentence, second string
	sep := st.Dim.Render(" · ")
	switch {
	case d.state == stateFailed:
		first = st.Error.Render("✗ could not start " + d.scen.ID + ": " + oneLine(d.startErr))
	case r != nil && r.Err != "":
		first = st.Error.Render("✗ run failed: " + oneLine(r.Err))
		second = st.Dim.Render("after ") + st.Value.Render(fmtDur(max(r.Wall, r.Elapsed)))
	case d.state == stateFinished && r != nil:
		first = st.OK.Render("✓ finished") + sep + "wall " + st.Value.Render(fmtDur(r.Wall)) +
			sep + "CPU time " + st.Value.Render(fmtDur(r.CPU)) + m.procs(sep) + m.exitStatus(sep)
		sentence = report.Sentence(d.scen, r, d.baseline)
		second = m.speedup()
	case d.state == stateFinished:
		first = st.Error.Render("✗ the run ended without reporting anything")
	case r == nil:
		first = st.Busy.Render(busyFrames[0]+" starting "+d.scen.ID+"…") + sep +
			st.Dim.Render("elapsed ") + st.Value.Render(fmtDur(d.elapsed))
	default:
		frame := busyFrames[int(d.elapsed/(250*time.Millisecond))%len(busyFrames)]
		noun := "tasks"
		if d.scen.IsProgram() {
			noun = "threads"
		}
		first = st.Busy.Render(frame+" running") + sep + "elapsed " + st.Value.Render(fmtDur(d.elapsed)) +
			sep + st.Dim.Render(fmt.Sprintf("%d %s", len(r.Tasks), noun)) + m.procs(sep)
		second = m.speedup()
	}
	if w := m.otherLoad(); w != "" {
		second = w + sep + second
	}
	lines := []string{first}
	if big := m.banner(); big != nil {
		lines = append(big, lines...)
	}
	if sentence != "" {
		lines = append(lines, st.Sentence.Render(sentence))
	}
	lines = append(lines, second)
	switch {
	case d.scen.IsProgram():
		lines = append(lines, m.sampling())
	case d.scen.Bound == scenarios.CPUBound:
		lines = append(lines, m.partials())
	}
	return lines
}

// bannerHeight is the least screen height projector mode draws the big summary at.
const bannerHeight = 30

// banner is projector mode's larger summary, when the screen is tall enough: the run's wall
// time (its elapsed time while it goes on) and its speedup in digits three rows tall; nil
// otherwise.
func (m summaryModel) banner() []string {
	d, st := m.d, m.c.styles
	if !m.c.projector || m.c.height < bannerHeight || d.state == stateFailed || d.run == nil {
		return nil
	}
	label, figure := "elapsed", fmtDur(d.elapsed)
	if d.state == stateFinished && d.run.Finished {
		label, figure = "wall", fmtDur(d.run.Wall)
	}
	parts := [][bigRows]string{bigText(figure)}
	labels := []string{label}
	if sp := model.Speedup(d.run, d.baseline); sp > 0 && d.scen.Baseline != d.scen.ID {
		parts = append(parts, bigText(strconv.FormatFloat(sp, 'f', 2, 64)+"×"))
		labels = append(labels, "speedup")
	}
	out := make([]string, bigRows)
	for i, p := range parts {
		for r := range bigRows {
			lab := strings.Repeat(" ", len(labels[i]))
			if r == bigRows-1 {
				lab = st.Heading.Render(labels[i])
			}
			if i > 0 {
				out[r] += "     "
			}
			out[r] += lab + " " + st.Value.Render(p[r])
		}
	}
	if ansi.StringWidth(out[0]) > m.width {
		return nil
	}
	return out
}

// otherLoad warns, when other programs used more than a tenth of the machine during the run
// or its baseline's, that the figures may be off; else it is "".
func (m summaryModel) otherLoad() string {
	d := m.d
	if d.run == nil {
		return ""
	}
	o, whose := d.run.OtherLoad(), "this run"
	if d.baseline != nil && d.baseline != d.run && d.baseline.OtherLoad() > o && d.scen.Baseline != d.scen.ID {
		o, whose = d.baseline.OtherLoad(), d.scen.Baseline
	}
	if o <= model.OtherLoadWarning {
		return ""
	}
	return m.c.styles.Warning.Render("other programs used " + strconv.Itoa(int(o*100+0.5)) + " % of the machine during " + whose + ": speedups may be off")
}

// exitStatus is a finished watched program's exit status, after sep; empty for a scenario.
func (m summaryModel) exitStatus(sep string) string {
	r := m.d.run
	if !m.d.scen.IsProgram() || r == nil || !r.Finished {
		return ""
	}
	code := strconv.Itoa(r.ExitCode)
	if r.ExitCode != 0 {
		return sep + m.c.styles.Error.Render("exit status "+code)
	}
	return sep + "exit status " + m.c.styles.Value.Render(code)
}

// sampling says how a watched program's threads are read, and what reading them costs.
func (m summaryModel) sampling() string {
	st := m.c.styles
	r := m.d.run
	if r == nil || r.Sampling == nil || r.Sampling.Rounds < 2 {
		return st.Dim.Render("each thread's state is read from the kernel (/proc) about every millisecond")
	}
	return st.Dim.Render("each thread read from /proc every " + fmtDur(r.Sampling.Period) + " on average, " +
		intText(r.Sampling.Rounds) + " times, at " + ftoa(100*r.Sampling.Cost, 1) + " % of one core")
}

// speedup compares the finished run with its sequential baseline, or says how to get one.
func (m summaryModel) speedup() string {
	st := m.c.styles
	d := m.d
	switch {
	case d.scen.IsProgram() && d.scen.Baseline == "":
		return st.Dim.Render("a program watched from outside: " + termtext.Clean(strings.Join(d.scen.Command, " ")))
	case d.scen.IsProgram() && d.scen.Baseline == d.scen.ID:
		return st.Dim.Render("this is the sequential baseline the programs named like " + string(d.scen.Bound) + "-* scenarios compare with")
	case d.scen.Baseline == "" || d.scen.Baseline == d.scen.ID:
		return st.Dim.Render("this is the sequential baseline the other " + string(d.scen.Bound) + "-* scenarios compare with")
	case d.baseline == nil || d.baseline.Wall <= 0:
		k := ""
		if d.baseKey != "" {
			k = " (key " + d.baseKey + ")"
		}
		if diff := workDiff(d.scen, d.run, d.baseAny); diff != "" {
			return st.Dim.Render("no speedup: " + d.scen.Baseline + " did other work (this run: " + diff +
				"); run it" + k + " with these knobs to compare")
		}
		return st.Dim.Render("speedup: run " + d.scen.Baseline + k + " to compare")
	case d.state != stateFinished || d.run == nil || d.run.Wall <= 0:
		return st.Dim.Render("speedup when finished; " + d.scen.Baseline + " took " + fmtDur(d.baseline.Wall))
	}
	x := float64(d.baseline.Wall) / float64(d.run.Wall)
	return "speedup " + st.Value.Render(strconv.FormatFloat(x, 'f', 2, 64)+"×") +
		st.Dim.Render(" vs "+d.scen.Baseline+" (wall "+fmtDur(d.baseline.Wall)+")")
}

// partials lists a CPU-bound run's partial sums and total.
func (m summaryModel) partials() string {
	st := m.c.styles
	r := m.d.run
	if r == nil || r.Result == nil || len(r.Result.Partials) == 0 {
		return st.Dim.Render("partials: none yet")
	}
	parts := make([]string, len(r.Result.Partials))
	var sum int64
	for i, p := range r.Result.Partials {
		parts[i] = strconv.FormatInt(p, 10)
		sum += p
	}
	s := "partials " + strings.Join(parts, " + ")
	if m.d.state == stateFinished && r.Finished {
		if total, ok := r.Total(); ok {
			return s + " = " + st.Value.Render("total "+strconv.FormatInt(total, 10))
		}
		return s + st.Dim.Render(" · ") + st.Error.Render(report.NoTotal(r)) // a failed run has no total
	}
	return s + st.Dim.Render(" (so far "+strconv.FormatInt(sum, 10)+")")
}

// procs is, with details on, how many threads may run Go code at once in the run (its
// GOMAXPROCS), after sep.
func (m summaryModel) procs(sep string) string {
	r := m.d.run
	if r == nil || r.Procs <= 0 || !m.c.details {
		return ""
	}
	return sep + "GOMAXPROCS " + strconv.Itoa(r.Procs)
}

// fmtDur writes a duration for people: "1.00 s", "3.2 ms".
func fmtDur(d time.Duration) string {
	if d < 100*time.Millisecond {
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + " s"
}

// oneLine keeps only the first line of a message, cleaned of control characters: it may quote
// what a program printed.
func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return termtext.Clean(s[:i]) + " …"
	}
	return termtext.Clean(s)
}
