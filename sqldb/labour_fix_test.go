package sqldb

import (
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// TestLabourRevealIncomeInYuan pins RevealLabour's answer for an income: the number of yuan
// per month, without a unit (760000 fen → "7600"), for the page to print as “7600 元/月”.
func TestLabourRevealIncomeInYuan(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		p := genPerson(31)
		p.Income = 760000 // 7600 元/月
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, []xiezuo.LabourPerson{p}, false, nil)
		page, err := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers})
		if err != nil || len(page.Rows) != 1 {
			t.Fatalf("LabourPeople = %+v, %v", page, err)
		}
		if got, err := db.RevealLabour(ctx, "门头沟区", page.Rows[0].EntryID, RevealIncome); err != nil || got != "7600" {
			t.Errorf("RevealLabour(income of 7600 元) = %q, %v; want \"7600\"", got, err)
		}
		p.Income = 512345 // 5123.45 元
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, []xiezuo.LabourPerson{p}, false, nil)
		if got, _ := db.RevealLabour(ctx, "门头沟区", page.Rows[0].EntryID, RevealIncome); got != "5123.45" {
			t.Errorf("RevealLabour(income of 5123.45 元) = %q, want \"5123.45\"", got)
		}
	})
}

// TestLabourNotesMasked: a phone or ID number typed in a confirmation's note or a placement's
// reason is stored and audited masked.
func TestLabourNotesMasked(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		people := []xiezuo.LabourPerson{genPerson(41), genPerson(42)}
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWilling, people, false, nil)
		job := xiezuo.LabourJob{Employer: "北京某建筑公司", CreditCode: "91350100M000100Y43", Post: "电工", Wanted: 2,
			PlaceCode: "110109", PayMin: 600000, PayMax: 800000, Skills: []string{"电工"}, Contact: "张经理",
			ContactPhone: "13811112222", End: xiezuo.NewDate(2021, time.December, 31)}
		importJobs(t, ctx, db, "门头沟区", []xiezuo.LabourJob{job})
		today := xiezuo.NewDate(2021, time.September, 1)
		ps, js, err := db.LabourMatchInput(ctx, "门头沟区", today)
		if err != nil || len(ps) != 2 || len(js) != 1 {
			t.Fatalf("LabourMatchInput = %+v, %+v, %v", ps, js, err)
		}
		if _, err := db.SaveLabourMatches(ctx, "门头沟区", []xiezuo.MatchProposal{
			{EntryID: ps[0].EntryID, PersonID: ps[0].PersonID, JobID: js[0].JobID, Score: 90, Reasons: []string{"技能相符：电工"}},
			{EntryID: ps[1].EntryID, PersonID: ps[1].PersonID, JobID: js[0].JobID, Score: 80, Reasons: []string{"技能相符：电工"}},
		}); err != nil {
			t.Fatal(err)
		}
		ms, err := db.LabourMatches(ctx, "门头沟区", MatchWaiting, 0, 0)
		if err != nil || len(ms) != 2 {
			t.Fatalf("LabourMatches = %+v, %v", ms, err)
		}
		const plainPhone, plainID = "13911112222", "110105194912310020"
		m, err := db.ConfirmLabourMatch(ctx, "门头沟区", ms[0].ID, MatchEventEmployer, "李经理 "+plainPhone+" 电话确认")
		if err != nil {
			t.Fatalf("confirm employer = %v", err)
		}
		if _, err := db.ConfirmLabourMatch(ctx, "门头沟区", ms[1].ID, MatchEventDecline, "身份证"+plainID+"有误，请核对"); err != nil {
			t.Fatalf("decline = %v", err)
		}
		var notes []string
		for _, x := range mustMatches(t, db) {
			for _, e := range x.Events {
				notes = append(notes, e.Note)
			}
		}
		joined := strings.Join(notes, "|")
		if !strings.Contains(joined, "李经理 139****2222 电话确认") || !strings.Contains(joined, "身份证110***********0020有误") {
			t.Errorf("notes = %q, want the phone and the ID number masked", notes)
		}
		pl, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: m.PersonID, MatchID: m.ID, Start: today})
		if err != nil {
			t.Fatalf("RecordPlacement = %v", err)
		}
		if _, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: m.PersonID, MatchID: m.ID,
			Start: today, Supersedes: pl.ID, Reason: "单位联系人 139 1111 2222 告知日期有误"}); err != nil {
			t.Fatalf("RecordPlacement(correction) = %v", err)
		}
		got, err := db.LabourPlacements(ctx, "门头沟区", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range got {
			if strings.Contains(p.Reason, "1111") {
				t.Errorf("placement reason %q keeps the phone", p.Reason)
			}
			found = found || strings.Contains(p.Reason, "139****2222")
		}
		if !found {
			t.Errorf("placements = %+v, want the reason with the phone masked", got)
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			all := e.Before + e.After + e.Detail + e.ObjectLabel
			if strings.Contains(all, plainPhone) || strings.Contains(all, plainID) || strings.Contains(all, "1111 2222") {
				t.Errorf("audit %s %s carries a plain number: %s", e.Action, e.ObjectID, all)
			}
		}
	})
}

func mustMatches(t *testing.T, db *DB) []LabourMatch {
	t.Helper()
	ms, err := db.LabourMatches(labourCtx(t), "门头沟区", "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestLabourPlacementPayKept: a correction that leaves the pay blank (the edit form cannot show
// the sealed pay) keeps the superseded row's pay; a withdrawal does not carry it.
func TestLabourPlacementPayKept(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWilling, []xiezuo.LabourPerson{genPerson(51)}, false, nil)
		ps, _, err := db.LabourMatchInput(ctx, "门头沟区", xiezuo.NewDate(2021, time.September, 1))
		if err != nil || len(ps) != 1 {
			t.Fatalf("LabourMatchInput = %+v, %v", ps, err)
		}
		start := xiezuo.NewDate(2021, time.September, 1)
		first, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: ps[0].PersonID,
			Employer: "北京某物业公司", PlaceCode: "110109", Start: start, Pay: 500000})
		if err != nil {
			t.Fatal(err)
		}
		fix, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: ps[0].PersonID,
			Employer: "北京某物业公司", PlaceCode: "110109", Start: start, Supersedes: first.ID, Reason: "岗位名称更正"})
		if err != nil {
			t.Fatal(err)
		}
		pay := func(id int64) string {
			var b []byte
			if err := db.db.QueryRowContext(ctx, `SELECT pay_sealed FROM labour_placements WHERE id = $1`, id).Scan(&b); err != nil {
				t.Fatal(err)
			}
			if b == nil {
				return ""
			}
			v, err := db.openLabour(b, fieldLabourPay)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if got := pay(fix.ID); got != "500000" {
			t.Errorf("corrected placement's pay = %q, want the first row's 500000 fen kept", got)
		}
		gone, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: ps[0].PersonID,
			Employer: "北京某物业公司", Start: start, Supersedes: fix.ID, Withdrawn: true, Reason: "登记有误"})
		if err != nil {
			t.Fatal(err)
		}
		if got := pay(gone.ID); got != "" {
			t.Errorf("withdrawal's pay = %q, want none", got)
		}
	})
}
