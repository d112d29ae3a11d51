package report

import (
	"bufio"
	"fmt"
	"path/filepath"
	"strconv"
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
	return strings.TrimSuffix(file, ext) + "." + fileSafe(id) + ext
}

// fileSafe is id fit to be part of a file name: a watched program's label ("py: cpu_threads")
// becomes "py-cpu_threads", and no character can lead into another directory.
func fileSafe(id string) string {
	out := []rune{}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
		switch {
		case ok:
			out = append(out, r)
		case len(out) > 0 && out[len(out)-1] != '-':
			out = append(out, '-')
		}
	}
	return strings.Trim(string(out), "-")
}

// RunPaths is where a file named on the command line goes for each of the runs ids, in order:
// ExportPath of each, and for a scenario that runs again, its count too (x.io-threads.trace,
// then x.io-threads-2.trace), so no run's file replaces another's.
func RunPaths(file string, ids []string) []string {
	out := make([]string, len(ids))
	seen := map[string]int{}
	for i, id := range ids {
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		out[i] = ExportPath(file, id, len(ids) > 1)
	}
	return out
}

// WriteGoTraceFile writes r's raw Go trace to file.
func WriteGoTraceFile(file string, r *model.Run) error {
	if len(r.GoTrace) == 0 {
		return fmt.Errorf("no Go trace to write to %s: the run kept none", file)
	}
	return WriteOutput(file, r.GoTrace)
}

// WriteChromeTraceFile writes runs to file as Chrome trace-event JSON, as an Output: the file
// is replaced only once all of it is written.
func WriteChromeTraceFile(file string, runs ...*model.Run) error {
	out, err := CreateOutput(file)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	err = writeChromeTrace(w, runs...)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}
