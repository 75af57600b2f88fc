package xiezuo

import (
	"testing"
	"time"
)

// TestFindPlanUnit: a unit has a page for every unit that answers for something in the plan —
// named in it, a member of the leading group (各成员单位 reaches it), a unit the office assigned
// a duty to — found by its name or an alias; a unit that answers for nothing has none.
func TestFindPlanUnit(t *testing.T) {
	p := testNoticePlan()
	p.Units = []Unit{{Name: "区财政局", Known: true}, {Name: "区人力社保局", Aliases: []string{"区人社局"}, Known: true}}
	g := NewGroups([]string{"区体育局", "区财政局"}, []Assignment{{Duty: DutyRef{DutyTask, 2}, Units: []string{"区住房城乡建设委"}, By: "office", At: time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)}})
	for _, tt := range []struct {
		name, want string
		ok         bool
	}{
		{"区财政局", "区财政局", true},         // named in the plan
		{"区人社局", "区人力社保局", true},       // by an alias the plan knows
		{"区体育局", "区体育局", true},         // a member of the leading group only
		{"区住房城乡建设委", "区住房城乡建设委", true}, // assigned a duty only
		{"区住建委", "区住房城乡建设委", true},     // by the catalogue's alias
		{"区民政局", "", false},            // answers for nothing in the plan
		{"各镇街", "", false},
	} {
		u, ok := FindPlanUnit(p, g, tt.name)
		if ok != tt.ok || ok && u.Name != tt.want {
			t.Errorf("FindPlanUnit(%q) = %q, %v; want %q, %v", tt.name, u.Name, ok, tt.want, tt.ok)
		}
	}
	if u, _ := FindPlanUnit(p, g, "区住建委"); !u.Known || len(u.Aliases) == 0 {
		t.Errorf("FindPlanUnit(区住建委) = %+v, want the catalogue's unit with its aliases", u)
	}
}
