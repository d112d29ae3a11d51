// Package ui is timeslice's terminal interface, a bubbletea program: the live view of which
// task runs, which waits for I/O, which waits for a core, and on which core, on a time axis
// laid out for what the run is expected to take; the comparison of every run on one screen,
// the core lanes, replay and freezing a live run, keys that say why they do nothing, styles
// (everyday and projector), tours that play a lesson, and the screen as an SVG picture. It
// draws the model.Run snapshots a Starter's sessions deliver and the facts they carry; it never
// computes scheduling facts and never starts a process itself.
package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/observe"
	"timeslice/scenarios"
)

// The smallest screen the layout is designed for.
const (
	MinWidth  = 80
	MinHeight = 24
)

// Config is what the UI needs to start.
type Config struct {
	// Scenario is the id of the scenario started first.
	Scenario string
	// Params are passed to every run.
	Params scenarios.Params
	// Start starts runs; tests pass one that returns observe.Playback(...).
	Start observe.Starter
	// Width and Height fix the layout size; 0 means use the terminal's.
	Width, Height int
	// Programs are watched programs (scenarios.Program) offered after the scenarios, in their
	// own tabs; Start must know them by their ids.
	Programs []scenarios.Scenario
	// Projector starts in projector mode (P switches it): taller lanes, glyphs that differ by
	// shape, high contrast and a larger summary.
	Projector bool
	// Estimate says how long scenario id takes with knobs p, for the time axis to be laid out
	// for it from the start; nil estimates from the knobs alone (scenarios.Scenario.Estimate,
	// an element of the sum costing --work). It runs on the event loop: it must be quick.
	Estimate func(id string, p scenarios.Params) time.Duration
	// ExportTrace and GoTrace name the files the export key writes (the scenario id goes in
	// before the extension); with neither, it writes timeslice.<id>.json in the working directory.
	ExportTrace, GoTrace string
}

// runState is where the selected scenario's run is.
type runState int

const (
	stateStarting runState = iota
	stateRunning
	stateFinished
	stateFailed // the session could not start
)

// viewMode is which screen the body shows.
type viewMode int

const (
	viewMain    viewMode = iota // the selected scenario's lanes, load and output
	viewCompare                 // every finished run on one time scale, the table and the matrix
)

// common is what every child model shares.
type common struct {
	width, height int
	styles        Styles
	paints        lanePaints // styles resolved once for hot loops
	keys          KeyMap
	// legendFor and legendText remember the last legend drawn: it only changes with the width.
	legendFor  int
	legendText string
	// fold remembers the folded view's counts for the run and scale drawn last.
	fold foldMemo
	// helpFor and helpText remember the last help drawn, and what it was drawn for.
	helpFor  helpKey
	helpText string
	// details shows the scheduler's own vocabulary (GOMAXPROCS, preemptions, context switches,
	// core moves, why a goroutine waits): off by default, so the picture speaks plain words.
	details bool
	// projector is projector mode: taller lanes, glyphs that differ by shape, high contrast.
	projector bool
}

// setProjector switches projector mode: its styles, its glyphs, and the legend and help drawn
// with them.
func (c *common) setProjector(on bool) {
	c.projector = on
	c.styles = DefaultStyles()
	c.paints = c.styles.lanePaints()
	if on {
		c.styles = ProjectorStyles()
		c.paints = c.styles.lanePaints()
		c.paints.g = projectorGlyphs
	}
	c.legendText, c.helpText = "", ""
	c.helpFor = helpKey{}
}

// helpKey is what the help line depends on.
type helpKey struct {
	width   int
	full    bool
	enabled uint64 // KeyMap.enabledMask
	play    string // what p says it does
	caption string // a tour's caption, shown instead of the help line
	valid   bool   // set on every key made, so the zero value, before anything is drawn, matches none
}

// legend is the glyph legend for width, drawn once per width rather than once per frame.
func (c *common) legend(width int) string {
	if c.legendText == "" || c.legendFor != width {
		c.legendFor, c.legendText = width, legend(c.styles, c.paints.glyphs(), width)
	}
	return c.legendText
}

// Model is the root model: it owns the running session, the last finished run per scenario, and
// the child models that draw each part of the screen.
type Model struct {
	cfg    Config
	common *common
	owner  *owner
	scens  []scenarios.Scenario
	sel    int

	// The current run.
	runID     int
	state     runState
	run       *model.Run
	startErr  string
	updates   <-chan *model.Run
	done      <-chan struct{}
	expect    time.Duration // how long the run is expected to take, 0 when not known
	startedAt time.Time     // when the run was asked for
	snapAt    time.Time     // when the latest snapshot arrived
	now       time.Time     // the latest tick

	// last keeps the last successfully finished run of each scenario, for the comparison;
	// history the last few of each, for baselines of the same work.
	last    map[string]*model.Run
	history map[string][]*model.Run

	// What the body shows, and the session-wide activities.
	mode      viewMode
	coreLanes bool // core lanes in place of the task lanes
	explain   bool // what to look for, in place of load and output
	all       runAll
	replay    replayState
	status    string // the latest rejected knob or failed export, shown until the next change
	notice    string // the latest good news (files exported), shown until the next run
	hint      string // why the last key did nothing, shown until the next key
	caption   string // a tour's caption, shown in place of the help line
	frozen    *frozenView

	termW, termH int
	help         help.Model
	// tick makes the replay's timer: tea.Tick, which tests replace to drive time themselves.
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd

	header   headerModel
	timeline timelineModel
	cores    coresModel
	output   outputModel
	summary  summaryModel
	compare  compareModel
	corel    coreLanesModel
	states   statesModel
}

// New builds the root model; Init starts cfg.Scenario (the first scenario if it is unknown).
func New(cfg Config) Model {
	st := DefaultStyles()
	c := &common{styles: st, paints: st.lanePaints(), keys: DefaultKeyMap()}
	m := Model{
		cfg:     cfg,
		common:  c,
		owner:   newOwner(),
		scens:   append(scenarios.All(), cfg.Programs...),
		last:    map[string]*model.Run{},
		history: map[string][]*model.Run{},
		help:    help.New(),
		tick:    tea.Tick,
	}
	for i, s := range m.scens {
		if s.ID == cfg.Scenario {
			m.sel = i
		}
	}
	// The number keys pick the tabs there are: 1-7 for the scenarios, up to 9 with programs.
	c.keys.Pick.SetHelp("1-"+intText(min(len(m.scens), 9)), c.keys.Pick.Help().Desc)
	m.header = headerModel{c: c, scens: m.scens}
	m.timeline = timelineModel{c: c}
	m.cores = coresModel{c: c}
	m.output = outputModel{c: c}
	m.summary = summaryModel{c: c}
	m.compare = compareModel{c: c}
	m.corel = coreLanesModel{c: c}
	m.states = statesModel{c: c}
	if cfg.Projector {
		c.setProjector(true)
	}
	m.runID = 1
	m.expect = m.estimate()
	m.owner.begin(m.runID)
	m.startedAt = time.Now()
	m.now = m.startedAt
	return m.relayout()
}

// Init starts the initial scenario.
func (m Model) Init() tea.Cmd {
	return startSession(m.owner, m.cfg.Start, m.runID, m.scenario().ID, m.cfg.Params)
}

// Close stops every session the model (or any copy of it) started. It is safe to call more than
// once, on the model given to tea.NewProgram as well as on the one Program.Run returns.
func (m Model) Close() {
	if m.owner != nil {
		m.owner.stopAll(true)
	}
}

// closer is a model that owns sessions to stop: Model and TourModel.
type closer interface{ Close() }

// Shutdown stops whatever is still running, given the final model Program.Run returned.
func Shutdown(final tea.Model) {
	if c, ok := final.(closer); ok {
		c.Close()
	}
}

// Selected returns the id of the selected scenario.
func (m Model) Selected() string { return m.scenario().ID }

func (m Model) scenario() scenarios.Scenario { return m.scens[m.sel] }

// programs are the watched programs among the tabs.
func (m Model) programs() []scenarios.Scenario {
	var out []scenarios.Scenario
	for _, s := range m.scens {
		if s.IsProgram() {
			out = append(out, s)
		}
	}
	return out
}

// size is the layout size: the fixed one from Config, else the terminal's.
func (m Model) size() (int, int) {
	w, h := m.termW, m.termH
	if m.cfg.Width > 0 {
		w = m.cfg.Width
	}
	if m.cfg.Height > 0 {
		h = m.cfg.Height
	}
	return w, h
}

// Update handles keys, window sizes, session updates and ticks.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m.handle(msg) }

// handle is Update with the concrete Model: it answers msg, then lays the screen out again for
// whatever that changed. It is the one place the layout follows the model.
func (m Model) handle(msg tea.Msg) (Model, tea.Cmd) {
	m, cmd := m.update(msg)
	return m.relayout(), cmd
}

// update answers msg; handle lays out what it changed.
func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.termW, m.termH = msg.Width, msg.Height
		return m, nil
	case tea.KeyMsg:
		return m.handleKey(msg)
	case startedMsg:
		if msg.id != m.runID {
			return m, nil
		}
		if msg.err != nil {
			m.state = stateFailed
			m.startErr = msg.err.Error()
			return m, nil
		}
		m.state = stateRunning
		m.updates, m.done = msg.updates, msg.done
		return m, waitForUpdate(m.runID, m.updates, m.done)
	case exportedMsg:
		return m.exported(msg), nil
	case runUpdateMsg:
		if msg.id != m.runID {
			return m, nil // a stopped session's last words
		}
		if msg.run != nil && (msg.run.Scenario == "" || msg.run.Scenario == m.scenario().ID) {
			m.run = msg.run
			m.snapAt = time.Now()
			m.now = m.snapAt
		}
		return m, waitForUpdate(m.runID, m.updates, m.done)
	case runClosedMsg:
		if msg.id != m.runID {
			return m, nil
		}
		m.state = stateFinished
		m.hint = "" // what a key could not do while the run went on, it may do now
		if m.run != nil && m.run.Finished && m.run.Err == "" {
			m.remember(m.scenario().ID, m.run)
		}
		if m.all.active {
			if m.all.pos+1 < len(m.scens) {
				m.all.pos++
				return m.startRun(m.all.pos)
			}
			m.all = runAll{}
			m.mode = viewCompare
		}
		return m, nil
	case replayTickMsg:
		return m.advance(msg)
	case runScenarioMsg:
		m.cfg.Params = msg.params
		for i, sc := range m.scens {
			if sc.ID == msg.id {
				m.mode = viewMain
				return m.startRun(i)
			}
		}
		return m, nil
	case showCompareMsg:
		m.mode = viewCompare
		return m, nil
	case tickMsg:
		if msg.id != m.runID || m.state != stateRunning {
			return m, nil // the wait of an old run, or of a finished one, ends here
		}
		m.now = msg.at
		return m, waitForUpdate(m.runID, m.updates, m.done)
	}
	return m, nil
}

// startRun selects scenario i, stops the running session at once and starts a new run.
func (m Model) startRun(i int) (Model, tea.Cmd) {
	m.sel = i
	m.runID++
	m.owner.begin(m.runID)
	m.state = stateStarting
	m.run = nil
	m.startErr = ""
	m.notice = ""
	m.updates, m.done = nil, nil
	m.startedAt = time.Now()
	m.now = m.startedAt
	m.expect = m.estimate()
	m.replay = replayState{speed: m.replay.speed, tag: m.replay.tag + 1}
	m.frozen = nil
	m.timeline.zoom.follow = true // a zoomed-in axis keeps the new run's newest time in view
	return m, startSession(m.owner, m.cfg.Start, m.runID, m.scenario().ID, m.cfg.Params)
}

// estimate is how long the selected scenario is expected to take with the knobs in force.
func (m Model) estimate() time.Duration {
	s := m.scenario()
	if m.cfg.Estimate != nil {
		return m.cfg.Estimate(s.ID, m.cfg.Params)
	}
	if s.IsProgram() {
		return 0
	}
	return s.Estimate(m.cfg.Params, m.cfg.Params.CoresOrAll(), 0)
}

// elapsed is the run's elapsed time, moved on by the ticks since the latest snapshot.
func (m Model) elapsed() time.Duration {
	if m.run == nil {
		if m.state == stateStarting || m.state == stateRunning {
			return max(m.now.Sub(m.startedAt), 0)
		}
		return 0
	}
	if m.state != stateRunning || m.run.Finished {
		return m.run.Elapsed
	}
	return m.run.Elapsed + max(m.now.Sub(m.snapAt), 0)
}
