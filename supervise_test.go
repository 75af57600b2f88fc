package xiezuo

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at is an instant in China: "2021-06-30" is the end of that day, "2021-06-30 10:00" that time.
func at(s string) time.Time {
	if len(s) == len("2006-01-02") {
		return EndOfDay(day(s))
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

func dates(ds []Date) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// TestCadence is the table of the office's cadence as its form types it.
func TestCadence(t *testing.T) {
	tests := []struct {
		report, cooperate, warn string
		want                    Cadence
		err                     string // part of the message; "" for none
	}{
		{"25", "15", "3", Cadence{25, 15, 3}, ""},
		{" 28 ", "1", "0", Cadence{28, 1, 0}, ""},
		{"20", "10", "30", Cadence{20, 10, 30}, ""},
		{"29", "15", "3", Cadence{}, "牵头单位报送日“29”应为每月 1 到 28 日"},
		{"0", "15", "3", Cadence{}, "牵头单位报送日“0”应为每月 1 到 28 日"},
		{"25", "25", "3", Cadence{}, "配合单位报送日（每月 25 日）应早于牵头单位报送日（每月 25 日）"},
		{"25", "30", "3", Cadence{}, "配合单位报送日“30”应为每月 1 到 28 日"},
		{"25", "15", "31", Cadence{}, "提前提醒天数“31”应为 0 到 30"},
		{"25", "15", "-1", Cadence{}, "提前提醒天数“-1”应为 0 到 30"},
		{"二十五", "15", "3", Cadence{}, "牵头单位报送日“二十五”不是整数"},
		{"25", "", "x", Cadence{}, "配合单位报送日“”不是整数；提前提醒天数“x”不是整数"},
	}
	for _, tt := range tests {
		got, err := ParseCadence(tt.report, tt.cooperate, tt.warn)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseCadence(%q, %q, %q) = %v, %v, want %v", tt.report, tt.cooperate, tt.warn, got, err, tt.want)
			}
			continue
		}
		if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseCadence(%q, %q, %q) error = %v, want one saying %q", tt.report, tt.cooperate, tt.warn, err, tt.err)
		}
	}
	if err := DefaultCadence().Validate(); err != nil || DefaultCadence() != (Cadence{25, 15, 3}) {
		t.Errorf("DefaultCadence() = %v, %v, want 25/15/3, valid", DefaultCadence(), err)
	}
	b, _ := Cadence{20, 10, 5}.MarshalText()
	var c Cadence
	if err := c.UnmarshalText(b); err != nil || c != (Cadence{20, 10, 5}) {
		t.Errorf("Cadence round trip through %s = %v, %v", b, c, err)
	}
	if err := c.UnmarshalText([]byte(`{"warn_days":5}`)); err != nil || c != (Cadence{25, 15, 5}) {
		t.Errorf("UnmarshalText(warn only) = %v, %v, want the defaults beside it", c, err)
	}
}

// TestDutyDue is the table of when a duty falls due.
func TestDutyDue(t *testing.T) {
	c := DefaultCadence()
	june := Schedule{Year: 2021, From: day("2021-06-18"), Cadence: c}
	task := func(text string) PlanDuty {
		dl, ok := ParseDeadline(text, 2021)
		if !ok {
			t.Fatalf("ParseDeadline(%q) failed", text)
		}
		return PlanDuty{Key: DutyKey{DutyTask, 1}, Deadline: dl}
	}
	point := PlanDuty{Key: DutyKey{DutyPoint, 1}}
	project := func(finish string) PlanDuty {
		d := PlanDuty{Key: DutyKey{DutyProject, 1}, Project: &Project{}}
		if finish != "" {
			p, msg := ParsePeriod("2021年1月-"+finish, 2021)
			if msg != "" {
				t.Fatal(msg)
			}
			d.Project.Period = p
		}
		return d
	}
	monthly := func(from, to string, dayOf int) []string {
		var out []string
		f, _ := ParseMonth(from)
		e, _ := ParseMonth(to)
		for ym := f; !e.Before(ym); ym = ym.AddMonths(1) {
			out = append(out, NewDate(ym.Year, time.Month(ym.Month), dayOf).String())
		}
		return out
	}
	tests := []struct {
		name   string
		d      PlanDuty
		s      Schedule
		toUnit string
		want   []string
	}{
		{"两个时限", task("6月底前、12月底前"), june, "", []string{"2021-06-30", "2021-12-31"}},
		{"两个时限，配合单位", task("6月底前、12月底前"), june, "区财政局", []string{"2021-06-15", "2021-12-15"}},
		{"10月底前", task("10月底前"), june, "", []string{"2021-10-31"}},
		{"上旬早于配合日：上月", task("3月上旬"), june, "区财政局", []string{"2021-02-15"}},
		{"持续推进：按月", task("持续推进"), june, "", monthly("2021-06", "2021-12", 25)},
		{"工作要点：按月", point, june, "", monthly("2021-06", "2021-12", 25)},
		{"工作要点，配合单位：6月15日早于印发", point, june, "区财政局", monthly("2021-07", "2021-12", 15)},
		{"6月28日印发：从7月起", point, Schedule{2021, day("2021-06-28"), c}, "", monthly("2021-07", "2021-12", 25)},
		{"没有印发日期：从1月起", point, Schedule{2021, Date{2021, 1, 1}, c}, "", monthly("2021-01", "2021-12", 25)},
		{"报送日20日", point, Schedule{2021, day("2021-06-18"), Cadence{20, 10, 3}}, "", monthly("2021-06", "2021-12", 20)},
		{"项目到竣工月", project("2021年9月"), june, "", monthly("2021-06", "2021-09", 25)},
		{"项目跨年", project("2022年3月"), june, "", monthly("2021-06", "2022-03", 25)},
		{"项目印发前已竣工：报一次", project("2021年5月"), june, "", []string{"2021-06-25"}},
		{"项目无竣工月：到年底", project(""), june, "", monthly("2021-06", "2021-12", 25)},
	}
	for _, tt := range tests {
		if got := dates(DutyDue(tt.d, tt.s, tt.toUnit)); !cmp.Equal(got, tt.want) {
			t.Errorf("DutyDue(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	p := &Plan{Year: 2021, IssuedOn: day("2021-06-18")}
	if s := NewSchedule(p, c); s.From != day("2021-06-18") {
		t.Errorf("NewSchedule(issued 2021-06-18).From = %v", s.From)
	}
	if s := NewSchedule(&Plan{Year: 2022, IssuedOn: day("2021-12-20")}, c); s.From != day("2022-01-01") {
		t.Errorf("NewSchedule(2022 plan issued 2021-12-20).From = %v, want 2022-01-01", s.From)
	}
}

// report is a report of unit whose versions are submitted at the times given ("d:" before a
// time makes that version a draft), with reviews "accept@time" or "return@time" of the version
// before them.
func report(id int64, unit, toUnit string, events ...string) Report {
	r := Report{ID: id, Duty: DutyKey{DutyTask, 1}, Unit: unit, ToUnit: toUnit}
	for _, e := range events {
		switch {
		case strings.HasPrefix(e, "accept@"), strings.HasPrefix(e, "return@"):
			dec, when, _ := strings.Cut(e, "@")
			r.Reviews = append(r.Reviews, Review{Version: len(r.Versions), Decision: Decision(dec), By: "office", At: at(when)})
		case strings.HasPrefix(e, "d:"):
			r.Versions = append(r.Versions, ReportVersion{Version: len(r.Versions) + 1, State: ReportDraft, By: unit, At: at(e[2:])})
		default:
			r.Versions = append(r.Versions, ReportVersion{Version: len(r.Versions) + 1, State: ReportSubmitted, By: unit, At: at(e)})
		}
	}
	return r
}

func closure(closed bool, when string) Closure {
	return Closure{Duty: DutyKey{DutyTask, 1}, Closed: closed, By: "office", At: at(when)}
}

// TestDutyLight is the table of a duty's light as of a day: a 6月底前、12月底前 task before and
// after each date, a 持续推进 task due monthly, a closed task, a late report, as of 31 August.
func TestDutyLight(t *testing.T) {
	two := []Date{day("2021-06-30"), day("2021-12-31")}
	monthly := DutyDue(PlanDuty{Key: DutyKey{DutyTask, 1}}, Schedule{2021, day("2021-06-18"), DefaultCadence()}, "")
	r := func(events ...string) []Report { return []Report{report(1, "区财政局", "", events...)} }
	tests := []struct {
		name     string
		due      []Date
		reports  []Report
		closures []Closure
		asOf     string
		want     LightColor
		days     int
		text     string
	}{
		{"两个时限：6月20日，未报", two, nil, nil, "2021-06-20", LightGreen, 10, "正常（下次 6月30日）"},
		{"6月27日未报：临期", two, nil, nil, "2021-06-27", LightYellow, 3, "3 天后到期（6月30日）"},
		{"6月26日已报：本期已报", two, r("2021-06-26 09:00"), nil, "2021-06-27", LightGreen, 3, "本期已报（下次 12月31日）"},
		{"6月30日上午未报：当天仍是临期", two, nil, nil, "2021-06-30 10:00", LightYellow, 0, "今天到期（6月30日）"},
		{"6月30日日终未报：仍是今天到期", two, nil, nil, "2021-06-30", LightYellow, 0, "今天到期（6月30日）"},
		{"7月1日未报：逾期", two, nil, nil, "2021-07-01", LightRed, 0, "逾期未报（应于 6月30日 前报送）"},
		{"6月29日已报，7月1日：正常", two, r("2021-06-29 16:00"), nil, "2021-07-01", LightGreen, 183, "正常（下次 12月31日）"},
		{"6月30日23点报送：按时", two, r("2021-06-30 23:30"), nil, "2021-07-01", LightGreen, 183, "正常（下次 12月31日）"},
		{"7月5日补报，8月31日：补报消除逾期（也答了下半年这一期）", two, r("2021-07-05 10:00"), nil, "2021-08-31", LightGreen, 122, "本期已报（12月31日 为最后一期）"},
		{"草稿不算报送", two, r("d:2021-06-29 10:00"), nil, "2021-07-01", LightRed, 0, "逾期未报（应于 6月30日 前报送）"},
		{"退回的报告也算已报，但写明待重报", two, r("2021-06-29 10:00", "return@2021-06-30 09:00"), nil, "2021-07-01", LightGreen, 183, "已报（被退回，待重报；下次 12月31日）"},
		{"查看日之后的报送不算", two, r("2021-07-05 10:00"), nil, "2021-07-04", LightRed, 0, "逾期未报（应于 6月30日 前报送）"},
		{"12月28日：下半年未报，临期", two, r("2021-06-29 10:00"), nil, "2021-12-28", LightYellow, 3, "3 天后到期（12月31日）"},
		{"年底当天：只报了上半年，今天到期", two, r("2021-06-29 10:00"), nil, "2021-12-31", LightYellow, 0, "今天到期（12月31日）"},
		{"次年：只报了上半年，逾期", two, r("2021-06-29 10:00"), nil, "2022-01-01", LightRed, 0, "逾期未报（应于 12月31日 前报送）"},
		{"两期都报，年后：待销号", two, r("2021-06-29 10:00", "2021-12-01 10:00"), nil, "2022-01-10", LightGreen, 0, "已按期报送，待销号"},
		{"11月销号：年底已销号", two, nil, []Closure{closure(true, "2021-11-10 10:00")}, "2021-12-31", LightDone, 0, "已销号"},
		{"11月销号：以后一直已销号", two, nil, []Closure{closure(true, "2021-11-10 10:00")}, "2022-06-30", LightDone, 0, "已销号"},
		{"11月销号前一天：仍逾期", two, nil, []Closure{closure(true, "2021-11-10 10:00")}, "2021-11-09", LightRed, 0, "逾期未报（应于 6月30日 前报送）"},
		{"销号后重新打开：按日期", two, nil, []Closure{closure(true, "2021-11-10 10:00"), closure(false, "2021-11-20 10:00")}, "2021-11-25", LightRed, 0, "逾期未报（应于 6月30日 前报送）"},
		{"持续推进：8月31日，8月未报", monthly, r("2021-06-24 10:00", "2021-07-20 10:00"), nil, "2021-08-31", LightRed, 0, "逾期未报（应于 8月25日 前报送）"},
		{"持续推进：8月31日，8月已报", monthly, r("2021-06-24 10:00", "2021-08-20 10:00"), nil, "2021-08-31", LightGreen, 25, "正常（下次 9月25日）"},
		{"持续推进：9月1日补报8月（也答了9月这一期）", monthly, r("2021-06-24 10:00", "2021-09-01 10:00"), nil, "2021-09-01", LightGreen, 24, "本期已报（下次 10月25日）"},
		{"持续推进：9月22日已报本期", monthly, r("2021-09-01 10:00"), nil, "2021-09-22", LightGreen, 3, "本期已报（下次 10月25日）"},
		{"持续推进：9月22日本期未报", monthly, r("2021-08-20 10:00"), nil, "2021-09-22", LightYellow, 3, "3 天后到期（9月25日）"},
		{"没有报送日期", nil, nil, nil, "2021-08-31", LightOpen, 0, "无报送日期"},
	}
	for _, tt := range tests {
		got := DutyLight(Track{Due: tt.due, Reports: tt.reports, Closures: tt.closures}, at(tt.asOf), 3)
		if got.Light.Color != tt.want || got.Light.Days != tt.days || got.Text() != tt.text {
			t.Errorf("DutyLight(%s) = %v %d %q, want %v %d %q", tt.name, got.Light.Color, got.Light.Days, got.Text(), tt.want, tt.days, tt.text)
		}
	}
}

// TestChecks is the table of what became of each due date, and the tally of them.
func TestChecks(t *testing.T) {
	monthly := DutyDue(PlanDuty{Key: DutyKey{DutyPoint, 1}}, Schedule{2021, day("2021-06-18"), DefaultCadence()}, "")
	tests := []struct {
		name     string
		reports  []Report
		closures []Closure
		asOf     string
		want     []DueOutcome // June, July, … as far as given
		tally    Tally
	}{
		{"每月按时", []Report{report(1, "甲", "", "2021-06-24 10:00", "2021-07-25 20:00", "2021-08-01 10:00")}, nil, "2021-08-31",
			[]DueOutcome{DueOnTime, DueOnTime, DueOnTime, DuePending}, Tally{Expected: 3, Made: 3, OnTime: 3}},
		{"7月逾期、8月2日补报", []Report{report(1, "甲", "", "2021-06-24 10:00", "2021-08-02 10:00")}, nil, "2021-08-31",
			[]DueOutcome{DueOnTime, DueLate, DueOnTime, DuePending}, Tally{Expected: 3, Made: 3, OnTime: 2}},
		{"7月未报，9月10日才报：7月逾期未报，8月补报", []Report{report(1, "甲", "", "2021-06-24 10:00", "2021-09-10 10:00")}, nil, "2021-09-30",
			[]DueOutcome{DueOnTime, DueMissed, DueLate, DueOnTime, DuePending}, Tally{Expected: 4, Made: 3, OnTime: 2, Overdue: 1}},
		{"通过的才算通过", []Report{report(1, "甲", "", "2021-06-24 10:00", "accept@2021-06-26 10:00"), report(2, "甲", "", "2021-07-24 10:00", "return@2021-07-26 10:00")}, nil, "2021-07-31",
			[]DueOutcome{DueOnTime, DueOnTime, DuePending}, Tally{Expected: 2, Made: 2, OnTime: 2, Accepted: 1}},
		{"查看日之后才通过：未通过", []Report{report(1, "甲", "", "2021-06-24 10:00", "accept@2021-07-02 10:00")}, nil, "2021-06-30",
			[]DueOutcome{DueOnTime, DuePending}, Tally{Expected: 1, Made: 1, OnTime: 1}},
		{"从未报送", nil, nil, "2021-08-31",
			[]DueOutcome{DueMissed, DueMissed, DueMissed, DuePending}, Tally{Expected: 3, Overdue: 3}},
		{"8月1日销号：此后不再应报", nil, []Closure{{Duty: DutyKey{DutyPoint, 1}, Closed: true, At: at("2021-08-01 10:00")}}, "2021-09-30",
			[]DueOutcome{DueMissed, DueMissed, DueClosed, DueClosed, DueClosed}, Tally{Expected: 2, Overdue: 2}},
	}
	for _, tt := range tests {
		checks := Checks(Track{Due: monthly, Reports: tt.reports, Closures: tt.closures}, at(tt.asOf))
		var got []DueOutcome
		for _, c := range checks[:len(tt.want)] {
			got = append(got, c.Outcome)
		}
		if !cmp.Equal(got, tt.want) {
			t.Errorf("Checks(%s) = %v, want %v", tt.name, got, tt.want)
		}
		if tally := TallyOf(checks); tally != tt.tally || tally.Expected != tally.Made+tally.Overdue {
			t.Errorf("TallyOf(%s) = %+v, want %+v", tt.name, tally, tt.tally)
		}
	}
	if got := (Tally{Expected: 3, OnTime: 2}).Percent(2); got != "67%" {
		t.Errorf("Percent(2 of 3) = %q, want 67%%", got)
	}
	if got := (Tally{}).Percent(0); got != "—" {
		t.Errorf("Percent(0 of 0) = %q, want —", got)
	}
}

// TestSuperviseFilter is the table of the supervision filter read from a query.
func TestSuperviseFilter(t *testing.T) {
	today := day("2021-09-15")
	tests := []struct {
		q    string
		want SuperviseFilter
		err  string
	}{
		{"", SuperviseFilter{}, ""},
		{"unit=区科信局&light=red&as_of=2021-08-31", SuperviseFilter{Unit: "区科技和信息化局", Light: "red", AsOf: day("2021-08-31")}, ""},
		{"team=产业合作专班&region=内蒙古武川县", SuperviseFilter{Team: "产业合作专班", Region: "内蒙古武川县"}, ""},
		{"as_of=2021-09-15", SuperviseFilter{AsOf: today}, ""},
		{"light=purple", SuperviseFilter{}, "状态“purple”无效"},
		{"as_of=2021-13-01", SuperviseFilter{}, "查看日期“2021-13-01”无效，应写作 2021-08-31"},
		{"as_of=2021-09-16", SuperviseFilter{}, "查看日期 2021-09-16 晚于今天（2021-09-15）"},
		{"unit=甲&unit=乙", SuperviseFilter{}, "筛选条件“责任单位”只能选一个"},
		{"region=" + strings.Repeat("县", 201), SuperviseFilter{}, "筛选条件“协作地区”太长"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.q)
		got, err := ParseSuperviseFilter(q, today)
		if tt.err != "" {
			if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSuperviseFilter(%q) error = %v, want %q", tt.q, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseSuperviseFilter(%q) = %+v, %v, want %+v", tt.q, got, err, tt.want)
			continue
		}
		back, err := ParseSuperviseFilter(got.Values(), today)
		if err != nil || back != got {
			t.Errorf("ParseSuperviseFilter(%q).Values() reads back as %+v, %v", tt.q, back, err)
		}
	}
	now := at("2021-09-15 10:00")
	if f := (SuperviseFilter{}); !f.At(now).Equal(now) {
		t.Errorf("zero filter At(now) = %v", f.At(now))
	}
	if f := (SuperviseFilter{AsOf: day("2021-08-31")}); !f.At(now).Equal(at("2021-08-31")) || DayOf(f.At(now)) != day("2021-08-31") {
		t.Errorf("as_of=2021-08-31 At = %v, want the end of that day", f.At(now))
	}
}

// TestMonthCalendar checks the grid of September 2021 (it begins on a Wednesday).
func TestMonthCalendar(t *testing.T) {
	s := DutyStatus{Duty: PlanDuty{Title: "甲"}, Checks: []DueCheck{{Date: day("2021-08-25"), Outcome: DueMissed}, {Date: day("2021-09-25"), Outcome: DuePending}, {Date: day("2021-10-25")}}}
	c := MonthCalendar(YearMonth{2021, 9}, []DutyStatus{s}, at("2021-09-15 10:00"))
	if len(c.Weeks) != 5 || c.Weeks[0][0].Date != day("2021-08-30") || c.Weeks[0][2].Date != day("2021-09-01") || c.Weeks[0][0].InMonth || !c.Weeks[0][2].InMonth {
		t.Fatalf("MonthCalendar(2021-09) weeks = %d, first %v", len(c.Weeks), c.Weeks[0][0].Date)
	}
	if last := c.Weeks[4][6]; last.Date != day("2021-10-03") {
		t.Errorf("MonthCalendar(2021-09) ends %v, want 2021-10-03", last.Date)
	}
	var items []string
	for _, w := range c.Weeks {
		for _, d := range w {
			for _, it := range d.Items {
				items = append(items, d.Date.String()+" "+it.Duty.Title+" "+it.Outcome.Text())
			}
			if d.Today != (d.Date == day("2021-09-15")) {
				t.Errorf("day %v Today = %v", d.Date, d.Today)
			}
		}
	}
	if want := []string{"2021-09-25 甲 待报送"}; !cmp.Equal(items, want) {
		t.Errorf("MonthCalendar(2021-09) items = %v, want %v", items, want)
	}
	if c := MonthCalendar(YearMonth{2021, 2}, nil, at("2021-02-01")); len(c.Weeks) != 4 {
		t.Errorf("MonthCalendar(2021-02) = %d weeks, want 4 (it starts on a Monday)", len(c.Weeks))
	}
	if _, err := ParseMonth("2021-13"); err == nil {
		t.Errorf("ParseMonth(2021-13) accepted")
	}
}
