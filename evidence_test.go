package xiezuo

import (
	"strings"
	"testing"
	"time"
)

func TestEvidenceLimitsCheck(t *testing.T) {
	l := DefaultEvidenceLimits
	mb := int64(1 << 20)
	have := []Evidence{{Size: 30 * mb}, {Size: 10 * mb}}
	for _, tc := range []struct {
		name  string
		have  []Evidence
		sizes []int64
		code  string
		msg   string
	}{
		{"one photo", nil, []int64{3 * mb}, "", ""},
		{"at the limit", nil, []int64{20 * mb}, "", ""},
		{"a file over the limit", nil, []int64{mb, 21 * mb}, ETOOLARGE, "文件“f1”为 21 MB，超过每个文件 20 MB 的上限：请压缩或拆分后再上传"},
		{"empty file", nil, []int64{0}, EINVALID, "文件“f0”是空文件，请重新选择"},
		{"too many files", nil, make21(mb), ETOOLARGE, "一次进展报告最多附 20 个文件，现为 21 个"},
		{"too much in all", nil, []int64{20 * mb, 20 * mb, 15 * mb}, ETOOLARGE, "一次进展报告的附件合计不能超过 50 MB，现为 55 MB"},
		{"with what the version holds", have, []int64{10*mb + 1}, ETOOLARGE, "一次进展报告的附件合计不能超过 50 MB，现为 50.00 MB"},
		{"just over the limit", nil, []int64{21_000_000}, ETOOLARGE, "文件“f0”为 20.03 MB，超过每个文件 20 MB 的上限"},
		{"fills the version", have, []int64{10 * mb}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			names := make([]string, len(tc.sizes))
			for i := range names {
				names[i] = "f" + string(rune('0'+i))
			}
			err := l.Check(tc.have, names, tc.sizes)
			if ErrorCode(err) != tc.code || (err != nil && !strings.HasPrefix(ErrorMessage(err), tc.msg)) {
				t.Errorf("Check = %v (%s), want %s %q", err, ErrorCode(err), tc.code, tc.msg)
			}
		})
	}
}

func make21(size int64) []int64 {
	s := make([]int64, 21)
	for i := range s {
		s[i] = size
	}
	return s
}

func TestEvidenceName(t *testing.T) {
	long := strings.Repeat("很", 200) + ".pdf"
	for _, tc := range []struct{ in, want string }{
		{"现场.jpg", "现场.jpg"},
		{`C:\fakepath\现场.jpg`, "现场.jpg"},
		{"../../etc/passwd", "passwd"},
		{"a\x00b\x1b.jpg", "ab.jpg"},
		{"  ", "未命名文件"},
		{"..", "未命名文件"},
		{long, strings.Repeat("很", 116) + ".pdf"},
	} {
		if got := EvidenceName(tc.in); got != tc.want {
			t.Errorf("EvidenceName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCanAttach(t *testing.T) {
	p, g := rulesPlan()
	at := func(d int) time.Time { return time.Date(2021, 9, d, 10, 0, 0, 0, time.UTC) }
	point := DutyKey{DutyPoint, 11}
	submitted := &Report{Duty: point, Unit: "区财政局", Versions: []ReportVersion{{Version: 1, State: ReportSubmitted, At: at(1)}}}
	accepted := &Report{Duty: point, Unit: "区财政局", Versions: submitted.Versions, Reviews: []Review{{Version: 1, Decision: DecisionAccept, At: at(2)}}}
	returned := &Report{Duty: point, Unit: "区财政局", Versions: submitted.Versions, Reviews: []Review{{Version: 1, Decision: DecisionReturn, At: at(2)}}}
	project := &Report{Duty: DutyKey{DutyProject, 31}, Unit: CadreUnit, By: "wuchuan", Versions: submitted.Versions}
	cadreTask := &Report{Duty: DutyKey{DutyTask, 22}, Unit: CadreUnit, By: "wuchuan", Versions: submitted.Versions}
	unit := &User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	other := &User{District: "门头沟区", Unit: "区人力社保局", Roles: []string{RoleUnit}}
	twin := &User{District: "房山区", Unit: "区财政局", Roles: []string{RoleUnit}}
	leader := &User{District: "门头沟区", Unit: "区财政局", Roles: []string{RoleLeader}}
	wuchuan := &User{District: "门头沟区", Unit: CadreUnit, Username: "wuchuan", Roles: []string{RoleCadre}, Regions: []string{"内蒙古武川县"}}
	lasa := &User{District: "门头沟区", Unit: CadreUnit, Username: "lasa", Roles: []string{RoleCadre}, Regions: []string{"西藏拉萨堆龙德庆区"}}
	for _, tc := range []struct {
		name string
		u    *User
		r    *Report
		now  time.Time
		code string
	}{
		{"the reporting unit, waiting", unit, submitted, at(3), ""},
		{"before the review, as of then", unit, accepted, at(1), ""},
		{"accepted", unit, accepted, at(3), ECONFLICT},
		{"returned", unit, returned, at(3), ECONFLICT},
		{"another unit", other, submitted, at(3), EFORBIDDEN},
		{"the same unit of another district", twin, submitted, at(3), EFORBIDDEN},
		{"a leader of that unit", leader, submitted, at(3), EFORBIDDEN},
		{"before the report", unit, submitted, time.Date(2021, 8, 1, 0, 0, 0, 0, time.UTC), ENOTFOUND},
		{"the cadre of the project's region", wuchuan, project, at(3), ""},
		{"a cadre of another region on the project (F1)", lasa, project, at(3), EFORBIDDEN},
		{"a cadre on its own task report", wuchuan, cadreTask, at(3), ""},
		{"a cadre on another cadre's task report (F1)", lasa, cadreTask, at(3), EFORBIDDEN},
	} {
		if got := ErrorCode(tc.u.CanAttach(p, g, tc.r, tc.now)); got != tc.code {
			t.Errorf("%s: CanAttach = %q, want %q", tc.name, got, tc.code)
		}
	}
}
