package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"xiezuo/gen"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
)

// TestChoosePlanYear: with no year asked (or one without a plan), the plan shown is the year of
// today, else the latest year before today, else the earliest; a year asked that has a plan is
// shown whatever today.
func TestChoosePlanYear(t *testing.T) {
	plans := []sqldb.PlanInfo{{District: "门头沟区", Year: 2021}, {District: "门头沟区", Year: 2022}, {District: "门头沟区", Year: 2024}, {District: "东城区", Year: 2020}}
	for _, c := range []struct {
		name, district, year string
		today                int
		wantDistrict         string
		wantYear             int
	}{
		{"today's year, a later one stored", "", "", 2021, "门头沟区", 2021},
		{"today's year is the latest", "", "", 2022, "门头沟区", 2022},
		{"no plan of today's year: the latest before", "", "", 2023, "门头沟区", 2022},
		{"every plan after today: the earliest", "", "", 2019, "门头沟区", 2021},
		{"after every plan: the latest", "", "", 2030, "门头沟区", 2024},
		{"a stored year asked", "", "2022", 2021, "门头沟区", 2022},
		{"a year without a plan asked: the default", "", "2023", 2021, "门头沟区", 2021},
		{"another district", "东城区", "", 2021, "东城区", 2020},
		{"a district without plans keeps the year asked", "西城区", "2021", 2021, "西城区", 2021},
	} {
		d, y := choosePlan(plans, "门头沟区", c.district, c.year, c.today)
		if d != c.wantDistrict || y != c.wantYear {
			t.Errorf("%s: choosePlan = %s %d, want %s %d", c.name, d, y, c.wantDistrict, c.wantYear)
		}
	}
	if d, y := choosePlan([]sqldb.PlanInfo{{District: "东城区", Year: 2022}}, "门头沟区", "", "", 2021); d != "东城区" || y != 2022 {
		t.Errorf("home without a plan: %s %d, want the first district's earliest year", d, y)
	}
}

// TestDefaultPlanToday: after a 2022 plan is stored, on 15 September 2021 every role's pages
// show the 2021 plan unless 2022 is asked for; from 2022 on, 2022. A year asked without a plan
// is said, with the link to 导入计划 for those who may import.
func TestDefaultPlanToday(t *testing.T) {
	e := newEnv(t)
	*e.clock = time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	generated := gen.Plan(gen.Options{Seed: 7, District: "门头沟区", Year: 2022, Regions: 2, Projects: 4, Points: 2, Tasks: 2, Teams: 1})
	doc := gen.Markdown(generated)
	res, err := plandoc.Parse(gen.FileName(generated, ".md"), doc)
	if err != nil || !res.OK() {
		t.Fatalf("parse generated plan: %v %v", err, res.Errors)
	}
	if _, err := e.db.ImportPlan(t.Context(), res.Plan, doc); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"office", "leader"} {
		c := e.signIn(who)
		r := c.get("/dashboard")
		if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "2021年门头沟区") || strings.Contains(r.body, "早于2022年") {
			t.Errorf("%s on 2021-09-15: /dashboard does not show the 2021 plan: %s", who, excerpt(r.body))
		}
		if r := c.get("/dashboard?year=2022"); !strings.Contains(r.body, "2022年门头沟区") {
			t.Errorf("%s: /dashboard?year=2022 does not show the 2022 plan", who)
		}
	}
	if r := e.signIn("caizheng").get("/"); !strings.Contains(r.body, `href="/plan?district=`+url.QueryEscape("门头沟区")+`&amp;year=2021"`) {
		t.Errorf("a unit's menu on 2021-09-15 is not of 2021: %s", excerpt(r.body))
	}

	// A year asked without a plan: said, with 导入计划 for the office only.
	r := e.signIn("office").get("/indicators?year=2023")
	if !strings.Contains(r.body, "没有2023年的计划，显示的是2021年的计划") || !strings.Contains(r.body, `<a href="/import">导入计划</a>`) {
		t.Errorf("office /indicators?year=2023: no flash with the link to 导入计划: %s", excerpt(r.body))
	}
	r = e.signIn("leader").get("/dashboard?year=2023")
	if !strings.Contains(r.body, "没有2023年的计划，显示的是2021年的计划") || strings.Contains(r.body, `href="/import"`) {
		t.Errorf("leader /dashboard?year=2023: flash missing, or a link to import it may not use")
	}

	*e.clock = time.Date(2022, 1, 3, 10, 0, 0, 0, shanghai)
	if r := e.signIn("leader").get("/dashboard"); !strings.Contains(r.body, "2022年门头沟区") {
		t.Errorf("leader on 2022-01-03: /dashboard does not show the 2022 plan")
	}
}
