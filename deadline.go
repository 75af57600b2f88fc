package xiezuo

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date without a time of day (a deadline is a date). The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, normalised like time.Date (day 0 of a month is the last day of the
// month before).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("parse date %q: %w", s, err)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is a day before o. The zero Date is before every other date.
func (d Date) Before(o Date) bool {
	if d.Year != o.Year {
		return d.Year < o.Year
	}
	if d.Month != o.Month {
		return d.Month < o.Month
	}
	return d.Day < o.Day
}

// String writes YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Value stores a date as YYYY-MM-DD (a DATE on PostgreSQL, TEXT on SQLite); the zero Date as NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored by Value.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
		return nil
	case string:
		p, err := ParseDate(v[:min(len(v), 10)])
		*d = p
		return err
	case []byte:
		return d.Scan(string(v))
	}
	return fmt.Errorf("scan date from %T", src)
}

// Deadline is a task's 完成时限: the text as written and the date(s) it means. An open
// deadline (按计划完成, 持续推进) has no date.
type Deadline struct {
	Text  string
	Dates []Date
}

// Open reports whether the deadline names no date.
func (d Deadline) Open() bool { return len(d.Dates) == 0 }

// deadlineVerb is what a deadline may say is due by then: 9月底前开工、12月底前完工.
const deadlineVerb = `(?:完成|开工|完工|竣工|建成|启动|到位|实施|落实|签订|召开|拨付)?`

var (
	reDeadlineMonthEnd = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份)?(?:前|之前|以前|内)?` + deadlineVerb + `$`)
	reDeadlineTenDays  = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(上旬|中旬|下旬)(?:末)?(?:前|之前|以前)?` + deadlineVerb + `$`)
	reDeadlineDay      = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前|之前|以前)?` + deadlineVerb + `$`)
	reDeadlineISO      = regexp.MustCompile(`^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:前)?$`)
	reDeadlineYearEnd  = regexp.MustCompile(`^(?:(\d{4})年)?(?:全年|年底前?|年末前?|年内|12月底前?)(?:完成)?$`)
	reDeadlineHalf     = regexp.MustCompile(`^(?:(\d{4})年)?(上半年|下半年)(?:完成)?$`)
	reDeadlineQuarter  = regexp.MustCompile(`^(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?(?:前)?(?:完成)?$`)
	deadlineSplit      = regexp.MustCompile(`[、，,；;/和及]|\s+`)
)

// ParseDeadline reads a deadline as offices write it (10月底前, 6月30日前, 全年, 6月底前、12月底前,
// 9月底前开工、12月底前完工, 2022年9月, 11月中旬) for the plan year. A bare month means its end;
// 上旬, 中旬 and 下旬 end on the 10th, the 20th and the month's last day. It returns ok=false when a part looks like a date but is not a real one
// (13月底前, 2月30日前); phrases that name no date (按选派和培训计划完成) give an open deadline.
func ParseDeadline(text string, year int) (Deadline, bool) {
	d := Deadline{Text: strings.TrimSpace(text)}
	s := strings.ReplaceAll(d.Text, " ", "")
	if s == "" {
		return d, true
	}
	var dates []Date
	for _, part := range deadlineSplit.Split(s, -1) {
		if part == "" {
			continue
		}
		date, matched, ok := parseDeadlinePart(part, year)
		if !ok {
			return d, false
		}
		if !matched {
			// An open phrase: the whole deadline is open unless other parts name dates.
			continue
		}
		dates = append(dates, date)
	}
	d.Dates = dates
	return d, true
}

func parseDeadlinePart(s string, year int) (d Date, matched, ok bool) {
	y := func(m string) int {
		if m == "" {
			return year
		}
		n, _ := strconv.Atoi(m)
		return n
	}
	if m := reDeadlineYearEnd.FindStringSubmatch(s); m != nil {
		return Date{y(m[1]), 12, 31}, true, true
	}
	if m := reDeadlineMonthEnd.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return Date{}, true, false
		}
		return NewDate(y(m[1]), time.Month(mo)+1, 0), true, true
	}
	if m := reDeadlineTenDays.FindStringSubmatch(s); m != nil {
		// 上旬 ends on the 10th, 中旬 on the 20th, 下旬 with the month.
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return Date{}, true, false
		}
		switch m[3] {
		case "上旬":
			return NewDate(y(m[1]), time.Month(mo), 10), true, true
		case "中旬":
			return NewDate(y(m[1]), time.Month(mo), 20), true, true
		}
		return NewDate(y(m[1]), time.Month(mo)+1, 0), true, true
	}
	if m := reDeadlineDay.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		return realDate(y(m[1]), mo, day)
	}
	if m := reDeadlineISO.FindStringSubmatch(s); m != nil {
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		return realDate(y(m[1]), mo, day)
	}
	if m := reDeadlineHalf.FindStringSubmatch(s); m != nil {
		if m[2] == "上半年" {
			return Date{y(m[1]), 6, 30}, true, true
		}
		return Date{y(m[1]), 12, 31}, true, true
	}
	if m := reDeadlineQuarter.FindStringSubmatch(s); m != nil {
		q := strings.Index("一二三四", m[2])/3 + 1
		if q <= 0 {
			q, _ = strconv.Atoi(m[2])
		}
		return NewDate(y(m[1]), time.Month(q*3)+1, 0), true, true
	}
	return Date{}, false, true
}

func realDate(y, m, d int) (Date, bool, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, true, false
	}
	nd := NewDate(y, time.Month(m), d)
	if nd.Month != time.Month(m) {
		return Date{}, true, false
	}
	return nd, true, true
}

// YearMonth is a month of a year; the zero value is unknown.
type YearMonth struct {
	Year  int
	Month int
}

// IsZero reports whether the month is unknown.
func (ym YearMonth) IsZero() bool { return ym == YearMonth{} }

// String writes YYYY-MM, or "" when unknown.
func (ym YearMonth) String() string {
	if ym.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", ym.Year, ym.Month)
}

// Before reports whether ym is an earlier month than o.
func (ym YearMonth) Before(o YearMonth) bool {
	return ym.Year*12+ym.Month < o.Year*12+o.Month
}

// Period is a project's planned start and finish (开工竣工时间).
type Period struct {
	Text   string
	Start  YearMonth
	Finish YearMonth
}

var (
	rePeriodPart = regexp.MustCompile(`^(?:(\d{4})\s*(?:年|[.\-/]))?\s*(\d{1,2})\s*月?(?:份)?$`)
	rePeriodSep  = regexp.MustCompile(`\s*(?:-|—|–|－|~|～|至|到)\s*`)
)

// ParsePeriod reads a start–finish range as offices write it: 2021年6月-2021年9月,
// 2021年6-2021年10月, 2022.4-2022.12, 2022年5月至9月. A single month means start and finish in
// the same month. The finish year defaults to the start year, the start year to year.
// It returns a Chinese message saying what is wrong when the text is not such a range.
func ParsePeriod(text string, year int) (Period, string) {
	// Bytes that are not UTF-8 (a damaged cell) are kept as U+FFFD: the text is stored and
	// shown in messages, and PostgreSQL refuses such bytes.
	p := Period{Text: strings.ToValidUTF8(strings.TrimSpace(text), "\uFFFD")}
	if p.Text == "" {
		return p, ""
	}
	parts := rePeriodSep.Split(p.Text, -1)
	if len(parts) > 2 || parts[0] == "" {
		return p, fmt.Sprintf("开工竣工时间“%s”无法识别，应写作“2021年6月-2021年9月”", p.Text)
	}
	var yms []YearMonth
	prevYear := year
	for _, part := range parts {
		m := rePeriodPart.FindStringSubmatch(part)
		if m == nil {
			return p, fmt.Sprintf("开工竣工时间“%s”无法识别，应写作“2021年6月-2021年9月”", p.Text)
		}
		y := prevYear
		if m[1] != "" {
			y, _ = strconv.Atoi(m[1])
		}
		mo, _ := strconv.Atoi(m[2])
		if mo < 1 || mo > 12 {
			return p, fmt.Sprintf("开工竣工时间“%s”中的月份 %d 不在 1–12 之间", p.Text, mo)
		}
		if y < 1990 || y > 2100 {
			return p, fmt.Sprintf("开工竣工时间“%s”中的年份 %d 不合理", p.Text, y)
		}
		yms = append(yms, YearMonth{y, mo})
		prevYear = y
	}
	p.Start = yms[0]
	p.Finish = yms[len(yms)-1]
	if p.Finish.Before(p.Start) {
		return p, fmt.Sprintf("开工竣工时间“%s”的竣工月份早于开工月份", p.Text)
	}
	return p, ""
}
