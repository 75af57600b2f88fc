package sqldb

import (
	"context"
	"sync"
	"testing"

	"xiezuo"
)

// onceAtOnce calls f n times at once and returns its answers, whether each replayed, and the
// errors, in call order.
func onceAtOnce[T any](n int, f func() (T, bool, error)) ([]T, []bool, []error) {
	outs, replays, errs := make([]T, n), make([]bool, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], replays[i], errs[i] = f()
		}()
	}
	wg.Wait()
	return outs, replays, errs
}

// auditOf returns the audit entries of action, oldest first.
func auditOf(t *testing.T, db *DB, action string) []AuditEntry {
	t.Helper()
	es, _, err := db.SearchAudit(t.Context(), AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// decisionFixture stores the test plan, the office and a unit's submitted report on the first
// work point, and returns the office's context, the office, the unit's context and the report.
func decisionFixture(t *testing.T, db *DB) (office context.Context, officer *xiezuo.User, unit context.Context, point xiezuo.DutyKey, report int64) {
	t.Helper()
	point, _, _ = reportKeys(t, db)
	officer = mustCreateUser(t, db, &xiezuo.User{Username: "office", Name: "王主任", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}})
	u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
	unit = WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit})
	office = WithActor(t.Context(), Actor{UserID: officer.ID, Username: officer.Username, Unit: officer.Unit})
	rc, _, err := db.SubmitReportOnce(unit, ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted,
		Values: xiezuo.ReportValues{Text: "已拨付资金。"}}, Idem{})
	if err != nil {
		t.Fatalf("SubmitReportOnce = %v", err)
	}
	return office, officer, unit, point, rc.ID
}

// TestReviewReportOnce checks the Idempotency-Key of a review on both databases: eight
// concurrent requests with one key store one review and one audit entry and all answer its
// receipt; the key answers it again once the version is reviewed; the key with another body,
// even one that would be refused, is ECONFLICT and stores nothing; a key the user gave a report
// is ECONFLICT for a review; a refused first request stores no key; without a key a second
// review is refused as ever.
func TestReviewReportOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		office, officer, unit, _, id := decisionFixture(t, db)
		k := Idem{UserID: officer.ID, Key: "review-7f9c2ba4", RequestHash: "accept"}
		const n = 8
		rcs, replays, errs := onceAtOnce(n, func() (ReportReceipt, bool, error) {
			return db.ReviewReportOnce(office, id, 1, xiezuo.DecisionAccept, "", k)
		})
		want := ReportReceipt{ID: id, State: xiezuo.ReportAccepted, Version: 1}
		first := 0
		for i := range n {
			if errs[i] != nil || rcs[i] != want {
				t.Errorf("ReviewReportOnce #%d = %+v, %v; want %+v", i, rcs[i], errs[i], want)
			}
			if !replays[i] {
				first++
			}
		}
		if first != 1 {
			t.Errorf("%d of %d requests stored a review, want 1", first, n)
		}
		if got := countRows(t, db, "report_reviews"); got != 1 {
			t.Errorf("reviews stored = %d, want 1", got)
		}
		if es := auditOf(t, db, AuditReportReview); len(es) != 1 || es[0].Detail != "Idempotency-Key: "+k.Key {
			t.Errorf("review audit entries = %+v, want one naming the key", es)
		}
		if rc, replayed, err := db.ReviewReportOnce(office, id, 1, xiezuo.DecisionAccept, "", k); err != nil || !replayed || rc != want {
			t.Errorf("ReviewReportOnce(same key, reviewed version) = %+v, %v, %v; want %+v replayed", rc, replayed, err, want)
		}
		keys := countRows(t, db, "idempotency_keys")
		for _, c := range []struct {
			name    string
			d       xiezuo.Decision
			comment string
		}{
			{"return with a comment", xiezuo.DecisionReturn, "请补充凭证。"},
			{"return without a comment", xiezuo.DecisionReturn, ""},
			{"decision maybe", "maybe", ""},
		} {
			if _, _, err := db.ReviewReportOnce(office, id, 1, c.d, c.comment, Idem{UserID: officer.ID, Key: k.Key, RequestHash: c.name}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
				t.Errorf("ReviewReportOnce(same key, %s) = %v, want ECONFLICT", c.name, err)
			}
		}
		// Without a key the review is refused as before: the version is reviewed.
		if _, _, err := db.ReviewReportOnce(office, id, 1, xiezuo.DecisionAccept, "", Idem{}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReportOnce(no key, reviewed version) = %v, want ECONFLICT", err)
		}
		// A refused first request stores no key.
		if _, _, err := db.ReviewReportOnce(office, id, 1, xiezuo.DecisionAccept, "", Idem{UserID: officer.ID, Key: "review-late", RequestHash: "accept"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReportOnce(new key, reviewed version) = %v, want ECONFLICT", err)
		}
		if _, _, err := db.ReviewReportOnce(office, 999999, 1, xiezuo.DecisionAccept, "", Idem{UserID: officer.ID, Key: "review-none", RequestHash: "accept"}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("ReviewReportOnce(no such report) = %v, want ENOTFOUND", err)
		}
		// A key the office gave another request (a report it submitted) is not a review's.
		if _, _, err := db.SubmitReportOnce(unit, ReportWrite{Duty: xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: mustLoad(t, db, "门头沟区", 2021).Points[1].ID},
			Unit: "区财政局", State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "第二项。"}},
			Idem{UserID: officer.ID, Key: "shared", RequestHash: "POST report"}); err != nil {
			t.Fatalf("SubmitReportOnce(key shared) = %v", err)
		}
		keys++
		if _, _, err := db.ReviewReportOnce(office, id, 1, xiezuo.DecisionAccept, "", Idem{UserID: officer.ID, Key: "shared", RequestHash: "POST review"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("ReviewReportOnce(a report's key) = %v, want ECONFLICT", err)
		}
		if got := countRows(t, db, "idempotency_keys"); got != keys {
			t.Errorf("keys stored = %d, want %d: refused requests stored a key", got, keys)
		}
		if got := countRows(t, db, "report_reviews"); got != 1 {
			t.Errorf("reviews stored after the refusals = %d, want 1", got)
		}
		if es := auditOf(t, db, AuditReportReview); len(es) != 1 {
			t.Errorf("review audit entries after the refusals = %d, want 1", len(es))
		}
	})
}

// TestCloseDutyOnce checks the Idempotency-Key of closing a duty on both databases: eight
// concurrent requests with one key store one closure and all answer it; the key answers it
// again once the duty was reopened; the key with another body is ECONFLICT and stores nothing;
// without a key a second closure is refused as ever.
func TestCloseDutyOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		office, officer, _, point, _ := decisionFixture(t, db)
		k := Idem{UserID: officer.ID, Key: "close-0242ac120002", RequestHash: "close"}
		const n = 8
		outs, replays, errs := onceAtOnce(n, func() (DutyClosure, bool, error) {
			return db.CloseDutyOnce(office, point, true, "", k)
		})
		want := DutyClosure{Closed: true, Duty: point.String()}
		first := 0
		for i := range n {
			if errs[i] != nil || outs[i] != want {
				t.Errorf("CloseDutyOnce #%d = %+v, %v; want %+v", i, outs[i], errs[i], want)
			}
			if !replays[i] {
				first++
			}
		}
		if first != 1 {
			t.Errorf("%d of %d requests stored a closure, want 1", first, n)
		}
		if got := countRows(t, db, "duty_closures"); got != 1 {
			t.Errorf("closures stored = %d, want 1", got)
		}
		if es := auditOf(t, db, AuditDutyClose); len(es) != 1 || es[0].Detail != "Idempotency-Key: "+k.Key {
			t.Errorf("closure audit entries = %+v, want one naming the key", es)
		}
		if err := db.CloseDuty(office, point, true, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("CloseDuty(closed duty, no key) = %v, want ECONFLICT", err)
		}
		for _, c := range []struct {
			name   string
			closed bool
			reason string
		}{
			{"reopen with a reason", false, "补充材料"},
			{"reopen without a reason", false, ""},
		} {
			if _, _, err := db.CloseDutyOnce(office, point, c.closed, c.reason, Idem{UserID: officer.ID, Key: k.Key, RequestHash: c.name}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
				t.Errorf("CloseDutyOnce(same key, %s) = %v, want ECONFLICT", c.name, err)
			}
		}
		if got := countRows(t, db, "duty_closures"); got != 1 {
			t.Errorf("closures stored after the refusals = %d, want 1", got)
		}
		// Reopened under another key, the first key still answers its closure.
		reopened, replayed, err := db.CloseDutyOnce(office, point, false, "补充材料", Idem{UserID: officer.ID, Key: "reopen-1", RequestHash: "reopen"})
		if err != nil || replayed || reopened != (DutyClosure{Closed: false, Duty: point.String()}) {
			t.Fatalf("CloseDutyOnce(reopen) = %+v, %v, %v", reopened, replayed, err)
		}
		if out, replayed, err := db.CloseDutyOnce(office, point, true, "", k); err != nil || !replayed || out != want {
			t.Errorf("CloseDutyOnce(first key, reopened duty) = %+v, %v, %v; want %+v replayed", out, replayed, err, want)
		}
		if got := countRows(t, db, "duty_closures"); got != 2 {
			t.Errorf("closures stored = %d, want 2", got)
		}
		if got := countRows(t, db, "idempotency_keys"); got != 2 {
			t.Errorf("keys stored = %d, want 2", got)
		}
	})
}
