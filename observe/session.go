package observe

import (
	"sync"

	"timeslice/model"
	"timeslice/scenarios"
)

// Session is one run in progress (or a recorded one played back).
type Session interface {
	// Updates delivers fresh Run snapshots; when the reader is slow only the newest is kept.
	// It is closed after the final snapshot, whose Finished is true.
	Updates() <-chan *model.Run
	// Stop ends the run at once: it kills the child, reaps it and stops every goroutine the
	// session started. It is safe to call more than once, and after the run has finished.
	Stop()
}

// Starter starts a scenario. The real one re-executes the binary as a child; tests pass Playback.
type Starter func(id string, p scenarios.Params) (Session, error)

// Playback is a Session that delivers recorded snapshots, one per receive, then closes.
// It never sleeps, so UI tests built on it run at full speed.
func Playback(runs ...*model.Run) Session {
	p := &playback{ch: make(chan *model.Run), stop: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer close(p.ch)
		for _, r := range runs {
			select {
			case p.ch <- r:
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

type playback struct {
	ch   chan *model.Run
	stop chan struct{}
	once sync.Once
	wg   sync.WaitGroup
}

func (p *playback) Updates() <-chan *model.Run { return p.ch }

func (p *playback) Stop() {
	p.once.Do(func() { close(p.stop) })
	p.wg.Wait()
}
