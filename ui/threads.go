package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"timeslice/model"
)

// Thread column: the OS threads that ran each lane, as t1, t2, … in the order the run first
// ran them, so lanes that share a thread (coroutines on one event loop) read alike at a glance.
const (
	threadColMin = 6 // "thread"
	threadColMax = 10
)

// laneInfo is what the lanes' side columns say of each task of one run, worked out once per
// run, or once for as long as a live run hands out the same tasks: the cores and the threads
// each task ran on, and how far the lanes reach.
type laneInfo struct {
	tasks   []model.Task // the tasks it was worked out from
	cores   [][]int
	threads []string
	end     time.Duration // the end of the newest interval of any task
	widest  laneLayout    // the widest name, cores and threads of any task (layoutOf)
}

// describes reports whether li is r's lane info: r's tasks are the ones it was worked out
// from (the observer hands out a live run's tasks again as they were when none changed).
func (li *laneInfo) describes(r *model.Run) bool {
	if r == nil {
		return li.tasks == nil
	}
	return len(li.tasks) == len(r.Tasks) && (len(r.Tasks) == 0 && li.tasks != nil || len(r.Tasks) > 0 && &li.tasks[0] == &r.Tasks[0])
}

// infoOf works out r's lane info.
func infoOf(r *model.Run) *laneInfo {
	li := &laneInfo{}
	if r == nil {
		return li
	}
	li.tasks = r.Tasks
	if li.tasks == nil {
		li.tasks = []model.Task{}
	}
	li.end = observedEnd(&model.Run{Tasks: r.Tasks})
	labels := threadNumbers(r)
	for i := range r.Tasks {
		tk := &r.Tasks[i]
		li.cores = append(li.cores, tk.Cores())
		var ns []int
		for _, th := range tk.Threads() {
			ns = append(ns, labels[th])
		}
		slices.Sort(ns)
		li.threads = append(li.threads, threadsText(ns))
		li.widest.nameW = max(li.widest.nameW, min(ansi.StringWidth(tk.Name), nameMaxWidth))
		li.widest.coresW = max(li.widest.coresW, min(len(coresText(li.cores[i])), coresColMax))
		li.widest.threadW = max(li.widest.threadW, len(li.threads[i]))
	}
	return li
}

// threadNumbers numbers r's OS threads 1, 2, … in the order they first ran a task.
func threadNumbers(r *model.Run) map[int]int {
	first := map[int]time.Duration{}
	for _, tk := range r.Tasks {
		for _, ts := range tk.ThreadStarts() {
			if at, ok := first[ts.Thread]; !ok || ts.At < at {
				first[ts.Thread] = ts.At
			}
		}
	}
	ids := make([]int, 0, len(first))
	for th := range first {
		ids = append(ids, th)
	}
	slices.SortFunc(ids, func(a, b int) int { return cmp.Or(cmp.Compare(first[a], first[b]), cmp.Compare(a, b)) })
	out := make(map[int]int, len(ids))
	for i, th := range ids {
		out[th] = i + 1
	}
	return out
}

// threadsText writes thread numbers as "t1", "t1,t3", or "t1+4" when they would not fit the
// column: the first, and how many more.
func threadsText(ns []int) string {
	if len(ns) == 0 {
		return "-"
	}
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = "t" + strconv.Itoa(n)
	}
	if s := strings.Join(parts, ","); len(s) <= threadColMax {
		return s
	}
	return parts[0] + "+" + strconv.Itoa(len(ns)-1)
}
