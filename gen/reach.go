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
// ends of the months gone by, and the assets of the projects planned to be finished. Villages
// come from the register of package division: those a project's own text names (西乌兰不浪镇
// 红山子村, 古荣镇南巴村, 根根渠村…), else, for a project planned to reach one to three villages,
// as many villages of its county; a project reaching more reports the figure instead. Every
// fact is dated in the past, written through the storage methods the pages call.

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

// WriteReach stores the villages, results and assets of the projects of a stored plan. A plan
// whose projects already have such facts is left as it is.
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
	// Facts of the summer: villages named in July, results at the ends of July and August,
	// assets handed over the month after the planned finish.
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
			if xiezuo.DaysBetween(day, on) > 0 || (m == 8 && r.IntN(4) == 0) {
				continue // not yet, or one in four has not reported August
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
		a, ok := assetOf(pr, vs, day)
		if !ok {
			continue
		}
		a.At = time.Date(a.HandoverOn.Year, a.HandoverOn.Month, a.HandoverOn.Day, 16, 0, 0, 0, xiezuo.Beijing)
		if _, err := db.AddAsset(w, a); err != nil {
			return st, fmt.Errorf("project %s asset: %w", pr.Name, err)
		}
		st.Assets++
	}
	return st, nil
}

// villagesOf are the villages a project names: those of its county whose names its text
// contains, else up to its planned number (one to three) picked in the county; none for a
// project reaching more, which reports the figure instead, or outside the register.
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
	for range pr.Villages.V {
		found = append(found, all[r.IntN(len(all))])
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

// assetOf is the asset an industrial or public-service project planned to be finished a month
// before day leaves: the district fund's worth, handed over to its first village's committee
// (or the county) the month after its planned finish.
func assetOf(pr xiezuo.Project, vs []division.Division, day xiezuo.Date) (xiezuo.Asset, bool) {
	f := pr.Period.Finish
	if f.IsZero() || !pr.DistrictFund.Valid || pr.DistrictFund.V <= 0 {
		return xiezuo.Asset{}, false
	}
	kind, unit := "", "项"
	switch {
	case strings.Contains(pr.Category, "产业"):
		kind, unit = "经营性资产", "处"
	case strings.Contains(pr.Category, "社会事业"):
		kind, unit = "公益性资产", "处"
	default:
		return xiezuo.Asset{}, false
	}
	handover := xiezuo.NewDate(f.Year, time.Month(f.Month)+1, 10)
	if xiezuo.DaysBetween(day, handover) > 0 {
		return xiezuo.Asset{}, false
	}
	owner, upkeep := pr.Region+"乡村振兴局", "县乡村振兴局登记入账，实施单位负责日常管护"
	if len(vs) > 0 {
		owner = strings.TrimSuffix(vs[0].Name, "村民委员会") + "村委会"
		upkeep = owner + "负责日常管护，收益归村集体，乡镇每季度检查"
	}
	name := strings.TrimSuffix(pr.Name, "项目") + "形成的资产"
	return xiezuo.Asset{ProjectID: pr.ID, Kind: kind, Name: name, Value: pr.DistrictFund, Quantity: xiezuo.Known(1), Unit: unit,
		Owner: owner, HandoverOn: handover, Upkeep: upkeep}, true
}
