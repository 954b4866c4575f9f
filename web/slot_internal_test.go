package web

import (
	"context"
	"testing"
	"time"
)

// TestPageGoesBeforeBackground: when the turn to compute frees up, a page
// waiting for it gets it before the computations waiting in the
// background (a town's dashboard once waited for twenty towns warmed by
// the district's overview: 7.7 s).
func TestPageGoesBeforeBackground(t *testing.T) {
	s := &Server{assessSlot: make(chan struct{}, 1)}
	s.assessSlot <- struct{}{} // a computation is running
	got := make(chan string, 4)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	take := func(name string, ctx context.Context) {
		if err := s.takeSlot(ctx); err != nil {
			got <- "error " + err.Error()
			return
		}
		got <- name
	}
	for range 3 {
		go take("background", background(ctx))
	}
	time.Sleep(20 * time.Millisecond) // the background ones are waiting
	go take("page", ctx)
	for s.pagesWaiting.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	<-s.assessSlot // the running computation ends
	if first := <-got; first != "page" {
		t.Fatalf("the turn went to %s before the waiting page", first)
	}
	<-s.assessSlot // the page's computation ends: a background one goes next
	if next := <-got; next != "background" {
		t.Fatalf("after the page the turn went to %s", next)
	}
}
