package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/plandoc"
)

// TestPlanTablesReadBack: every downloaded table that is one of the plan's tables (the work
// teams, the task list, the project table) reads back with xiezuo check: its title names the
// year and the district, and it holds the plan's rows.
func TestPlanTablesReadBack(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	q := "?year=2021&district=" + url.QueryEscape("门头沟区") + "&format=xlsx"
	for _, path := range []string{"/teams", "/tasks", "/projects"} {
		r := c.get(path + q)
		res, err := plandoc.Parse("download.xlsx", []byte(r.body))
		if err != nil || !res.OK() {
			t.Errorf("check of the %s download: %v %v", path, err, res.Errors)
			continue
		}
		s := res.Summary()
		if s.Year != 2021 || s.District != "门头沟区" {
			t.Errorf("%s download read back as %d %s, want 2021 门头沟区", path, s.Year, s.District)
		}
		switch path {
		case "/teams":
			if len(res.Plan.Teams) != len(plan.Teams) {
				t.Errorf("teams download read back %d teams, want %d", len(res.Plan.Teams), len(plan.Teams))
			}
			for i := range min(len(res.Plan.Teams), len(plan.Teams)) {
				if got, want := res.Plan.Teams[i], plan.Teams[i]; got.Name != want.Name || strings.Join(got.Leads, "、") != strings.Join(want.Leads, "、") {
					t.Errorf("team %d read back = %s %v, want %s %v", i+1, got.Name, got.Leads, want.Name, want.Leads)
				}
			}
		case "/tasks":
			if len(res.Plan.Tasks) != len(plan.Tasks) {
				t.Errorf("tasks download read back %d tasks, want %d", len(res.Plan.Tasks), len(plan.Tasks))
			}
			for i := range min(len(res.Plan.Tasks), len(plan.Tasks)) {
				if got, want := res.Plan.Tasks[i], plan.Tasks[i]; got.WorkItem != want.WorkItem || got.Category != want.Category || got.Deadline.Text != want.Deadline.Text {
					t.Errorf("task %d read back = %s／%s／%s, want %s／%s／%s", i+1, got.WorkItem, got.Category, got.Deadline.Text, want.WorkItem, want.Category, want.Deadline.Text)
				}
			}
		case "/projects":
			if s.Projects != len(plan.Projects) {
				t.Errorf("projects download read back %d projects, want %d", s.Projects, len(plan.Projects))
			}
		}
	}
}

// TestRegionPageTotal: a region's page has a 合计 row over its projects, whose names link to
// their own pages.
func TestRegionPageTotal(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	body := c.get("/regions/" + url.PathEscape("神农架林区") + "?year=2021&district=" + url.QueryEscape("门头沟区")).body
	m := regexp.MustCompile(`<tr class="total"><td colspan="3" class="label">合计（(\d+)个）</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>`).FindStringSubmatch(body)
	if m == nil || m[1] != "2" || m[2] != "70" || m[3] != "150" {
		t.Errorf("合计 row of 神农架林区 = %v, want 2 projects, 70 万元, 150 人", m)
	}
	if links := regexp.MustCompile(`<a href="/projects/\d+\?`).FindAllString(body, -1); len(links) != 2 {
		t.Errorf("神农架林区's page links to %d project pages, want 2", len(links))
	}
	body = c.get("/search?year=2021&district=" + url.QueryEscape("门头沟区") + "&q=" + url.QueryEscape("高山玫瑰")).body
	if !regexp.MustCompile(`<a href="/projects/\d+\?`).MatchString(body) {
		t.Errorf("a project found by search does not link to its page")
	}
}

// TestFilteredDownloadKeepsNumbersAndRanges: a project table filtered within regions (by lead
// unit) downloads with the plan's own 序号, so that importing it back changes nothing, and
// writes beneficiary villages known only as a range blank, with the range in its note, never
// the least as if it were the figure.
func TestFilteredDownloadKeepsNumbersAndRanges(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	plan, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	r := c.get("/projects?year=2021&district=" + url.QueryEscape("门头沟区") + "&lead=" + url.QueryEscape("区农业农村局") + "&format=xlsx")
	if cd, _ := url.PathUnescape(r.Header.Get("Content-Disposition")); !strings.Contains(cd, "项目计划表（项目牵头单位：区农业农村局）.xlsx") {
		t.Errorf("filtered download named %q, want its filter in the name", cd)
	}
	res, err := plandoc.Parse("download.xlsx", []byte(r.body))
	if err != nil || !res.OK() {
		t.Fatalf("check of the filtered download: %v %v", err, res.Errors)
	}
	number := map[string]int{}
	for _, p := range plan.Projects {
		number[p.Region+"/"+p.Name] = p.Number
	}
	if len(res.Plan.Projects) == 0 {
		t.Fatal("the filtered download holds no project")
	}
	for _, p := range res.Plan.Projects {
		if want := number[p.Region+"/"+p.Name]; p.Number != want {
			t.Errorf("%s read back as 序号 %d, want the plan's %d", p.Name, p.Number, want)
		}
	}
	for _, s := range res.Plan.Subtotals {
		if s.Villages.Valid && s.Level == xiezuo.LevelTotal {
			t.Errorf("合计 of a download cut within regions states %d villages, want blank (a range)", s.Villages.V)
		}
	}
	// Imported back, it changes nothing.
	if r := c.postMultipart("/import", "file", "filtered.xlsx", []byte(r.body)); !strings.Contains(r.body, "完全一致") {
		t.Errorf("importing the filtered download back proposes changes: %s", excerpt(r.body))
	}
}
