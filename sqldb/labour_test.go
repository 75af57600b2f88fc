package sqldb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/vault"
)

func labourCtx(t testing.TB) context.Context {
	ctx := WithActor(t.Context(), Actor{UserID: 5, Username: "renshe", Unit: "区人力社保局", IP: "127.0.0.1"})
	return WithFactTime(ctx, time.Date(2021, 9, 1, 2, 0, 0, 0, time.UTC))
}

func labourDB(t *testing.T, f func(t *testing.T, db *DB)) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.SetSealer(testSealer(t))
		f(t, db)
	})
}

// importPeople imports people as rows 2, 3, … of a file, with the reader's bad rows errs.
func importPeople(t *testing.T, ctx context.Context, db *DB, district string, list xiezuo.LabourList, people []xiezuo.LabourPerson,
	skipBad bool, errs []xiezuo.LabourRowError) (LabourImportResult, []string) {
	t.Helper()
	var late []string
	imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: district, List: list, FileName: "名单.xlsx",
		SkipBad: skipBad, OnProblem: func(row int, msg string) { late = append(late, msg) }})
	if err != nil {
		t.Fatalf("BeginLabourImport = %v", err)
	}
	var problems []string
	for i := range people {
		p, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &people[i]})
		if err != nil {
			t.Fatalf("Add(row %d) = %v", i+2, err)
		}
		if p != "" {
			problems = append(problems, p)
		}
		imp.Progress(i+1, len(people))
	}
	res, err := imp.Finish(ctx, errs, nil)
	if err != nil {
		t.Fatalf("Finish = %v", err)
	}
	return res, append(problems, late...)
}

func countLabourRows(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLabourImportUpdatesByID(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		people := []xiezuo.LabourPerson{genPerson(1), genPerson(2), genPerson(3)}
		res, _ := importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, false, nil)
		if res.State != "done" || res.Added != 3 || res.Rows != 3 {
			t.Fatalf("first import = %+v, want done with 3 added", res)
		}
		res, _ = importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, false, nil)
		if res.Added != 0 || res.Updated != 0 || res.Unchanged != 3 {
			t.Errorf("same file again = %+v, want 3 unchanged", res)
		}
		people[1].Phone = "13900000002"
		people = append(people, genPerson(4))
		res, _ = importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, false, nil)
		if res.Added != 1 || res.Updated != 1 || res.Unchanged != 2 {
			t.Errorf("changed file = %+v, want 1 added, 1 updated, 2 unchanged", res)
		}
		for table, want := range map[string]int{"labour_people": 4, "labour_entries": 4, "labour_entry_history": 1} {
			if n := countLabourRows(t, db, table); n != want {
				t.Errorf("%s holds %d rows, want %d", table, n, want)
			}
		}
		page, err := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Q: "13900000002"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Rows) != 1 || page.Rows[0].Phone != "139****0002" || page.Rows[0].IDMasked != vault.MaskID(people[1].IDNumber) {
			t.Errorf("LabourPeople(by new phone) = %+v, want the updated person, masked", page.Rows)
		}
		st, err := db.LabourImports(ctx, "门头沟区", 0)
		if err != nil || len(st) != 3 || st[0].State != "done" || st[0].Added != 1 || st[0].Updated != 1 || st[0].By != "renshe（区人力社保局）" {
			t.Errorf("LabourImports = %+v, %v; want 3 imports, newest first", st, err)
		}
	})
}

func TestLabourSamePersonTwoDistricts(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		a, b := genPerson(7), genPerson(7)
		b.Phone = "13700000007"
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, []xiezuo.LabourPerson{a}, false, nil)
		importPeople(t, ctx, db, "海淀区", xiezuo.ListWilling, []xiezuo.LabourPerson{b}, false, nil)
		if n := countLabourRows(t, db, "labour_people"); n != 1 {
			t.Fatalf("labour_people holds %d rows, want 1 (one person)", n)
		}
		page, err := db.LabourPeople(ctx, LabourFilter{District: "海淀区", List: xiezuo.ListWilling})
		if err != nil || len(page.Rows) != 1 {
			t.Fatalf("LabourPeople(海淀区) = %+v, %v", page, err)
		}
		v, err := db.LabourPerson(ctx, "海淀区", page.Rows[0].PersonID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Entries) != 1 || v.Entries[0].Phone != "137****0007" || v.Other != 1 {
			t.Errorf("LabourPerson(海淀区) = entries %+v, other %d; want its own entry only and 1 other district", v.Entries, v.Other)
		}
		if _, err := db.LabourPerson(ctx, "西城区", page.Rows[0].PersonID, nil); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("LabourPerson(西城区) = %v, want ENOTFOUND", err)
		}
		if _, err := db.LabourPerson(ctx, "海淀区", page.Rows[0].PersonID, []string{"贵州三穗县"}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("LabourPerson(海淀区, another region) = %v, want ENOTFOUND", err)
		}
	})
}

func TestLabourRefusedAndSkipBad(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		people := []xiezuo.LabourPerson{genPerson(1), genPerson(2), genPerson(1), genPerson(3)}
		bad := []xiezuo.LabourRowError{{Row: 7, Message: "第7行“身份证号”：校验位不符"}}
		res, problems := importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, false, bad)
		want := "第4行“身份证号”：与第2行身份证号重复（" + vault.MaskID(people[0].IDNumber) + "）"
		if diff := cmp.Diff([]string{want}, problems); diff != "" {
			t.Errorf("Add problems (-want +got):\n%s", diff)
		}
		if res.State != "refused" || res.Imported() != 0 || res.Rows != 5 || len(res.Errors) != 2 || res.Errors[0].Row != 4 || res.Errors[1].Row != 7 {
			t.Errorf("refused import = %+v, want refused, 5 rows, errors of rows 4 and 7", res)
		}
		for _, table := range []string{"labour_people", "labour_entries", "labour_entry_counts WHERE n <> 0"} {
			if n := countLabourRows(t, db, table); n != 0 {
				t.Errorf("after a refused import %s holds %d rows, want none", table, n)
			}
		}
		st, err := db.LabourImportProgress(ctx, res.ID)
		if err != nil || st.State != "refused" || st.Bad != 2 || len(st.Errors) != 2 || st.Message == "" {
			t.Errorf("LabourImportProgress(refused) = %+v, %v", st, err)
		}
		res, _ = importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, true, bad)
		if res.State != "done" || res.Added != 3 || len(res.Errors) != 2 {
			t.Errorf("skip-bad import = %+v, want 3 added and 2 bad rows", res)
		}
		if n := countLabourRows(t, db, "labour_entries"); n != 3 {
			t.Errorf("labour_entries holds %d rows, want 3", n)
		}
	})
}

func TestLabourNameConflict(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		p := genPerson(11)
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, []xiezuo.LabourPerson{p}, false, nil)
		q := p
		q.Name = "欧阳修"
		res, late := importPeople(t, ctx, db, "海淀区", xiezuo.ListWorkers, []xiezuo.LabourPerson{genPerson(12), q}, false, nil)
		if res.State != "refused" || len(res.Errors) != 1 || res.Errors[0].Row != 3 || len(late) != 1 {
			t.Fatalf("import of a known ID under another name = %+v (told %q), want row 3 refused", res, late)
		}
		msg := res.Errors[0].Message
		if !strings.Contains(msg, "欧**") || strings.Contains(msg, p.IDNumber) || strings.Contains(msg, "欧阳修") {
			t.Errorf("conflict message %q: want the names masked, no ID number", msg)
		}
		res, _ = importPeople(t, ctx, db, "海淀区", xiezuo.ListWorkers, []xiezuo.LabourPerson{genPerson(12), q}, true, nil)
		if res.Added != 1 || len(res.Errors) != 1 {
			t.Errorf("skip-bad import with a conflict = %+v, want 1 added, 1 bad", res)
		}
	})
}

func TestLabourRevealAudited(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		p := genPerson(22)
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, []xiezuo.LabourPerson{p}, false, nil)
		page, err := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers})
		if err != nil || len(page.Rows) != 1 {
			t.Fatalf("LabourPeople = %+v, %v", page, err)
		}
		r := page.Rows[0]
		if r.IDMasked != vault.MaskID(p.IDNumber) || r.Details["income"] != "****" {
			t.Errorf("row = %+v, want ID and income masked", r)
		}
		for field, want := range map[string]string{RevealID: p.IDNumber, RevealPhone: p.Phone, RevealIncome: xiezuo.FormatYuan(p.Income)} {
			got, err := db.RevealLabour(ctx, "门头沟区", r.EntryID, field)
			if err != nil || got != want {
				t.Errorf("RevealLabour(%s) = %q, %v; want %q", field, got, err, want)
			}
		}
		if _, err := db.RevealLabour(ctx, "海淀区", r.EntryID, RevealID); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RevealLabour(another district) = %v, want ENOTFOUND", err)
		}
		entries, n, err := db.SearchAudit(ctx, AuditFilter{Action: AuditLabourReveal})
		if err != nil || n != 3 {
			t.Fatalf("SearchAudit(reveal) = %d entries, %v; want 3", n, err)
		}
		for _, e := range entries {
			text := e.Detail + e.ObjectLabel + e.Before + e.After
			if strings.Contains(text, p.IDNumber) || strings.Contains(text, p.Phone) || e.Username != "renshe" {
				t.Errorf("reveal audit entry %+v holds the value or not the actor", e)
			}
		}
		var rows []LabourPersonRow
		if err := db.EachLabourPerson(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers}, true, func(r LabourPersonRow) error {
			rows = append(rows, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].IDMasked != p.IDNumber || rows[0].Phone != p.Phone {
			t.Errorf("EachLabourPerson(reveal) = %+v, want plain values", rows)
		}
		if _, n, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditLabourExport}); n != 1 {
			t.Errorf("unmasked export audited %d times, want 1", n)
		}
	})
}

func TestLabourFiltersAndCounts(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		var people []xiezuo.LabourPerson
		for i := range 40 {
			people = append(people, genPerson(i))
		}
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWilling, people, false, nil)
		importPeople(t, ctx, db, "海淀区", xiezuo.ListWilling, people[:5], false, nil)
		count := func(f func(xiezuo.LabourPerson) bool) int {
			n := 0
			for _, p := range people {
				if f(p) {
					n++
				}
			}
			return n
		}
		tests := []struct {
			name string
			f    LabourFilter
			want int
		}{
			{"all", LabourFilter{}, 40},
			{"region", LabourFilter{Region: "贵州三穗县"}, count(func(p xiezuo.LabourPerson) bool { return p.Region == "贵州三穗县" })},
			{"town", LabourFilter{Town: "150125101"}, count(func(p xiezuo.LabourPerson) bool { return p.HomeCode == "150125101" })},
			{"poor", LabourFilter{Poor: xiezuo.PoorLifted}, count(func(p xiezuo.LabourPerson) bool { return p.Poor != "" })},
			{"not poor", LabourFilter{Poor: "否"}, count(func(p xiezuo.LabourPerson) bool { return p.Poor == "" })},
			{"region and poor", LabourFilter{Region: "内蒙古武川县", Poor: xiezuo.PoorLifted},
				count(func(p xiezuo.LabourPerson) bool { return p.Region == "内蒙古武川县" && p.Poor != "" })},
			{"skill", LabourFilter{Skill: "焊工"}, count(func(p xiezuo.LabourPerson) bool { return slices.Contains(p.Skills, "焊工") })},
			{"skill outside the catalogue", LabourFilter{Skill: "工"},
				count(func(p xiezuo.LabourPerson) bool { return strings.Contains(strings.Join(p.Skills, ""), "工") })},
			{"status", LabourFilter{Status: LabourWaiting}, 40},
			{"status none", LabourFilter{Status: LabourPlaced}, 0},
			{"scope", LabourFilter{Regions: []string{"贵州从江县"}}, count(func(p xiezuo.LabourPerson) bool { return p.Region == "贵州从江县" })},
			{"empty scope", LabourFilter{Regions: []string{}}, 0},
			{"name", LabourFilter{Q: "王"}, count(func(p xiezuo.LabourPerson) bool { return strings.HasPrefix(p.Name, "王") })},
			{"ID", LabourFilter{Q: strings.ToLower(people[13].IDNumber)}, 1},
			{"phone", LabourFilter{Q: "+86 " + people[17].Phone}, 1},
		}
		for _, tc := range tests {
			f := tc.f
			f.District, f.List, f.PerPage = "门头沟区", xiezuo.ListWilling, 7
			page, err := db.LabourPeople(ctx, f)
			if err != nil {
				t.Fatalf("%s: LabourPeople = %v", tc.name, err)
			}
			sum := func(cs []LabourCount) int {
				n := 0
				for _, c := range cs {
					n += c.N
				}
				return n
			}
			if page.Total != tc.want || sum(page.ByStatus) != tc.want || sum(page.ByRegion) != tc.want || sum(page.ByPoor) != tc.want {
				t.Errorf("%s: total %d, by status %v, by region %v, by poor %v; want %d", tc.name, page.Total, page.ByStatus, page.ByRegion, page.ByPoor, tc.want)
			}
			if len(page.Rows) != min(tc.want, 7) {
				t.Errorf("%s: %d rows on the page, want %d", tc.name, len(page.Rows), min(tc.want, 7))
			}
		}
		page, _ := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWilling, Page: 6, PerPage: 7})
		if len(page.Rows) != 5 || page.Rows[0].Name != people[35].Name {
			t.Errorf("page 6 = %d rows from %q, want 5 from %q", len(page.Rows), page.Rows[0].Name, people[35].Name)
		}
		if _, err := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListJobs}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("LabourPeople(jobs) = %v, want EINVALID", err)
		}
	})
}

func importJobs(t *testing.T, ctx context.Context, db *DB, district string, jobs []xiezuo.LabourJob) LabourImportResult {
	t.Helper()
	imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: district, List: xiezuo.ListJobs, FileName: "岗位.csv", SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range jobs {
		if _, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Job: &jobs[i]}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := imp.Finish(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestLabourMatchesAndPlacements(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		people := []xiezuo.LabourPerson{genPerson(1), genPerson(2)}
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWilling, people, false, nil)
		importPeople(t, ctx, db, "海淀区", xiezuo.ListWilling, people, false, nil)
		job := xiezuo.LabourJob{Employer: "北京某建筑公司", CreditCode: "91350100M000100Y43", Post: "电工", Wanted: 2,
			PlaceCode: "110109", PayMin: 600000, PayMax: 800000, Skills: []string{"电工"}, Contact: "张经理",
			ContactPhone: "13811112222", End: xiezuo.NewDate(2021, time.December, 31)}
		job2 := job
		job2.Post, job2.Skills = "焊工", []string{"焊工"}
		if res := importJobs(t, ctx, db, "门头沟区", []xiezuo.LabourJob{job, job2, job}); res.Added != 2 || len(res.Errors) != 1 {
			t.Fatalf("jobs import = %+v, want 2 added and the third row a duplicate", res)
		}
		if res := importJobs(t, ctx, db, "门头沟区", []xiezuo.LabourJob{job, job2}); res.Unchanged != 2 {
			t.Errorf("jobs again = %+v, want 2 unchanged", res)
		}
		importJobs(t, ctx, db, "海淀区", []xiezuo.LabourJob{job})
		today := xiezuo.NewDate(2021, time.September, 1)
		ps, js, err := db.LabourMatchInput(ctx, "门头沟区", today)
		if err != nil || len(ps) != 2 || len(js) != 2 || js[0].Open != 2 || ps[0].WishPay != 500000 {
			t.Fatalf("LabourMatchInput = %+v, %+v, %v", ps, js, err)
		}
		if jobs, _ := db.LabourJobs(ctx, LabourFilter{District: "门头沟区"}); len(jobs.Rows) != 2 || jobs.Rows[0].Job.ContactPhone != "138****2222" {
			t.Errorf("LabourJobs = %+v, want 2 jobs, the contact's phone masked", jobs)
		}
		props := []xiezuo.MatchProposal{
			{EntryID: ps[0].EntryID, PersonID: ps[0].PersonID, JobID: js[0].JobID, Score: 90, Reasons: []string{"技能相符：电工", "工作地北京市"}},
			{EntryID: ps[1].EntryID, PersonID: ps[1].PersonID, JobID: js[1].JobID, Score: 60, Reasons: []string{"技能相符：焊工"}},
		}
		run, err := db.SaveLabourMatches(ctx, "门头沟区", props)
		if err != nil || run != 1 {
			t.Fatalf("SaveLabourMatches = %d, %v; want run 1", run, err)
		}
		_, hjs, _ := db.LabourMatchInput(ctx, "海淀区", today)
		if _, err := db.SaveLabourMatches(ctx, "门头沟区", []xiezuo.MatchProposal{{EntryID: ps[0].EntryID, PersonID: ps[0].PersonID, JobID: hjs[0].JobID}}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SaveLabourMatches(another district's job) = %v, want EINVALID", err)
		}
		ms, err := db.LabourMatches(ctx, "门头沟区", MatchWaiting, 0, 0)
		if err != nil || len(ms) != 2 || ms[0].Score != 90 || ms[0].Reasons[0] != "技能相符：电工" {
			t.Fatalf("LabourMatches = %+v, %v", ms, err)
		}
		if page, _ := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWilling, Status: LabourProposed}); page.Total != 2 {
			t.Errorf("entries 已推荐 = %d, want 2", page.Total)
		}
		m := ms[0]
		if m, err = db.ConfirmLabourMatch(ctx, "门头沟区", m.ID, MatchEventOffice, ""); err != nil || m.State != MatchOffice {
			t.Fatalf("confirm office = %+v, %v", m, err)
		}
		if _, err := db.ConfirmLabourMatch(ctx, "门头沟区", m.ID, MatchEventOffice, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("confirm office twice = %v, want ECONFLICT", err)
		}
		if m, err = db.ConfirmLabourMatch(ctx, "门头沟区", m.ID, MatchEventEmployer, "张经理电话确认"); err != nil || m.State != MatchBoth {
			t.Fatalf("confirm employer = %+v, %v", m, err)
		}
		if _, err := db.ConfirmLabourMatch(ctx, "海淀区", m.ID, MatchEventOffice, ""); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("confirm from another district = %v, want ENOTFOUND", err)
		}
		d, err := db.ConfirmLabourMatch(ctx, "门头沟区", ms[1].ID, MatchEventDecline, "本人已在当地就业")
		if err != nil || d.State != MatchDeclined {
			t.Fatalf("decline = %+v, %v", d, err)
		}
		if _, err := db.ConfirmLabourMatch(ctx, "门头沟区", d.ID, MatchEventOffice, ""); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("confirm a declined match = %v, want ECONFLICT", err)
		} else if !strings.Contains(xiezuo.ErrorMessage(err), "已放弃") {
			t.Errorf("confirm a declined match: message %q", xiezuo.ErrorMessage(err))
		}
		// Placements.
		hps, _, _ := db.LabourMatchInput(ctx, "海淀区", today)
		if _, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "海淀区", PersonID: hps[0].PersonID, MatchID: m.ID,
			Start: today}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("placement from another district's match = %v, want ECONFLICT", err)
		}
		pl, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: m.PersonID, MatchID: m.ID,
			Start: today, Pay: 650000})
		if err != nil {
			t.Fatal(err)
		}
		if pl.Employer != job.Employer || pl.JobID != js[0].JobID || pl.Poor != people[0].Poor || pl.Region != people[0].Region ||
			pl.Source != xiezuo.PlacementFromMatch || pl.RecordedBy != "renshe（区人力社保局）" {
			t.Errorf("placement = %+v, want the job's employer and the entry's poor flag and region", pl)
		}
		status := func(person int64) string {
			v, err := db.LabourPerson(ctx, "门头沟区", person, nil)
			if err != nil {
				t.Fatal(err)
			}
			return v.Entries[0].Status
		}
		if s := status(m.PersonID); s != LabourPlaced {
			t.Errorf("status after placement = %q, want %q", s, LabourPlaced)
		}
		for _, skill := range []string{"焊工", "普工"} { // counted by skill through the status's change
			f := LabourFilter{District: "门头沟区", List: xiezuo.ListWilling, Skill: skill}
			f.Status = LabourPlaced
			placed, _ := db.LabourPeople(ctx, f)
			f.Status = LabourProposed
			proposed, _ := db.LabourPeople(ctx, f)
			if placed.Total != 1 || proposed.Total != 0 {
				t.Errorf("%s: %d placed, %d proposed; want 1 and 0", skill, placed.Total, proposed.Total)
			}
		}
		if s := status(ms[1].PersonID); s != LabourWaiting {
			t.Errorf("status after decline = %q, want %q", s, LabourWaiting)
		}
		jobs, _ := db.LabourJobs(ctx, LabourFilter{District: "门头沟区", Skill: "电工"})
		if len(jobs.Rows) != 1 || jobs.Rows[0].Placed != 1 || jobs.Rows[0].Open != 1 {
			t.Errorf("job after placement = %+v, want 1 placed, 1 open", jobs.Rows)
		}
		if got, _ := db.LabourMatches(ctx, "门头沟区", MatchPlaced, 0, 0); len(got) != 1 {
			t.Errorf("matches 已就业 = %d, want 1", len(got))
		}
		// An end in the past supersedes it: no longer at work.
		end := pl
		end.ID, end.Supersedes, end.End, end.Reason = 0, pl.ID, xiezuo.NewDate(2021, time.August, 31), "离岗"
		end.Start = xiezuo.NewDate(2021, time.June, 1)
		ended, err := db.RecordPlacement(ctx, end)
		if err != nil {
			t.Fatal(err)
		}
		if s := status(m.PersonID); s != LabourWaiting {
			t.Errorf("status after the end = %q, want %q", s, LabourWaiting)
		}
		if _, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: m.PersonID, Employer: "别的公司",
			Start: today, Supersedes: pl.ID, Reason: "更正"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("superseding a superseded row = %v, want ECONFLICT", err)
		}
		if _, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: m.PersonID, Employer: "别的公司",
			Start: today, Supersedes: ended.ID}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("a correction without a reason = %v, want EINVALID", err)
		}
		v, _ := db.LabourPerson(ctx, "门头沟区", m.PersonID, nil)
		if len(v.Placements) != 2 || v.Placements[1].Supersedes != pl.ID || len(v.Matches) != 1 {
			t.Errorf("person's page = %d placements, %d matches; want 2 and 1", len(v.Placements), len(v.Matches))
		}
		w, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: m.PersonID, Employer: ended.Employer,
			Start: ended.Start, Supersedes: ended.ID, Withdrawn: true, Reason: "登记错误"})
		if err != nil || !w.Withdrawn {
			t.Fatalf("withdrawal = %+v, %v", w, err)
		}
		v, _ = db.LabourPerson(ctx, "门头沟区", m.PersonID, nil)
		if len(v.Placements) != 3 || !v.Placements[2].Withdrawn || v.Placements[1].Withdrawn {
			t.Errorf("placements after the withdrawal = %+v, want the third withdrawn", v.Placements)
		}
		if _, n, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditLabourPlacement}); n != 3 {
			t.Errorf("placements audited %d times, want 3", n)
		}
		if _, n, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditLabourConfirm}); n != 3 {
			t.Errorf("confirmations audited %d times, want 3", n)
		}
	})
}

// TestLabourNoPlainPersonalData imports, updates, reveals, exports and places, then looks for
// the plain ID numbers and phones in every byte the database keeps.
func TestLabourNoPlainPersonalData(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		var people []xiezuo.LabourPerson
		for i := range 30 {
			people = append(people, genPerson(1000+i))
		}
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, false, nil)
		dup := append(slices.Clone(people[:3]), people[0])
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWilling, dup, true, nil) // a duplicate row's message
		conflict := people[5]
		conflict.Name = "冒名"
		importPeople(t, ctx, db, "海淀区", xiezuo.ListWilling, []xiezuo.LabourPerson{conflict}, true, nil)
		people[4].Phone = "13500009999"
		importPeople(t, ctx, db, "门头沟区", xiezuo.ListWorkers, people, false, nil) // history
		page, _ := db.LabourPeople(ctx, LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Q: people[2].IDNumber})
		if len(page.Rows) != 1 {
			t.Fatalf("search by ID = %d rows, want 1", len(page.Rows))
		}
		if _, err := db.RevealLabour(ctx, "门头沟区", page.Rows[0].EntryID, RevealID); err != nil {
			t.Fatal(err)
		}
		importJobs(t, ctx, db, "门头沟区", []xiezuo.LabourJob{{Employer: "某公司", Post: "保洁", Wanted: 1, ContactPhone: "13622223333"}})
		if _, err := db.RecordPlacement(ctx, xiezuo.Placement{District: "门头沟区", PersonID: page.Rows[0].PersonID,
			Employer: "某公司", Start: xiezuo.NewDate(2021, time.August, 1), Pay: 500000}); err != nil {
			t.Fatal(err)
		}
		secrets := []string{"13500009999", "13622223333"}
		for _, p := range people {
			secrets = append(secrets, p.IDNumber, p.Phone)
		}
		secrets = append(secrets, genPerson(1000).Phone, genPerson(1004).Phone)
		var blobs [][]byte
		if db.dialect.name == "sqlite" {
			for _, suffix := range []string{"", "-wal"} {
				b, err := os.ReadFile(db.dsn + suffix)
				if err != nil && !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
				blobs = append(blobs, b)
			}
			if len(blobs[0])+len(blobs[1]) == 0 {
				t.Fatal("the SQLite files are empty")
			}
		} else {
			var tables []string
			err := each(ctx, db.db, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`, nil,
				func(rows *sql.Rows) error {
					var n string
					err := rows.Scan(&n)
					tables = append(tables, n)
					return err
				})
			if err != nil || !slices.Contains(tables, "audit_log") {
				t.Fatalf("tables = %v, %v", tables, err)
			}
			for _, table := range tables {
				err := each(ctx, db.db, `SELECT t::text FROM `+table+` t`, nil, func(rows *sql.Rows) error {
					var s string
					err := rows.Scan(&s)
					blobs = append(blobs, []byte(s))
					return err
				})
				if err != nil {
					t.Fatalf("read %s: %v", table, err)
				}
			}
		}
		all := bytes.Join(blobs, []byte{0})
		if !bytes.Contains(all, []byte("门头沟区")) {
			t.Fatal("the database's bytes do not hold the district's name: the search reads the wrong thing")
		}
		for _, s := range secrets {
			if bytes.Contains(all, []byte(s)) {
				t.Errorf("the database holds %s in plain text", vault.MaskOther(s))
			}
		}
	})
}
