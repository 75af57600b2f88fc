package gen

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"xiezuo"
	"xiezuo/plandoc"
)

// sizes are the plans every test reads back: small and large, every part and some parts.
var sizes = []Options{
	{Seed: 1, District: "门头沟区", Regions: 1, Projects: 3},
	{Seed: 2, District: "怀柔区", Regions: 5, Projects: 200},
	{Seed: 3},
	{Seed: 4, District: "房山区", Year: 2020, Regions: 8, Projects: 120, Points: 40, Tasks: 60, Teams: 16},
	{Seed: 5, District: "延庆区", Year: 2023, Regions: 16, Projects: 600},
	{Seed: 6, District: "石景山区", Regions: 2, Projects: 10, Points: 2, Tasks: 1, Teams: 1},
	{Seed: 7, District: "通州区", Regions: 3, Projects: 30, Points: -1, Tasks: -1, Teams: -1},
	{Seed: 8, District: "朝阳区", Projects: -1},
}

func name(o Options) string {
	return fmt.Sprintf("seed%d/%dregions/%dprojects", o.Seed, o.Regions, o.Projects)
}

// ignoreProvenance leaves out what a reader adds about the document itself.
var ignoreSummaryFile = cmpopts.IgnoreFields(xiezuo.Summary{}, "File", "Errors", "Warnings")

func parse(t *testing.T, file string, data []byte) *plandoc.Result {
	t.Helper()
	res, err := plandoc.Parse(file, data)
	if err != nil {
		t.Fatalf("plandoc.Parse(%s) error: %v", file, err)
	}
	for _, e := range res.Errors {
		t.Errorf("plandoc.Parse(%s) error at line %d (%s): %s", file, e.Line, e.Sheet, e.Message)
	}
	for _, w := range res.Warnings {
		t.Errorf("plandoc.Parse(%s) warning at line %d (%s): %s", file, w.Line, w.Sheet, w.Message)
	}
	return res
}

func TestMarkdownSummary(t *testing.T) {
	for _, o := range sizes {
		t.Run(name(o), func(t *testing.T) {
			p := Plan(o)
			res := parse(t, "x.md", Markdown(p))
			if diff := cmp.Diff(xiezuo.Summarize(p), res.Summary(), ignoreSummaryFile); diff != "" {
				t.Errorf("Summary of Parse(Markdown(p)) differs from Summarize(p) (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMarkdownPlan reads the whole plan back, not only its summary: every work point, team,
// task, project and subtotal as generated. Only the reader's notes on the document (positions,
// source) are left out.
func TestMarkdownPlan(t *testing.T) {
	for _, o := range sizes {
		t.Run(name(o), func(t *testing.T) {
			p := Plan(o)
			res := parse(t, "x.md", Markdown(p))
			opts := cmp.Options{
				cmpopts.IgnoreTypes(xiezuo.Pos{}, xiezuo.Source{}),
				cmpopts.EquateEmpty(),
			}
			if diff := cmp.Diff(p, res.Plan, opts); diff != "" {
				t.Errorf("Parse(Markdown(p)).Plan differs from p (-want +got):\n%s", diff)
			}
		})
	}
}

// tableSummary is the part of the summary a project table alone gives.
func tableSummary(s xiezuo.Summary) xiezuo.Summary {
	return xiezuo.Summary{Year: s.Year, District: s.District, Projects: s.Projects, Totals: s.Totals, Regions: s.Regions}
}

func TestCSV(t *testing.T) {
	for _, o := range sizes {
		t.Run(name(o), func(t *testing.T) {
			p := Plan(o)
			if len(p.Projects) == 0 {
				t.Skip("no project table")
			}
			res := parse(t, "x.csv", CSV(p))
			if diff := cmp.Diff(tableSummary(xiezuo.Summarize(p)), tableSummary(res.Summary())); diff != "" {
				t.Errorf("Summary of Parse(CSV(p)) differs from Summarize(p) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(p.Projects, res.Plan.Projects, cmpopts.IgnoreTypes(xiezuo.Pos{})); diff != "" {
				t.Errorf("Parse(CSV(p)).Plan.Projects differs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(p.Subtotals, res.Plan.Subtotals, cmpopts.IgnoreTypes(xiezuo.Pos{})); diff != "" {
				t.Errorf("Parse(CSV(p)).Plan.Subtotals differs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWorkbook(t *testing.T) {
	for _, o := range sizes {
		t.Run(name(o), func(t *testing.T) {
			p := Plan(o)
			if len(p.Projects) == 0 {
				t.Skip("no project table")
			}
			data, err := Workbook(p)
			if err != nil {
				t.Fatalf("Workbook: %v", err)
			}
			res := parse(t, "x.xlsx", data)
			if diff := cmp.Diff(tableSummary(xiezuo.Summarize(p)), tableSummary(res.Summary())); diff != "" {
				t.Errorf("Summary of Parse(Workbook(p)) differs from Summarize(p) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(p.Projects, res.Plan.Projects, cmpopts.IgnoreTypes(xiezuo.Pos{})); diff != "" {
				t.Errorf("Parse(Workbook(p)).Plan.Projects differs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, o := range sizes {
		a, b := Plan(o), Plan(o)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("Plan(%+v) differs between two calls:\n%s", o, diff)
		}
		if !bytes.Equal(Markdown(a), Markdown(b)) {
			t.Errorf("Markdown(Plan(%+v)) differs between two calls", o)
		}
	}
	if a, b := Markdown(Plan(Options{Seed: 1})), Markdown(Plan(Options{Seed: 2})); bytes.Equal(a, b) {
		t.Errorf("seeds 1 and 2 gave the same plan")
	}
}

// TestRules checks what the checker asks of every plan directly on the generated plan, so that
// a failure says whether the generator or the reader is wrong.
func TestRules(t *testing.T) {
	for _, o := range sizes {
		p := Plan(o)
		for _, pr := range p.Projects {
			if pr.DistrictFund.V > pr.TotalInvestment.V {
				t.Errorf("%s: district fund %d > total investment %d", pr.Name, pr.DistrictFund.V, pr.TotalInvestment.V)
			}
			if pr.DistrictFund.V%(xiezuo.FenPerWan/100) != 0 {
				t.Errorf("%s: district fund %s 万元 has more than two decimals", pr.Name, xiezuo.FormatWan(pr.DistrictFund.V))
			}
			for _, ym := range []xiezuo.YearMonth{pr.Period.Start, pr.Period.Finish} {
				if ym.Month < 1 || ym.Month > 12 || ym.Year != p.Year {
					t.Errorf("%s: month %v outside the plan year", pr.Name, ym)
				}
			}
			if pr.Period.Finish.Before(pr.Period.Start) {
				t.Errorf("%s: finishes %v before it starts %v", pr.Name, pr.Period.Finish, pr.Period.Start)
			}
			if pr.Employed.V > pr.People.V {
				t.Errorf("%s: employs %d of %d people", pr.Name, pr.Employed.V, pr.People.V)
			}
		}
		for _, s := range p.Subtotals {
			var mx, sum, n int64
			for _, pr := range p.Projects {
				if s.Level == xiezuo.LevelTotal || pr.Region == s.Region && (s.Level == xiezuo.LevelRegion || pr.Category == s.Category) {
					mx, sum, n = max(mx, pr.Villages.V), sum+pr.Villages.V, n+1
				}
			}
			if s.Count.V != n || s.Villages.V < mx || s.Villages.V > sum {
				t.Errorf("%s: %d projects, villages %d, want %d projects and villages in [%d, %d]", s.Label, s.Count.V, s.Villages.V, n, mx, sum)
			}
		}
		if want := len(p.Regions) > 1; want != (len(p.Subtotals) > 0 && p.Subtotals[0].Level == xiezuo.LevelTotal) {
			t.Errorf("%d regions: total row %v, want %v", len(p.Regions), !want, want)
		}
		names := map[string]bool{}
		for _, r := range p.Regions {
			for other := range names {
				if strings.Contains(other, r.Name) || strings.Contains(r.Name, other) {
					t.Errorf("region names %s and %s contain one another", other, r.Name)
				}
			}
			names[r.Name] = true
		}
	}
}

func TestDistricts(t *testing.T) {
	if len(Districts) != 16 {
		t.Fatalf("len(Districts) = %d, want 16", len(Districts))
	}
	for i, d := range Districts {
		p := Plan(Options{Seed: int64(i), District: d, Projects: 20})
		res := parse(t, FileName(p, ".md"), Markdown(p))
		if res.Plan.District != d || res.Plan.Year != 2021 {
			t.Errorf("Parse(Markdown(Plan(%s))): district %s, year %d", d, res.Plan.District, res.Plan.Year)
		}
	}
}
