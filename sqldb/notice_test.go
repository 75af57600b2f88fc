package sqldb

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// TestNoticeLife walks a notice through its life on both databases: issued and numbered within
// its plan, signed, answered, sent back, answered again, finished and closed, each step a new
// dated row with its audit entry; a step out of order or a bad text is refused and writes
// nothing; the audit chain still verifies.
func TestNoticeLife(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		unit := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		p := mustLoad(t, db, "门头沟区", 2021)
		duty := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: p.Points[0].ID}
		day := func(d, h int) time.Time { return time.Date(2021, 9, d, h, 0, 0, 0, time.UTC) }
		in := xiezuo.Notice{District: "门头沟区", Year: 2021, Duty: duty, Unit: "区财政局", Subject: "资金拨付滞后",
			Requirement: "报送拨付进度", ReplyBy: xiezuo.NewDate(2021, 9, 10), Signer: "张主任"}
		n1, err := db.IssueNotice(office, in, day(1, 2))
		if err != nil {
			t.Fatalf("IssueNotice = %v", err)
		}
		n2, err := db.IssueNotice(office, in, day(1, 3))
		if err != nil {
			t.Fatalf("IssueNotice (second) = %v", err)
		}
		if n1.Number != 1 || n2.Number != 2 || n1.Code() != "门督〔2021〕1号" {
			t.Errorf("numbers %d %d (%s), want 1 2 门督〔2021〕1号", n1.Number, n2.Number, n1.Code())
		}
		// A duty of another plan, or no duty at all, is refused.
		other := in
		other.Year = 2022
		if _, err := db.IssueNotice(office, other, day(1, 4)); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("IssueNotice(2022, no plan) = %v, want ENOTFOUND", err)
		}
		other = in
		other.Duty.ID = 999999
		if _, err := db.IssueNotice(office, other, day(1, 4)); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("IssueNotice(no such duty) = %v, want ENOTFOUND", err)
		}

		refuse := func(what string, err error, code string) {
			t.Helper()
			if xiezuo.ErrorCode(err) != code {
				t.Errorf("%s = %v, want %s", what, err, code)
			}
		}
		_, err = db.AnswerNotice(unit, n1.ID, "已拨付", day(2, 1))
		refuse("AnswerNotice before signing", err, xiezuo.ECONFLICT)
		_, err = db.FinishNotice(office, n1.ID, "", day(2, 1))
		refuse("FinishNotice before an answer", err, xiezuo.ECONFLICT)
		_, err = db.CloseNotice(office, n1.ID, "", day(2, 1))
		refuse("CloseNotice before done", err, xiezuo.ECONFLICT)
		_, err = db.SignNotice(unit, 999999, "李财政", day(2, 1))
		refuse("SignNotice(no such notice)", err, xiezuo.ENOTFOUND)

		steps := []struct {
			name string
			do   func() (xiezuo.Notice, error)
			want xiezuo.NoticeState
		}{
			{"sign", func() (xiezuo.Notice, error) { return db.SignNotice(unit, n1.ID, "李财政", day(2, 1)) }, xiezuo.NoticeStateSigned},
			{"escalate", func() (xiezuo.Notice, error) {
				return db.EscalateNotice(office, n1.ID, "产业合作专班牵头单位", day(11, 1))
			}, xiezuo.NoticeStateSigned},
			{"answer", func() (xiezuo.Notice, error) { return db.AnswerNotice(unit, n1.ID, "已拨付 60%", day(12, 1)) }, xiezuo.NoticeStateAnswered},
			{"return", func() (xiezuo.Notice, error) { return db.ReturnNotice(office, n1.ID, "请附拨付凭证", day(13, 1)) }, xiezuo.NoticeStateReturned},
			{"answer again", func() (xiezuo.Notice, error) {
				return db.AnswerNotice(unit, n1.ID, "已拨付 100%，凭证见附件", day(14, 1))
			}, xiezuo.NoticeStateAnswered},
			{"finish", func() (xiezuo.Notice, error) { return db.FinishNotice(office, n1.ID, "", day(15, 1)) }, xiezuo.NoticeStateDone},
			// A clock that went back dates the step at the latest one: steps never go back in time.
			{"close", func() (xiezuo.Notice, error) { return db.CloseNotice(office, n1.ID, "销号", day(14, 0)) }, xiezuo.NoticeStateClosed},
		}
		for _, s := range steps {
			n, err := s.do()
			if err != nil {
				t.Fatalf("%s = %v", s.name, err)
			}
			if got, _ := n.StateAt(day(30, 0)); got != s.want {
				t.Errorf("after %s state = %q, want %q", s.name, got, s.want)
			}
		}
		_, err = db.AnswerNotice(unit, n1.ID, "再补充", day(16, 1))
		refuse("AnswerNotice after closing", err, xiezuo.ECONFLICT)
		_, err = db.AnswerNotice(unit, n2.ID, " ", day(16, 1))
		refuse("AnswerNotice with no text", err, xiezuo.EINVALID)
		_, err = db.SignNotice(unit, n2.ID, "李财政", day(16, 1))
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SignNotice(unit, n2.ID, "李财政", day(16, 2))
		refuse("SignNotice twice", err, xiezuo.ECONFLICT)

		got, err := db.Notice(t.Context(), n1.ID)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			Step     xiezuo.NoticeStep
			Text, By string
			Unit     string
			At       time.Time
		}
		var gotSteps []step
		for _, e := range got.Steps {
			gotSteps = append(gotSteps, step{e.Step, e.Text, e.By, e.Unit, e.At})
		}
		want := []step{
			{xiezuo.NoticeIssued, "", "office", "领导小组办公室", day(1, 2)},
			{xiezuo.NoticeSigned, "李财政", "caizheng", "区财政局", day(2, 1)},
			{xiezuo.NoticeEscalated, "产业合作专班牵头单位", "office", "领导小组办公室", day(11, 1)},
			{xiezuo.NoticeAnswered, "已拨付 60%", "caizheng", "区财政局", day(12, 1)},
			{xiezuo.NoticeReturned, "请附拨付凭证", "office", "领导小组办公室", day(13, 1)},
			{xiezuo.NoticeAnswered, "已拨付 100%，凭证见附件", "caizheng", "区财政局", day(14, 1)},
			{xiezuo.NoticeDone, "", "office", "领导小组办公室", day(15, 1)},
			{xiezuo.NoticeClosed, "销号", "office", "领导小组办公室", day(15, 1)},
		}
		if diff := cmp.Diff(want, gotSteps); diff != "" {
			t.Errorf("Notice(%d).Steps (-want +got):\n%s", n1.ID, diff)
		}
		wantN := in
		wantN.ID, wantN.Number = n1.ID, 1
		got.Steps = nil
		if diff := cmp.Diff(wantN, got); diff != "" {
			t.Errorf("Notice(%d) (-want +got):\n%s", n1.ID, diff)
		}

		all, err := db.PlanNotices(t.Context(), "门头沟区", 2021)
		if err != nil || len(all) != 2 || all[0].ID != n1.ID || all[1].ID != n2.ID {
			t.Fatalf("PlanNotices = %v, %v; want notices 1 and 2", all, err)
		}
		if s, _ := all[0].StateAt(day(13, 12)); s != xiezuo.NoticeStateReturned {
			t.Errorf("notice 1 as of 9-13 noon = %q, want returned", s)
		}
		if open := xiezuo.OpenNotices(all, day(30, 0)); open[duty] != 1 {
			t.Errorf("OpenNotices = %v, want 1 on %s", open, duty)
		}
		mine, err := db.UnitNotices(t.Context(), "门头沟区", 2021, "区财政局")
		if err != nil || len(mine) != 2 {
			t.Errorf("UnitNotices(区财政局) = %d, %v; want 2", len(mine), err)
		}
		if theirs, err := db.UnitNotices(t.Context(), "门头沟区", 2021, "区商务局"); err != nil || len(theirs) != 0 {
			t.Errorf("UnitNotices(区商务局) = %d, %v; want none", len(theirs), err)
		}

		entries, _, err := db.SearchAudit(t.Context(), AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, e := range entries {
			n[e.Action]++
		}
		wantAudit := map[string]int{AuditNoticeIssue: 2, AuditNoticeSign: 2, AuditNoticeEscalate: 1, AuditNoticeAnswer: 2,
			AuditNoticeReturn: 1, AuditNoticeFinish: 1, AuditNoticeClose: 1}
		for a, c := range wantAudit {
			if n[a] != c {
				t.Errorf("audit entries %s = %d, want %d", a, n[a], c)
			}
		}
		v, err := db.VerifyAudit(t.Context(), AuditMark{})
		if err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}

// TestNoticeRule: a district's escalation rule is the default until the office sets it, per
// district, each change audited.
func TestNoticeRule(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		if r, err := db.NoticeRule(ctx, "门头沟区"); err != nil || r != xiezuo.DefaultEscalation {
			t.Errorf("NoticeRule before any = %v, %v; want the default", r, err)
		}
		if err := db.SetNoticeRule(ctx, "门头沟区", xiezuo.EscalationRule{LeaderDays: 5}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetNoticeRule(ctx, "门头沟区", xiezuo.EscalationRule{LeaderDays: 31}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetNoticeRule(31) = %v, want EINVALID", err)
		}
		if r, err := db.NoticeRule(ctx, "门头沟区"); err != nil || r.LeaderDays != 5 {
			t.Errorf("NoticeRule = %v, %v; want 5 days", r, err)
		}
		if r, _ := db.NoticeRule(ctx, "房山区"); r != xiezuo.DefaultEscalation {
			t.Errorf("NoticeRule of another district = %v, want the default", r)
		}
		es, _, err := db.SearchAudit(ctx, AuditFilter{Action: AuditSettingSet})
		if err != nil || len(es) != 1 {
			t.Errorf("audit entries of the rule = %d, %v; want 1", len(es), err)
		}
	})
}
