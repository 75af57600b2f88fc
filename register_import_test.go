package xiezuo

import (
	"slices"
	"strings"
	"testing"
)

func TestRegisterImportRow(t *testing.T) {
	s := spec(t, RegMeeting)
	vals := map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "联席会议", "chair": "张三", "unit": "领导小组办公室"}
	changed := map[string]string{"kind": "联席会议", "date": "2021-06-30", "title": "第一次联席会议", "chair": "张三", "unit": "领导小组办公室"}
	latest := LatestRows([]RegisterEntry{
		{ID: 1, Entry: 1, Kind: RegMeeting, Values: map[string]string{"title": "旧"}},
		{ID: 3, Entry: 1, Kind: RegMeeting, Values: vals},
		{ID: 2, Entry: 2, Kind: RegVisit, Values: vals},
		{ID: 4, Entry: 4, Kind: RegMeeting, Values: vals},
		{ID: 5, Entry: 4, Kind: RegMeeting, Values: vals, Withdrawn: true},
	})
	tests := []struct {
		name   string
		id     int64
		values map[string]string
		reason string
		act    RegisterImportAction
		entry  int64
		why    string
		msg    string
	}{
		{"new", 0, vals, "", ImportNew, 0, "", ""},
		{"unchanged", 1, vals, "", ImportSame, 1, "", ""},
		{"changed", 1, changed, "", ImportCorrect, 1, RegisterImportReason, ""},
		{"changed with the office's reason", 1, changed, " 名称补全 ", ImportCorrect, 1, "名称补全", ""},
		{"another register", 2, vals, "", ImportNew, 0, "", "“编号”：2 不是本区“会议”台账的记录"},
		{"unknown", 99, vals, "", ImportNew, 0, "", "“编号”：99 不是本区“会议”台账的记录"},
		{"withdrawn", 4, vals, "", ImportNew, 0, "", "第 4 号记录已撤销"},
	}
	for _, tt := range tests {
		got, act, msg := RegisterImportRow(s, latest, tt.id, RegisterEntry{Kind: RegMeeting, Values: tt.values}, tt.reason)
		if act != tt.act || (tt.msg == "" && msg != "") || !strings.Contains(msg, tt.msg) {
			t.Errorf("%s: RegisterImportRow = %v, %q; want %v, %q", tt.name, act, msg, tt.act, tt.msg)
			continue
		}
		if msg == "" && (got.Entry != tt.entry || got.Reason != tt.why) {
			t.Errorf("%s: entry %d reason %q, want %d %q", tt.name, got.Entry, got.Reason, tt.entry, tt.why)
		}
	}
	for _, c := range []struct {
		in   string
		n    int64
		fail bool
	}{{"", 0, false}, {" 12 ", 12, false}, {"12.0", 12, false}, {"-3", 0, true}, {"十二", 0, true}, {"1.5", 0, true}} {
		n, msg := ParseEntryNumber(c.in)
		if n != c.n || (msg != "") != c.fail {
			t.Errorf("ParseEntryNumber(%q) = %d, %q", c.in, n, msg)
		}
	}
}

func TestRegisterDuplicate(t *testing.T) {
	p := spec(t, RegPurchase)
	m := spec(t, RegMeeting)
	purchase := func(entry int64, unit, period string) RegisterEntry {
		return RegisterEntry{ID: entry, Entry: entry, Kind: RegPurchase, Unit: unit, Values: map[string]string{"unit": unit, "period": period}}
	}
	standing := []RegisterEntry{purchase(7, "区财政局", "2021-08"), purchase(8, "区教委", "2021-08"), purchase(9, "区财政局", "2021-H1")}
	tests := []struct {
		name string
		spec RegisterSpec
		e    RegisterEntry
		msg  string
	}{
		{"a second of a unit and month", p, purchase(0, "区财政局", "2021-08"), "区财政局 2021年8月的“消费帮扶采购”已登记为第 7 号记录：每个单位每个统计期间只登记一条，请更正第 7 号记录"},
		{"another month", p, purchase(0, "区财政局", "2021-07"), ""},
		{"another unit", p, purchase(0, "区商务局", "2021-08"), ""},
		{"a half year beside a month", p, purchase(0, "区教委", "2021-H1"), ""},
		{"the entry's own correction", p, purchase(7, "区财政局", "2021-08"), ""},
		{"a month inside a half year reported", p, purchase(0, "区财政局", "2021-06"), "区财政局 2021年6月的“消费帮扶采购”与第 9 号记录（2021年上半年）的统计期间重叠"},
		{"a year over a month reported", p, purchase(0, "区财政局", "2021"), "与第 7 号记录（2021年8月）的统计期间重叠"},
		{"a second half year beside the first", p, purchase(0, "区财政局", "2021-H2"), "与第 7 号记录（2021年8月）的统计期间重叠"},
		{"another unit's half year", p, purchase(0, "区商务局", "2021-H1"), ""},
		{"a correction onto another's key", p, purchase(8, "区财政局", "2021-08"), "已登记为第 7 号记录"},
		{"no key in meetings", m, RegisterEntry{Kind: RegMeeting, Unit: "区财政局", Values: map[string]string{"date": "2021-08-01"}}, ""},
	}
	for _, tt := range tests {
		err := RegisterDuplicate(tt.spec, standing, tt.e)
		if (tt.msg == "") != (err == nil) || (err != nil && (ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), tt.msg))) {
			t.Errorf("%s: RegisterDuplicate = %v, want %q", tt.name, err, tt.msg)
		}
	}
}

func TestSortRegisterByDate(t *testing.T) {
	es := []RegisterEntry{{Entry: 1, On: NewDate(2021, 9, 8)}, {Entry: 2, On: NewDate(2021, 8, 20)}, {Entry: 3, On: NewDate(2021, 9, 8)}, {Entry: 4, On: NewDate(2021, 7, 1)}}
	SortRegisterByDate(es)
	var got []int64
	for _, e := range es {
		got = append(got, e.Entry)
	}
	if !slices.Equal(got, []int64{3, 1, 2, 4}) {
		t.Errorf("SortRegisterByDate = %v, want 3 1 2 4", got)
	}
}
