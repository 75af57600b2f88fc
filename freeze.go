package xiezuo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Reporting periods and the freeze (封存). Done, approved and locked are three states (a DHIS2
// lesson): a unit completes a report, the office approves it, and a freeze locks the period it
// belongs to, whatever its state. The lock is a fact about the period, stored as a dated row
// beside the reports, never a change to them; unlocking one write needs an exception with a
// reason, granted by the office.
//
// A report belongs to the month (Beijing time) in which it was begun, its first version:
// later versions and reviews of it belong to that month too, so that freezing June keeps June's
// reports as they stood, while a report begun in July is July's. A report on a plan dated
// outside the plan's year belongs to the nearest month of the year (January or December): the
// closing reports written in January for last year's plan are December's.

// Beijing is the time zone of the office's calendar: periods, due dates and lights are dates
// in it.
var Beijing = time.FixedZone("CST", 8*3600)

// PeriodKind says how long a reporting period is.
type PeriodKind string

// Period kinds: a month, a half year (the half-year summary and assessment), the whole year.
const (
	PeriodMonth PeriodKind = "month"
	PeriodHalf  PeriodKind = "half"
	PeriodYear  PeriodKind = "year"
)

// ReportPeriod is a reporting period of a plan's year: a month (2021-06), a half year
// (2021-H1: January to June, 2021-H2: July to December) or the year (2021). Freezing a period
// freezes every month in it.
type ReportPeriod struct {
	Kind PeriodKind
	Year int
	N    int // the month 1–12, the half 1–2; 0 for the year
}

// MonthPeriod is the month m of year y as a period.
func MonthPeriod(y int, m time.Month) ReportPeriod { return ReportPeriod{PeriodMonth, y, int(m)} }

// PeriodOf is the month t falls in, in Beijing time.
func PeriodOf(t time.Time) ReportPeriod {
	b := t.In(Beijing)
	return MonthPeriod(b.Year(), b.Month())
}

// PlanPeriodOf is the month of plan year year that a report begun at t belongs to: the month
// of t, or January or December when t falls before or after the year.
func PlanPeriodOf(year int, t time.Time) ReportPeriod {
	p := PeriodOf(t)
	switch {
	case p.Year < year:
		return MonthPeriod(year, time.January)
	case p.Year > year:
		return MonthPeriod(year, time.December)
	}
	return p
}

// String writes the period as URLs and storage do: 2021-06, 2021-H1, 2021.
func (p ReportPeriod) String() string {
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case PeriodHalf:
		return fmt.Sprintf("%04d-H%d", p.Year, p.N)
	case PeriodYear:
		return strconv.Itoa(p.Year)
	}
	return ""
}

// Text is the period in words: 2021年6月, 2021年上半年, 2021年全年.
func (p ReportPeriod) Text() string {
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case PeriodHalf:
		return fmt.Sprintf("%d年%s", p.Year, []string{"", "上半年", "下半年"}[p.N])
	case PeriodYear:
		return fmt.Sprintf("%d年全年", p.Year)
	}
	return ""
}

// IsZero reports whether p names no period.
func (p ReportPeriod) IsZero() bool { return p == ReportPeriod{} }

// ParseReportPeriod reads a period as String writes it, for the plan year year (another year
// is refused: a plan's periods are months of its year).
func ParseReportPeriod(s string, year int) (ReportPeriod, error) {
	s = strings.TrimSpace(s)
	bad := Errorf(EINVALID, "报送期“%s”无效，应如 %d-06（月）、%d-H1（上半年）、%d-H2（下半年）或 %d（全年）", s, year, year, year, year)
	ys, rest, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(ys)
	if err != nil || len(ys) != 4 {
		return ReportPeriod{}, bad
	}
	if y != year {
		return ReportPeriod{}, Errorf(EINVALID, "报送期“%s”不在 %d 年度内", s, year)
	}
	switch {
	case !strings.Contains(s, "-"):
		return ReportPeriod{PeriodYear, y, 0}, nil
	case rest == "H1" || rest == "H2":
		return ReportPeriod{PeriodHalf, y, int(rest[1] - '0')}, nil
	}
	m, err := strconv.Atoi(rest)
	if err != nil || len(rest) != 2 || m < 1 || m > 12 {
		return ReportPeriod{}, bad
	}
	return ReportPeriod{PeriodMonth, y, m}, nil
}

// Months lists the months the period covers, in order.
func (p ReportPeriod) Months() []ReportPeriod {
	first, last := p.N, p.N
	switch p.Kind {
	case PeriodHalf:
		first, last = 6*p.N-5, 6*p.N
	case PeriodYear:
		first, last = 1, 12
	case PeriodMonth:
	default:
		return nil
	}
	var ms []ReportPeriod
	for m := first; m <= last; m++ {
		ms = append(ms, ReportPeriod{PeriodMonth, p.Year, m})
	}
	return ms
}

// Contains reports whether the month month lies in the period.
func (p ReportPeriod) Contains(month ReportPeriod) bool {
	if month.Kind != PeriodMonth || month.Year != p.Year {
		return false
	}
	switch p.Kind {
	case PeriodMonth:
		return p.N == month.N
	case PeriodHalf:
		return (month.N-1)/6+1 == p.N
	case PeriodYear:
		return true
	}
	return false
}

// Start is the first instant of the period, in Beijing time.
func (p ReportPeriod) Start() time.Time {
	ms := p.Months()
	if len(ms) == 0 {
		return time.Time{}
	}
	return time.Date(p.Year, time.Month(ms[0].N), 1, 0, 0, 0, 0, Beijing)
}

// End is the first instant after the period, in Beijing time.
func (p ReportPeriod) End() time.Time {
	ms := p.Months()
	if len(ms) == 0 {
		return time.Time{}
	}
	return time.Date(p.Year, time.Month(ms[len(ms)-1].N)+1, 1, 0, 0, 0, 0, Beijing)
}

// YearPeriods lists every period of a plan year that the office may freeze: the twelve months,
// the two halves and the year.
func YearPeriods(year int) []ReportPeriod {
	var ps []ReportPeriod
	for m := 1; m <= 12; m++ {
		ps = append(ps, ReportPeriod{PeriodMonth, year, m})
		if m == 6 || m == 12 {
			ps = append(ps, ReportPeriod{PeriodHalf, year, m / 6})
		}
	}
	return append(ps, ReportPeriod{PeriodYear, year, 0})
}

// Snapshot is what a period held when the office froze it: the counts, and a SHA-256 over
// every report version, review and evidence file of the period in a fixed order, so that the
// assessment can later prove the data did not change.
type Snapshot struct {
	Reports  int
	Versions int
	Reviews  int
	SHA256   string
}

// Freeze is the office freezing a period of a plan (Frozen) or unfreezing it (with a reason):
// a dated fact; the latest of a period at a date applies.
type Freeze struct {
	ID       int64
	Period   ReportPeriod
	Frozen   bool
	Note     string // why: the snapshot's purpose, or the reason for unfreezing
	Snapshot Snapshot
	By       string
	At       time.Time
}

// FreezeAt returns the state of the period p at t: the latest freeze row of exactly that period
// at or before t, and whether there is one.
func FreezeAt(freezes []Freeze, p ReportPeriod, t time.Time) (Freeze, bool) {
	var last Freeze
	ok := false
	for _, f := range freezes {
		if f.Period == p && !f.At.After(t) && (!ok || !f.At.Before(last.At)) {
			last, ok = f, true
		}
	}
	return last, ok
}

// Frozen reports whether the month month is locked at t by the freezes given (any order): some
// period containing it (the month, its half or the year) is frozen at t. It returns the freeze
// that locks it, the earliest one when several do.
func Frozen(freezes []Freeze, month ReportPeriod, t time.Time) (Freeze, bool) {
	var lock Freeze
	locked := false
	seen := map[ReportPeriod]bool{}
	for _, f := range freezes {
		if seen[f.Period] || !f.Period.Contains(month) {
			continue
		}
		seen[f.Period] = true
		if st, ok := FreezeAt(freezes, f.Period, t); ok && st.Frozen && (!locked || st.At.Before(lock.At)) {
			lock, locked = st, true
		}
	}
	return lock, locked
}

// FrozenError is the refusal of a write into a frozen month.
func FrozenError(month ReportPeriod) error {
	return Errorf(ECONFLICT, "%s已封存，如需修改请申请例外", month.Text())
}

// ExceptionState is where a request for an exception to a freeze stands.
type ExceptionState string

// Exception states.
const (
	ExceptionPending ExceptionState = "pending" // asked by the unit, not decided
	ExceptionGranted ExceptionState = "granted" // the office allows writes, until ExceptionValidDays after the grant
	ExceptionRefused ExceptionState = "refused" // the office said no, with its reason
	ExceptionExpired ExceptionState = "expired" // granted, and its time is over
)

// Text is the state in words.
func (s ExceptionState) Text() string {
	return map[ExceptionState]string{ExceptionPending: "待审批", ExceptionGranted: "已准许（可修改）", ExceptionRefused: "已拒绝",
		ExceptionExpired: "已到期"}[s]
}

// ExceptionValidDays is how long a granted exception stays open: the writes it allows are made
// within this many days of the grant. A correction takes more than one write (the unit's new
// version, the office's review of it, perhaps a return and another version), so an exception
// opens its report (or its duty) for a time rather than for one write; every write made under
// it is recorded as a use, and a grant does not keep the period open for ever.
const ExceptionValidDays = 7

// FreezeException is a unit's request to change one duty's data (or one report of it) in a
// frozen month, and what became of it. Request, decision and each use are dated facts.
type FreezeException struct {
	ID          int64
	Duty        DutyKey
	ReportID    int64 // the report to change; 0 for a new report on the duty
	Period      ReportPeriod
	Unit        string // the unit that asked
	Reason      string
	RequestedBy string
	RequestedAt time.Time

	Decided     bool
	Granted     bool
	Answer      string // the office's reason
	DecidedBy   string
	DecidedAt   time.Time
	Uses        []time.Time // when each write made under it was made, in order
	DutyTitle   string      // for pages: the duty in words
	PeriodLabel string      // for pages
}

// StateAt is the exception's state at t.
func (x FreezeException) StateAt(t time.Time) ExceptionState {
	switch {
	case !x.Decided || x.DecidedAt.After(t):
		return ExceptionPending
	case !x.Granted:
		return ExceptionRefused
	case t.After(x.DecidedAt.AddDate(0, 0, ExceptionValidDays)):
		return ExceptionExpired
	}
	return ExceptionGranted
}

// UsesAt counts the writes made under the exception up to t.
func (x FreezeException) UsesAt(t time.Time) int {
	n := 0
	for _, u := range x.Uses {
		if !u.After(t) {
			n++
		}
	}
	return n
}

// FrozenWrite is a write into a frozen month as ExceptionAllows weighs it.
type FrozenWrite struct {
	Duty DutyKey
	// ReportID is the report written (its new version, a review of it, evidence on it); 0 for
	// a write on the duty itself (the office's closure).
	ReportID int64
	// Unit is the unit whose report it is, whoever writes: the office's review of a version
	// is a write on the reporting unit's data. "" for a closure.
	Unit string
	// Writer is who began the report (Report.By): with ExceptionBindsWriter it, not the unit,
	// is whose data the write changes.
	Writer string
	Month  ReportPeriod // the month the write belongs to
	At     time.Time
}

// ExceptionBindsWriter reports whether an exception unit asks for on duty key binds its
// asker rather than its unit: the cadres of every region share the unit 前方挂职干部 but each
// writes its own reports on a work point or a task (ReportsByWriter), so a cadre may name only
// a report it began, and its exception opens only those (N4). A project's reports are its
// region's, shared by the cadres of that region, and the unit binds as for any unit.
func ExceptionBindsWriter(unit string, key DutyKey) bool {
	return unit == CadreUnit && key.Kind != DutyProject
}

// ExceptionAllows finds the exception that allows the write w: granted and not expired at
// w.At, on w's duty, for a period holding w's month, and bound to the unit that asked for it
// (A-F5): a report is opened only by an exception of its own unit that names it or names no
// report (the unit's reports on the duty); another unit answering for the same duty gains
// nothing from it; a cadre's exception opens only the reports that cadre began
// (ExceptionBindsWriter). A write on the duty itself (a closure, by the office) is opened by an
// exception on the duty that names no report. ok is false when none allows it.
func ExceptionAllows(xs []FreezeException, w FrozenWrite) (FreezeException, bool) {
	for _, x := range xs {
		if x.Duty != w.Duty || !x.Period.Contains(w.Month) || x.StateAt(w.At) != ExceptionGranted {
			continue
		}
		if w.ReportID == 0 && x.ReportID == 0 ||
			w.ReportID != 0 && x.Unit != "" && x.Unit == w.Unit && (x.ReportID == 0 || x.ReportID == w.ReportID) &&
				(!ExceptionBindsWriter(x.Unit, x.Duty) || x.RequestedBy != "" && x.RequestedBy == w.Writer) {
			return x, true
		}
	}
	return FreezeException{}, false
}

// CheckExceptionPeriod says whether a unit may ask at t for an exception on period p: every
// month of p must be frozen at t (a frozen month, or a half or year frozen itself or through
// a longer period holding it), since an exception on a period only partly frozen would open
// months frozen later without anyone having asked for them (A-F5b). reportMonth, when the
// request names a report, is the month the report belongs to, which p must hold.
func CheckExceptionPeriod(freezes []Freeze, p ReportPeriod, reportMonth ReportPeriod, t time.Time) error {
	var frozen []ReportPeriod
	months := p.Months()
	for _, m := range months {
		if _, ok := Frozen(freezes, m, t); ok {
			frozen = append(frozen, m)
		}
	}
	switch {
	case len(months) == 0:
		return Errorf(EINVALID, "请选择封存的月份或半年")
	case len(frozen) == 0:
		return Errorf(ECONFLICT, "%s未封存，可直接报送，无需申请例外", p.Text())
	case len(frozen) < len(months):
		return Errorf(ECONFLICT, "%s未整体封存（已封存的：%s），请选择已封存的月份或半年", p.Text(), monthsText(frozen))
	case !reportMonth.IsZero() && !p.Contains(reportMonth):
		return Errorf(EINVALID, "所选报告属于%s，不在%s内，请按报告所属的月份申请", reportMonth.Text(), p.Text())
	}
	return nil
}

// monthsText writes months of one year (in order) as runs: 2021年1月至6月、2021年8月.
func monthsText(ms []ReportPeriod) string {
	var parts []string
	for i := 0; i < len(ms); {
		j := i
		for j+1 < len(ms) && ms[j+1].N == ms[j].N+1 {
			j++
		}
		if j == i {
			parts = append(parts, ms[i].Text())
		} else {
			parts = append(parts, fmt.Sprintf("%s至%d月", ms[i].Text(), ms[j].N))
		}
		i = j + 1
	}
	return strings.Join(parts, "、")
}

// CheckExceptionDecider refuses the decision on exception x by username when that person
// asked for it: an office that answers for a duty asks like a unit, and another person of
// the office decides, so that nobody opens frozen data on their own word.
func CheckExceptionDecider(x FreezeException, username string) error {
	if username != "" && username == x.RequestedBy {
		return Errorf(EFORBIDDEN, "第 %d 号例外申请是本人提出的，不能由本人审批，请由办公室其他人员审批", x.ID)
	}
	return nil
}

// CheckExceptionReason checks the reason of a request or of the office's decision: required,
// at most 500 characters, no control characters.
func CheckExceptionReason(reason, what string) (string, error) {
	r := strings.TrimSpace(reason)
	switch n := len([]rune(r)); {
	case n == 0:
		return "", Errorf(EINVALID, "请填写%s", what)
	case n > 500:
		return "", Errorf(EINVALID, "%s最多 500 字，现为 %d 字", what, n)
	}
	if HasControl(r) {
		return "", Errorf(EINVALID, "%s含有不可见的控制字符，请重新输入", what)
	}
	return r, nil
}
