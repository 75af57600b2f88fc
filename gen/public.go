package gen

import (
	"context"
	"fmt"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// PublicStats counts what WritePublic stored.
type PublicStats struct {
	Published int // projects published on the public notice pages at the end
	Withdrawn int // projects published and later withdrawn
}

// DemoComplaintPhone is the complaint phone the generated office sets (an office's line, made up).
const DemoComplaintPhone = "010-69840000"

// WritePublic stores the office's public notice of district's plan of year, dated before
// today: on 1 July it publishes every project but the last of each region (left for the demo
// to publish) that has started or is still planned that day by its steps (WriteLife writes
// them first): none suspended or cancelled; and it sets the complaint phone; on 1 August it
// withdraws the first project it published again. Days after today are not written. Run it
// once on a plan without publications.
func WritePublic(ctx context.Context, db *sqldb.DB, district string, year int, today time.Time) (PublicStats, error) {
	p, err := db.LoadPlan(ctx, district, year)
	if err != nil {
		return PublicStats{}, err
	}
	ctx = sqldb.WithActor(ctx, sqldb.Actor{Username: "office", Unit: "领导小组办公室"})
	july := time.Date(year, 7, 1, 9, 30, 0, 0, xiezuo.Beijing)
	august := time.Date(year, 8, 1, 9, 30, 0, 0, xiezuo.Beijing)
	var stats PublicStats
	if len(p.Projects) == 0 || today.Before(july) {
		return stats, nil
	}
	steps, err := db.PlanSteps(ctx, district, year)
	if err != nil {
		return PublicStats{}, err
	}
	var ids []int64
	for i, pr := range p.Projects {
		if i+1 == len(p.Projects) || p.Projects[i+1].Region != pr.Region {
			continue
		}
		switch xiezuo.StatusAt(steps[pr.ID], xiezuo.DayOf(july)) {
		case xiezuo.StatusSuspended, xiezuo.StatusCancelled:
			continue
		}
		ids = append(ids, pr.ID)
	}
	if len(ids) == 0 {
		return stats, nil
	}
	n, err := db.Publish(sqldb.WithFactTime(ctx, july), district, year, ids, true)
	if err != nil {
		return stats, fmt.Errorf("publish the demo's projects: %w", err)
	}
	stats.Published = n
	if err := db.SetPlanSetting(sqldb.WithFactTime(ctx, july), district, year, xiezuo.SettingComplaintPhone, DemoComplaintPhone); err != nil {
		return stats, fmt.Errorf("set the demo's complaint phone: %w", err)
	}
	if today.Before(august) {
		return stats, nil
	}
	if _, err := db.Publish(sqldb.WithFactTime(ctx, august), district, year, ids[:1], false); err != nil {
		return stats, fmt.Errorf("withdraw a demo project: %w", err)
	}
	stats.Published--
	stats.Withdrawn++
	return stats, nil
}
