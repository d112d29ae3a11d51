package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"timeslice/model"
	"timeslice/report"
)

// exportedMsg says which files an export wrote, or why it failed.
type exportedMsg struct {
	files []string
	err   error
}

// ExportPaths names the files the export key writes for scenario id, given Config.ExportTrace
// and Config.GoTrace: each with the scenario id put in (one file per scenario, as a session
// has several runs), or timeslice.<id>.json in the working directory when neither was given.
// An empty name is a file not written.
func ExportPaths(exportTrace, goTrace, id string) (chrome, goTraceFile string) {
	if exportTrace == "" && goTrace == "" {
		exportTrace = "timeslice.json"
	}
	if exportTrace != "" {
		chrome = report.ExportPath(exportTrace, id, true)
	}
	if goTrace != "" {
		goTraceFile = report.ExportPath(goTrace, id, true)
	}
	return chrome, goTraceFile
}

// exportFiles names the files an export of r writes (see ExportPaths); the Go trace is written
// only when the run kept one.
func (m Model) exportFiles(r *model.Run) (chrome, goTrace string) {
	chrome, goTrace = ExportPaths(m.cfg.ExportTrace, m.cfg.GoTrace, r.Scenario)
	if len(r.GoTrace) == 0 {
		goTrace = ""
	}
	return chrome, goTrace
}

// export writes the finished run r's exports and the screen as an SVG picture, off the event
// loop, and reports what it wrote; in the comparison (r nil) it writes the picture alone.
func (m Model) export(r *model.Run) tea.Cmd {
	w, h := m.size()
	screen := m.View()
	if r == nil {
		file := ExportSVGPath(m.cfg.ExportTrace, "compare")
		return func() tea.Msg {
			if err := writeScreenSVG(file, screen, w, h, "timeslice: the comparison"); err != nil {
				return exportedMsg{err: err}
			}
			return exportedMsg{files: []string{file}}
		}
	}
	chrome, goTrace := m.exportFiles(r)
	svg := ExportSVGPath(m.cfg.ExportTrace, r.Scenario)
	return func() tea.Msg {
		var files []string
		if chrome != "" {
			if err := report.WriteChromeTraceFile(chrome, r); err != nil {
				return exportedMsg{err: err}
			}
			files = append(files, chrome)
		}
		if goTrace != "" {
			if err := report.WriteGoTraceFile(goTrace, r); err != nil {
				return exportedMsg{files: files, err: err}
			}
			files = append(files, goTrace)
		}
		if err := writeScreenSVG(svg, screen, w, h, "timeslice: "+r.Scenario); err != nil {
			return exportedMsg{files: files, err: err}
		}
		return exportedMsg{files: append(files, svg)}
	}
}

// exported shows the export's outcome in the status line.
func (m Model) exported(msg exportedMsg) Model {
	switch {
	case msg.err != nil:
		m.status = "export failed: " + msg.err.Error()
	default:
		m.status = ""
		m.notice = "exported " + strings.Join(msg.files, ", ")
	}
	return m
}
