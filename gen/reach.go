package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/division"
	"xiezuo/sqldb"
)

// What the demo's projects reach and leave: the villages they name, their results as of the
// ends of the months gone by since they started, and the assets of those completed. Villages
// come from the register of package division: those a project's own text names (西乌兰不浪镇
// 红山子村, 古荣镇南巴村, 根根渠村…), else, for a project planned to reach one to three villages,
// as many (rural) villages of its county; a project reaching more reports the figure instead.
// Every fact is dated in the past, follows the project's steps (WriteLife writes them first)
// and is written through the storage methods the pages call.

// Reach says what to generate.
type Reach struct {
	District string
	Year     int
	Today    time.Time // no fact is dated after it
	Seed     int64
	// Users names who writes for a unit (its username), as in HalfYear: the cadres' unit
	// (CadreUnit) writes for their regions' projects, the office for the others.
	Users map[string]string
}

// ReachStats counts what WriteReach stored.
type ReachStats struct {
	Villages, Results, Assets int
}

// WriteReach stores the villages, results and assets of the projects of a stored plan, after
// their steps: results only as of a month's end after the project's start, assets only of a
// project whose steps hand its asset over (资产移交, after its 竣工验收: WriteLife writes them),
// handed over on that step's day and registered when that step was recorded, and only where
// the project builds or buys something (assetKind). A plan whose projects already have such
// facts is left as it is.
func WriteReach(ctx context.Context, db *sqldb.DB, o Reach) (ReachStats, error) {
	var st ReachStats
	p, err := db.LoadPlan(ctx, o.District, o.Year)
	if err != nil {
		return st, err
	}
	done, err := db.PlanVillages(ctx, o.District, o.Year)
	if err != nil || len(done) > 0 {
		return st, err
	}
	steps, err := db.PlanSteps(ctx, o.District, o.Year)
	if err != nil {
		return st, err
	}
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0x7265616368)) // "reach"
	today := o.Today.In(xiezuo.Beijing)
	day := xiezuo.DateOf(today)
	writer := func(unit string) context.Context {
		name := o.Users[unit]
		if name == "" {
			name = o.Users[OfficeUnit]
		}
		if name == "" {
			name = OfficeUnit
		}
		return sqldb.WithActor(ctx, sqldb.Actor{Username: name, Unit: unit})
	}
	counties := map[string][]division.Division{}
	for _, pr := range p.Projects {
		if _, ok := counties[pr.Region]; !ok {
			if cs, err := division.FindCounty(pr.Region); err == nil {
				counties[pr.Region] = cs
			} else {
				counties[pr.Region] = nil
			}
		}
	}
	// Facts of the summer: villages named in July, results at the ends of July and August for
	// the projects started before, assets handed over after the completion.
	named := time.Date(o.Year, 7, 5, 10, 0, 0, 0, xiezuo.Beijing)
	for i, pr := range p.Projects {
		unit := OfficeUnit
		if len(counties[pr.Region]) > 0 && o.Users[CadreUnit] != "" && strings.Contains(pr.Region, "武川") {
			unit = CadreUnit
		}
		w := writer(unit)
		at := named.Add(time.Duration(i) * time.Hour)
		var vs []division.Division
		if !at.After(today) {
			vs = villagesOf(pr, counties[pr.Region], r)
		}
		ss := xiezuo.StepsBy(steps[pr.ID], day)
		start, started := firstStep(ss, xiezuo.StepStart, day)
		for j, v := range vs {
			_, err := db.SaveProjectVillage(w, xiezuo.ProjectVillage{ProjectID: pr.ID, Code: string(v.Code), Name: v.Name, At: at.Add(time.Duration(j) * time.Minute)})
			if err != nil {
				return st, fmt.Errorf("project %s village %s: %w", pr.Name, v.Name, err)
			}
			st.Villages++
		}
		for _, ms := range []struct {
			m     time.Month
			share int64
		}{{7, 50}, {8, 90}} {
			m, share := ms.m, ms.share
			on := xiezuo.NewDate(o.Year, m+1, 0)
			if xiezuo.DaysBetween(day, on) > 0 || !started || xiezuo.DaysBetween(start.On, on) <= 0 || (m == 8 && r.IntN(4) == 0) {
				continue // not yet, not started by then, or one in four has not reported August
			}
			rat := time.Date(o.Year, m+1, 2, 9, 0, 0, 0, xiezuo.Beijing).Add(time.Duration(i) * time.Minute)
			if rat.After(today) {
				continue
			}
			figures := map[xiezuo.ResultKind]xiezuo.Num{xiezuo.ResultPeople: pr.People, xiezuo.ResultPoorEmployed: pr.Employed}
			if len(vs) == 0 {
				figures[xiezuo.ResultVillages] = pr.Villages
			}
			if strings.Contains(pr.Category, "产业") || strings.Contains(pr.Category, "劳务") {
				figures[xiezuo.ResultJobs] = pr.Employed
			}
			for _, k := range xiezuo.ResultKinds {
				n, ok := figures[k]
				if !ok || !n.Valid {
					continue
				}
				v := n.V * share / 100
				if k == xiezuo.ResultVillages {
					v = n.V // the villages are known from the start
				}
				if _, err := db.AddProjectResult(w, xiezuo.ProjectResult{ProjectID: pr.ID, Kind: k, Value: v, On: on, At: rat}); err != nil {
					return st, fmt.Errorf("project %s result %s: %w", pr.Name, k, err)
				}
				st.Results++
			}
		}
		a, ok := assetOf(pr, ss, vs, day)
		if !ok {
			continue
		}
		if a.At.IsZero() || a.At.After(today) {
			a.At = today
		}
		if _, err := db.AddAsset(w, a); err != nil {
			return st, fmt.Errorf("project %s asset: %w", pr.Name, err)
		}
		st.Assets++
	}
	return st, nil
}

// villagesOf are the villages a project names: those of its county whose names its text
// contains, else up to its planned number (one to three) picked among the county's villages
// (村, not 社区 or 居委会, nor the register's virtual communities); none for a project reaching
// more, which reports the figure instead, or outside the register.
func villagesOf(pr xiezuo.Project, counties []division.Division, r *rand.Rand) []division.Division {
	var all []division.Division
	for _, c := range counties {
		all = append(all, division.Villages(c.Code)...)
	}
	if len(all) == 0 {
		return nil
	}
	text := pr.Name + pr.Content + pr.FundUse + pr.Benefit
	var found []division.Division
	seen := map[string]bool{}
	for _, v := range all {
		core := strings.TrimSuffix(strings.TrimSuffix(v.Name, "村民委员会"), "村委会")
		core = strings.TrimSuffix(core, "村")
		if len([]rune(core)) >= 2 && strings.Contains(text, core+"村") && !seen[core] {
			seen[core] = true
			found = append(found, v)
		}
	}
	if len(found) > 0 || !pr.Villages.Valid || pr.Villages.V < 1 || pr.Villages.V > 3 {
		return found
	}
	var rural []division.Division
	for _, v := range all {
		if strings.HasSuffix(v.Name, "村民委员会") || strings.HasSuffix(v.Name, "村委会") || strings.HasSuffix(v.Name, "村") {
			rural = append(rural, v)
		}
	}
	if len(rural) == 0 {
		return nil
	}
	for range pr.Villages.V {
		found = append(found, rural[r.IntN(len(rural))])
	}
	// Two picks may fall on the same village: the project names it once.
	out := found[:0]
	seen = map[string]bool{}
	for _, v := range found {
		if !seen[string(v.Code)] {
			seen[string(v.Code)] = true
			out = append(out, v)
		}
	}
	return out
}

// assetKind is the kind of asset project pr leaves and its unit of count: industrial projects
// (产业) leave operating assets (经营性资产), public-service (社会事业), infrastructure and
// model-village projects public ones (公益性资产); none leave any whose money goes to people
// rather than into something built or bought: student aid (学生资助), subsidies and allowances
// (补贴, 补助), posts (岗位) and training (培训).
func assetKind(pr xiezuo.Project) (kind, unit string, ok bool) {
	for _, w := range []string{"资助", "补贴", "补助", "岗", "培训", "学习用品"} {
		if strings.Contains(pr.Name, w) {
			return "", "", false
		}
	}
	if strings.Contains(pr.Content, "学习用品") {
		return "", "", false
	}
	switch c := pr.Category; {
	case strings.Contains(c, "产业"):
		return "经营性资产", "处", true
	case strings.Contains(c, "社会事业"), strings.Contains(c, "基础设施"), strings.Contains(c, "示范村"):
		return "公益性资产", "处", true
	}
	return "", "", false
}

// assetOf is the asset project pr (with its steps steps) leaves by day: when assetKind says it
// leaves one and its steps hand it over (资产移交, which the lifecycle allows only after
// 竣工验收) by day, handed over on the handover step's day and registered (At) when that step
// was recorded. It is worth the district fund as adjusted by then, owned by its first
// village's committee (or the county's rural revitalisation bureau).
func assetOf(pr xiezuo.Project, steps []xiezuo.ProjectStep, vs []division.Division, day xiezuo.Date) (xiezuo.Asset, bool) {
	kind, unit, ok := assetKind(pr)
	step, handed := firstStep(steps, xiezuo.StepHandover, day)
	if !ok || !handed {
		return xiezuo.Asset{}, false
	}
	handover := step.On
	if !handedOverBy(steps, handover) {
		return xiezuo.Asset{}, false // a handover step the project's life did not reach
	}
	value := xiezuo.AdjustedProject(pr, steps, handover).DistrictFund
	if !value.Valid || value.V <= 0 {
		return xiezuo.Asset{}, false
	}
	owner, upkeep := pr.Region+"乡村振兴局", "县乡村振兴局登记入账，实施单位负责日常管护"
	if len(vs) > 0 {
		owner = committeeOf(vs[0].Name)
		upkeep = owner + "负责日常管护，收益归村集体，乡镇每季度检查"
	}
	name := strings.TrimSuffix(pr.Name, "项目") + "形成的资产"
	return xiezuo.Asset{ProjectID: pr.ID, Kind: kind, Name: name, Value: value, Quantity: xiezuo.Known(1), Unit: unit,
		Owner: owner, HandoverOn: handover, Upkeep: upkeep, At: step.At}, true
}

// committeeOf is the committee that owns what a project leaves in the village the register
// names name: 红山子村民委员会 → 红山子村委会, 桃坪村委会 as it is, 东嘎居委会 as it is,
// 东官井社区居民委员会 → 东官井社区居委会, 德吉康萨社区 → 德吉康萨社区居委会, 八股地村 →
// 八股地村委会; never a suffix twice.
func committeeOf(name string) string {
	core := strings.TrimSpace(name)
	for _, s := range []string{"村民委员会", "村委会", "居民委员会", "居委会"} {
		if c, ok := strings.CutSuffix(core, s); ok {
			if s == "居民委员会" || s == "居委会" {
				return c + "居委会"
			}
			return strings.TrimSuffix(c, "村") + "村委会"
		}
	}
	if strings.HasSuffix(core, "社区") {
		return core + "居委会"
	}
	return strings.TrimSuffix(core, "村") + "村委会"
}
