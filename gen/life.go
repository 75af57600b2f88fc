package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// Life is what WriteLife writes: the steps of a stored plan's projects up to Today.
type Life struct {
	District string
	Year     int
	// Today is the day the steps stop at: none is dated or recorded after it.
	Today time.Time
	// Seed makes the days: the same seed on the same plan gives the same steps.
	Seed int64
	// Users names who records for a unit (its username), as HalfYear.Users: the region's cadre
	// (前方挂职干部) records starts and completions, the office acceptances, asset handovers
	// and adjustments.
	Users map[string]string
}

// LifeStats counts what WriteLife stored, by the status each project reached.
type LifeStats struct {
	Steps    int
	Statuses map[xiezuo.ProjectStatus]int
}

// lifeStep is one step WriteLife plans: what, on which day, recorded by whom.
type lifeStep struct {
	step xiezuo.ProjectStep
	unit string
}

// WriteLife writes, through the storage method the pages call (sqldb.AddProjectStep), a
// realistic life for each project of a stored plan up to Today: most started in their planned
// start month, several completed, one accepted, one suspended with its reason, one adjusted with
// its reason and approval document (批复文号), the last not yet started; a completed project that
// leaves an asset (assetKind) is accepted (竣工验收) and its asset handed over (资产移交) after,
// the handover step being the day WriteReach registers the asset on. Each step is recorded
// the day after it happened (the fact time, never after Today); a step whose day would be after
// Today is not written, nor are the steps after it. It is the first of the demo's writers:
// the money (WriteFunds), the results and assets (WriteReach) and the public notice
// (WritePublic) follow the steps it stores. A plan whose projects have steps already is left
// as it is.
func WriteLife(ctx context.Context, db *sqldb.DB, o Life) (LifeStats, error) {
	st := LifeStats{Statuses: map[xiezuo.ProjectStatus]int{}}
	p, err := db.LoadPlan(ctx, o.District, o.Year)
	if err != nil {
		return st, err
	}
	if have, err := db.PlanSteps(ctx, o.District, o.Year); err != nil || len(have) > 0 {
		return st, err
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x6c696665)) // "life"
	today := xiezuo.DayOf(o.Today)
	for i, pr := range p.Projects {
		plan := lifeOf(i, len(p.Projects), pr, o.Year, r)
		// Each planned step draws its minute whether it is written or not, so that a later
		// Today gives every project the same days and extends what an earlier one wrote.
		minutes := make([]int, len(plan))
		for j := range plan {
			minutes[j] = r.IntN(50)
		}
		for j, s := range plan {
			if s.step.On.String() > today.String() {
				break
			}
			at := time.Date(s.step.On.Year, s.step.On.Month, s.step.On.Day+1, 10, minutes[j], 0, 0, xiezuo.Beijing)
			if at.After(o.Today) {
				at = o.Today
			}
			name := o.Users[s.unit]
			if name == "" {
				name = s.unit
			}
			c := sqldb.WithFactTime(sqldb.WithActor(ctx, sqldb.Actor{Username: name, Unit: s.unit}), at)
			if _, err := db.AddProjectStep(c, s.step); err != nil {
				return st, fmt.Errorf("项目“%s”的%s（%s）: %w", pr.Name, s.step.Kind.Text(), s.step.On, err)
			}
			st.Steps++
		}
		steps, err := db.ProjectSteps(ctx, pr.ID)
		if err != nil {
			return st, err
		}
		st.Statuses[xiezuo.StatusAt(steps, today)]++
	}
	return st, nil
}

// lifeOf plans the steps of project i of n: the first is accepted, the second suspended, the
// third adjusted, every third after them completed, and so is one planned to be finished
// before August; the last is left planned, the rest started. A completed project that leaves
// an asset (assetKind) goes on: accepted 12 to 16 days after its completion (the first 12, as
// above) and its asset handed over ten days after the acceptance. Those days draw nothing from
// r, so the other projects' days do not move with them.
func lifeOf(i, n int, p xiezuo.Project, year int, r *rand.Rand) []lifeStep {
	if i == n-1 && n > 3 {
		return nil // not started yet: the 30 September rule has something to press
	}
	m := p.Period.Start.Month
	if p.Period.Start.Year != year || m < 1 {
		m = 6
	}
	if m > 8 {
		m = 8
	}
	day := func(m time.Month, d int) xiezuo.Date { return xiezuo.NewDate(year, m, d) }
	start := day(time.Month(m), 5+r.IntN(15))
	cadre, office := CadreUnit, OfficeUnit
	out := []lifeStep{{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepStart, On: start,
		Note: "施工队伍进场，项目开工建设。"}, cadre}}
	after := func(d xiezuo.Date, days int) xiezuo.Date { return xiezuo.NewDate(d.Year, d.Month, d.Day+days) }
	switch {
	case i == 0:
		done := after(start, 45+r.IntN(20))
		out = append(out,
			lifeStep{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepComplete, On: done, Note: "主体工程和设备安装全部完成。"}, cadre},
			lifeStep{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepAccept, On: after(done, 12), Note: "县乡村振兴局会同财政、审计等部门组织竣工验收，验收合格。"}, office})
	case i == 1:
		out = append(out, lifeStep{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepSuspend, On: after(start, 20+r.IntN(10)),
			Reason: "汛期连续降雨，施工便道冲毁，暂停施工待道路修复。"}, cadre})
	case i == 2:
		s := xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepAdjust, On: after(start, 15+r.IntN(10)),
			Reason: "根据实施方案细化，增加冷链仓储设施", Document: fmt.Sprintf("门协办〔%d〕12号", year)}
		if p.TotalInvestment.Valid && p.TotalInvestment.V > 0 {
			s.NewTotalInvestment = xiezuo.Known(p.TotalInvestment.V + max(p.TotalInvestment.V/10/xiezuo.FenPerWan, 1)*xiezuo.FenPerWan)
		} else {
			s.NewContent = p.Content + "增建冷链仓储设施一处。"
		}
		out = append(out, lifeStep{s, office})
	case i%3 == 0:
		out = append(out, lifeStep{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepComplete, On: after(start, 50+r.IntN(30)),
			Note: "按计划完成建设内容，待组织验收。"}, cadre})
	case p.Period.Finish.Year == year && p.Period.Finish.Month >= 1 && p.Period.Finish.Month < 8:
		// Planned to be finished before August: finished at the end of that month, or seven
		// weeks after its start when that is later.
		done := xiezuo.NewDate(year, time.Month(p.Period.Finish.Month)+1, 0)
		if a := after(start, 50); xiezuo.DaysBetween(done, a) > 0 {
			done = a
		}
		out = append(out, lifeStep{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepComplete, On: done,
			Note: "按计划完成建设内容，待组织验收。"}, cadre})
	}
	if _, _, ok := assetKind(p); ok {
		last := out[len(out)-1].step
		if last.Kind == xiezuo.StepComplete {
			last = xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepAccept, On: after(last.On, 12+i%5),
				Note: "县乡村振兴局会同财政、审计等部门组织竣工验收，验收合格。"}
			out = append(out, lifeStep{last, office})
		}
		if last.Kind == xiezuo.StepAccept {
			out = append(out, lifeStep{xiezuo.ProjectStep{ProjectID: p.ID, Kind: xiezuo.StepHandover, On: after(last.On, 10),
				Note: "项目形成的资产移交产权单位，办理登记入账，明确管护责任。"}, office})
		}
	}
	return out
}

// addDays is d moved by n days.
func addDays(d xiezuo.Date, n int) xiezuo.Date { return xiezuo.NewDate(d.Year, d.Month, d.Day+n) }

// laterOf is the later of two dates.
func laterOf(a, b xiezuo.Date) xiezuo.Date {
	if xiezuo.DaysBetween(a, b) > 0 {
		return b
	}
	return a
}

// firstStep is the first step of kind k dated by d (all of them for the zero Date), and
// whether there is one.
func firstStep(steps []xiezuo.ProjectStep, k xiezuo.StepKind, d xiezuo.Date) (xiezuo.ProjectStep, bool) {
	for _, s := range steps {
		if s.Kind == k && (d.IsZero() || xiezuo.DaysBetween(s.On, d) >= 0) {
			return s, true
		}
	}
	return xiezuo.ProjectStep{}, false
}

// handedOverBy reports whether a project with steps stands with its asset handed over (资产移交)
// or further along its life at the end of day d: accepted (竣工验收) before, not suspended, not
// cancelled.
func handedOverBy(steps []xiezuo.ProjectStep, d xiezuo.Date) bool {
	switch xiezuo.StatusAt(steps, d) {
	case xiezuo.StatusHandedOver, xiezuo.StatusAftercare, xiezuo.StatusEvaluated:
		return true
	}
	return false
}
