package main

import (
	"os"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"timeslice/model"
	"timeslice/report"
	"timeslice/scenarios"
	"timeslice/ui"
)

// The picture `run --export-svg` draws: the live view at a size that reads on a slide.
const (
	pictureWidth  = 100
	pictureHeight = 30
)

// writePicture writes finished run r to file as the live view would show it once finished,
// measured against its baseline among finished, as an SVG picture. The view is styled for a
// light page (the palette's light shades, in true colour) and drawn on one, as a slide or a
// printed page is; NO_COLOR draws it in black on white.
func writePicture(file string, r *model.Run, finished map[string]*model.Run, p scenarios.Params) error {
	profile := termenv.TrueColor
	if os.Getenv("NO_COLOR") != "" {
		profile = termenv.Ascii
	}
	lipgloss.SetColorProfile(profile)
	lipgloss.SetHasDarkBackground(false)
	var base *model.Run
	if s, ok := scenarios.ByID(r.Scenario); ok && s.Baseline != s.ID {
		base = finished[s.Baseline]
	}
	screen := ui.Picture(r, base, p, pictureWidth, pictureHeight)
	svg, err := ui.SVG(screen, pictureWidth, pictureHeight, true, "timeslice: "+r.Scenario)
	if err != nil {
		return err
	}
	return report.WriteOutput(file, svg)
}
