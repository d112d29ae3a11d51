package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"timeslice/model"
)

// ExportPath is where a file named on the command line goes for scenario id: the name itself
// for a single run; for several, with the id before its extension (x.trace → x.io-threads.trace).
func ExportPath(file, id string, several bool) string {
	if !several {
		return file
	}
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + "." + id + ext
}

// WriteGoTraceFile writes r's raw Go trace to file.
func WriteGoTraceFile(file string, r *model.Run) error {
	if len(r.GoTrace) == 0 {
		return fmt.Errorf("no Go trace to write to %s: the run kept none", file)
	}
	return os.WriteFile(file, r.GoTrace, 0o644)
}

// WriteChromeTraceFile writes runs to file as Chrome trace-event JSON.
func WriteChromeTraceFile(file string, runs ...*model.Run) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := writeChromeTrace(f, runs...); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", file, err)
	}
	return f.Close()
}
