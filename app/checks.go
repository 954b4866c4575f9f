package app

import (
	"context"
	"sync/atomic"
	"time"
)

// turns bound how many password checks run at once. An argon2id check
// holds 19 MiB while it runs, and nothing else limits how many logins
// arrive: 150 wrong passwords sent at once took a server from 48 MB to
// 3.5 GB. So a check waits for one of a few turns (as many as processors:
// more would not finish sooner), a few logins may wait for a turn for a
// moment, and the rest are refused at once, cheaply, before any hashing.
type turns struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
	wait    time.Duration
}

func newTurns(n, queue int, wait time.Duration) *turns {
	return &turns{slots: make(chan struct{}, n), queue: int64(queue), wait: wait}
}

// take waits for a turn and returns the function that gives it back; ok
// is false when there was none: the queue was full, the wait ran out or
// ctx ended.
func (t *turns) take(ctx context.Context) (release func(), ok bool) {
	release = func() { <-t.slots }
	select {
	case t.slots <- struct{}{}:
		return release, true
	default:
	}
	if t.waiting.Add(1) > t.queue {
		t.waiting.Add(-1)
		return nil, false
	}
	defer t.waiting.Add(-1)
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	select {
	case t.slots <- struct{}{}:
		return release, true
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil, false
}
