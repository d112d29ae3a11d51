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

// exportFiles names the files an export of r writes: Config.ExportTrace and Config.GoTrace
// with the scenario id put in (one file per scenario, as a session has several runs), or
// timeslice.<id>.json in the working directory when neither was given. The Go trace is written
// only when the run kept one.
func (m Model) exportFiles(r *model.Run) (chrome, goTrace string) {
	chrome, goTrace = m.cfg.ExportTrace, m.cfg.GoTrace
	if chrome == "" && goTrace == "" {
		chrome = "timeslice.json"
	}
	if chrome != "" {
		chrome = report.ExportPath(chrome, r.Scenario, true)
	}
	if goTrace != "" && len(r.GoTrace) > 0 {
		goTrace = report.ExportPath(goTrace, r.Scenario, true)
	} else {
		goTrace = ""
	}
	return chrome, goTrace
}

// export writes the finished run r's exports, off the event loop, and reports what it wrote.
func (m Model) export(r *model.Run) tea.Cmd {
	chrome, goTrace := m.exportFiles(r)
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
		return exportedMsg{files: files}
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
