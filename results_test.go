package xiezuo

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func sept(day int, hour int) time.Time { return time.Date(2021, 9, day, hour, 0, 0, 0, time.UTC) }

func TestVillagesAt(t *testing.T) {
	hong := ProjectVillage{ID: 1, Code: "150125102207", Name: "红山子村民委员会", At: sept(1, 8)}
	gen := ProjectVillage{ID: 2, Code: "150125101205", Name: "根根渠村民委员会", At: sept(2, 8)}
	odd := ProjectVillage{ID: 3, Name: "新合村", At: sept(3, 8)}
	dropHong := ProjectVillage{ID: 4, Code: "150125102207", Name: "红山子村民委员会", Removed: true, At: sept(4, 8)}
	againHong := ProjectVillage{ID: 5, Code: "150125102207", Name: "红山子村民委员会", At: sept(5, 8)}
	dropOddOtherName := ProjectVillage{ID: 6, Name: "新合", Removed: true, At: sept(6, 8)}
	facts := []ProjectVillage{againHong, dropHong, odd, gen, hong, dropOddOtherName} // out of order
	names := func(vs []ProjectVillage) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.Name)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		at   time.Time
		want []string
	}{
		{"before anything", sept(1, 7), nil},
		{"the first", sept(1, 8), []string{"红山子村民委员会"}},
		{"a name the register lacks is kept as written", sept(3, 9), []string{"红山子村民委员会", "根根渠村民委员会", "新合村"}},
		{"removed", sept(4, 9), []string{"根根渠村民委员会", "新合村"}},
		{"added again, last", sept(5, 9), []string{"根根渠村民委员会", "新合村", "红山子村民委员会"}},
		{"removing another name removes nothing", sept(7, 0), []string{"根根渠村民委员会", "新合村", "红山子村民委员会"}},
	} {
		if got := names(VillagesAt(facts, tc.at)); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: VillagesAt(%s) = %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
}

func TestDistinctVillages(t *testing.T) {
	a := []ProjectVillage{{Code: "150125102207", Name: "红山子村民委员会"}, {Code: "150125101205"}, {Name: "新合村"}}
	b := []ProjectVillage{{Code: "150125102207", Name: "红山子村"}, {Name: "新合村"}, {Name: "新合"}}
	for _, tc := range []struct {
		name string
		sets [][]ProjectVillage
		want int
	}{
		{"nothing", nil, 0},
		{"one project", [][]ProjectVillage{a}, 3},
		{"the same village under two projects is one", [][]ProjectVillage{a, b}, 4},
		{"by code, whatever the name", [][]ProjectVillage{{{Code: "1", Name: "甲"}}, {{Code: "1", Name: "乙"}}}, 1},
		{"an empty set", [][]ProjectVillage{a, nil}, 3},
	} {
		if got := DistinctVillages(tc.sets...); got != tc.want {
			t.Errorf("%s: DistinctVillages = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestResultsAt(t *testing.T) {
	d := func(m time.Month, day int) Date { return NewDate(2021, m, day) }
	rs := []ProjectResult{
		{ID: 1, Kind: ResultPeople, Value: 100, On: d(7, 31), At: sept(1, 1)},
		{ID: 2, Kind: ResultPeople, Value: 150, On: d(8, 31), At: sept(1, 2)},
		{ID: 3, Kind: ResultPeople, Value: 120, On: d(8, 15), At: sept(2, 1)}, // recorded later, dated earlier
		{ID: 4, Kind: ResultJobs, Value: 0, On: d(8, 1), At: sept(1, 1)},
		{ID: 5, Kind: ResultJobs, Value: 7, On: d(8, 1), At: sept(3, 1)}, // a correction the same day
	}
	for _, tc := range []struct {
		on   Date
		want map[ResultKind]Num
	}{
		{d(7, 30), map[ResultKind]Num{}},
		{d(7, 31), map[ResultKind]Num{ResultPeople: Known(100)}},
		{d(8, 1), map[ResultKind]Num{ResultPeople: Known(100), ResultJobs: Known(7)}},
		{d(8, 20), map[ResultKind]Num{ResultPeople: Known(120), ResultJobs: Known(7)}},
		{d(12, 31), map[ResultKind]Num{ResultPeople: Known(150), ResultJobs: Known(7)}},
	} {
		got := ResultsAt(rs, tc.on)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ResultsAt(%s) (-want +got):\n%s", tc.on, diff)
		}
		if _, ok := got[ResultPoorEmployed]; ok {
			t.Errorf("ResultsAt(%s) reports poor_employed, never reported", tc.on)
		}
	}
	if got := ResultsAt(rs, d(8, 1))[ResultJobs]; !got.Valid || got.V != 7 {
		t.Errorf("a reported 0 then 7 the same day = %v, want 7", got)
	}
}

func TestRegionOutcome(t *testing.T) {
	day := NewDate(2021, 9, 30)
	p1 := Project{ID: 1, Villages: Known(2), People: Known(100), Employed: Known(10)}
	p2 := Project{ID: 2, Villages: Known(3), People: Known(50), Employed: Num{}}
	p3 := Project{ID: 3, Villages: Known(1), People: Known(20), Employed: Known(5)}
	hong := ProjectVillage{Code: "150125102207"}
	gen := ProjectVillage{Code: "150125101205"}
	res := func(k ResultKind, v int64) ProjectResult {
		return ProjectResult{Kind: k, Value: v, On: NewDate(2021, 9, 1)}
	}
	line := func(lines []ResultLine, k ResultKind) ResultLine {
		for _, l := range lines {
			if l.Kind == k {
				return l
			}
		}
		t.Fatalf("no line %s", k)
		return ResultLine{}
	}
	for _, tc := range []struct {
		name      string
		ps        []Project
		villages  map[int64][]ProjectVillage
		results   map[int64][]ProjectResult
		villagesA string
		peopleA   string
		planned   string
		named     bool
	}{
		{"nothing reported", []Project{p1}, nil, nil, "", "", "2", false},
		{"reported figure only", []Project{p1}, nil, map[int64][]ProjectResult{1: {res(ResultVillages, 4), res(ResultPeople, 90)}}, "4", "90", "2", false},
		{"named villages win over the reported figure", []Project{p1}, map[int64][]ProjectVillage{1: {hong}}, map[int64][]ProjectResult{1: {res(ResultVillages, 4)}}, "1", "", "2", true},
		{"two projects naming the same village: distinct", []Project{p1, p2}, map[int64][]ProjectVillage{1: {hong, gen}, 2: {hong}},
			map[int64][]ProjectResult{1: {res(ResultPeople, 90)}, 2: {res(ResultPeople, 40)}}, "2", "130", "3–5", true},
		{"named and a reported figure: a range", []Project{p1, p2}, map[int64][]ProjectVillage{1: {hong, gen}},
			map[int64][]ProjectResult{2: {res(ResultVillages, 3)}}, "3–5", "", "3–5", true},
		{"a project silent: at least", []Project{p1, p2, p3}, map[int64][]ProjectVillage{1: {hong}},
			map[int64][]ProjectResult{2: {res(ResultPeople, 40)}}, "≥1", "≥40", "3–6", true},
	} {
		lines := RegionOutcome(tc.ps, tc.villages, tc.results, day, nil)
		v := line(lines, ResultVillages)
		if v.Actual.String() != tc.villagesA || v.Planned.String() != tc.planned || v.Named != tc.named {
			t.Errorf("%s: villages = planned %q actual %q named %v, want %q %q %v", tc.name, v.Planned, v.Actual, v.Named, tc.planned, tc.villagesA, tc.named)
		}
		if got := line(lines, ResultPeople).Actual.String(); got != tc.peopleA {
			t.Errorf("%s: people actual = %q, want %q", tc.name, got, tc.peopleA)
		}
	}
	lines := ProjectOutcome(p2, nil, nil, day)
	if got := line(lines, ResultPoorEmployed).Planned.String(); got != "" {
		t.Errorf("planned employed of a blank row = %q, want empty (not 0)", got)
	}
	if got := line(lines, ResultJobs).Planned.Known; got {
		t.Errorf("planned jobs known, want unknown: the plan has no such column")
	}
	stated := ExactVillages(53)
	if got := line(RegionOutcome([]Project{p1, p2}, nil, nil, day, &stated), ResultVillages).Planned.String(); got != "53" {
		t.Errorf("planned villages with a stated subtotal = %q, want 53", got)
	}
}

func TestAssetValidate(t *testing.T) {
	good := Asset{Kind: "经营性资产", Name: "标准化养殖场", Value: Known(50 * FenPerWan), Quantity: Known(1), Unit: "座",
		Owner: "大路耗村委会", HandoverOn: NewDate(2021, 10, 30), Upkeep: "村委会负责日常管护，出租收益归村集体"}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(*Asset)
		want string
	}{
		{"kind", func(a *Asset) { a.Kind = "固定资产" }, "资产类别“固定资产”无效"},
		{"name", func(a *Asset) { a.Name = " " }, "请填写资产的名称"},
		{"long name", func(a *Asset) { a.Name = strings.Repeat("房", 101) }, "名称太长（101 个字）"},
		{"value unknown", func(a *Asset) { a.Value = Num{} }, "请填写资产“标准化养殖场”的价值"},
		{"value zero", func(a *Asset) { a.Value = Known(0) }, "价值应大于 0 元"},
		{"quantity", func(a *Asset) { a.Quantity = Known(-1) }, "数量应为大于 0 的整数"},
		{"unit", func(a *Asset) { a.Unit = "" }, "请填写资产的计量单位"},
		{"owner", func(a *Asset) { a.Owner = "" }, "请填写资产的产权归属"},
		{"handover", func(a *Asset) { a.HandoverOn = Date{} }, "移交日期"},
		{"upkeep", func(a *Asset) { a.Upkeep = "" }, "请填写资产的管护责任"},
		{"control characters", func(a *Asset) { a.Owner = "村委会\x00" }, "无法识别的字符"},
	} {
		a := good
		tc.edit(&a)
		err := a.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want) {
			t.Errorf("%s: Validate = %v, want EINVALID with %q", tc.name, err, tc.want)
		}
	}
	if err := CheckAsset(good, NewDate(2021, 10, 29)); err == nil || !strings.Contains(ErrorMessage(err), "晚于今天") {
		t.Errorf("CheckAsset(handed over tomorrow) = %v, want a refusal", err)
	}
}

func TestAssetsAt(t *testing.T) {
	d := NewDate(2021, 9, 1)
	a1 := Asset{ID: 1, Name: "养殖场", HandoverOn: d, At: sept(2, 1)}
	a2 := Asset{ID: 2, Name: "加工车间", HandoverOn: NewDate(2021, 9, 5), At: sept(2, 2)}
	a3 := Asset{ID: 3, Name: "养殖场（更正）", HandoverOn: d, Supersedes: 1, At: sept(10, 1)}
	a4 := Asset{ID: 4, Name: "养殖场（再更正）", HandoverOn: d, Supersedes: 3, At: sept(12, 1)}
	all := []Asset{a4, a3, a2, a1}
	names := func(as []Asset) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Name)
		}
		return out
	}
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{sept(2, 0), nil},
		{sept(3, 0), []string{"养殖场"}}, // 加工车间 not handed over yet
		{sept(6, 0), []string{"养殖场", "加工车间"}},
		{sept(11, 0), []string{"加工车间", "养殖场（更正）"}},
		{sept(20, 0), []string{"加工车间", "养殖场（再更正）"}},
	} {
		if got := names(AssetsAt(all, tc.at)); !cmp.Equal(got, tc.want) {
			t.Errorf("AssetsAt(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
}

func TestParseAssetFilter(t *testing.T) {
	today := NewDate(2021, 9, 15)
	for _, tc := range []struct {
		q    string
		want AssetFilter
		err  string
	}{
		{"", AssetFilter{}, ""},
		{"region=内蒙古武川县&kind=经营性资产&owner=村委会&as_of=2021-09-01", AssetFilter{"内蒙古武川县", "经营性资产", "村委会", NewDate(2021, 9, 1)}, ""},
		{"kind=固定资产", AssetFilter{}, "资产类别“固定资产”无效"},
		{"as_of=2021-09-16", AssetFilter{}, "晚于今天"},
		{"as_of=9月1日", AssetFilter{}, "查看日期“9月1日”无效"},
		{"region=甲&region=乙", AssetFilter{}, "只能选一个"},
	} {
		q, _ := url.ParseQuery(tc.q)
		got, err := ParseAssetFilter(q, today)
		if tc.err != "" {
			if err == nil || !strings.Contains(ErrorMessage(err), tc.err) {
				t.Errorf("ParseAssetFilter(%s) = %v, want error with %q", tc.q, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseAssetFilter(%s) = %+v, %v, want %+v", tc.q, got, err, tc.want)
		}
		if back, _ := ParseAssetFilter(got.Values(), today); back != got {
			t.Errorf("ParseAssetFilter(Values(%+v)) = %+v", got, back)
		}
	}
	a := Asset{Kind: "公益性资产", Owner: "南巴村委会"}
	if !(AssetFilter{Owner: "村委会"}).Match(a, "西藏拉萨堆龙德庆区") || (AssetFilter{Region: "神农架林区"}).Match(a, "西藏拉萨堆龙德庆区") {
		t.Errorf("AssetFilter.Match wrong")
	}
}

func TestCheckResult(t *testing.T) {
	today := NewDate(2021, 9, 15)
	for _, tc := range []struct {
		r    ProjectResult
		want string
	}{
		{ProjectResult{Kind: ResultPeople, Value: 3, On: today}, ""},
		{ProjectResult{Kind: "money", Value: 3, On: today}, "成效指标“money”无效"},
		{ProjectResult{Kind: ResultPeople, Value: -1, On: today}, "不能为负数"},
		{ProjectResult{Kind: ResultPeople, Value: 1, On: NewDate(2021, 9, 16)}, "晚于今天"},
		{ProjectResult{Kind: ResultJobs, Value: 1}, "请填写新增就业岗位的统计日期"},
	} {
		err := CheckResult(tc.r, today)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(ErrorMessage(err), tc.want)) {
			t.Errorf("CheckResult(%+v) = %v, want %q", tc.r, err, tc.want)
		}
	}
}
