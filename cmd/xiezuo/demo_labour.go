package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/labourio"
	"xiezuo/sqldb"
)

// demoLabour writes, on the demo's first start, the labour lists of 门头沟区 (劳务协作三张清单)
// through the same path a clerk's workbook takes (gen's generated workbooks read by labourio and
// stored by the import): a job-demand list, a list of people working in Beijing and a list of
// people willing to work away, this last with a few rows a clerk typed wrong, taken without
// them so that the office finds bad rows to download and correct. Then a matching run, the
// confirmations of some of its proposals, and placements from them (some ended, some local),
// so that /labour, a person's page and the indicators 转移就业 … show a year in progress. A
// district that already has labour imports is left as it is.
func demoLabour(ctx context.Context, e *env, db *sqldb.DB) error {
	const district = "门头沟区"
	done, err := db.LabourImports(ctx, district, 1)
	if err != nil || len(done) > 0 {
		return err
	}
	p, err := db.LoadPlan(ctx, district, 2021)
	if err != nil {
		return err
	}
	today := xiezuo.DayOf(db.Now())
	dir, err := os.MkdirTemp("", "xiezuo-demo-labour-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	office := sqldb.WithActor(ctx, sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	renshe := sqldb.WithActor(ctx, sqldb.Actor{Username: "renshe", Unit: "区人力社保局"})
	place, regionOf := labourio.Places(p.Regions)
	check := xiezuo.LabourCheck{Today: today, Regions: p.Regions, Place: place, RegionOf: regionOf}
	lists := []struct {
		g       gen.LabourGen
		skipBad bool
		ctx     context.Context
	}{
		{gen.LabourGen{List: xiezuo.ListJobs, Rows: 40, Seed: 1, Today: today}, false, renshe},
		{gen.LabourGen{List: xiezuo.ListWorkers, Rows: 160, Seed: 2, Today: today, IDOffset: 1 << 20}, false, renshe},
		{gen.LabourGen{List: xiezuo.ListWilling, Rows: 240, Seed: 3, Today: today, Plant: true}, true, office},
	}
	var stored, bad int
	for _, l := range lists {
		path := filepath.Join(dir, string(l.g.List)+".xlsx")
		if err := gen.WriteLabourXLSX(path, l.g); err != nil {
			return err
		}
		top, err := labourio.Top(path, 20)
		if err != nil {
			return err
		}
		m, _ := xiezuo.ProposeLabourMapping(l.g.List, top)
		if err := m.Check(l.g.List); err != nil {
			return fmt.Errorf("demo %s: %w", l.g.List.Title(), err)
		}
		imp, err := db.BeginLabourImport(l.ctx, sqldb.LabourImportOptions{District: district, List: l.g.List,
			FileName: "2021年" + l.g.List.Title() + ".xlsx", Mapping: m, SkipBad: l.skipBad, FileChecked: true})
		if err != nil {
			return err
		}
		res, err := labourio.Import(l.ctx, path, l.g.List, m, check, imp)
		if err != nil {
			imp.Abort(l.ctx, "读取文件失败")
			return err
		}
		out, err := imp.Finish(l.ctx, res.Errors, res.BadWorkbook)
		if err != nil {
			return err
		}
		stored += out.Imported()
		bad += len(out.Errors)
	}

	// A matching run, as the office starts it on /labour/match.
	people, jobs, err := db.LabourMatchInput(office, district, today)
	if err != nil {
		return err
	}
	proposals := xiezuo.MatchLabour(people, jobs, today, 3)
	if _, err := db.SaveLabourMatches(office, district, proposals); err != nil {
		return err
	}
	matches, err := db.LabourMatches(office, district, "", 0, 2000)
	if err != nil {
		return err
	}
	// The first proposal of each of the first people: confirmed by the office; most of them by
	// the employer's contact too; some declined; the confirmed ones placed on dates before today.
	seen := map[int64]bool{}
	var confirmed, placed int
	for _, m := range matches {
		if seen[m.PersonID] || len(seen) >= 36 {
			continue
		}
		seen[m.PersonID] = true
		n := len(seen)
		if n%9 == 0 {
			if _, err := db.ConfirmLabourMatch(office, district, m.ID, sqldb.MatchEventDecline, "本人已在当地就业，不再外出"); err != nil {
				return err
			}
			continue
		}
		if _, err := db.ConfirmLabourMatch(office, district, m.ID, sqldb.MatchEventOffice, ""); err != nil {
			return err
		}
		confirmed++
		if n%4 == 0 {
			continue // waits for the employer
		}
		if _, err := db.ConfirmLabourMatch(renshe, district, m.ID, sqldb.MatchEventEmployer, "用工单位联系人电话确认"); err != nil {
			return err
		}
		if n%5 == 0 {
			continue // confirmed by both, not yet at work
		}
		start := addDays(today, -7-3*n)
		pl, err := db.RecordPlacement(renshe, xiezuo.Placement{District: district, PersonID: m.PersonID, JobID: m.JobID, MatchID: m.ID,
			Start: start, Pay: int64(4500+100*n) * 100, Source: xiezuo.PlacementFromMatch})
		if err != nil {
			return fmt.Errorf("demo placement: %w", err)
		}
		placed++
		if n%7 == 0 { // left the job after a few weeks
			end := addDays(start, 30)
			if end.String() < today.String() {
				if _, err := db.RecordPlacement(renshe, xiezuo.Placement{District: district, PersonID: m.PersonID, JobID: m.JobID, MatchID: m.ID,
					Start: start, End: end, Pay: pl.Pay, Source: xiezuo.PlacementFromMatch, Supersedes: pl.ID, Reason: "本人离岗返乡"}); err != nil {
					return err
				}
			}
		}
	}
	// People who found work near home (就地就近), recorded on their pages by the labour team.
	willing, err := db.LabourPeople(office, sqldb.LabourFilter{District: district, List: xiezuo.ListWilling, Status: sqldb.LabourWaiting, PerPage: 12})
	if err != nil {
		return err
	}
	for i, r := range willing.Rows {
		if r.HomeCode == "" || i >= 8 {
			continue
		}
		county := r.HomeCode
		if len(county) > 6 {
			county = county[:6]
		}
		if _, err := db.RecordPlacement(renshe, xiezuo.Placement{District: district, PersonID: r.PersonID, Employer: "县域帮扶车间",
			Post: "车间操作工", PlaceCode: county, Start: addDays(today, -100+9*i), Pay: 260000, Source: xiezuo.PlacementRecorded}); err != nil {
			return fmt.Errorf("demo local placement: %w", err)
		}
		placed++
	}
	fmt.Fprintf(e.stdout, "已生成演示用的劳务协作清单：%d 行（另有 %d 行填写有误，可在 /labour 下载改正），人岗匹配建议 %d 条，已确认 %d 条，就业 %d 人\n",
		stored, bad, len(proposals), confirmed, placed)
	return nil
}

// addDays is d moved by n days.
func addDays(d xiezuo.Date, n int) xiezuo.Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return xiezuo.DateOf(t)
}
