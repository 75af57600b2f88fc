package sqldb

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// TestGroupMembersAssignments checks that the leading group's membership, the office's
// assignments and its coverage corrections are dated rows, the latest applying, each change
// audited in its own transaction.
func TestGroupMembersAssignments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		useTestAuditKey(t, db)
		ctx := WithActor(t.Context(), Actor{Username: "office"})
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
		ref := xiezuo.DutyRef{Kind: xiezuo.DutyPoint, Number: 2}
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
		if err := db.SetCoverageLink(ctx, "门头沟区", 2021, 1, 7, false); err != nil {
			t.Fatalf("SetCoverageLink = %v", err)
		}
		os, err := db.CoverageOverrides(ctx, "门头沟区", 2021)
		if err != nil || len(os) != 1 || os[0].Linked || os[0].Point != 1 || os[0].Task != 7 {
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
