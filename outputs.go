package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"timeslice/report"
	"timeslice/ui"
)

// fileUse is a file named on the command line: one timeslice will write (an output), or read.
type fileUse struct {
	what  string // how the message names it: "--record", "--go-trace for io-threads", ...
	path  string
	input bool
}

// checkFiles says, in one line and before anything runs, what is wrong with the files a mode
// will write: one in a directory that does not exist, or two uses of one file (two outputs,
// or an output over an input), after each per-scenario name is worked out and links are
// followed.
func checkFiles(uses []fileUse) error {
	seen := map[string]fileUse{}
	for _, u := range uses {
		if u.path == "" {
			continue
		}
		if !u.input {
			if err := checkDir(u.path); err != nil {
				return err
			}
		}
		key := fileKey(u.path)
		if prev, ok := seen[key]; ok {
			if prev.path == u.path {
				return fmt.Errorf("%s and %s both name %s: give each its own file", prev.what, u.what, u.path)
			}
			return fmt.Errorf("%s (%s) and %s (%s) are the same file: give each its own", prev.what, prev.path, u.what, u.path)
		}
		seen[key] = u
	}
	return nil
}

// fileKey is the same for two paths to one file: its device and inode when it exists, else
// its absolute path with the directory's links followed.
func fileKey(path string) string {
	if st, err := os.Stat(path); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			return fmt.Sprintf("inode %d:%d", sys.Dev, sys.Ino)
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "path " + path
	}
	dir, base := filepath.Split(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return "path " + filepath.Join(dir, base)
}

// checkDir says when file could not be written because its directory does not exist.
func checkDir(file string) error {
	dir := filepath.Dir(file)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("cannot write %s: no directory %s", file, dir)
	}
	return nil
}

// runFiles are the files `timeslice run` writes for the runs ids.
func runFiles(o options, ids []string) []fileUse {
	uses := []fileUse{{what: "--record", path: o.record}, {what: "--export-trace", path: o.exportTrace}}
	if o.goTrace != "" {
		for i, path := range report.RunPaths(o.goTrace, ids) {
			uses = append(uses, fileUse{what: "--go-trace for " + ids[i], path: path})
		}
	}
	if o.exportSVG != "" {
		for i, path := range report.RunPaths(o.exportSVG, ids) {
			uses = append(uses, fileUse{what: "--export-svg for " + ids[i], path: path})
		}
	}
	return uses
}

// liveFiles are the files the live view may write: the recording, and what the export key
// writes for each scenario; tour is the script it reads, if any.
func liveFiles(o options, ids []string, tour string) []fileUse {
	uses := []fileUse{{what: "the tour script", path: tour, input: true}, {what: "--record", path: o.record}}
	export := "--export-trace"
	if o.exportTrace == "" {
		export = "key x's export" // timeslice.ID.json in the working directory
	}
	for _, id := range ids {
		chrome, goTrace := ui.ExportPaths(o.exportTrace, o.goTrace, id)
		uses = append(uses, fileUse{what: export + " for " + id, path: chrome},
			fileUse{what: "--go-trace for " + id, path: goTrace},
			fileUse{what: "key x's picture of " + id, path: ui.ExportSVGPath(o.exportTrace, id)})
	}
	return append(uses, fileUse{what: "key x's picture of the comparison", path: ui.ExportSVGPath(o.exportTrace, "compare")})
}
