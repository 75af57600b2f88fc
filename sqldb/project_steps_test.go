package sqldb

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// TestProjectSteps walks a project on both databases: a refused step writes nothing; a start
// with a photo, a completion and an adjustment are dated rows with their files and audit
// entries; ProjectSteps and PlanSteps read the same; an Idempotency-Key replays its step and
// refuses another body; a step's file keeps the store's sweep away.
func TestProjectSteps(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		_, _, project := reportKeys(t, db)
		tickingNow(db, time.Date(2021, 9, 15, 1, 0, 0, 0, time.UTC))
		cadre := WithActor(t.Context(), Actor{Username: "wuchuan", Unit: "前方挂职干部"})
		id := project.ID

		refused := []struct {
			name string
			step xiezuo.ProjectStep
			want string
		}{
			{"complete before start", xiezuo.ProjectStep{ProjectID: id, Kind: xiezuo.StepComplete, On: xiezuo.NewDate(2021, 9, 1)}, "尚未开工"},
			{"future", xiezuo.ProjectStep{ProjectID: id, Kind: xiezuo.StepStart, On: xiezuo.NewDate(2021, 9, 16)}, "晚于今天（2021-09-15）"},
			{"empty file", xiezuo.ProjectStep{ProjectID: id, Kind: xiezuo.StepStart, On: xiezuo.NewDate(2021, 6, 1), Evidence: []xiezuo.Evidence{file("空.jpg", 0, 3)}}, "空文件"},
			{"no project", xiezuo.ProjectStep{ProjectID: 99999, Kind: xiezuo.StepStart, On: xiezuo.NewDate(2021, 6, 1)}, "没有编号为 99999 的项目"},
		}
		for _, tt := range refused {
			if _, err := db.AddProjectStep(cadre, tt.step); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: AddProjectStep = %v, want %q", tt.name, err, tt.want)
			}
		}
		if n := countRows(t, db, "project_steps") + countRows(t, db, "project_step_evidence"); n != 0 {
			t.Fatalf("after refused steps %d rows, want 0", n)
		}

		taken := time.Date(2021, 6, 1, 9, 30, 0, 0, time.UTC)
		photo := file("开工.jpg", 2<<20, 7)
		photo.TakenAt = taken
		start, err := db.AddProjectStep(cadre, xiezuo.ProjectStep{ProjectID: id, Kind: xiezuo.StepStart, On: xiezuo.NewDate(2021, 6, 1),
			Note: "车间开工", Evidence: []xiezuo.Evidence{photo}})
		if err != nil {
			t.Fatalf("AddProjectStep(start) = %v", err)
		}
		if start.ID == 0 || start.By != "wuchuan" || start.At.IsZero() || len(start.Evidence) != 1 || start.Evidence[0].ID == 0 {
			t.Errorf("AddProjectStep(start) = %+v", start)
		}
		u := mustCreateUser(t, db, &xiezuo.User{Username: "office", Name: "王办", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}})
		office := WithActor(t.Context(), Actor{UserID: u.ID, Username: "office", Unit: "领导小组办公室"})
		adjust := xiezuo.ProjectStep{ProjectID: id, Kind: xiezuo.StepAdjust, On: xiezuo.NewDate(2021, 7, 1), Reason: "增加一个车间",
			Document: "门协办〔2021〕5号", NewTotalInvestment: xiezuo.Known(40 * xiezuo.FenPerWan), NewContent: "扶持加工车间4个。"}
		k := Idem{UserID: u.ID, Key: "step-1", RequestHash: "h1"}
		adj, replayed, err := db.AddProjectStepOnce(office, adjust, xiezuo.DefaultEvidenceLimits, k)
		if err != nil || replayed {
			t.Fatalf("AddProjectStepOnce(adjust) = %v, %v", replayed, err)
		}
		again, replayed, err := db.AddProjectStepOnce(office, adjust, xiezuo.DefaultEvidenceLimits, k)
		if err != nil || !replayed || again.ID != adj.ID {
			t.Errorf("AddProjectStepOnce(same key) = %d, %v, %v; want step %d replayed", again.ID, replayed, err, adj.ID)
		}
		if got, found, err := db.StepIdemAnswered(t.Context(), k); err != nil || !found || got.ID != adj.ID {
			t.Errorf("StepIdemAnswered = %d, %v, %v", got.ID, found, err)
		}
		other := k
		other.RequestHash = "h2"
		if _, _, err := db.AddProjectStepOnce(office, adjust, xiezuo.DefaultEvidenceLimits, other); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AddProjectStepOnce(same key, other body) = %v, want ECONFLICT", err)
		}
		// The same figures again change nothing.
		same := adjust
		same.On = xiezuo.NewDate(2021, 7, 2)
		if _, err := db.AddProjectStep(office, same); err == nil || !strings.Contains(err.Error(), "调整没有任何变化") {
			t.Errorf("AddProjectStep(same adjustment) = %v, want 调整没有任何变化", err)
		}
		done, err := db.AddProjectStep(cadre, xiezuo.ProjectStep{ProjectID: id, Kind: xiezuo.StepComplete, On: xiezuo.NewDate(2021, 9, 10)})
		if err != nil {
			t.Fatalf("AddProjectStep(complete) = %v", err)
		}

		steps, err := db.ProjectSteps(t.Context(), id)
		if err != nil || len(steps) != 3 {
			t.Fatalf("ProjectSteps = %v, %v; want 3 steps", steps, err)
		}
		if diff := cmp.Diff([]int64{start.ID, adj.ID, done.ID}, []int64{steps[0].ID, steps[1].ID, steps[2].ID}); diff != "" {
			t.Errorf("ProjectSteps ids (-want +got):\n%s", diff)
		}
		if !steps[0].Evidence[0].TakenAt.Equal(taken) || steps[0].Evidence[0].Name != "开工.jpg" || steps[0].Note != "车间开工" {
			t.Errorf("ProjectSteps[0] = %+v", steps[0])
		}
		if s := steps[1]; s.NewTotalInvestment != xiezuo.Known(40*xiezuo.FenPerWan) || s.NewDistrictFund.Valid || s.NewContent != "扶持加工车间4个。" || s.Document != "门协办〔2021〕5号" || s.On != xiezuo.NewDate(2021, 7, 1) {
			t.Errorf("ProjectSteps[1] = %+v", s)
		}
		if got := xiezuo.StatusAt(steps, xiezuo.NewDate(2021, 9, 15)); got != xiezuo.StatusCompleted {
			t.Errorf("StatusAt(stored steps) = %s, want completed", got)
		}
		plan, err := db.PlanSteps(t.Context(), "门头沟区", 2021)
		if diff := cmp.Diff(map[int64][]xiezuo.ProjectStep{id: steps}, plan); err != nil || diff != "" {
			t.Errorf("PlanSteps = %v (-ProjectSteps +PlanSteps):\n%s", err, diff)
		}
		f, pid, err := db.StepEvidenceFile(t.Context(), steps[0].Evidence[0].ID)
		if err != nil || pid != id || f.SHA256 != photo.SHA256 {
			t.Errorf("StepEvidenceFile = %+v, %d, %v", f, pid, err)
		}
		if used, err := db.EvidenceInUse(t.Context(), photo.SHA256); !used || err != nil {
			t.Errorf("EvidenceInUse(step photo) = %v, %v; want true", used, err)
		}

		entries, _, err := db.SearchAudit(t.Context(), AuditFilter{Action: AuditProjectStep})
		if err != nil || len(entries) != 3 {
			t.Fatalf("audit entries = %d, %v; want 3", len(entries), err)
		}
		for _, want := range []string{"开工", photo.SHA256, "门协办〔2021〕5号", "完工"} {
			found := false
			for _, e := range entries {
				found = found || strings.Contains(e.After, want)
			}
			if !found {
				t.Errorf("no audit entry says %q", want)
			}
		}
	})
}
