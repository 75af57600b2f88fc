package sqldb

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// TestRegisterRows: a new entry, its correction and its withdrawal are three rows of one entry,
// each audited; the entries as of a moment take the latest row then; a correction without a
// reason, of another register's entry or of a withdrawn entry is refused and writes nothing; a
// batch is all or nothing.
func TestRegisterRows(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		t0 := time.Date(2021, 7, 1, 2, 0, 0, 0, time.UTC)
		meeting := xiezuo.RegisterEntry{Kind: xiezuo.RegMeeting, On: xiezuo.NewDate(2021, 6, 30), Unit: "领导小组办公室",
			Values: map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "第一次联席会议", "chair": "张三（区长）"}, At: t0}
		got, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{meeting})
		if err != nil {
			t.Fatal(err)
		}
		id := got[0].Entry
		if id == 0 || got[0].ID != id || got[0].By != "office" {
			t.Fatalf("stored %+v", got[0])
		}
		fix := meeting
		fix.Entry, fix.Values, fix.At = id, map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "第一次东西部协作联席会议", "chair": "张三（区长）"}, t0.Add(time.Hour)
		bad := fix
		bad.Reason = ""
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{bad}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Fatalf("correction without reason: %v", err)
		}
		fix.Reason = "名称写错"
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{fix}); err != nil {
			t.Fatal(err)
		}
		other := fix
		other.Kind = xiezuo.RegVisit
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{other}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Fatalf("correction of another register's entry: %v", err)
		}
		gone := fix
		gone.Withdrawn, gone.Reason, gone.At = true, "重复登记", t0.Add(2*time.Hour)
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{gone}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{fix}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Fatalf("correction of a withdrawn entry: %v", err)
		}
		// A batch with a bad row stores nothing.
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{meeting, bad}); err == nil {
			t.Fatal("batch with a bad row stored")
		}
		rows, err := db.RegisterRows(ctx, "门头沟区", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("%d rows, want 3", len(rows))
		}
		for _, c := range []struct {
			at    time.Time
			title string
		}{{t0, "第一次联席会议"}, {t0.Add(90 * time.Minute), "第一次东西部协作联席会议"}, {t0.Add(3 * time.Hour), ""}} {
			es := xiezuo.EntriesAt(rows, c.at)
			title := ""
			if len(es) == 1 {
				title = es[0].Text("title")
			}
			if title != c.title || len(es) > 1 {
				t.Errorf("as of %s: %d entries, title %q, want %q", c.at, len(es), title, c.title)
			}
		}
		if n := len(must(db.RegisterRows(ctx, "门头沟区", t0.Add(30*time.Minute), xiezuo.RegMeeting))); n != 1 {
			t.Errorf("rows by then: %d, want 1", n)
		}
		if n := len(must(db.RegisterRows(ctx, "门头沟区", time.Time{}, xiezuo.RegVisit))); n != 0 {
			t.Errorf("visits: %d, want 0", n)
		}
		hist, err := db.RegisterEntryRows(ctx, "门头沟区", id)
		if err != nil || len(hist) != 3 || !hist[2].Withdrawn || hist[1].Reason != "名称写错" {
			t.Fatalf("history %+v %v", hist, err)
		}
		es, _, err := db.SearchAudit(ctx, AuditFilter{ObjectType: "register", Limit: 100})
		if err != nil || len(es) != 3 {
			t.Fatalf("audit entries %d %v, want 3", len(es), err)
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestRegisterEntryOnce: under an Idempotency-Key the same request stores one entry and answers
// it again; another request with the key is ECONFLICT; as-of reads in another zone than UTC
// take the same rows.
func TestRegisterEntryOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		u := mustCreateUser(t, db, &xiezuo.User{Username: "office", Name: "王办公", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}})
		ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: "office", Unit: "领导小组办公室"})
		at := time.Date(2021, 7, 1, 2, 0, 0, 0, time.UTC)
		e := xiezuo.RegisterEntry{Kind: xiezuo.RegDonation, On: xiezuo.NewDate(2021, 6, 30), Unit: "区工商联",
			Values: map[string]string{"donor": "某公司", "money": "1000000"}, At: at}
		k := Idem{UserID: u.ID, Key: "k-1", RequestHash: "h1"}
		first, replayed, err := db.WriteRegisterEntryOnce(ctx, "门头沟区", e, k)
		if err != nil || replayed || first.Entry == 0 {
			t.Fatalf("first write = %+v %v %v", first, replayed, err)
		}
		again, replayed, err := db.WriteRegisterEntryOnce(ctx, "门头沟区", e, k)
		if err != nil || !replayed || again.Entry != first.Entry || again.Values["money"] != "1000000" {
			t.Fatalf("replay = %+v %v %v", again, replayed, err)
		}
		k.RequestHash = "h2"
		if _, _, err := db.WriteRegisterEntryOnce(ctx, "门头沟区", e, k); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Fatalf("another request with the key: %v", err)
		}
		beijing := time.FixedZone("CST", 8*3600)
		for _, tt := range []struct {
			at   time.Time
			want int
		}{{at.In(beijing), 1}, {at.Add(-time.Second).In(beijing), 0}} {
			rows, err := db.RegisterRows(ctx, "门头沟区", tt.at.UTC())
			if err != nil || len(rows) != tt.want {
				t.Errorf("RegisterRows(%v) = %d rows (%v), want %d", tt.at, len(rows), err, tt.want)
			}
		}
	})
}

// TestRegisterNaturalKey: a second purchase of a unit and period is refused naming the first
// (ECONFLICT), alone or in a batch, and nothing of the batch is stored; the entry's own
// correction, another period and a purchase after the first's withdrawal are stored.
func TestRegisterNaturalKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		purchase := func(unit, period, food string) xiezuo.RegisterEntry {
			return xiezuo.RegisterEntry{Kind: xiezuo.RegPurchase, On: xiezuo.NewDate(2021, 8, 31), Unit: unit,
				Values: map[string]string{"unit": unit, "period": period, "food_total": food}}
		}
		first, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{purchase("区财政局", "2021-08", "100")})
		if err != nil {
			t.Fatal(err)
		}
		id := first[0].Entry
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{purchase("区财政局", "2021-08", "200")}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT ||
			!strings.Contains(err.Error(), "已登记为第 "+strconv.FormatInt(id, 10)+" 号记录") {
			t.Fatalf("a second purchase of the unit and month: %v", err)
		}
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{purchase("区教委", "2021-08", "1"), purchase("区教委", "2021-08", "2")}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Fatalf("two of a key in a batch: %v", err)
		}
		fix := purchase("区财政局", "2021-08", "150")
		fix.Entry, fix.Reason = id, "金额更正"
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{fix, purchase("区财政局", "2021-07", "90")}); err != nil {
			t.Fatalf("the entry's correction and another month: %v", err)
		}
		gone := fix
		gone.Withdrawn, gone.Reason = true, "重复"
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{gone}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteRegisterEntries(ctx, "门头沟区", []xiezuo.RegisterEntry{purchase("区财政局", "2021-08", "160")}); err != nil {
			t.Fatalf("a purchase after the first's withdrawal: %v", err)
		}
		rows, _ := db.RegisterRows(ctx, "门头沟区", time.Time{}, xiezuo.RegPurchase)
		if len(rows) != 5 {
			t.Errorf("stored %d rows, want 5 (none of the refused batches)", len(rows))
		}
	})
}
