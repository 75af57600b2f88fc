package sqldb

import (
	"sync"
	"testing"
	"time"

	"xiezuo"
)

// TestPipelinedRacesFreeze freezes a month while units submit new reports into it, the short
// way and the general way at once: no deadlock, every submission either stored before the
// freeze (in its snapshot) or refused, none stored after it.
func TestPipelinedRacesFreeze(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		content := []byte("v1")
		mustImport(t, db, testPlan("门头沟区", 2021, content), content)
		p := mustLoad(t, db, "门头沟区", 2021)
		var duties []xiezuo.DutyKey
		for _, x := range p.Points {
			duties = append(duties, xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: x.ID})
		}
		for _, x := range p.Tasks {
			duties = append(duties, xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: x.ID})
		}
		for _, x := range p.Projects {
			duties = append(duties, xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: x.ID})
		}
		july := time.Date(2021, 7, 20, 1, 0, 0, 0, time.UTC)
		db.now = func() time.Time { return july }
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		units := []string{"区财政局", "区科技和信息化局"}
		// Learn the plan's id: the short way takes the freeze lock in its first round trip.
		if _, err := db.SubmitReport(WithActor(t.Context(), Actor{Username: "w0", Unit: units[0]}),
			ReportWrite{Duty: duties[0], Unit: units[0], State: xiezuo.ReportSubmitted, District: "门头沟区", Year: 2021}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4*len(duties))
		for round := range 2 {
			for i, d := range duties[1:] {
				for _, unit := range units {
					wg.Go(func() {
						in := ReportWrite{Duty: d, Unit: unit, State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "七月"}}
						if (i+round)%2 == 0 {
							in.District, in.Year = "门头沟区", 2021
						}
						if round == 1 {
							in.Writer = "w1" // another report of the unit's, by its writer
						}
						_, _, err := db.SubmitReportOnce(WithActor(t.Context(), Actor{Username: "w1", Unit: unit}), in, Idem{})
						if err != nil && xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
							errs <- err
						}
					})
				}
			}
			if round == 0 {
				wg.Go(func() {
					if _, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 7), "七月封存"); err != nil {
						errs <- err
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent: %v", err)
		}
		fs, err := db.Freezes(t.Context(), "门头沟区", 2021)
		if err != nil || len(fs) != 1 {
			t.Fatalf("Freezes = %v, %v", fs, err)
		}
		if got := countRows(t, db, "reports"); got != fs[0].Snapshot.Reports {
			t.Errorf("reports stored = %d, the freeze's snapshot holds %d", got, fs[0].Snapshot.Reports)
		}
		if v, err := db.VerifyAudit(t.Context(), AuditMark{}); err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}
