package web

import (
	"regexp"
	"strings"
	"testing"

	"xiezuo"
)

// TestHomeRedFirst: a unit's home lists its red work points first, then yellow, then the rest,
// whatever their numbers: 区财政局 reported on point 3 in August, so points 8 and 17 (red)
// come before it.
func TestHomeRedFirst(t *testing.T) {
	e := newEnv(t)
	point3 := dutyOf(t, e, xiezuo.DutyPoint, 3)
	e.seedReport(point3, "区财政局", "", "caizheng", at("2021-08-20", "10:00"))
	page := e.signIn("caizheng").get("/?year=2021&district=门头沟区")
	i := strings.Index(page.body, `<ol class="points">`)
	if i < 0 {
		t.Fatalf("no work points on the home page:\n%s", head(noticeText(page.body)))
	}
	list := page.body[i:]
	list = list[:strings.Index(list, "</ol>")]
	var got []string
	for _, m := range regexp.MustCompile(`<li value="(\d+)">`).FindAllStringSubmatch(list, -1) {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "8 17 3" {
		t.Errorf("home work points in the order %v, want 8 17 3 (red first):\n%s", got, noticeText(list))
	}
}

// TestRatesNote: the rates on the supervision page say what each row counts: a work team's by
// duty (any report to the office, a cadre's on a project included), a unit's by its own
// reports; so the two rows of a team lead and its team can differ.
func TestRatesNote(t *testing.T) {
	e := newEnv(t)
	page := e.signIn("renshe").get("/supervision?year=2021&district=门头沟区")
	text := noticeText(page.body)
	if page.StatusCode != 200 || !strings.Contains(text, "专班、协作地区和全年按 事项 计") || !strings.Contains(text, "单位按 本单位自己 的报送计") {
		t.Errorf("renshe's /supervision = %d, no note on what the rows count:\n%s", page.StatusCode, head(text))
	}
}
