package gen

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sample"
)

// TestCreditCode: the check character of GB 32100 against the published vector.
func TestCreditCode(t *testing.T) {
	const vector = "91350100M000100Y43"
	if got := creditCheck(vector); got != vector[17] {
		t.Fatalf("creditCheck(%s) = %c", vector, got)
	}
	c := creditCode(12345)
	if len(c) != 18 || creditCheck(c) != c[17] {
		t.Fatalf("creditCode = %s", c)
	}
}

// TestRegisterYear: the same plan and seed give the same entries; every entry is dated within
// the day given, names the plan's units, regions and teams, and its values are in the normal
// form of their fields (choices among the options, numbers as integers, dates as dates).
func TestRegisterYear(t *testing.T) {
	p := Plan(Options{Seed: 7, District: "门头沟区", Year: 2022, Regions: 3, Projects: 12})
	through := xiezuo.NewDate(2022, 9, 30)
	a, b := RegisterYear(p, through, 3), RegisterYear(p, through, 3)
	if len(a) < 80 || len(a) != len(b) {
		t.Fatalf("RegisterYear: %d and %d entries", len(a), len(b))
	}
	units := map[string]bool{}
	for _, u := range p.Units {
		units[u.Name] = true
	}
	regions := map[string]bool{}
	for _, r := range p.Regions {
		regions[r.Name] = true
	}
	teams := map[string]bool{}
	for _, tm := range p.Teams {
		teams[tm.Name] = true
	}
	kinds := map[xiezuo.RegisterKind]int{}
	for i, e := range a {
		if fmt.Sprint(e.Values) != fmt.Sprint(b[i].Values) || e.On != b[i].On {
			t.Fatalf("entry %d differs between runs", i)
		}
		kinds[e.Kind]++
		if xiezuo.DaysBetween(through, e.On) > 0 {
			t.Errorf("entry %d (%s) dated %s, after %s", i, e.Kind, e.On, through)
		}
		if !units[e.Unit] || e.Region != "" && !regions[e.Region] || e.Team != "" && !teams[e.Team] {
			t.Errorf("entry %d (%s): unit %q, region %q, team %q not of the plan", i, e.Kind, e.Unit, e.Region, e.Team)
		}
		spec, _ := xiezuo.RegisterSpecOf(e.Kind)
		for _, f := range spec.Fields {
			v, ok := e.Values[f.Key]
			if f.Required && !ok {
				t.Errorf("entry %d (%s): %s missing", i, e.Kind, f.Label)
			}
			if !ok {
				continue
			}
			switch f.Kind {
			case xiezuo.FieldChoice:
				if !slices.Contains(f.Options, v) {
					t.Errorf("entry %d (%s): %s = %q", i, e.Kind, f.Label, v)
				}
			case xiezuo.FieldInt, xiezuo.FieldAmount:
				if _, err := strconv.ParseInt(v, 10, 64); err != nil {
					t.Errorf("entry %d (%s): %s = %q", i, e.Kind, f.Label, v)
				}
			case xiezuo.FieldDate:
				if _, err := xiezuo.ParseDate(v); err != nil {
					t.Errorf("entry %d (%s): %s = %q", i, e.Kind, f.Label, v)
				}
			}
		}
	}
	for _, spec := range xiezuo.RegisterSpecs() {
		if kinds[spec.Kind] == 0 && spec.Kind != xiezuo.RegProblem {
			t.Errorf("no %s entries", spec.Title)
		}
	}
}

// TestRegisterYearChecks: every generated entry of the 2021 plan, typed back as a form or a
// workbook would (RegisterSpec.Typed), passes CheckEntry on the demo's today and reads back to
// the same values, date, unit, region and team; purchases are one per unit and period
// (browser review finding 18: an export of the demo imports back).
func TestRegisterYearChecks(t *testing.T) {
	res, err := plandoc.Parse(sample.Plan2021Name, sample.Plan2021)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Plan
	today := xiezuo.NewDate(2021, 9, 15)
	entries := RegisterYear(p, today, 1)
	var standing []xiezuo.RegisterEntry
	for i, e := range entries {
		spec, _ := xiezuo.RegisterSpecOf(e.Kind)
		raw := map[string]string{}
		for _, f := range spec.Fields {
			raw[f.Key] = spec.Typed(e, f.Key)
		}
		got, probs := xiezuo.CheckEntry(spec, p, raw, today)
		if len(probs) > 0 {
			t.Errorf("entry %d (%s %v): %v", i, spec.Title, e.Values, probs)
			continue
		}
		if fmt.Sprint(got.Values) != fmt.Sprint(e.Values) || got.On != e.On || got.Unit != e.Unit || got.Region != e.Region || got.Team != e.Team {
			t.Errorf("entry %d (%s) reads back as %+v, generated %+v", i, spec.Title, got, e)
		}
		e.Entry = int64(i + 1)
		if err := xiezuo.RegisterDuplicate(spec, standing, e); err != nil {
			t.Errorf("entry %d: %v", i, err)
		}
		standing = append(standing, e)
	}
}
