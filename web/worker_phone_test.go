package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// phoneFold is what a 360-pixel phone shows of the worker's page before
// any scrolling.
type phoneFold struct {
	Height        float64 `json:"height"`
	StandingEnd   float64 `json:"standingEnd"`
	AttentionTop  float64 `json:"attentionTop"`
	FirstCardHead float64 `json:"firstCardHead"`
	DetailFont    float64 `json:"detailFont"`
	SmallestTap   float64 `json:"smallestTap"`
	Wide          bool    `json:"wide"`
}

// TestPhoneWorkerSeesStandingAndWarningsFirst: a grid worker who logs in on
// a 360×740 phone in mid-quarter lands on their page and sees, without
// scrolling, the whole of 截至目前 and the start of 需要注意 with its most
// urgent warning's deadline and points; the warning's words are at least
// 16 px and its links at least 44 px tall; nothing scrolls sideways.
func TestPhoneWorkerSeesStandingAndWarningsFirst(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "QS013")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"+midQuarterQuery), chromedp.WaitVisible(chromedp.CSS("#attention"))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[phoneFold](`(() => {
		const r = s => document.querySelector(s).getBoundingClientRect();
		const links = [...document.querySelectorAll("#attention a")].map(a => a.getBoundingClientRect().height);
		return {
			height: window.innerHeight,
			standingEnd: r("#standing").bottom,
			attentionTop: r("#attention").top,
			firstCardHead: r("#attention .warning .warning-head").bottom,
			detailFont: parseFloat(getComputedStyle(document.querySelector(".warning-detail")).fontSize),
			smallestTap: links.length ? Math.min(...links) : 0,
			wide: document.documentElement.scrollWidth > window.innerWidth,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.StandingEnd > got.Height || got.AttentionTop > got.Height || got.FirstCardHead > got.Height {
		t.Errorf("on a phone of height %.0f: 截至目前 ends at %.0f, 需要注意 starts at %.0f, its first warning's head ends at %.0f; want all in the first screen",
			got.Height, got.StandingEnd, got.AttentionTop, got.FirstCardHead)
	}
	if got.DetailFont < 16 {
		t.Errorf("a warning's words are %.1f px, too small to read without zooming", got.DetailFont)
	}
	if got.SmallestTap < 44 {
		t.Errorf("a warning's link is %.0f px tall, too small to tap", got.SmallestTap)
	}
	if got.Wide {
		t.Error("the page scrolls sideways on a phone")
	}
}
