package xiezuo

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDeadline(t *testing.T) {
	tests := []struct {
		in   string
		want []string // dates; nil for an open deadline
		ok   bool
	}{
		{"10月底前", []string{"2021-10-31"}, true},
		{"8月底前", []string{"2021-08-31"}, true},
		{"2月底前", []string{"2021-02-28"}, true},
		{"6月30日前", []string{"2021-06-30"}, true},
		{"12月20日前", []string{"2021-12-20"}, true},
		{"全年", []string{"2021-12-31"}, true},
		{"年底前", []string{"2021-12-31"}, true},
		{"6月底前、12月底前", []string{"2021-06-30", "2021-12-31"}, true},
		{"6月底前，12月底前", []string{"2021-06-30", "2021-12-31"}, true},
		{"2022年3月底前", []string{"2022-03-31"}, true},
		{"上半年", []string{"2021-06-30"}, true},
		{"三季度末", []string{"2021-09-30"}, true},
		{"2021-09-30", []string{"2021-09-30"}, true},
		{"9月底前开工、12月底前完工", []string{"2021-09-30", "2021-12-31"}, true},
		{"2022年9月", []string{"2022-09-30"}, true},
		{"9月", []string{"2021-09-30"}, true},
		{"11月中旬", []string{"2021-11-20"}, true},
		{"3月上旬前", []string{"2021-03-10"}, true},
		{"2月下旬", []string{"2021-02-28"}, true},
		{"2020年10月底", []string{"2020-10-31"}, true},
		{"13月中旬", nil, false},
		{"按选派和培训计划完成", nil, true},
		{"持续推进", nil, true},
		{"长期", nil, true},
		{"", nil, true},
		{"13月底前", nil, false},
		{"2月30日前", nil, false},
		{"0月底前", nil, false},
	}
	for _, tt := range tests {
		d, ok := ParseDeadline(tt.in, 2021)
		var got []string
		for _, x := range d.Dates {
			got = append(got, x.String())
		}
		if ok != tt.ok {
			t.Errorf("ParseDeadline(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDeadline(%q) (-want +got):\n%s", tt.in, diff)
		}
		if d.Text != tt.in || d.Open() != (tt.want == nil) {
			t.Errorf("ParseDeadline(%q) = text %q open %v", tt.in, d.Text, d.Open())
		}
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in            string
		start, finish string
		bad           bool
	}{
		{"2021年6月-2021年9月", "2021-06", "2021-09", false},
		{"2021年6-2021年10月", "2021-06", "2021-10", false},
		{"2022.4-2022.12", "2022-04", "2022-12", false},
		{"2022年5月至9月", "2022-05", "2022-09", false},
		{"2021年11月-2022年3月", "2021-11", "2022-03", false},
		{"2021年6月—2021年9月", "2021-06", "2021-09", false},
		{"6月-9月", "2021-06", "2021-09", false},
		{"2021年6月", "2021-06", "2021-06", false},
		{"", "", "", false},
		{"2021年13月-2021年9月", "", "", true},
		{"2021年9月-2021年6月", "", "", true},
		{"2021年", "", "", true},
		{"开工后三个月", "", "", true},
	}
	for _, tt := range tests {
		p, msg := ParsePeriod(tt.in, 2021)
		if (msg != "") != tt.bad {
			t.Errorf("ParsePeriod(%q) message = %q, want bad = %v", tt.in, msg, tt.bad)
			continue
		}
		if !tt.bad && (p.Start.String() != tt.start || p.Finish.String() != tt.finish) {
			t.Errorf("ParsePeriod(%q) = %s–%s, want %s–%s", tt.in, p.Start, p.Finish, tt.start, tt.finish)
		}
	}
}

func TestDateScan(t *testing.T) {
	var d Date
	for _, src := range []any{"2021-06-18", []byte("2021-06-18"), "2021-06-18T00:00:00Z"} {
		if err := d.Scan(src); err != nil || d != (Date{2021, 6, 18}) {
			t.Errorf("Scan(%v) = %v, %v, want 2021-06-18", src, d, err)
		}
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v, want zero", d, err)
	}
}

// TestDateBefore checks the order of days, across months and years, and the zero Date first.
func TestDateBefore(t *testing.T) {
	for _, c := range []struct {
		a, b Date
		want bool
	}{
		{NewDate(2021, 3, 1), NewDate(2021, 3, 2), true},
		{NewDate(2021, 3, 2), NewDate(2021, 3, 1), false},
		{NewDate(2021, 3, 1), NewDate(2021, 3, 1), false},
		{NewDate(2021, 2, 28), NewDate(2021, 3, 1), true},
		{NewDate(2021, 12, 31), NewDate(2022, 1, 1), true},
		{NewDate(2022, 1, 1), NewDate(2021, 12, 31), false},
		{NewDate(2021, 10, 1), NewDate(2021, 9, 30), false}, // 10 > 9 though "10" < "9" as text
		{Date{}, NewDate(2021, 1, 1), true},
		{NewDate(2021, 1, 1), Date{}, false},
		{Date{}, Date{}, false},
	} {
		if got := c.a.Before(c.b); got != c.want {
			t.Errorf("%v.Before(%v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
