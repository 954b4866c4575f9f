package gen

import (
	"strconv"
	"time"
)

// assignIDs numbers the town's events, patrols, visits and ballots the way
// grid platforms do: the town, a kind code, the month and a sequence number
// within the month (T0001-SJ2307-00001). Records are numbered in the order
// they were generated, worker by worker.
func (t *town) assignIDs() {
	evs := t.recs.Events
	t.monthIDs("SJ", len(evs), func(i int) time.Time { return evs[i].ReportedAt }, func(i int, id string) { evs[i].ID = id })
	ps := t.recs.Patrols
	t.monthIDs("XC", len(ps), func(i int) time.Time { return ps[i].StartedAt }, func(i int, id string) { ps[i].ID = id })
	vs := t.recs.Visits
	t.monthIDs("ZF", len(vs), func(i int) time.Time { return vs[i].VisitedAt }, func(i int, id string) { vs[i].ID = id })
	bs := t.recs.Ballots
	t.monthIDs("PJ", len(bs), func(i int) time.Time { return bs[i].CastAt }, func(i int, id string) { bs[i].ID = id })
}

// monthIDs gives n records ids of the form <town>-<code><yymm>-<seq>, the
// month being that of at(i). The ids are built in one buffer and made one
// string, of which each id is a slice: one allocation for all of them.
func (t *town) monthIDs(code string, n int, at func(i int) time.Time, set func(i int, id string)) {
	if n == 0 {
		return
	}
	width := max(5, len(strconv.Itoa(n)))
	size := len(t.prefix) + len(code) + 4 + 1 + width
	buf := t.idBuf[:0]
	var seq [4]int
	d := t.g.days
	for i := range n {
		u := at(i).Unix()
		day := d.index(u)
		m := 3
		var ym [4]byte
		if day >= 0 && day < len(d.month) {
			m, ym = int(d.month[day]), d.yymm[day]
		} else {
			date := d.first.AddDays(day)
			putDigits(ym[0:2], date.Year()%100)
			putDigits(ym[2:4], int(date.Month()))
		}
		seq[m]++
		buf = append(buf, t.prefix...)
		buf = append(buf, code...)
		buf = append(buf, ym[:]...)
		buf = append(buf, '-')
		buf = append(buf, zeros[:width]...)
		putDigits(buf[len(buf)-width:], seq[m])
	}
	t.idBuf = buf
	s := string(buf)
	for i := range n {
		set(i, s[i*size:(i+1)*size])
	}
}

// zeros pads sequence numbers.
const zeros = "00000000000000000000"
