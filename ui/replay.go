package ui

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/scenarios"
)

// replayInterval is how often the replay cursor moves while playing; nothing ticks when paused.
const replayInterval = 50 * time.Millisecond

// replaySpeeds are the speeds s cycles through, from the first: a run replays at 1× in its own
// wall time.
var replaySpeeds = []float64{1, 0.5, 0.25}

// replayState is the replay of the finished run: a cursor, and whether it moves on by itself.
type replayState struct {
	on      bool // the lanes are drawn up to the cursor
	playing bool
	at      time.Duration
	speed   int // index into replaySpeeds
	tag     int // identifies the tick chain; a tick with an older tag is dropped
}

// replayTickMsg moves the cursor of the replay whose chain is tag.
type replayTickMsg struct{ tag int }

// replayTick schedules the next cursor move of chain tag.
func (m Model) replayTick(tag int) tea.Cmd {
	return m.tick(replayInterval, func(time.Time) tea.Msg { return replayTickMsg{tag: tag} })
}

// replayable is the run a replay can show: the current run once it has finished.
func (m Model) replayable() *model.Run {
	if m.state != stateFinished || m.run == nil || !m.run.Finished || m.mode != viewMain || m.frozen != nil {
		return nil
	}
	return m.run
}

// runEnd is how long a replay of r lasts.
func runEnd(r *model.Run) time.Duration { return max(r.Wall, r.Elapsed, time.Millisecond) }

// togglePlay freezes a live run on screen and shows it live again; on a finished run it
// starts, pauses or resumes the replay, and playing from the end starts again from 0.
func (m Model) togglePlay() (Model, tea.Cmd) {
	if m.frozen != nil {
		m.frozen = nil
		return m, nil
	}
	r := m.replayable()
	if r == nil {
		if m.mode == viewMain && m.state == stateRunning && m.run != nil {
			m.frozen = &frozenView{run: m.run, elapsed: m.elapsed()}
		}
		return m, nil
	}
	rp := &m.replay
	if rp.playing {
		rp.playing = false
		rp.tag++
		return m, nil
	}
	if !rp.on || rp.at >= runEnd(r) {
		rp.at = 0
	}
	rp.on, rp.playing = true, true
	rp.tag++
	return m, m.replayTick(rp.tag)
}

// step moves the cursor by dir tenths of the time the lanes show (by dir cells, with cell) and
// pauses the replay; the first step starts the replay paused at the end of the run.
func (m Model) step(dir int, cell bool) Model {
	r := m.replayable()
	if r == nil {
		return m
	}
	end := runEnd(r)
	rp := &m.replay
	if !rp.on {
		rp.on, rp.at = true, end
	}
	rp.playing = false
	rp.tag++
	v := m.timeline.timeView()
	by := (v.end - v.start) / 10
	if cells := m.timeline.plotWidth(); cell && cells > 0 {
		by = max((v.end-v.start)/time.Duration(cells), 1)
	}
	rp.at = min(max(rp.at+time.Duration(dir)*by, 0), end)
	return m
}

// advance moves a playing replay on by one tick at its speed; it stops at the end of the run.
func (m Model) advance(msg replayTickMsg) (Model, tea.Cmd) {
	rp := &m.replay
	r := m.replayable()
	if msg.tag != rp.tag || !rp.playing || r == nil {
		return m, nil
	}
	rp.at += time.Duration(float64(replayInterval) * replaySpeeds[rp.speed])
	if end := runEnd(r); rp.at >= end {
		rp.at, rp.playing = end, false
		return m, nil
	}
	return m, m.replayTick(rp.tag)
}

// statesModel lists every task's state at the replay cursor, in words.
type statesModel struct {
	c             *common
	run           *model.Run
	bound         scenarios.Bound
	rp            replayState
	width, height int
}

func (m statesModel) set(run *model.Run, bound scenarios.Bound, rp replayState, w, h int) statesModel {
	m.run, m.bound, m.rp, m.width, m.height = run, bound, rp, w, h
	return m
}

// view draws the heading (cursor, speed, playing or paused) and one line per task that fits.
func (m statesModel) view() string {
	if m.run == nil || m.height <= 0 || m.width <= 0 {
		return ""
	}
	st := m.c.styles
	mode := "paused"
	if m.rp.playing {
		mode = "playing"
	}
	head := st.Heading.Render("Replay at "+fmtDur(m.rp.at)) +
		st.Dim.Render(" of "+fmtDur(runEnd(m.run))+" · "+speedText(m.rp.speed)+" · "+mode)
	out := []string{truncate(head, m.width)}
	tasks := m.run.Tasks
	room := m.height - 1
	for i, tk := range tasks {
		if i == room-1 && len(tasks) > room {
			out = append(out, st.Dim.Render(moreText(len(tasks)-i, "task")))
			break
		}
		words, d := stateWords(tk, m.bound, m.rp.at, m.c.details)
		l := tk.Name + ": " + words
		if d > 0 {
			l += ", " + fmtSecs(d)
		}
		out = append(out, truncate(l, m.width))
	}
	return strings.Join(out, "\n")
}

// speedText writes replay speed i: "0.25×".
func speedText(i int) string {
	return strings.TrimRight(strings.TrimRight(ftoa(replaySpeeds[i], 2), "0"), ".") + "×"
}
