package sqldb

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

func store2021(t *testing.T, db *DB) {
	t.Helper()
	r, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil || !r.OK() {
		t.Fatalf("parse 2021 plan: %v", err)
	}
	mustImport(t, db, r.Plan, sample.Plan2021)
}

// TestIndicatorVersions: the shipped set overlaid by saved versions, as of a moment; a bad
// indicator is refused naming its field; a withdrawal needs a reason and leaves the code out;
// a copy moves the dates by whole years and is refused once the year has its own versions;
// each write is audited.
func TestIndicatorVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		t1 := time.Date(2021, 7, 1, 2, 0, 0, 0, time.UTC)
		set, err := db.IndicatorSet(ctx, "门头沟区", 2021, time.Time{})
		if err != nil || len(set) != len(xiezuo.ShippedIndicators(2021)) {
			t.Fatalf("IndicatorSet = %d, %v", len(set), err)
		}
		in := set[len(set)-1] // xx-05 媒体报道
		six := 6.0
		in.Target = &six
		if err := db.SaveIndicator(WithFactTime(ctx, t1), "门头沟区", 2021, in, "提高目标"); err != nil {
			t.Fatal(err)
		}
		bad := in
		bad.Formula = "count(meeting)"
		if err := db.SaveIndicator(ctx, "门头沟区", 2021, bad, ""); xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(err.Error(), "公式：第7个字符") {
			t.Errorf("SaveIndicator(bad formula) = %v", err)
		}
		bad = in
		bad.Units = []string{"区教育委"}
		if err := db.SaveIndicator(ctx, "门头沟区", 2021, bad, ""); err == nil || !strings.Contains(err.Error(), "区教委") {
			t.Errorf("SaveIndicator(unknown unit) = %v, want the near name 区教委", err)
		}
		added := xiezuo.Indicator{Code: "xx-06", Name: "市级以上媒体报道", Dimension: "信息宣传", Formula: `count(media where level in ("中央级", "市级"))`,
			Compare: ">=", Target: &six, Unit: "篇", Due: "2021-12-31", Missing: "zero"}
		if err := db.SaveIndicator(WithFactTime(ctx, t1.Add(time.Hour)), "门头沟区", 2021, added, "新增"); err != nil {
			t.Fatal(err)
		}
		if err := db.WithdrawIndicator(ctx, "门头沟区", 2021, "zzld-16", ""); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("WithdrawIndicator without reason = %v", err)
		}
		if err := db.WithdrawIndicator(WithFactTime(ctx, t1.Add(2*time.Hour)), "门头沟区", 2021, "zzld-16", "本区无社会组织结对任务"); err != nil {
			t.Fatal(err)
		}
		if err := db.WithdrawIndicator(ctx, "门头沟区", 2021, "nope", "x"); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("WithdrawIndicator(unknown) = %v", err)
		}
		now, _ := db.IndicatorSet(ctx, "门头沟区", 2021, time.Time{})
		before, _ := db.IndicatorSet(ctx, "门头沟区", 2021, t1.Add(-time.Minute))
		mid, _ := db.IndicatorSet(ctx, "门头沟区", 2021, t1.Add(90*time.Minute))
		if len(before) != len(set) || *before[len(before)-1].Target != 1 {
			t.Errorf("set before the changes: %d indicators", len(before))
		}
		if len(mid) != len(set)+1 || len(now) != len(set) {
			t.Errorf("sets: mid %d, now %d, want %d and %d", len(mid), len(now), len(set)+1, len(set))
		}
		last := now[len(now)-1]
		if last.Code != "xx-06" || now[len(now)-2].Code != "xx-05" || *now[len(now)-2].Target != 6 {
			t.Errorf("set now ends %s %s", now[len(now)-2].Code, last.Code)
		}
		for _, in := range now {
			if in.Code == "zzld-16" {
				t.Errorf("withdrawn zzld-16 still in the set")
			}
		}
		// Copy to 2022: dates move one year; a second copy is refused.
		n, err := db.CopyIndicators(ctx, "门头沟区", 2021, 2022)
		if err != nil || n != len(now) {
			t.Fatalf("CopyIndicators = %d, %v", n, err)
		}
		next, _ := db.IndicatorSet(ctx, "门头沟区", 2022, time.Time{})
		if len(next) != n || next[0].Due != "2022-06-30" || next[1].From != "2022-07-01" {
			t.Errorf("copied set: %d, first due %s, second from %s", len(next), next[0].Due, next[1].From)
		}
		if _, err := db.CopyIndicators(ctx, "门头沟区", 2021, 2022); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("second CopyIndicators = %v", err)
		}
		if empty, err := db.IndicatorSet(ctx, "门头沟区", 2023, time.Time{}); err != nil || len(empty) != 0 {
			t.Errorf("IndicatorSet(2023) = %d, %v", len(empty), err)
		}
		got, _, err := db.SearchAudit(ctx, AuditFilter{Actions: []string{AuditIndicatorSave, AuditIndicatorWithdraw, AuditIndicatorCopy}})
		if err != nil || len(got) != 4 {
			t.Errorf("audit: %d entries, %v; want 4", len(got), err)
		}
	})
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}

// TestScoreDataAsOf: ScoreData reads the entries as they stood at the moment asked; a
// scorecard over it counts them; the city copy reads the same and reloads after a write.
func TestScoreDataAsOf(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		t1 := time.Date(2021, 3, 13, 2, 0, 0, 0, time.UTC)
		m := xiezuo.RegisterEntry{Kind: xiezuo.RegMeeting, On: xiezuo.NewDate(2021, 3, 12), Unit: "领导小组办公室", At: t1,
			Values: map[string]string{"kind": "区委书记或区长研究部署会", "date": "2021-03-12", "title": "部署会", "chair": "区长", "unit": "领导小组办公室"}}
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{m}); err != nil {
			t.Fatal(err)
		}
		set, _ := db.IndicatorSet(ctx, "门头沟区", 2021, time.Time{})
		value := func(d xiezuo.ScoreData) string {
			c := xiezuo.Score(set, d, xiezuo.NewDate(2021, 6, 30), xiezuo.ByDimension)
			return c.Rows()[0].Value.String() + " " + string(c.Rows()[0].Light)
		}
		before, err := db.ScoreData(ctx, "门头沟区", 2021, t1.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		after, err := db.ScoreData(ctx, "门头沟区", 2021, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if got := value(before); got != "0 red" {
			t.Errorf("before the meeting: %s, want 0 red", got)
		}
		if got := value(after); got != "1 green" {
			t.Errorf("after the meeting: %s, want 1 green", got)
		}
		if after.Prior != nil || len(after.Plan.Projects) != 16 {
			t.Errorf("ScoreData: prior %v, %d projects", after.Prior, len(after.Plan.Projects))
		}
		// With the year before stored, it is the Prior (不低于上年 measures it).
		r, _ := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
		r.Plan.Year = 2020
		content := append([]byte("2020\n"), sample.Plan2021...)
		sum := sha256.Sum256(content)
		r.Plan.Source.SHA256 = hex.EncodeToString(sum[:])
		mustImport(t, db, r.Plan, content)
		withPrior, err := db.ScoreData(ctx, "门头沟区", 2021, time.Time{})
		if err != nil || withPrior.Prior == nil || withPrior.Prior.Plan.Year != 2020 || len(withPrior.Prior.Entries) != 1 {
			t.Errorf("ScoreData with 2020 stored: prior %v, %v", withPrior.Prior != nil, err)
		}
		city, err := db.CityScoreData(ctx, []string{"门头沟区"}, []int{2020, 2021}, time.Time{})
		if err != nil || len(city) != 2 || value(city[1].Data) != "1 green" || len(city[1].Set) != len(set) ||
			city[1].Data.Prior == nil || city[1].Data.Prior.Plan.Year != 2020 || city[0].Data.Prior != nil {
			t.Fatalf("CityScoreData = %d, %v", len(city), err)
		}
		m.Values["date"], m.On, m.At = "2021-04-12", xiezuo.NewDate(2021, 4, 12), t1.Add(24*time.Hour)
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{m}); err != nil {
			t.Fatal(err)
		}
		city, _ = db.CityScoreData(ctx, []string{"门头沟区"}, []int{2021}, time.Time{})
		// The write only appended a row: the copy reads it, not its tables again.
		if got := value(city[0].Data); got != "2 green" || db.score.loads != len(scoreTables) || db.score.reads != 2 {
			t.Errorf("city after a write: %s, %d tables and %d plans read", got, db.score.loads, db.score.reads)
		}
		if _, err := db.CityScoreData(ctx, []string{"门头沟区"}, []int{2021}, time.Time{}); err != nil || db.score.loads != len(scoreTables) || db.score.reads != 2 {
			t.Errorf("unchanged city read again: %d tables, %d plans", db.score.loads, db.score.reads)
		}
		// A withdrawal is a new row too; the scorecard drops the entry.
		gone := m
		gone.Entry, gone.Withdrawn, gone.Reason, gone.At = 2, true, "重复", t1.Add(48*time.Hour)
		rows, _ := db.RegisterRows(ctx, "门头沟区", time.Time{})
		gone.Entry = rows[len(rows)-1].Entry
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{gone}); err != nil {
			t.Fatal(err)
		}
		city, _ = db.CityScoreData(ctx, []string{"门头沟区"}, []int{2021}, time.Time{})
		if got := value(city[0].Data); got != "1 green" {
			t.Errorf("city after a withdrawal: %s", got)
		}
	})
}

// TestScoreDataTrendAsRecorded: the trend of a scorecard as of 31 August (its value on 1 August)
// does not count an entry recorded on 25 August though dated in July: ScoreData hands the
// scoring its rows, so that the trend reads the registers as they stood on 1 August.
func TestScoreDataTrendAsRecorded(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		a := xiezuo.RegisterEntry{Kind: xiezuo.RegArticle, On: xiezuo.NewDate(2021, 7, 1), Unit: "领导小组办公室", At: time.Date(2021, 8, 25, 2, 0, 0, 0, time.UTC),
			Values: map[string]string{"kind": "典型案例", "date": "2021-07-01", "title": "补登的案例", "unit": "领导小组办公室"}}
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{a}); err != nil {
			t.Fatal(err)
		}
		asOf := xiezuo.NewDate(2021, 8, 31)
		d, err := db.ScoreData(ctx, "门头沟区", 2021, xiezuo.ScoreAt(asOf))
		if err != nil {
			t.Fatal(err)
		}
		target := 1.0
		in := xiezuo.Indicator{Code: "t-1", Name: "案例", Dimension: "信息宣传", Formula: `count(articles where kind = "典型案例")`, Compare: ">=",
			Target: &target, Unit: "个", Due: "2021-12-31", Missing: "zero"}
		r := xiezuo.Score([]xiezuo.Indicator{in}, d, asOf, xiezuo.ByDimension).Rows()[0]
		if r.Value.String() != "1" || r.Trend.String() != "0" {
			t.Errorf("as of %s: %v, trend %v; want 1, trend 0 (recorded on 25 August)", asOf, r.Value, r.Trend)
		}
		// The city's copy reads the same, as of that day and as it stands now.
		for _, at := range []time.Time{xiezuo.ScoreAt(asOf), {}} {
			cs, err := db.CityScoreData(ctx, []string{"门头沟区"}, []int{2021}, at)
			if err != nil || len(cs) != 1 {
				t.Fatalf("CityScoreData = %d, %v", len(cs), err)
			}
			r := xiezuo.Score([]xiezuo.Indicator{in}, cs[0].Data, asOf, xiezuo.ByDimension).Rows()[0]
			if r.Value.String() != "1" || r.Trend.String() != "0" {
				t.Errorf("the city's copy at %v: %v, trend %v; want 1, trend 0", at, r.Value, r.Trend)
			}
		}
	})
}
