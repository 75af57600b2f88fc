package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// A year of the work registers of a plan (meetings, visits, agreements, policies, pairings,
// seconded people, trainings, articles, media reports, purchases, donations, firms, parks and
// workshops, demonstration villages, problems), for the demo, the scorecard's fixture and the
// city benchmark. It is deterministic (the plan and the seed decide it) and realistic: every
// value is in the normal form of its field and names the plan's units, regions and teams; and it
// is not perfect, so that a scorecard has something to show: the last partner region is visited
// by the district's head only in September (after the 31 August due date), social
// organisations are not paired, some work teams are short of their articles or case, one
// problem is overdue, and purchase shares spread around 30 %.

// cst is China's time zone (UTC+8, no daylight saving).
var cst = time.FixedZone("CST", 8*3600)

// RegisterYear makes the register entries of plan p dated from 1 January of its year through
// the day given (nothing after it), each recorded at 09:00 the day after its date (At) and
// in date order.
func RegisterYear(p *xiezuo.Plan, through xiezuo.Date, seed int64) []xiezuo.RegisterEntry {
	g := &regGen{p: p, y: p.Year, r: rand.New(rand.NewPCG(uint64(seed), uint64(p.Year)*31+7)), through: through}
	g.office = unitOfKind(p, xiezuo.KindOffice, "领导小组办公室")
	g.regions = nil
	for _, r := range p.Regions {
		g.regions = append(g.regions, r.Name)
	}
	if len(g.regions) == 0 {
		g.regions = []string{"协作地区"}
	}
	g.meetings()
	g.visits()
	g.agreements()
	g.pairings()
	g.personnel()
	g.trainings()
	g.articles()
	g.media()
	g.purchases()
	g.donations()
	g.firms()
	g.parks()
	g.problems()
	slices.SortStableFunc(g.out, func(a, b xiezuo.RegisterEntry) int {
		return xiezuo.DaysBetween(b.On, a.On)
	})
	return g.out
}

type regGen struct {
	p       *xiezuo.Plan
	y       int
	r       *rand.Rand
	through xiezuo.Date
	office  string
	regions []string
	out     []xiezuo.RegisterEntry
	serial  int
}

func unitOfKind(p *xiezuo.Plan, kind, fallback string) string {
	for _, u := range p.Units {
		if u.Kind == kind {
			return u.Name
		}
	}
	if len(p.Units) > 0 {
		return p.Units[0].Name
	}
	return fallback
}

// units are the plan's named units of a kind (departments, not groups), at most n.
func (g *regGen) units(n int, kinds ...string) []string {
	var out []string
	for _, u := range g.p.Units {
		if slices.Contains(kinds, u.Kind) && len(out) < n {
			out = append(out, u.Name)
		}
	}
	if len(out) == 0 {
		out = []string{g.office}
	}
	return out
}

func (g *regGen) day(m time.Month, d int) xiezuo.Date { return xiezuo.NewDate(g.y, m, d) }

// add records an entry when its date is through the day given.
func (g *regGen) add(kind xiezuo.RegisterKind, on xiezuo.Date, unit, region, team string, vals map[string]string) {
	if xiezuo.DaysBetween(g.through, on) > 0 {
		return
	}
	spec, _ := xiezuo.RegisterSpecOf(kind)
	if spec.UnitKey != "" {
		vals[spec.UnitKey] = unit
	}
	if spec.RegionKey != "" && region != "" {
		vals[spec.RegionKey] = region
	}
	if spec.TeamKey != "" {
		vals[spec.TeamKey] = team
	}
	if spec.DateKey != "" {
		if f, _ := spec.Field(spec.DateKey); f.Kind == xiezuo.FieldDate {
			vals[spec.DateKey] = on.String()
		}
	}
	for _, f := range spec.Fields { // a trip still under way is recorded once it has ended (CheckEntry refuses a future end)
		if d, err := xiezuo.ParseDate(vals[f.Key]); err == nil && f.Kind == xiezuo.FieldDate && !f.Future && xiezuo.DaysBetween(g.through, d) > 0 {
			return
		}
	}
	g.serial++
	at := time.Date(on.Year, on.Month, on.Day+1, 9, 0, g.serial%60, 0, cst).UTC()
	g.out = append(g.out, xiezuo.RegisterEntry{Kind: kind, Values: vals, On: on, Unit: unit, Region: region, Team: team, At: at})
}

func wanFen(wan float64) string {
	return strconv.FormatInt(int64(wan*float64(xiezuo.FenPerWan)+0.5), 10)
}

func (g *regGen) meetings() {
	k := "区委书记或区长研究部署会"
	g.add(xiezuo.RegMeeting, g.day(3, 12), g.office, "", "", map[string]string{"kind": k, "title": fmt.Sprintf("%d年支援合作工作部署会", g.y), "chair": "区委书记"})
	g.add(xiezuo.RegMeeting, g.day(9, 8), g.office, "", "", map[string]string{"kind": k, "title": "支援合作工作推进会", "chair": "区长"})
	for i, m := range []time.Month{4, 6, 8, 11} {
		g.add(xiezuo.RegMeeting, g.day(m, 10+i), g.office, "", "", map[string]string{"kind": "分管区领导协调推进会", "title": fmt.Sprintf("支援合作协调推进会（第%d次）", i+1), "chair": "副区长"})
	}
	g.add(xiezuo.RegMeeting, g.day(7, 15), g.office, g.regions[0], "", map[string]string{"kind": "联席会议", "title": "东西部协作联席会议", "chair": "区长", "minutes": "会议纪要第1期"})
	for i, t := range g.p.Teams {
		if i%3 == 0 {
			lead := g.office
			if len(t.Leads) > 0 {
				lead = t.Leads[0]
			}
			g.add(xiezuo.RegMeeting, g.day(time.Month(2+i%9), 20), lead, "", "", map[string]string{"kind": "专班会议", "title": t.Name + "工作会", "chair": "专班负责人"})
		}
	}
}

func (g *regGen) visits() {
	for i, reg := range g.regions {
		on := g.day(time.Month(4+i%4), 6+i%20)
		if i == len(g.regions)-1 && len(g.regions) > 1 {
			on = g.day(9, 15) // the last region visited late
		}
		g.add(xiezuo.RegVisit, on, g.office, reg, "", map[string]string{"direction": "赴协作地区", "level": "区委书记或区长",
			"leaders": "区委书记", "from": on.String(), "to": xiezuo.NewDate(on.Year, on.Month, on.Day+3).String(),
			"grassroots": "是", "joint_meeting": "否", "people": strconv.Itoa(6 + g.r.IntN(6))})
		on2 := g.day(time.Month(5+i%6), 12)
		g.add(xiezuo.RegVisit, on2, g.office, reg, "", map[string]string{"direction": "协作地区来访", "level": "其他区领导",
			"leaders": "副县长", "from": on2.String(), "to": xiezuo.NewDate(on2.Year, on2.Month, on2.Day+2).String()})
	}
}

func (g *regGen) agreements() {
	g.add(xiezuo.RegAgreement, g.day(5, 20), g.office, g.regions[0], "", map[string]string{"kind": "年度协议",
		"title": fmt.Sprintf("%d年东西部协作结对帮扶协议", g.y), "parties": g.p.District + "、" + g.regions[0], "signed": g.day(5, 20).String()})
	for i, reg := range g.regions {
		if i >= 2 {
			break
		}
		on := g.day(time.Month(6+i), 8)
		g.add(xiezuo.RegAgreement, on, g.office, reg, "", map[string]string{"kind": "结对帮扶协议",
			"title": "镇村结对帮扶协议", "parties": "本区镇街、" + reg + "乡镇", "signed": on.String()})
	}
	g.add(xiezuo.RegPolicy, g.day(9, 25), g.office, "", "", map[string]string{"title": "关于推进东西部协作的若干措施", "number": fmt.Sprintf("%s发〔%d〕12号", g.p.District[:min(len(g.p.District), 6)], g.y), "issued": g.day(9, 25).String(), "issuer": g.p.District + "人民政府办公室"})
}

func (g *regGen) pairings() {
	sides := []string{"镇街", "村（社区）", "学校", "医院", "企业", "部门"} // no 社会组织: a gap to show
	for i, side := range sides {
		reg := g.regions[i%len(g.regions)]
		on := g.day(time.Month(3+i), 15)
		g.add(xiezuo.RegPairing, on, g.office, reg, "", map[string]string{"side": side, "ours": fmt.Sprintf("本区%s%d", side, i+1),
			"theirs": fmt.Sprintf("%s%s%d", reg, side, i+1), "since": on.String(), "agreement": "是", "activities": strconv.Itoa(1 + g.r.IntN(5))})
	}
}

func (g *regGen) personnel() {
	org := g.units(1, xiezuo.KindDepartment)[0]
	kinds := []string{"党政干部", "党政干部", "教师", "医生", "农技人员"}
	for i, k := range kinds {
		reg := g.regions[i%len(g.regions)]
		from := xiezuo.NewDate(g.y-1, 7, 1)
		to := xiezuo.NewDate(g.y+1, 6, 30)
		if i >= 2 {
			from, to = g.day(time.Month(3+i), 1), g.day(12, 31)
		}
		g.add(xiezuo.RegPersonnel, from, org, reg, "", map[string]string{"direction": "选派到协作地区", "name": fmt.Sprintf("挂职%d号", i+1),
			"kind": k, "home_unit": org, "region": reg, "from": from.String(), "to": to.String()})
	}
	// One who left the year before: not counted. Dated by its start (the register's date), as
	// the form reads it: a term ending before it starts is refused.
	g.add(xiezuo.RegPersonnel, xiezuo.NewDate(g.y-2, 7, 1), org, g.regions[0], "", map[string]string{"direction": "选派到协作地区", "name": "挂职0号",
		"kind": "党政干部", "home_unit": org, "to": xiezuo.NewDate(g.y-1, 6, 30).String(), "left": xiezuo.NewDate(g.y-1, 6, 30).String()})
	g.add(xiezuo.RegPersonnel, g.day(4, 1), org, g.regions[0], "", map[string]string{"direction": "协作地区来京", "name": "来京1号",
		"kind": "党政干部", "home_unit": g.regions[0] + "人民政府", "from": g.day(4, 1).String(), "to": g.day(9, 30).String()})
}

func (g *regGen) trainings() {
	for i := range 6 {
		reg := g.regions[i%len(g.regions)]
		on := g.day(time.Month(3+i), 18)
		g.add(xiezuo.RegTraining, on, g.units(1, xiezuo.KindDepartment)[0], reg, "", map[string]string{"course": fmt.Sprintf("乡村振兴带头人培训班（第%d期）", i+1),
			"to": xiezuo.NewDate(on.Year, on.Month, on.Day+4).String(), "cadres": strconv.Itoa(10 + g.r.IntN(30)),
			"leaders": strconv.Itoa(20 + g.r.IntN(40)), "workers": strconv.Itoa(g.r.IntN(100))})
	}
}

// articles: each team reports its case and six articles, but every third team is two articles
// short and every fourth has no case.
func (g *regGen) articles() {
	for i, t := range g.p.Teams {
		unit := g.office
		if len(t.Leads) > 0 {
			unit = t.Leads[0]
		}
		n := 6 + g.r.IntN(3)
		if i%3 == 2 {
			n = 4
		}
		for j := range n {
			adopted := "区级采用"
			if j == 0 && i%2 == 0 {
				adopted = "市级采用"
			}
			g.add(xiezuo.RegArticle, g.day(time.Month(2+j%9), 3+i), unit, "", t.Name, map[string]string{"kind": "信息",
				"title": fmt.Sprintf("%s工作动态（%d）", t.Name, j+1), "adopted": adopted})
		}
		if i%4 != 3 {
			adopted := "区级采用"
			if i%5 == 0 {
				adopted = "市级采用"
			}
			g.add(xiezuo.RegArticle, g.day(time.Month(6+i%4), 20), unit, g.regions[i%len(g.regions)], t.Name, map[string]string{"kind": "典型案例",
				"title": t.Name + "典型案例", "adopted": adopted})
		}
	}
	if len(g.p.Teams) > 0 {
		g.add(xiezuo.RegArticle, g.day(7, 12), g.office, "", g.p.Teams[0].Name, map[string]string{"kind": "半年工作总结", "title": fmt.Sprintf("%d年上半年支援合作工作总结", g.y)})
	}
}

func (g *regGen) media() {
	levels := []string{"中央级", "市级", "区级", "协作地区", "市级"}
	for i, l := range levels {
		g.add(xiezuo.RegMedia, g.day(time.Month(3+2*i), 9), g.office, g.regions[i%len(g.regions)], "", map[string]string{"title": fmt.Sprintf("支援合作报道（%d）", i+1),
			"outlet": l + "媒体", "level": l})
	}
}

// purchases: each unit of the consumption task (or the first departments) reports its half
// years; shares spread from 24 % to 36 %.
func (g *regGen) purchases() {
	var units []string
	for _, t := range g.p.Tasks {
		if t.Category == "消费帮扶" {
			for _, u := range t.Units {
				if k := g.kindOf(u.Unit); k == xiezuo.KindDepartment || k == xiezuo.KindSocial {
					units = append(units, u.Unit)
				}
			}
		}
	}
	if len(units) == 0 {
		units = g.units(5, xiezuo.KindDepartment)
	}
	for i, u := range units {
		for h := 1; h <= 2; h++ {
			end := g.day(6, 30)
			if h == 2 {
				end = g.day(12, 31)
			}
			food := 20 + float64(g.r.IntN(40))
			welfare := 5 + float64(g.r.IntN(10))
			share := 0.24 + 0.02*float64((i+h)%7)
			partner := (food + welfare) * share
			g.add(xiezuo.RegPurchase, end, u, g.regions[(i+h)%len(g.regions)], "", map[string]string{"period": fmt.Sprintf("%d-H%d", g.y, h),
				"food_total": wanFen(food), "welfare_total": wanFen(welfare), "via_832": wanFen(partner * 0.4), "via_counter": wanFen(partner * 0.6)})
		}
	}
}

func (g *regGen) kindOf(name string) string {
	for _, u := range g.p.Units {
		if u.Name == name {
			return u.Kind
		}
	}
	return ""
}

func (g *regGen) donations() {
	kinds := []string{"企业", "社会组织", "个人", "企业", "机关事业单位", "企业"}
	for i, k := range kinds {
		vals := map[string]string{"donor": fmt.Sprintf("%s捐赠方%d", k, i+1), "donor_kind": k, "money": wanFen(float64(2 + g.r.IntN(20)))}
		if i%2 == 1 {
			vals["goods"] = wanFen(float64(1 + g.r.IntN(5)))
			vals["goods_note"] = "衣物、文具"
		}
		g.add(xiezuo.RegDonation, g.day(time.Month(2+i*2%10), 16), g.office, g.regions[i%len(g.regions)], "", vals)
	}
}

// creditCode makes a valid 统一社会信用代码 from a serial (GB 32100 check character).
func creditCode(serial int) string {
	body := fmt.Sprintf("91110109%09d", serial%1_000_000_000)
	return body + string(creditCheck(body))
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCheck is the check character of the first 17 characters of a code: weights 3^(i-1)
// mod 31, check (31 − Σ mod 31) mod 31.
func creditCheck(body string) byte {
	sum, w := 0, 1
	for i := range 17 {
		sum += indexOf(creditAlphabet, body[i]) * w
		w = w * 3 % 31
	}
	return creditAlphabet[(31-sum%31)%31]
}

func indexOf(s string, c byte) int {
	for i := range len(s) {
		if s[i] == c {
			return i
		}
	}
	return 0
}

func (g *regGen) firms() {
	for i := range 3 {
		reg := g.regions[i%len(g.regions)]
		jobs := 10 + g.r.IntN(50)
		g.add(xiezuo.RegFirm, g.day(time.Month(4+2*i), 10), g.units(1, xiezuo.KindDepartment)[0], reg, "", map[string]string{"name": fmt.Sprintf("协作企业%d有限公司", i+1),
			"code": creditCode(int(g.r.Int64N(1e9))), "investment": wanFen(float64(100 + g.r.IntN(900))), "jobs": strconv.Itoa(jobs), "poor_jobs": strconv.Itoa(jobs / 3), "industry": "农产品加工"})
	}
}

func (g *regGen) parks() {
	g.add(xiezuo.RegPark, g.day(5, 28), g.office, g.regions[0], "", map[string]string{"kind": "共建产业园区", "name": "京蒙协作产业园", "firms": "6", "investment": wanFen(1200), "employed": "180", "poor_employed": "60"})
	for i := range 2 {
		reg := g.regions[(i+1)%len(g.regions)]
		g.add(xiezuo.RegPark, g.day(time.Month(6+i*2), 18), g.office, reg, "", map[string]string{"kind": "帮扶车间", "name": fmt.Sprintf("帮扶车间%d", i+1), "employed": strconv.Itoa(20 + g.r.IntN(20)), "poor_employed": strconv.Itoa(5 + g.r.IntN(10))})
	}
	g.add(xiezuo.RegDemoVillage, g.day(4, 22), g.office, g.regions[0], "", map[string]string{"village": g.regions[0] + "示范村", "stage": "建设中", "fund": wanFen(50)})
	if len(g.regions) > 1 {
		g.add(xiezuo.RegDemoVillage, g.day(8, 2), g.office, g.regions[1], "", map[string]string{"village": g.regions[1] + "示范村", "stage": "规划中"})
	}
}

// problems: two from the national and city assessments rectified before their deadlines, one
// from an audit rectified, one from an inspection still open past its deadline.
func (g *regGen) problems() {
	type pr struct {
		source, status  string
		found, deadline xiezuo.Date
		done            xiezuo.Date
	}
	for i, p := range []pr{
		{"国家东西部协作考核", "已整改", g.day(2, 20), g.day(6, 30), g.day(6, 10)},
		{"北京市扶贫协作和支援合作考核", "已整改", g.day(3, 5), g.day(6, 30), g.day(6, 25)},
		{"审计", "已整改", g.day(5, 10), g.day(8, 31), g.day(8, 20)},
		{"督查检查", "整改中", g.day(7, 1), g.day(9, 30), xiezuo.Date{}},
	} {
		vals := map[string]string{"source": p.source, "problem": fmt.Sprintf("问题%d：项目资金拨付进度偏慢", i+1), "found": p.found.String(),
			"deadline": p.deadline.String(), "measures": "制订整改方案，倒排工期", "status": p.status}
		if !p.done.IsZero() && xiezuo.DaysBetween(g.through, p.done) <= 0 {
			vals["done"] = p.done.String()
		} else if p.status == "已整改" {
			vals["status"] = "整改中"
		}
		g.add(xiezuo.RegProblem, p.found, g.office, "", "", vals)
	}
}

// WriteRegisters stores generated entries of a district through db.WriteRegisterEntries, in
// batches of at most 500, each dated (sqldb.WithFactTime) at its last entry's time, as the
// actor ctx carries.
func WriteRegisters(ctx context.Context, db *sqldb.DB, district string, entries []xiezuo.RegisterEntry) error {
	return WriteRegistersBy(ctx, db, district, entries, nil, "")
}

// WriteRegistersBy is WriteRegisters with each entry recorded by the account of its unit in
// users (unit → username, as the demo's accounts), and by fallback (the office's account) when
// its unit has none; "" keeps the actor of ctx. Consecutive entries of one writer share a batch.
func WriteRegistersBy(ctx context.Context, db *sqldb.DB, district string, entries []xiezuo.RegisterEntry, users map[string]string, fallback string) error {
	writer := func(e xiezuo.RegisterEntry) string {
		if u := users[e.Unit]; u != "" {
			return u
		}
		return fallback
	}
	for len(entries) > 0 {
		who := writer(entries[0])
		n := 1
		for n < len(entries) && n < 500 && writer(entries[n]) == who {
			n++
		}
		batch := entries[:n]
		entries = entries[n:]
		at := batch[0].At
		for _, e := range batch {
			if e.At.After(at) {
				at = e.At
			}
		}
		c := sqldb.WithFactTime(ctx, at)
		if who != "" {
			c = sqldb.WithActor(c, sqldb.Actor{Username: who, Unit: unitOf(users, who)})
		}
		if _, err := db.WriteRegisterEntries(c, district, batch); err != nil {
			return fmt.Errorf("write registers of %s: %w", district, err)
		}
	}
	return nil
}

// unitOf is the unit whose account is username in users (unit → username).
func unitOf(users map[string]string, username string) string {
	for unit, u := range users {
		if u == username {
			return unit
		}
	}
	return ""
}

// StepsYear makes the start and completion steps of plan p's projects (which need ids) through
// a day, without a database, for the scorecard's fixture and the city benchmark: a project
// starts on the 10th of its planned start month and completes on the 20th of its planned finish
// month; every seventh project (the 4th, 11th, …) starts in October and completes a month late.
func StepsYear(p *xiezuo.Plan, through xiezuo.Date) map[int64][]xiezuo.ProjectStep {
	out := map[int64][]xiezuo.ProjectStep{}
	for i, pr := range p.Projects {
		start, finish := pr.Period.Start, pr.Period.Finish
		if start.IsZero() {
			start = xiezuo.YearMonth{Year: p.Year, Month: 4}
		}
		if finish.IsZero() || finish.Before(start) {
			finish = xiezuo.YearMonth{Year: p.Year, Month: 11}
		}
		s := xiezuo.NewDate(start.Year, time.Month(start.Month), 10)
		c := xiezuo.NewDate(finish.Year, time.Month(finish.Month), 20)
		if i%7 == 3 {
			s = xiezuo.NewDate(p.Year, 10, 10)
			c = xiezuo.NewDate(finish.Year, time.Month(finish.Month)+1, 20)
			if xiezuo.DaysBetween(s, c) < 0 {
				c = xiezuo.NewDate(p.Year, 12, 20)
			}
		}
		var steps []xiezuo.ProjectStep
		if xiezuo.DaysBetween(through, s) <= 0 {
			steps = append(steps, xiezuo.ProjectStep{ProjectID: pr.ID, Kind: xiezuo.StepStart, On: s})
			if xiezuo.DaysBetween(through, c) <= 0 {
				steps = append(steps, xiezuo.ProjectStep{ProjectID: pr.ID, Kind: xiezuo.StepComplete, On: c})
			}
		}
		out[pr.ID] = steps
	}
	return out
}

// ResultsYear makes the poor people employed (带动脱贫人口就业) of each completed project, as of
// its completion: the planned figure, 10 % short for every third project.
func ResultsYear(p *xiezuo.Plan, steps map[int64][]xiezuo.ProjectStep) map[int64][]xiezuo.ProjectResult {
	out := map[int64][]xiezuo.ProjectResult{}
	for i, pr := range p.Projects {
		if !pr.Employed.Valid {
			continue
		}
		for _, s := range steps[pr.ID] {
			if s.Kind != xiezuo.StepComplete {
				continue
			}
			v := pr.Employed.V
			if i%3 == 1 {
				v = v * 9 / 10
			}
			out[pr.ID] = append(out[pr.ID], xiezuo.ProjectResult{ID: int64(i + 1), ProjectID: pr.ID, Kind: xiezuo.ResultPoorEmployed, Value: v, On: s.On})
		}
	}
	return out
}
