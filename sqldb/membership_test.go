package sqldb

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"xiezuo"
)

// TestGroupMembersAssignments checks that the leading group's membership, the office's
// assignments and its coverage corrections are dated rows, the latest applying, each change
// audited in its own transaction.
func TestGroupMembersAssignments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		useTestAuditKey(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		if err := db.SetGroupMembers(ctx, "门头沟区", []string{"区财政局", "区商务局"}); err != nil {
			t.Fatalf("SetGroupMembers = %v", err)
		}
		if err := db.SetGroupMembers(ctx, "门头沟区", []string{"区发改委", "区财政局"}); err != nil { // alias → 区发展改革委
			t.Fatalf("SetGroupMembers = %v", err)
		}
		if err := db.SetGroupMembers(ctx, "门头沟区", []string{"区财政"}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetGroupMembers(区财政) = %v, want EINVALID", err)
		}
		got, err := db.GroupMembers(ctx, "门头沟区")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"区发展改革委", "区财政局"}, got); diff != "" {
			t.Errorf("GroupMembers (-want +got):\n%s", diff)
		}
		if other, _ := db.GroupMembers(ctx, "延庆区"); len(other) != 0 {
			t.Errorf("GroupMembers(延庆区) = %v, want none", other)
		}
		ref := xiezuo.DutyRef{Kind: xiezuo.DutyPoint, Number: 3}
		if err := db.Assign(ctx, "门头沟区", 2021, ref, []string{"区商务局"}); err != nil {
			t.Fatalf("Assign = %v", err)
		}
		if err := db.Assign(ctx, "门头沟区", 2021, ref, []string{"区财政局", "区人社局"}); err != nil {
			t.Fatalf("Assign = %v", err)
		}
		as, err := db.Assignments(ctx, "门头沟区", 2021)
		if err != nil || len(as) != 2 {
			t.Fatalf("Assignments = %v, %v; want 2 rows", as, err)
		}
		g := xiezuo.NewGroups(nil, as)
		if diff := cmp.Diff([]string{"区财政局", "区人力社保局"}, g.Assigned[ref]); diff != "" {
			t.Errorf("latest assignment (-want +got):\n%s", diff)
		}
		if as[0].By != "office" || as[0].At.IsZero() {
			t.Errorf("assignment by %q at %v, want office and a time", as[0].By, as[0].At)
		}
		// A duty the stored plan does not have cannot be assigned nor linked.
		if err := db.Assign(ctx, "门头沟区", 2021, xiezuo.DutyRef{Kind: xiezuo.DutyPoint, Number: 2}, []string{"区商务局"}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Assign(point 2, not in the plan) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if err := db.Assign(ctx, "门头沟区", 2022, ref, []string{"区商务局"}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Assign(2022, no plan) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if err := db.SetCoverageLink(ctx, "门头沟区", 2021, 3, 7, false); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SetCoverageLink(task 7, not in the plan) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if err := db.SetCoverageLink(ctx, "门头沟区", 2021, 3, 2, false); err != nil {
			t.Fatalf("SetCoverageLink = %v", err)
		}
		os, err := db.CoverageOverrides(ctx, "门头沟区", 2021)
		if err != nil || len(os) != 1 || os[0].Linked || os[0].Point != 3 || os[0].Task != 2 {
			t.Errorf("CoverageOverrides = %v, %v", os, err)
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, e := range entries {
			n[e.Action]++
		}
		if n[AuditMembers] != 2 || n[AuditAssign] != 2 || n[AuditCoverage] != 1 {
			t.Errorf("audit entries %v, want 2 %s, 2 %s, 1 %s", n, AuditMembers, AuditAssign, AuditCoverage)
		}
	})
}

// TestAttachedSurviveRenumbering: an assignment and a coverage correction attach to the task by
// id, so a re-import that inserts a task before it (renumbering it) keeps them on the same
// task under its new number; a re-import that deletes the task deletes them with it.
func TestAttachedSurviveRenumbering(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		useTestAuditKey(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office"})
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		if err := db.SetGroupMembers(ctx, "门头沟区", []string{"区财政局"}); err != nil {
			t.Fatal(err)
		}
		if err := db.Assign(ctx, "门头沟区", 2021, xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: 2}, []string{"区商务局", "区财政局"}); err != nil {
			t.Fatalf("Assign = %v", err)
		}
		if err := db.SetCoverageLink(ctx, "门头沟区", 2021, 6, 2, true); err != nil {
			t.Fatalf("SetCoverageLink = %v", err)
		}

		content = []byte("v2")
		p := testPlan("门头沟区", 2021, content)
		inserted := xiezuo.Task{
			Number: 1, WorkItem: "组织领导", Category: "制度建设", Content: "完善工作制度。",
			Units:    []xiezuo.Responsibility{lead("领导小组办公室", "领导小组办公室")},
			Deadline: xiezuo.Deadline{Text: "全年"},
			Pos:      xiezuo.Pos{Line: 135},
		}
		p.Tasks = append([]xiezuo.Task{inserted}, p.Tasks...)
		for i := range p.Tasks {
			p.Tasks[i].Number = i + 1
		}
		mustImport(t, db, p, content)
		if got := mustLoad(t, db, "门头沟区", 2021).Tasks[2]; got.Number != 3 || got.Category != "干部人才" {
			t.Fatalf("task 3 after the re-import = %d %s, want 干部人才 renumbered 3", got.Number, got.Category)
		}
		as, err := db.Assignments(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		want := []xiezuo.Assignment{{Duty: xiezuo.DutyRef{Kind: xiezuo.DutyTask, Number: 3}, Units: []string{"区商务局", "区财政局"}, By: "office"}}
		if diff := cmp.Diff(want, as, cmpopts.IgnoreFields(xiezuo.Assignment{}, "At")); diff != "" {
			t.Errorf("Assignments after the renumbering (-want +got):\n%s", diff)
		}
		os, err := db.CoverageOverrides(ctx, "门头沟区", 2021)
		if err != nil || len(os) != 1 || os[0].Point != 6 || os[0].Task != 3 || !os[0].Linked {
			t.Errorf("CoverageOverrides after the renumbering = %+v, %v, want point 6 linked to task 3", os, err)
		}
		if got, err := db.GroupMembers(ctx, "门头沟区"); err != nil || !slices.Equal(got, []string{"区财政局"}) {
			t.Errorf("GroupMembers after the re-import = %v, %v, want 区财政局", got, err)
		}

		// The task gone from the plan takes what is attached to it (as a project its contact).
		content = []byte("v3")
		p = testPlan("门头沟区", 2021, content)
		p.Tasks = append(p.Tasks[:1], p.Tasks[2:]...)
		mustImport(t, db, p, content)
		if as, err := db.Assignments(ctx, "门头沟区", 2021); err != nil || len(as) != 0 {
			t.Errorf("Assignments after the task's deletion = %v, %v, want none", as, err)
		}
		if os, err := db.CoverageOverrides(ctx, "门头沟区", 2021); err != nil || len(os) != 0 {
			t.Errorf("CoverageOverrides after the task's deletion = %v, %v, want none", os, err)
		}
	})
}
