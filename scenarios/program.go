package scenarios

import (
	"errors"
	"path/filepath"
	"strings"
)

// Program is the scenario of a program timeslice did not write: Command run as it is, in a
// process group of its own, and observed from outside through the kernel's record (/proc),
// one lane per OS thread. It has no Run and no knobs.
//
// Its ID labels it in the tabs, the compare view and the JSON: "py: cpu_threads" for a Python
// script, else the program's name. A program named like a scenario (cpu_threads.py is
// cpu-threads-gil's, io_asyncio.py io-asyncio's: the scenario whose id is the name with '-' for
// '_', or starts with it) takes that scenario's place in the lesson matrix, measured against
// the program named like that scenario's baseline (cpu_sequential.py), so a class sees
// CPython's matrix beside the model's.
func Program(argv []string) (Scenario, error) {
	if len(argv) == 0 || argv[0] == "" {
		return Scenario{}, errors.New("name a program to watch, after --")
	}
	prefix, name := programLabel(argv)
	s := Scenario{ID: prefix + name, Command: append([]string(nil), argv...),
		Title:   "watched: " + commandLine(argv, 60),
		Summary: "a program timeslice did not write, watched from outside through /proc",
	}
	if m, ok := mirrored(name); ok {
		s.Bound, s.Style = m.Bound, m.Style
		s.Baseline = prefix + strings.ReplaceAll(m.Baseline, "-", "_")
	}
	return s, nil
}

// explainProgram is what a watched program's header and "what to look for" say: how its lanes
// are read, and what each reason means.
func explainProgram(s Scenario) ([2]string, []string) {
	head := [2]string{
		"Run as it is and read from the kernel: one lane per OS thread, its state read about every millisecond.",
		"Blocked in a futex it waits for a lock (CPython: the GIL); in poll, epoll, select or read for I/O; in nanosleep for a timer.",
	}
	look := []string{
		"Each lane is one OS thread of the program (or of a process it started), named by the kernel: name pid/tid.",
		"The kernel counts how long a thread ran and waited, not when within a millisecond: a window that held both is drawn mixed.",
		head[1],
	}
	if strings.HasPrefix(s.ID, "py: ") {
		look = append(look, "CPython runs Python code only on the thread holding the GIL: its threads take turns, about every 5 ms, on one core at a time.")
	}
	return head, look
}

// IsProgram reports whether s is a watched program rather than one of timeslice's scenarios.
func (s Scenario) IsProgram() bool { return len(s.Command) > 0 }

// programLabel is the prefix ("py: " for a Python script) and name of a program's label.
func programLabel(argv []string) (prefix, name string) {
	base := filepath.Base(argv[0])
	if strings.HasPrefix(base, "python") {
		for _, a := range argv[1:] {
			if strings.HasSuffix(a, ".py") {
				return "py: ", strings.TrimSuffix(filepath.Base(a), ".py")
			}
		}
		return "py: ", base
	}
	return "", base
}

// mirrored is the scenario a program named name stands beside, if it is named like one.
func mirrored(name string) (Scenario, bool) {
	id := strings.ReplaceAll(name, "_", "-")
	for _, s := range all {
		if s.ID == id || strings.HasPrefix(s.ID, id+"-") {
			return s, true
		}
	}
	return Scenario{}, false
}

// commandLine is argv as one line of at most max characters.
func commandLine(argv []string, max int) string {
	s := strings.Join(argv, " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}
