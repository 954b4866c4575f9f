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
	groups := map[gs.RaterGroup]Tally{}
	for _, b := range wc.ch.ballots[wc.w.ID] {
		if !ix.q.Contains(b.CastAt) {
			continue
		}
		t := groups[b.RaterGroup]
		t.N++
		t.Sum += ix.scheme.RatingWeights[b.Rating]
		groups[b.RaterGroup] = t
	}
	rate := SatisfactionRate(ix.scheme, groups)
	if rate == nil {
		return full, true
	}
	score := new(big.Rat).Mul(rate, new(big.Rat).SetInt64(int64(full)))
	return gs.Points(roundHalfUp(score)), false
}

// Tally is a rater group's ballots: how many, and the sum of their rating
// weights (in hundredths).
type Tally struct{ N, Sum int64 }

// SatisfactionRate is RULES.md §6's satisfaction rate of one worker's
// ballots, given by rater group: the mean weight of all the ballots, or,
// with the scheme's group weights, the weighted mean of the rates of the
// groups that have ballots (groups weighted 0 left out; pooled when no
// group with ballots has a weight). It is exact, and nil for no ballot.
// The survey's pages show the same rate as the score rests on through it.
func SatisfactionRate(sc *gs.Scheme, groups map[gs.RaterGroup]Tally) *big.Rat {
	var all Tally
	for _, t := range groups {
		all.N += t.N
		all.Sum += t.Sum
	}
	if all.N == 0 {
		return nil
	}
	// rate as an exact fraction; weights are in hundredths, so divide by 100.
	rate := new(big.Rat).SetFrac64(all.Sum, all.N*100)
	if len(sc.GroupWeights) > 0 {
		num, den := new(big.Rat), new(big.Rat)
		for g, t := range groups {
			gw := sc.GroupWeights[g]
			if gw == 0 || t.N == 0 {
				continue
			}
			r := new(big.Rat).SetFrac64(t.Sum, t.N*100)
			num.Add(num, r.Mul(r, new(big.Rat).SetInt64(gw)))
			den.Add(den, new(big.Rat).SetInt64(gw))
		}
		if den.Sign() > 0 {
			rate = num.Quo(num, den)
		}
	}
	return rate
}

// RoundHalfUp rounds a non-negative rational to the nearest integer,
// halves up.
func RoundHalfUp(r *big.Rat) int64 { return roundHalfUp(r) }

// roundHalfUp rounds a non-negative rational to the nearest integer, halves up.
func roundHalfUp(r *big.Rat) int64 {
	n := new(big.Int).Mul(r.Num(), big.NewInt(2))
	n.Add(n, r.Denom())
	d := new(big.Int).Mul(r.Denom(), big.NewInt(2))
	return new(big.Int).Quo(n, d).Int64()
}
