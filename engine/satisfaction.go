package engine

import (
	"math/big"

	gs "github.com/gridscore/gridscore"
)

// satisfaction computes the satisfaction score (RULES.md §6): the category's
// full score × the rate, rounded half-up to hundredths. The rate is the mean
// weight of the worker's ballots in the quarter, or, with group weights, the
// weighted mean of the rates of the groups that have ballots. It returns the
// full score and true when the worker has no ballot in the quarter.
func (ix *index) satisfaction(wc *workerContext) (gs.Points, bool) {
	full := ix.scheme.Max[gs.CatSatisfaction]
	type tally struct{ n, sum int64 } // ballots, sum of weights in hundredths
	groups := map[gs.RaterGroup]*tally{}
	var all tally
	for _, b := range wc.ch.ballots[wc.w.ID] {
		if !ix.q.Contains(b.CastAt) {
			continue
		}
		w := ix.scheme.RatingWeights[b.Rating]
		t := groups[b.RaterGroup]
		if t == nil {
			t = &tally{}
			groups[b.RaterGroup] = t
		}
		t.n++
		t.sum += w
		all.n++
		all.sum += w
	}
	if all.n == 0 {
		return full, true
	}
	// rate as an exact fraction; weights are in hundredths, so divide by 100.
	rate := new(big.Rat).SetFrac64(all.sum, all.n*100)
	if len(ix.scheme.GroupWeights) > 0 {
		num, den := new(big.Rat), new(big.Rat)
		for g, t := range groups {
			gw := ix.scheme.GroupWeights[g]
			if gw == 0 {
				continue
			}
			r := new(big.Rat).SetFrac64(t.sum, t.n*100)
			num.Add(num, r.Mul(r, new(big.Rat).SetInt64(gw)))
			den.Add(den, new(big.Rat).SetInt64(gw))
		}
		if den.Sign() > 0 {
			rate = num.Quo(num, den)
		}
	}
	score := new(big.Rat).Mul(rate, new(big.Rat).SetInt64(int64(full)))
	return gs.Points(roundHalfUp(score)), false
}

// roundHalfUp rounds a non-negative rational to the nearest integer, halves up.
func roundHalfUp(r *big.Rat) int64 {
	n := new(big.Int).Mul(r.Num(), big.NewInt(2))
	n.Add(n, r.Denom())
	d := new(big.Int).Mul(r.Denom(), big.NewInt(2))
	return new(big.Int).Quo(n, d).Int64()
}
