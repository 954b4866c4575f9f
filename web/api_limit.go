package web

import (
	"math"
	"sync"
	"time"
)

// APIRate bounds the requests of each token of the API: a token bucket of
// Burst requests, refilled at PerSecond requests a second. The buckets are
// in the memory of each server, so behind a load balancer of n servers a
// token may make up to n times as many; that is enough to keep one
// misbehaving integration from taking a server's processors (a live result
// takes 0.1–0.2 s to compute, a batch of 10,000 records about a second to
// write).
type APIRate struct {
	PerSecond float64
	Burst     int
}

// DefaultAPIRate is the rate of a token unless the server sets another:
// 10 requests a second, 30 at once.
var DefaultAPIRate = APIRate{PerSecond: 10, Burst: 30}

// apiLimiter holds a token bucket per token id. It forgets a bucket once
// full again (an idle token), so that it holds only the tokens in use.
type apiLimiter struct {
	rate  float64
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[int64]*bucket
	swept   time.Time
}

// bucket is what is left of a token's allowance at last.
type bucket struct {
	tokens float64
	last   time.Time
}

func newAPILimiter(r APIRate) *apiLimiter {
	if r.PerSecond <= 0 || r.Burst <= 0 {
		r = DefaultAPIRate
	}
	return &apiLimiter{rate: r.PerSecond, burst: r.Burst, now: time.Now, buckets: map[int64]*bucket{}}
}

// take spends one request of token id's allowance. When none is left it
// returns false and how many seconds until one is (at least 1).
func (l *apiLimiter) take(id int64) (wait int, ok bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[id]
	if b == nil {
		b = &bucket{tokens: float64(l.burst), last: now}
		l.buckets[id] = b
	}
	b.tokens = min(float64(l.burst), b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return max(1, int(math.Ceil((1-b.tokens)/l.rate))), false
	}
	b.tokens--
	return 0, true
}

// sweep forgets, once a minute, the buckets that are full again by now.
func (l *apiLimiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	full := time.Duration(float64(l.burst) / l.rate * float64(time.Second))
	for id, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, id)
		}
	}
}
