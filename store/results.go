package store

import (
	"cmp"
	"encoding/json"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// Results are stored as JSON (snapshots, live results): the JSON of DATA.md
// §3 and, beside each deduction, its item (gs.Deduction.Item), which that
// JSON leaves out but which tells two login deductions of one day apart when
// one is voided or appealed. A result stored before items were kept reads
// back with every Item "".

// storedWorker is how a worker's result is stored: its deductions, with
// their items, shadow the result's own.
type storedWorker struct {
	gs.WorkerResult
	Deductions []storedDeduction `json:"deductions"`
}

// storedDeduction is a deduction as stored, with its item.
type storedDeduction struct {
	gs.Deduction
	Item string `json:"item,omitempty"`
}

// storedResult is a whole result as stored (a live result).
type storedResult struct {
	gs.Result
	Workers []storedWorker `json:"workers"`
}

// storedWorkerOf is how w is stored.
func storedWorkerOf(w gs.WorkerResult) storedWorker {
	sw := storedWorker{WorkerResult: w}
	if w.Deductions != nil {
		sw.Deductions = make([]storedDeduction, len(w.Deductions))
		for i, d := range w.Deductions {
			sw.Deductions[i] = storedDeduction{Deduction: d, Item: d.Item}
		}
	}
	sw.WorkerResult.Deductions = nil
	return sw
}

// worker is the result sw stores.
func (sw *storedWorker) worker() gs.WorkerResult {
	w := sw.WorkerResult
	w.Deductions = nil
	if sw.Deductions != nil {
		w.Deductions = make([]gs.Deduction, len(sw.Deductions))
		for i, d := range sw.Deductions {
			w.Deductions[i] = d.Deduction
			w.Deductions[i].Item = cmp.Or(d.Item, legacyItem(d.Deduction))
		}
	}
	return w
}

// legacyItem is the item of a deduction stored before items were kept:
// a login deduction's channel, which its detail ends with (the engine wrote
// "7月3日（工作日）未登录PC端"), so that a snapshot computed before the
// upgrade and its voids (migration 00028: one per channel) still tell the
// two deductions of a day apart; "" for any other.
func legacyItem(d gs.Deduction) string {
	if d.Rule != gs.RuleDisciplineLogin {
		return ""
	}
	for c, name := range gs.ChannelName {
		if strings.HasSuffix(d.Detail, "未登录"+name) {
			return string(c)
		}
	}
	return ""
}

// storedResultOf is how res is stored.
func storedResultOf(res *gs.Result) *storedResult {
	sr := &storedResult{Result: *res}
	if res.Workers != nil {
		sr.Workers = make([]storedWorker, len(res.Workers))
		for i := range res.Workers {
			sr.Workers[i] = storedWorkerOf(res.Workers[i])
		}
	}
	sr.Result.Workers = nil
	return sr
}

// result is the result sr stores.
func (sr *storedResult) result() *gs.Result {
	res := sr.Result
	res.Workers = nil
	if sr.Workers != nil {
		res.Workers = make([]gs.WorkerResult, len(sr.Workers))
		for i := range sr.Workers {
			res.Workers[i] = sr.Workers[i].worker()
		}
	}
	return &res
}

// encodeWorker returns the stored JSON of w.
func encodeWorker(w gs.WorkerResult) ([]byte, error) {
	return json.Marshal(storedWorkerOf(w))
}

// decodeWorker reads the stored JSON of a worker's result into w.
func decodeWorker(js []byte, w *gs.WorkerResult) error {
	var sw storedWorker
	if err := json.Unmarshal(js, &sw); err != nil {
		return err
	}
	*w = sw.worker()
	return nil
}
