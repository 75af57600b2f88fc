package xiezuo_test

import (
	"testing"

	"xiezuo"
)

// TestToDoOneRowPerDuty: a duty of the user's unit is listed once, for its most pressing reason:
// a lead unit whose August report was returned and whose September period is still to report
// has one row, 退回待重报, not also 本期待报.
func TestToDoOneRowPerDuty(t *testing.T) {
	p := stored(t)
	p.District = "门头沟区"
	g := xiezuo.NewGroups(xiezuo.CatalogueMembers(), nil)
	point3 := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: 3}
	r := sent(1, point3, "区财政局", "", "2021-06-24 10:00", "2021-07-23 10:00", "2021-08-20 10:00")
	r.Reviews = []xiezuo.Review{{Version: 3, Decision: xiezuo.DecisionReturn, Comment: "请补充", By: "office", At: when("2021-08-21 10:00")}}
	reports := []xiezuo.Report{r}
	b := xiezuo.Supervise(p, g, xiezuo.DefaultCadence(), reports, nil, xiezuo.EndOfDay(xiezuo.Date{Year: 2021, Month: 9, Day: 1}))
	caizheng := &xiezuo.User{Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}}
	var kinds []xiezuo.ToDoKind
	seen := map[xiezuo.DutyKey]int{}
	for _, it := range xiezuo.ToDo(caizheng, &b, reports) {
		if it.Kind == xiezuo.ToDoReview || it.Kind == xiezuo.ToDoPress {
			continue
		}
		seen[it.Status.Duty.Key]++
		if it.Status.Duty.Key == point3 {
			kinds = append(kinds, it.Kind)
		}
	}
	if len(kinds) != 1 || kinds[0] != xiezuo.ToDoReturned {
		t.Errorf("ToDo(区财政局) lists point 3 as %v, want once as returned", kinds)
	}
	for k, n := range seen {
		if n > 1 {
			t.Errorf("ToDo(区财政局) lists %v %d times", k, n)
		}
	}
}
