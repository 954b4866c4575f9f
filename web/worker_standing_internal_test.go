package web

import (
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// TestDueText: a warning's deadline in words, relative to the page's
// moment (Tuesday 2023-08-15 09:00): the same day and the next with the
// clock, within a week the days left and the date, beyond a week the date
// alone; a deadline at midnight is the end of the day before.
func TestDueText(t *testing.T) {
	t.Parallel()
	now := time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)
	at := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2023, month, day, hour, minute, 0, 0, gs.CST)
	}
	tests := []struct {
		name          string
		due           time.Time
		text, urgency string
	}{
		{"an event due at 18:00 today", at(8, 15, 18, 0), "今天 18:00 前", "today"},
		{"a patrol due at the end of today", at(8, 16, 0, 0), "今天 24:00 前", "today"},
		{"an event due at 09:25 tomorrow", at(8, 16, 9, 25), "明天 09:25 前", "week"},
		{"a roster due at the end of tomorrow", at(8, 17, 0, 0), "明天 24:00 前", "week"},
		{"an event due in 3 days at 17:00", at(8, 18, 17, 0), "还剩 3 天（8月18日 17:00 前）", "week"},
		{"visits due at the end of the 22nd, a week ahead", at(8, 23, 0, 0), "还剩 7 天（8月22日前）", "week"},
		{"visits due at the end of the 28th, beyond a week", at(8, 29, 0, 0), "8月28日前", "later"},
		{"an event due at 17:00 beyond a week", at(9, 5, 17, 0), "9月5日 17:00 前", "later"},
		{"the month's quota due at its end", at(9, 1, 0, 0), "8月31日前", "later"},
		{"a deadline given in UTC is read in CST", time.Date(2023, 8, 15, 10, 0, 0, 0, time.UTC), "今天 18:00 前", "today"},
		{"a deadline already passed", at(8, 15, 8, 0), "已到期", "today"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, urgency := dueText(tt.due, now)
			if text != tt.text || urgency != tt.urgency {
				t.Errorf("dueText(%s) = %q, %q; want %q, %q", tt.due.Format(time.RFC3339), text, urgency, tt.text, tt.urgency)
			}
		})
	}
}

// TestDueTextLateInTheDay: at 23:30 a deadline at 00:30 is tomorrow's,
// though only an hour away; days are calendar days.
func TestDueTextLateInTheDay(t *testing.T) {
	t.Parallel()
	now := time.Date(2023, 8, 15, 23, 30, 0, 0, gs.CST)
	if text, _ := dueText(time.Date(2023, 8, 16, 0, 30, 0, 0, gs.CST), now); text != "明天 00:30 前" {
		t.Errorf("got %q, want 明天 00:30 前", text)
	}
}
