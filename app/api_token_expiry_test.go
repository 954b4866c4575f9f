package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// TestAPITokenExpires: a token is created for one of the terms offered
// (a year unless chosen), authorizes until then and not from that moment,
// with a message that tells it expired; a term not offered is refused.
func TestAPITokenExpires(t *testing.T) {
	forEachQuarterService(t, func(t *testing.T, s *app.Service, now *time.Time) {
		ctx := app.WithActor(context.Background(), "admin")
		created := *now
		wantCode(t, "a term not offered", func() error {
			_, err := s.CreateAPIToken(ctx, qAdmin, "网格E通", []string{"events"}, false, 5)
			return err
		}(), gs.EINVALID, "有效期")
		year, err := s.CreateAPIToken(ctx, qAdmin, "网格E通", []string{"events"}, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		quarter, err := s.CreateAPIToken(ctx, qAdmin, "平台", []string{"events"}, false, 3)
		if err != nil {
			t.Fatal(err)
		}
		if want := created.AddDate(1, 0, 0); !year.Token.ExpiresAt.Equal(want) {
			t.Errorf("the default term ends %v, want a year on, %v", year.Token.ExpiresAt, want)
		}
		ends := created.AddDate(0, 3, 0)
		*now = ends.Add(-time.Second)
		if _, err := s.APITokenOf(context.Background(), quarter.Secret); err != nil {
			t.Errorf("a token a second before it expires: %v", err)
		}
		*now = ends
		_, err = s.APITokenOf(context.Background(), quarter.Secret)
		wantCode(t, "an expired token", err, gs.EUNAUTHORIZED, "已于 "+ends.In(gs.CST).Format("2006-01-02 15:04")+" 过期")
		if _, err := s.APITokenOf(context.Background(), year.Secret); err != nil {
			t.Errorf("the year's token after the quarter's expired: %v", err)
		}
		ts, err := s.APITokens(ctx, qAdmin)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range ts {
			if tk.Name == "平台" && (!tk.Expired(*now) || !tk.ExpiresAt.Equal(ends)) {
				t.Errorf("the stored token %+v: not expired at %v", tk, *now)
			}
		}
		// Its replacement may take its name; one of a live token's may not.
		again, err := s.CreateAPIToken(ctx, qAdmin, "平台", []string{"events"}, false, 3)
		if err != nil {
			t.Fatalf("a new token named as the expired one: %v", err)
		}
		if _, err := s.APITokenOf(context.Background(), again.Secret); err != nil {
			t.Errorf("the replacement: %v", err)
		}
		_, err = s.CreateAPIToken(ctx, qAdmin, "网格E通", []string{"events"}, false, 3)
		wantCode(t, "a new token named as a live one", err, gs.ECONFLICT, "已有名为")
		entries, err := s.DB.Audit(context.Background(), gs.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		told, replaced := false, false
		for _, e := range entries {
			told = told || strings.Contains(e.Detail, "有效期至 "+ends.In(gs.CST).Format("2006-01-02 15:04"))
			replaced = replaced || e.Action == gs.AuditAPITokenRevoked && strings.HasSuffix(e.Object, "/"+strconv.FormatInt(quarter.Token.ID, 10)) &&
				strings.Contains(e.Detail, "已过期，由同名的新令牌接替")
		}
		if !told {
			t.Error("the audit log does not say until when the token is valid")
		}
		if !replaced {
			t.Error("the audit log does not say the expired token was revoked when its name was taken again")
		}
	})
}
