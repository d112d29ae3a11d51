package ui

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"timeslice/internal/termsvg"
	"timeslice/model"
	"timeslice/report"
	"timeslice/scenarios"
)

// Picture is the live view of the finished run r at w×h, as the screen shows it once r has
// finished with knobs p, measured against base (a finished run of its baseline, or nil): what
// `timeslice run --export-svg` draws. It is styled for the colour profile and background set
// before it is called.
func Picture(r, base *model.Run, p scenarios.Params, w, h int) string {
	m := New(Config{Scenario: r.Scenario, Params: p, Width: w, Height: h})
	defer m.Close()
	if base != nil && base != r {
		m.remember(base.Scenario, base)
	}
	m.run, m.state = r, stateFinished
	m.remember(r.Scenario, r)
	return m.relayout().View()
}

// SVG draws screen, w×h cells with its colours and glyphs, as an SVG picture: on a light page
// when light, else a dark one.
func SVG(screen string, w, h int, light bool, title string) ([]byte, error) {
	opt := termsvg.Options{Title: title}
	if light {
		opt.Theme = termsvg.Light
	}
	var b bytes.Buffer
	if err := termsvg.Render(&b, screen, w, h, opt); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ExportSVGPath is where the export key writes the SVG picture of the screen for id (a
// scenario, or "compare"): beside the Chrome trace, named like it with .svg
// (timeslice.io-threads.svg by default).
func ExportSVGPath(exportTrace, id string) string {
	base := "timeslice.svg"
	if exportTrace != "" {
		base = strings.TrimSuffix(exportTrace, filepath.Ext(exportTrace)) + ".svg"
	}
	return report.ExportPath(base, id, true)
}

// writeScreenSVG writes screen (the view as drawn, w×h) to file as an SVG picture.
func writeScreenSVG(file, screen string, w, h int, title string) error {
	svg, err := SVG(screen, w, h, !lipgloss.HasDarkBackground(), title)
	if err != nil {
		return err
	}
	return report.WriteOutput(file, svg)
}
