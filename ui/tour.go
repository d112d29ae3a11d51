package ui

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/internal/termtext"
	"timeslice/scenarios"
)

// A tour is an unattended lesson: `timeslice --tour` plays DefaultTour, `timeslice --tour FILE`
// plays a script. A script has one step per line:
//
//	# A comment line. A # after a space or tab ends a line with a comment, except in a caption.
//	caption TEXT            show TEXT in place of the help line until the next caption ("caption" alone clears it)
//	run SCENARIO [FLAGS]    start SCENARIO; FLAGS (--calls 4, --latency=200ms, ...) override the
//	                        ones timeslice was started with, for this run only
//	watch CMD [ARGS]        run the program CMD as it is and watch its threads (timeslice watch)
//	wait DURATION           pause, e.g. 1.5s or 500ms (at most 10m)
//	wait done               pause until the running scenario has finished
//	hold                    pause for the tour's hold (--hold, 8s by default), or with --step
//	                        until space is pressed
//	key KEY                 press KEY: one character (c, ?, 3) or a name (enter, space, tab,
//	                        shift+tab, esc, left, right, up, down, pgup, pgdown, ...)
//	compare                 show the comparison of the runs so far
//	quit                    leave timeslice; nothing may follow
//
// Blank lines are skipped. `wait done` and `compare` need a run before them. A tour without
// quit stays on its last screen for the keyboard. For example:
//
//	caption Four calls, one after another
//	run io-sequential --calls 4
//	wait done
//	wait 2s
//	run io-threads
//	wait done
//	compare
//	wait 5s
//	quit

// StepKind is what a tour step does.
type StepKind int

// The steps a tour can take.
const (
	// StepCaption sets the caption shown under the header.
	StepCaption StepKind = iota + 1
	// StepRun starts a scenario.
	StepRun
	// StepWait pauses for a while, or until the running scenario has finished.
	StepWait
	// StepKey presses a key.
	StepKey
	// StepCompare shows the comparison of the runs so far.
	StepCompare
	// StepQuit leaves the program.
	StepQuit
	// StepWatch starts a watched program.
	StepWatch
	// StepHold pauses for the tour's hold, or until a key press when the tour steps by key.
	StepHold
)

// String is the step's keyword in a script.
func (k StepKind) String() string {
	switch k {
	case StepCaption:
		return "caption"
	case StepRun:
		return "run"
	case StepWait:
		return "wait"
	case StepKey:
		return "key"
	case StepCompare:
		return "compare"
	case StepQuit:
		return "quit"
	case StepWatch:
		return "watch"
	case StepHold:
		return "hold"
	}
	return fmt.Sprintf("StepKind(%d)", int(k))
}

// TourStep is one step of a tour; which fields matter depends on Kind.
type TourStep struct {
	// Line is the step's line in its script.
	Line int
	// Kind is what the step does.
	Kind StepKind
	// Caption is the text of a caption step; empty clears the caption.
	Caption string
	// Scenario is the id a run step starts.
	Scenario string
	// Args are a run step's flags, as written.
	Args []string
	// Wait is how long a wait step pauses; 0 when it waits for the run to finish.
	Wait time.Duration
	// UntilDone is true for `wait done`.
	UntilDone bool
	// Key is the key a key step presses.
	Key tea.KeyMsg
	// Program is the program a watch step starts.
	Program scenarios.Scenario
}

// Tour is a parsed tour script: its steps, in order.
type Tour struct {
	Steps []TourStep
}

// MaxTourWait is the longest pause a tour step may ask for.
const MaxTourWait = 10 * time.Minute

// DefaultHold is how long a hold step pauses unless --hold says otherwise: long enough to read
// a caption of two lines and look at the picture it points at.
const DefaultHold = 8 * time.Second

// Programs are the programs the tour's watch steps start, each once, in the order first
// started: the live view offers them after the scenarios.
func (t Tour) Programs() []scenarios.Scenario {
	var out []scenarios.Scenario
	for _, s := range t.Steps {
		if s.Kind == StepWatch && !slices.ContainsFunc(out, func(p scenarios.Scenario) bool { return p.ID == s.Program.ID }) {
			out = append(out, s.Program)
		}
	}
	return out
}

// Params applies a run step's flags on top of base, the flags timeslice was started with.
func (s TourStep) Params(base scenarios.Params) (scenarios.Params, error) {
	p := base
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p.Register(fs)
	if err := fs.Parse(s.Args); err != nil {
		return base, err
	}
	if fs.NArg() > 0 {
		return base, fmt.Errorf("run takes one scenario, then flags; %s is extra", quote(fs.Arg(0)))
	}
	if err := p.Validate(); err != nil {
		return base, err
	}
	return p, nil
}

// Limits on a tour script: a script is a few dozen short lines, so these only stop a file that
// is not one (a log, a binary, /dev/zero) before it costs time or memory.
const (
	// MaxTourBytes is the largest tour script read.
	MaxTourBytes = 256 << 10
	// MaxTourLine is the longest line of a tour script, in bytes.
	MaxTourLine = 4096
)

// quoteLimit is how much of a word from a script an error quotes.
const quoteLimit = 32

// ParseTour reads a tour script (the format is described above StepKind), of at most
// MaxTourBytes and lines of at most MaxTourLine bytes; a UTF-8 byte order mark before the
// first line is skipped. An error names the line it is on and quotes at most a few dozen
// characters of it, cleaned: `tour line 3: unknown step "jump"`. Captions are cleaned of
// control characters (termtext.Clean).
func ParseTour(r io.Reader) (Tour, error) {
	var t Tour
	lr := &io.LimitedReader{R: r, N: MaxTourBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), MaxTourLine+1) // +1: the line's end
	runs, quit := 0, 0
	n := 1
	for ; sc.Scan(); n++ {
		text := sc.Text()
		if n == 1 {
			text = strings.TrimPrefix(text, "\uFEFF")
		}
		step, ok, err := parseStep(text)
		if err != nil {
			return Tour{}, fmt.Errorf("tour line %d: %w", n, err)
		}
		if !ok {
			continue
		}
		step.Line = n
		switch {
		case quit > 0:
			return Tour{}, fmt.Errorf("tour line %d: %s after quit (line %d)", n, step.Kind, quit)
		case step.Kind == StepRun || step.Kind == StepWatch:
			runs++
		case step.Kind == StepQuit:
			quit = n
		case runs == 0 && step.Kind == StepCompare:
			return Tour{}, fmt.Errorf("tour line %d: compare before any run", n)
		case runs == 0 && step.UntilDone:
			return Tour{}, fmt.Errorf("tour line %d: wait done before any run", n)
		}
		t.Steps = append(t.Steps, step)
	}
	switch err := sc.Err(); {
	case lr.N <= 0:
		return Tour{}, fmt.Errorf("tour: more than %d KB, too long for a tour script", MaxTourBytes>>10)
	case errors.Is(err, bufio.ErrTooLong):
		return Tour{}, fmt.Errorf("tour line %d: longer than %d bytes", n, MaxTourLine)
	case err != nil:
		return Tour{}, fmt.Errorf("tour: %w", err)
	}
	if len(t.Steps) == 0 {
		return Tour{}, fmt.Errorf("tour: no steps")
	}
	return t, nil
}

// quote is a word from a script as an error shows it: cleaned, cut to quoteLimit characters,
// in quotes.
func quote(s string) string { return strconv.Quote(termtext.Clip(s, quoteLimit)) }

// parseStep reads one line; ok is false for blank and comment lines.
func parseStep(line string) (step TourStep, ok bool, err error) {
	line = strings.TrimSpace(line)
	word, rest := line, ""
	if i := strings.IndexFunc(line, unicode.IsSpace); i >= 0 {
		word, rest = line[:i], strings.TrimSpace(line[i:])
	}
	if word == "" || strings.HasPrefix(word, "#") {
		return step, false, nil
	}
	if word == "caption" {
		return TourStep{Kind: StepCaption, Caption: termtext.Clean(rest)}, true, nil
	}
	args := strings.Fields(stripComment(rest))
	switch word {
	case "run":
		if len(args) == 0 {
			return step, false, fmt.Errorf("run needs a scenario (one of: %s)", strings.Join(scenarios.IDs(), ", "))
		}
		if _, ok := scenarios.ByID(args[0]); !ok {
			return step, false, fmt.Errorf("unknown scenario %s (try one of: %s)", quote(args[0]), strings.Join(scenarios.IDs(), ", "))
		}
		step = TourStep{Kind: StepRun, Scenario: args[0], Args: args[1:]}
		if _, err := step.Params(scenarios.DefaultParams()); err != nil {
			return step, false, errors.New(termtext.Clip(err.Error(), 2*quoteLimit+40))
		}
	case "watch":
		prog, err := scenarios.Program(args)
		if err != nil {
			return step, false, errors.New("watch needs a program to run, like watch python3 examples/python/cpu_threads.py")
		}
		step = TourStep{Kind: StepWatch, Program: prog}
	case "wait":
		if len(args) != 1 {
			return step, false, fmt.Errorf("wait takes one duration (like 2s) or done")
		}
		step = TourStep{Kind: StepWait}
		if args[0] == "done" {
			step.UntilDone = true
			break
		}
		d, err := time.ParseDuration(args[0])
		if err != nil {
			return step, false, fmt.Errorf("wait %s: want a duration like 2s or 500ms, or done", quote(args[0]))
		}
		if d <= 0 || d > MaxTourWait {
			return step, false, fmt.Errorf("wait %s: must be more than 0s and at most %s", d, MaxTourWait)
		}
		step.Wait = d
	case "key":
		if len(args) != 1 {
			return step, false, fmt.Errorf("key takes one key (like c, enter or right)")
		}
		k, err := parseKey(args[0])
		if err != nil {
			return step, false, err
		}
		step = TourStep{Kind: StepKey, Key: k}
	case "compare", "quit", "hold":
		if len(args) != 0 {
			return step, false, fmt.Errorf("%s takes nothing after it, not %s", word, quote(strings.Join(args, " ")))
		}
		step = TourStep{Kind: map[string]StepKind{"compare": StepCompare, "quit": StepQuit, "hold": StepHold}[word]}
	default:
		return step, false, fmt.Errorf("unknown step %s (want caption, run, watch, wait, hold, key, compare or quit)", quote(word))
	}
	return step, true, nil
}

// stripComment cuts a comment off: a # at the start or after a space or tab.
func stripComment(s string) string {
	for i := range len(s) {
		if s[i] == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// namedKeys are the keys a script may name, by the names bubbletea gives them.
var namedKeys = func() map[string]tea.KeyType {
	m := map[string]tea.KeyType{"space": tea.KeySpace}
	for k := tea.KeyType(-256); k < 128; k++ {
		if name := k.String(); name != "" && name != " " && name != "runes" {
			m[name] = k
		}
	}
	return m
}()

// parseKey turns a key as a script writes it into the message a keyboard would send.
func parseKey(s string) (tea.KeyMsg, error) {
	if t, ok := namedKeys[s]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}, nil
		}
		return tea.KeyMsg{Type: t}, nil
	}
	if r, size := utf8.DecodeRuneInString(s); size == len(s) && r != utf8.RuneError && unicode.IsPrint(r) {
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}, nil
	}
	return tea.KeyMsg{}, fmt.Errorf("unknown key %s (want one character, or a name like enter, space, tab, esc, left, right)", quote(s))
}
