package xiezuo

import (
	"testing"
	"time"
)

func bjAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		at   time.Time
		year int
		want string
	}{
		{bjAt("2021-06-30 23:59"), 2021, "2021-06"},
		// 16:30 UTC on 30 June is already 1 July in Beijing.
		{time.Date(2021, 6, 30, 16, 30, 0, 0, time.UTC), 2021, "2021-07"},
		{bjAt("2022-01-10 09:00"), 2021, "2021-12"},
		{bjAt("2020-12-31 09:00"), 2021, "2021-01"},
	}
	for _, tt := range tests {
		if got := PlanPeriodOf(tt.year, tt.at).String(); got != tt.want {
			t.Errorf("PlanPeriodOf(%d, %v) = %s, want %s", tt.year, tt.at, got, tt.want)
		}
	}
	if got := PeriodOf(bjAt("2022-01-10 09:00")).String(); got != "2022-01" {
		t.Errorf("PeriodOf(2022-01-10) = %s, want 2022-01", got)
	}
}

func TestParseReportPeriod(t *testing.T) {
	tests := []struct {
		in, want, text string
		months         int
		ok             bool
	}{
		{"2021-06", "2021-06", "2021年6月", 1, true},
		{"2021-H1", "2021-H1", "2021年上半年", 6, true},
		{"2021-H2", "2021-H2", "2021年下半年", 6, true},
		{"2021", "2021", "2021年全年", 12, true},
		{"2021-13", "", "", 0, false},
		{"2021-6", "", "", 0, false},
		{"2021-H3", "", "", 0, false},
		{"2022-06", "", "", 0, false},
		{"六月", "", "", 0, false},
		{"", "", "", 0, false},
	}
	for _, tt := range tests {
		p, err := ParseReportPeriod(tt.in, 2021)
		if (err == nil) != tt.ok {
			t.Errorf("ParseReportPeriod(%q) err = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Errorf("ParseReportPeriod(%q) code = %s, want EINVALID", tt.in, ErrorCode(err))
			}
			continue
		}
		if p.String() != tt.want || p.Text() != tt.text || len(p.Months()) != tt.months {
			t.Errorf("ParseReportPeriod(%q) = %s %s %d months, want %s %s %d", tt.in, p, p.Text(), len(p.Months()), tt.want, tt.text, tt.months)
		}
	}
	if n := len(YearPeriods(2021)); n != 15 {
		t.Errorf("YearPeriods(2021) has %d periods, want 15", n)
	}
	h1 := ReportPeriod{PeriodHalf, 2021, 1}
	if !h1.Start().Equal(bjAt("2021-01-01 00:00")) || !h1.End().Equal(bjAt("2021-07-01 00:00")) {
		t.Errorf("H1 = [%v, %v), want [2021-01-01, 2021-07-01) Beijing", h1.Start(), h1.End())
	}
}

func TestFrozen(t *testing.T) {
	jun, jul, mar := MonthPeriod(2021, 6), MonthPeriod(2021, 7), MonthPeriod(2021, 3)
	h1 := ReportPeriod{PeriodHalf, 2021, 1}
	year := ReportPeriod{PeriodYear, 2021, 0}
	freezes := []Freeze{
		{ID: 1, Period: jun, Frozen: true, At: bjAt("2021-07-05 10:00")},
		{ID: 2, Period: jun, Frozen: false, Note: "补报", At: bjAt("2021-07-08 10:00")},
		{ID: 3, Period: h1, Frozen: true, At: bjAt("2021-07-20 10:00")},
		{ID: 4, Period: year, Frozen: true, At: bjAt("2022-01-20 10:00")},
	}
	tests := []struct {
		month  ReportPeriod
		at     string
		frozen bool
		by     int64
	}{
		{jun, "2021-07-01 00:00", false, 0},
		{jun, "2021-07-05 10:00", true, 1}, // frozen at the very instant of the freeze
		{jun, "2021-07-06 00:00", true, 1},
		{jun, "2021-07-09 00:00", false, 0}, // unfrozen with a reason
		{jun, "2021-07-21 00:00", true, 3},  // the half year holds June
		{mar, "2021-07-21 00:00", true, 3},
		{jul, "2021-07-21 00:00", false, 0}, // July is in the second half
		{jul, "2022-01-21 00:00", true, 4},
		{jun, "2022-01-21 00:00", true, 3}, // the earliest lock is named
		{MonthPeriod(2022, 6), "2022-07-21 00:00", false, 0},
	}
	for _, tt := range tests {
		f, ok := Frozen(freezes, tt.month, bjAt(tt.at))
		if ok != tt.frozen || f.ID != tt.by {
			t.Errorf("Frozen(%s, %s) = %d, %v, want %d, %v", tt.month, tt.at, f.ID, ok, tt.by, tt.frozen)
		}
	}
	// Order of the rows does not matter.
	rev := []Freeze{freezes[3], freezes[2], freezes[1], freezes[0]}
	if _, ok := Frozen(rev, jun, bjAt("2021-07-09 00:00")); ok {
		t.Errorf("Frozen(reversed rows, June, after unfreeze) = true, want false")
	}
	if err := FrozenError(jun); ErrorCode(err) != ECONFLICT || err.Error() != "2021年6月已封存，如需修改请申请例外" {
		t.Errorf("FrozenError(June) = %v (%s)", err, ErrorCode(err))
	}
}

func TestExceptionAllows(t *testing.T) {
	duty := DutyKey{DutyTask, 3}
	other := DutyKey{DutyTask, 4}
	jun := MonthPeriod(2021, 6)
	const cz, rs = "区财政局", "区人力社保局"
	xs := []FreezeException{
		{ID: 1, Duty: duty, Unit: cz, Period: jun, RequestedAt: bjAt("2021-07-06 09:00")},                                                                                                        // pending
		{ID: 2, Duty: duty, Unit: cz, Period: jun, Decided: true, Granted: false, DecidedAt: bjAt("2021-07-06 10:00")},                                                                           // refused
		{ID: 3, Duty: duty, Unit: cz, ReportID: 9, Period: jun, Decided: true, Granted: true, DecidedAt: bjAt("2021-07-07 10:00")},                                                               // granted for report 9
		{ID: 4, Duty: duty, Unit: cz, Period: ReportPeriod{PeriodHalf, 2021, 1}, Decided: true, Granted: true, DecidedAt: bjAt("2021-07-10 10:00"), Uses: []time.Time{bjAt("2021-07-11 10:00")}}, // used once
		{ID: 5, Duty: other, Unit: rs, Period: jun, Decided: true, Granted: true, DecidedAt: bjAt("2021-07-07 10:00")},                                                                           // 区人力社保局's, duty-wide
	}
	tests := []struct {
		duty   DutyKey
		report int64
		unit   string
		month  ReportPeriod
		at     string
		want   int64
	}{
		{duty, 9, cz, jun, "2021-07-06 12:00", 0},  // only pending and refused then
		{duty, 9, cz, jun, "2021-07-07 10:00", 3},  // granted at that instant
		{duty, 8, cz, jun, "2021-07-08 10:00", 0},  // another report
		{duty, 0, "", jun, "2021-07-08 10:00", 0},  // a closure is not report 9
		{other, 9, cz, jun, "2021-07-08 10:00", 0}, // another duty
		{duty, 9, cz, MonthPeriod(2021, 5), "2021-07-08 10:00", 0},
		{duty, 9, cz, jun, "2021-07-14 10:00", 3},                  // seven days after the grant, still valid
		{duty, 9, cz, jun, "2021-07-14 10:01", 4},                  // 3 expired; the half-year grant 4 holds June, any report of 区财政局
		{duty, 8, cz, MonthPeriod(2021, 3), "2021-07-10 12:00", 4}, // the half-year grant holds March, any report of 区财政局
		{duty, 8, cz, MonthPeriod(2021, 3), "2021-07-11 10:00", 4}, // used once, still open
		{duty, 8, cz, MonthPeriod(2021, 3), "2021-07-17 10:01", 0}, // then expired
		{duty, 9, cz, jun, "2021-07-20 10:00", 0},                  // expired
		// A-F5: an exception opens the reports of the unit that asked, and no other unit's.
		{duty, 9, rs, jun, "2021-07-07 10:00", 0},  // report 9 named, but the report is 区人力社保局's
		{duty, 7, rs, jun, "2021-07-12 10:00", 0},  // duty-wide grant 4 is 区财政局's
		{other, 7, rs, jun, "2021-07-08 10:00", 5}, // 区人力社保局's own duty-wide grant
		{other, 7, cz, jun, "2021-07-08 10:00", 0}, // not for 区财政局's report on it
		{other, 0, "", jun, "2021-07-08 10:00", 5}, // the office's closure of the duty, under a duty-wide grant
		{duty, 0, "", MonthPeriod(2021, 3), "2021-07-12 10:00", 4},
	}
	for _, tt := range tests {
		w := FrozenWrite{Duty: tt.duty, ReportID: tt.report, Unit: tt.unit, Month: tt.month, At: bjAt(tt.at)}
		x, ok := ExceptionAllows(xs, w)
		if x.ID != tt.want || ok != (tt.want != 0) {
			t.Errorf("ExceptionAllows(%s, report %d of %q, %s, %s) = %d, %v, want %d", tt.duty, tt.report, tt.unit, tt.month, tt.at, x.ID, ok, tt.want)
		}
	}
	states := map[int64]ExceptionState{1: ExceptionPending, 2: ExceptionRefused, 3: ExceptionExpired, 4: ExceptionExpired, 5: ExceptionExpired}
	for _, x := range xs {
		if got := x.StateAt(bjAt("2021-08-01 00:00")); got != states[x.ID] {
			t.Errorf("exception %d StateAt(2021-08-01) = %s, want %s", x.ID, got, states[x.ID])
		}
	}
	if n, m := xs[3].UsesAt(bjAt("2021-07-11 09:59")), xs[3].UsesAt(bjAt("2021-07-11 10:00")); n != 0 || m != 1 {
		t.Errorf("UsesAt before and at the use = %d, %d, want 0, 1", n, m)
	}
}

// TestCheckExceptionPeriod: a request names a period frozen as a whole when it is asked (a
// frozen month, or a half or year frozen, itself or through a longer period), and a named
// report's month lies in it (A-F5b).
func TestCheckExceptionPeriod(t *testing.T) {
	h1, h2 := ReportPeriod{PeriodHalf, 2021, 1}, ReportPeriod{PeriodHalf, 2021, 2}
	year := ReportPeriod{PeriodYear, 2021, 0}
	fs := []Freeze{
		{ID: 1, Period: h1, Frozen: true, At: bjAt("2021-07-26 10:00")},
		{ID: 2, Period: MonthPeriod(2021, 8), Frozen: true, At: bjAt("2021-09-02 10:00")},
		{ID: 3, Period: MonthPeriod(2021, 8), Frozen: false, At: bjAt("2021-09-05 10:00")},
		{ID: 4, Period: year, Frozen: true, At: bjAt("2022-01-10 10:00")},
	}
	none := ReportPeriod{}
	tests := []struct {
		period, report ReportPeriod
		at, want       string
	}{
		{MonthPeriod(2021, 6), none, "2021-07-27 09:00", ""},
		{h1, none, "2021-07-27 09:00", ""},
		{MonthPeriod(2021, 3), MonthPeriod(2021, 3), "2021-07-27 09:00", ""},
		{year, none, "2021-07-27 09:00", "2021年全年未整体封存（已封存的：2021年1月至6月），请选择已封存的月份或半年"},
		{h2, none, "2021-09-03 09:00", "2021年下半年未整体封存（已封存的：2021年8月），请选择已封存的月份或半年"},
		{MonthPeriod(2021, 8), none, "2021-09-06 09:00", "2021年8月未封存，可直接报送，无需申请例外"},
		{MonthPeriod(2021, 6), none, "2021-07-26 09:59", "2021年6月未封存，可直接报送，无需申请例外"},
		{h2, none, "2022-01-11 09:00", ""}, // locked through the year
		{year, none, "2022-01-11 09:00", ""},
		{MonthPeriod(2021, 5), MonthPeriod(2021, 6), "2021-07-27 09:00", "所选报告属于2021年6月，不在2021年5月内，请按报告所属的月份申请"},
		{h1, MonthPeriod(2021, 6), "2021-07-27 09:00", ""},
	}
	for _, tt := range tests {
		err := CheckExceptionPeriod(fs, tt.period, tt.report, bjAt(tt.at))
		if got := ErrorMessage(err); err == nil && tt.want != "" || err != nil && got != tt.want {
			t.Errorf("CheckExceptionPeriod(%s, report %s, %s) = %v, want %q", tt.period, tt.report, tt.at, err, tt.want)
		}
	}
}

// TestCheckExceptionDecider: whoever asked for an exception cannot decide it, even with the
// office's role (an office that answers for a duty asks like a unit; another person decides).
func TestCheckExceptionDecider(t *testing.T) {
	x := FreezeException{ID: 7, RequestedBy: "office"}
	if err := CheckExceptionDecider(x, "office"); ErrorCode(err) != EFORBIDDEN {
		t.Errorf("CheckExceptionDecider(by the requester) = %v, want EFORBIDDEN", err)
	}
	if err := CheckExceptionDecider(x, "office2"); err != nil {
		t.Errorf("CheckExceptionDecider(by another) = %v, want nil", err)
	}
}

func TestCheckExceptionReason(t *testing.T) {
	if _, err := CheckExceptionReason("  ", "申请理由"); err == nil || err.Error() != "请填写申请理由" {
		t.Errorf("CheckExceptionReason(blank) = %v, want 请填写申请理由", err)
	}
	if _, err := CheckExceptionReason(string(make([]rune, 501)), "理由"); ErrorCode(err) != EINVALID {
		t.Errorf("CheckExceptionReason(501 runes) = %v, want EINVALID", err)
	}
	if r, err := CheckExceptionReason(" 6月数据录入有误 ", "理由"); err != nil || r != "6月数据录入有误" {
		t.Errorf("CheckExceptionReason = %q, %v", r, err)
	}
}

// TestExceptionAllowsCadreWriter: cadres of every region share the unit 前方挂职干部 but not
// their reports on a work point or task (ReportsByWriter), so a cadre's exception opens only
// the reports that cadre began (N4); on a project (one region's, shared by its cadres) the unit
// binds as for any unit.
func TestExceptionAllowsCadreWriter(t *testing.T) {
	point := DutyKey{DutyPoint, 19}
	project := DutyKey{DutyProject, 4}
	jun := MonthPeriod(2021, 6)
	granted := bjAt("2021-07-07 10:00")
	xs := []FreezeException{
		{ID: 1, Duty: point, Unit: CadreUnit, Period: jun, RequestedBy: "lasa", Decided: true, Granted: true, DecidedAt: granted},                // duty-wide
		{ID: 2, Duty: point, Unit: CadreUnit, ReportID: 185, Period: jun, RequestedBy: "lasa", Decided: true, Granted: true, DecidedAt: granted}, // names wuchuan's report
		{ID: 3, Duty: project, Unit: CadreUnit, Period: jun, RequestedBy: "lasa", Decided: true, Granted: true, DecidedAt: granted},
	}
	at := bjAt("2021-07-08 10:00")
	tests := []struct {
		duty   DutyKey
		report int64
		writer string
		want   int64
	}{
		{point, 180, "lasa", 1},    // lasa's own report, under its duty-wide grant
		{point, 181, "wuchuan", 0}, // wuchuan's report: lasa's duty-wide grant does not open it
		{point, 185, "wuchuan", 0}, // nor does naming it
		{point, 0, "", 1},          // the office's closure of the duty
		{project, 90, "lasa2", 3},  // a project report is its region's: another cadre of the region began it
	}
	for _, tt := range tests {
		w := FrozenWrite{Duty: tt.duty, ReportID: tt.report, Unit: CadreUnit, Writer: tt.writer, Month: jun, At: at}
		x, ok := ExceptionAllows(xs, w)
		if x.ID != tt.want || ok != (tt.want != 0) {
			t.Errorf("ExceptionAllows(%s, report %d by %s) = %d, %v, want %d", tt.duty, tt.report, tt.writer, x.ID, ok, tt.want)
		}
	}
	if !ExceptionBindsWriter(CadreUnit, point) || ExceptionBindsWriter(CadreUnit, project) || ExceptionBindsWriter("区财政局", point) {
		t.Error("ExceptionBindsWriter: want true only for 前方挂职干部 on a work point or task")
	}
}
