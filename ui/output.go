package ui

import (
	"fmt"
	"strings"

	"timeslice/internal/termtext"
	"timeslice/model"
)

// outputModel shows the scenario's printed lines with their time since the start, newest last.
type outputModel struct {
	c             *common
	run           *model.Run
	width, height int
}

func (m outputModel) set(run *model.Run) outputModel {
	m.run = run
	return m
}

func (m outputModel) setSize(w, h int) outputModel {
	m.width, m.height = w, h
	return m
}

// view draws the heading and the last lines that fit.
func (m outputModel) view() string {
	if m.height <= 0 || m.width <= 0 {
		return ""
	}
	st := m.c.styles
	out := []string{st.Heading.Render("Output")}
	var lines []model.Line
	if m.run != nil {
		lines = m.run.Lines
	}
	if len(lines) == 0 {
		out = append(out, st.Dim.Render("(nothing printed yet)"))
	}
	if room := m.height - 1; len(lines) > room {
		lines = lines[len(lines)-room:]
	}
	for _, l := range lines {
		at := fmt.Sprintf("+%.2fs", l.At.Seconds())
		out = append(out, truncate(st.Dim.Render(at)+"  "+termtext.Clean(l.Text), m.width))
	}
	return strings.Join(out, "\n")
}
