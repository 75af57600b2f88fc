package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/vault"
)

// Reads of the labour lists: pages of a list with their counts, a person's page, the reveal of
// one personal value (audited) and the streaming export.

// labourSkills is the skill catalogue of the skill filter's index: an entry's skill_mask has
// bit i set when one of its skills names labourSkills[i] (高级电工 names 电工). A skill outside
// the catalogue is filtered by the text of the skills. It is storage's index detail: the
// catalogue may grow at its end (never reorder it: stored masks keep their bits).
var labourSkills = []string{
	"电工", "焊工", "钳工", "车工", "木工", "瓦工", "钢筋工", "架子工", "水暖工", "油漆工",
	"装修", "砌筑", "混凝土", "防水", "厨师", "面点", "餐饮服务", "服务员", "保洁", "保安",
	"家政", "育婴", "月嫂", "养老护理", "护工", "司机", "驾驶", "叉车", "快递", "外卖",
	"仓储", "物流", "搬运", "普工", "电子装配", "缝纫", "纺织", "美容美发", "收银", "销售",
	"客服", "计算机", "电商", "汽车维修", "机修", "农业种植", "养殖", "园林绿化", "挖掘机", "保管",
}

// labourSkillMask is the catalogue bits the skills name.
func labourSkillMask(skills []string) int64 {
	var m int64
	for _, s := range skills {
		for i, c := range labourSkills {
			if strings.Contains(s, c) {
				m |= 1 << i
			}
		}
	}
	return m
}

// labourWhere is the WHERE of a filtered list of people (alias e for labour_entries), with its
// arguments; none is false when the filter selects nothing (a cadre without regions).
type labourWhere struct {
	conds []string
	args  []any
	none  bool
	// countable: the filter only names columns of labour_entry_counts, so the counts read it.
	countable bool
	// byName: the filter names p.name (labour_people p joined).
	byName bool
	// skillCond is the index in conds of the skill of the catalogue, -1 none.
	skillCond int
}

func (w *labourWhere) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

func (w *labourWhere) sql(alias string) string {
	out := make([]string, len(w.conds))
	for i, c := range w.conds {
		out[i] = strings.ReplaceAll(c, "e.", alias)
	}
	return strings.Join(out, " AND ")
}

func (db *DB) labourWhere(f LabourFilter) (labourWhere, error) {
	w := labourWhere{countable: true, skillCond: -1}
	if strings.TrimSpace(f.District) == "" {
		return w, xiezuo.Errorf(xiezuo.EINVALID, "请指明区")
	}
	if !f.List.OfPeople() {
		return w, xiezuo.Errorf(xiezuo.EINVALID, "“%s”不是人员清单", f.List)
	}
	w.add("e.district = ?", f.District)
	w.add("e.list = ?", string(f.List))
	if f.Regions != nil {
		if len(f.Regions) == 0 {
			w.none = true
		} else {
			ph := make([]string, len(f.Regions))
			for i, r := range f.Regions {
				w.args = append(w.args, r)
				ph[i] = "$" + strconv.Itoa(len(w.args))
			}
			w.conds = append(w.conds, "e.region IN ("+strings.Join(ph, ",")+")")
		}
	}
	if f.Region != "" {
		w.add("e.region = ?", f.Region)
	}
	if f.Town != "" {
		w.add("e.town_code = ?", f.Town)
	}
	switch f.Poor {
	case "":
	case "否":
		w.add("e.poor = ''")
	default:
		w.add("e.poor = ?", f.Poor)
	}
	if f.Status != "" {
		w.add("e.status = ?", f.Status)
	}
	if s := strings.TrimSpace(f.Skill); s != "" {
		if i := slices.Index(labourSkills, s); i >= 0 {
			// Counted from labour_entry_skill_counts, whose skill_mask is the one bit.
			w.skillCond = len(w.conds)
			w.add("(e.skill_mask & ?) <> 0", int64(1)<<i)
		} else {
			w.countable = false
			w.add("e.skills LIKE ?", "%"+s+"%")
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		w.countable = false
		switch {
		case looksLikeID(q):
			if db.sealer == nil {
				w.none = true
				break
			}
			id := strings.ToUpper(q)
			w.add("e.person_id = (SELECT id FROM labour_people WHERE id_index = ?)", db.sealer.Index([]byte(id), fieldLabourID))
		case looksLikePhone(q):
			p, _ := vault.NormalizePhone(q)
			if db.sealer == nil {
				w.none = true
				break
			}
			w.add("e.phone_index = ?", db.sealer.Index([]byte(p), fieldLabourPhone))
		default:
			// A range the name index serves, and LIKE for the exact prefix; the queries join
			// labour_people p (as a subquery, SQLite scanned the entries and looked each up).
			w.byName = true
			w.add("p.name >= ? AND p.name < ? AND p.name LIKE ?",
				q, q+"\U0010FFFF", strings.NewReplacer("%", "", "_", "").Replace(q)+"%")
		}
	}
	return w, nil
}

func looksLikeID(q string) bool {
	q = strings.ToUpper(strings.TrimSpace(q))
	if len(q) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if q[i] < '0' || q[i] > '9' {
			return false
		}
	}
	return q[17] == 'X' || ('0' <= q[17] && q[17] <= '9')
}

func looksLikePhone(q string) bool {
	_, ok := vault.NormalizePhone(q)
	return ok
}

// perPage is the page size of a filter: 50 by default, at most 500.
func perPage(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

const personRowColumns = `e.id, e.person_id, p.name, p.id_sealed, p.sex, p.birth, e.phone_sealed, e.home_code, e.region,
	e.poor, e.skills, e.education, e.status, e.details, e.income_sealed, e.updated_at`

// scanPersonRow reads a row of personRowColumns, personal values masked, or plain when reveal.
func (db *DB) scanPersonRow(rows *sql.Rows, reveal bool) (LabourPersonRow, error) {
	var r LabourPersonRow
	var idSealed, phone, income []byte
	var skills, details string
	err := rows.Scan(&r.EntryID, &r.PersonID, &r.Name, &idSealed, &r.Sex, &r.Birth, &phone, &r.HomeCode, &r.Region,
		&r.Poor, &skills, &r.Education, &r.Status, &details, &income, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	if skills != "" {
		r.Skills = strings.Split(skills, "、")
	}
	r.IDMasked = "******************"
	if id, err := db.openLabour(idSealed, fieldLabourID); err == nil && id != "" {
		r.IDMasked = vault.MaskID(id)
		if reveal {
			r.IDMasked = id
		}
	}
	if p, err := db.openLabour(phone, fieldLabourPhone); err == nil && p != "" {
		r.Phone = vault.MaskPhone(p)
		if reveal {
			r.Phone = p
		}
	}
	var d labourDetails
	_ = json.Unmarshal([]byte(details), &d) // written by the import; a broken value shows as blank
	r.HomeName = d.HomeName
	r.Details = d.display()
	if income != nil {
		r.Details["income"] = "****"
		if reveal {
			if v, err := db.openLabour(income, fieldLabourIncome); err == nil {
				n, _ := strconv.ParseInt(v, 10, 64)
				r.Details["income"] = xiezuo.FormatYuan(n) + "元/月"
			}
		}
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	return r, nil
}

// openLabour opens a sealed labour value; "" for none.
func (db *DB) openLabour(sealed []byte, field string) (string, error) {
	if sealed == nil {
		return "", nil
	}
	if db.sealer == nil {
		return "", errNoLabourKey()
	}
	v, err := db.sealer.Open(sealed, field)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", field, err)
	}
	return string(v), nil
}

// display is the details as a page shows them, by key.
func (d labourDetails) display() map[string]string {
	m := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("employer", d.Employer)
	put("employer_code", d.EmployerCode)
	put("work_place", d.WorkPlace)
	put("post", d.Post)
	put("since", d.Since)
	put("wish_place", d.WishPlace)
	put("wish_post", d.WishPost)
	if d.WishPay != 0 {
		m["wish_pay"] = xiezuo.FormatYuan(d.WishPay) + "元/月"
	}
	put("available", d.Available)
	return m
}

// LabourPeople reads a page of a list of people. The counts of a filter by region, town, poor
// flag and status come from labour_entry_counts (kept by triggers); a filter by skill or a
// search counts the entries it selects.
func (db *DB) LabourPeople(ctx context.Context, f LabourFilter) (LabourPeoplePage, error) {
	var page LabourPeoplePage
	w, err := db.labourWhere(f)
	if err != nil || w.none {
		return page, err
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return page, translate(fmt.Errorf("labour people: %w", err))
	}
	defer tx.Rollback()
	from := `labour_entries e`
	rowsFrom := `labour_entries e JOIN labour_people p ON p.id = e.person_id`
	if w.byName {
		// CROSS JOIN: SQLite takes the people of the name (by its index) first, where it
		// otherwise scanned a million entries; PostgreSQL plans it as the inner join it is.
		from = `labour_people p CROSS JOIN labour_entries e`
		rowsFrom = from
		w.conds = append(w.conds, "e.person_id = p.id")
	}
	counts := `SELECT e.region, e.poor, e.status, COUNT(*) FROM ` + from + ` WHERE ` + w.sql("e.") +
		` GROUP BY e.region, e.poor, e.status`
	if w.countable {
		table := "labour_entry_counts"
		cw := w
		if w.skillCond >= 0 {
			table = "labour_entry_skill_counts"
			cw.conds = slices.Clone(w.conds)
			cw.conds[w.skillCond] = strings.Replace(cw.conds[w.skillCond], "(e.skill_mask & $", "(e.skill_mask = $", 1)
			cw.conds[w.skillCond] = strings.Replace(cw.conds[w.skillCond], ") <> 0", ")", 1)
		}
		counts = `SELECT c.region, c.poor, c.status, SUM(c.n) FROM ` + table + ` c WHERE ` + cw.sql("c.") +
			` GROUP BY c.region, c.poor, c.status HAVING SUM(c.n) > 0`
	}
	byStatus, byRegion, byPoor := map[string]int{}, map[string]int{}, map[string]int{}
	err = each(ctx, tx, counts, w.args, func(rows *sql.Rows) error {
		var region, poor, status string
		var n int
		if err := rows.Scan(&region, &poor, &status, &n); err != nil {
			return err
		}
		if poor == "" {
			poor = "否"
		}
		byStatus[status] += n
		byRegion[region] += n
		byPoor[poor] += n
		page.Total += n
		return nil
	})
	if err != nil {
		return page, translate(fmt.Errorf("labour people: %w", err))
	}
	page.ByStatus, page.ByRegion, page.ByPoor = sortedCounts(byStatus), sortedCounts(byRegion), sortedCounts(byPoor)
	n := perPage(f.PerPage)
	off := (max(f.Page, 1) - 1) * n
	args := append(slices.Clip(w.args), n, off)
	err = each(ctx, tx, `SELECT `+personRowColumns+` FROM `+rowsFrom+`
		WHERE `+w.sql("e.")+` ORDER BY e.id LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args,
		func(rows *sql.Rows) error {
			r, err := db.scanPersonRow(rows, false)
			page.Rows = append(page.Rows, r)
			return err
		})
	if err != nil {
		return page, translate(fmt.Errorf("labour people: %w", err))
	}
	return page, nil
}

func sortedCounts(m map[string]int) []LabourCount {
	out := make([]LabourCount, 0, len(m))
	for v, n := range m {
		out = append(out, LabourCount{Value: v, N: n})
	}
	slices.SortFunc(out, func(a, b LabourCount) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out
}

// EachLabourPerson calls fn for every entry the filter selects (pages ignored), in the list's
// order, masked, or plain when reveal (the caller checked xiezuo.LabourReveal; the export is
// audited as AuditLabourExport, once, before the first row). For exports, streaming: rows are
// read a thousand at a time, each in a query of its own.
func (db *DB) EachLabourPerson(ctx context.Context, f LabourFilter, reveal bool, fn func(LabourPersonRow) error) error {
	w, err := db.labourWhere(f)
	if err != nil || w.none {
		return err
	}
	if reveal {
		e := AuditEntry{Action: AuditLabourExport, ObjectType: "labour_list", ObjectID: f.District + "/" + string(f.List),
			ObjectLabel: f.District + f.List.Title(),
			After: mustJSON(map[string]any{"region": f.Region, "town": f.Town, "poor": f.Poor, "skill": f.Skill,
				"status": f.Status, "regions": f.Regions}),
			Detail: "导出未隐藏身份证号、手机号和收入的清单"}
		if err := db.AppendAudit(ctx, e); err != nil {
			return err
		}
	}
	last := int64(0)
	for {
		args := append(slices.Clip(w.args), last)
		var batch []LabourPersonRow
		err := each(ctx, db.db, `SELECT `+personRowColumns+` FROM labour_entries e JOIN labour_people p ON p.id = e.person_id
			WHERE `+w.sql("e.")+` AND e.id > $`+strconv.Itoa(len(args))+` ORDER BY e.id LIMIT 1000`, args,
			func(rows *sql.Rows) error {
				r, err := db.scanPersonRow(rows, reveal)
				batch = append(batch, r)
				return err
			})
		if err != nil {
			return translate(fmt.Errorf("labour export: %w", err))
		}
		for _, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(batch) < 1000 {
			return nil
		}
		last = batch[len(batch)-1].EntryID
	}
}

// placedOn counts the placements at work on job j at the date of parameter $n: the latest of
// each chain, not withdrawn, not ended before.
func placedOn(n int) string {
	return `(SELECT COUNT(*) FROM labour_placements pl WHERE pl.job_id = j.id AND pl.withdrawn = FALSE
	AND (pl.end_on IS NULL OR pl.end_on >= $` + strconv.Itoa(n) + `)
	AND NOT EXISTS (SELECT 1 FROM labour_placements q WHERE q.supersedes = pl.id))`
}

func (db *DB) today(ctx context.Context) xiezuo.Date {
	t := db.factTime(ctx).In(shanghai)
	return xiezuo.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

// LabourJobs reads a page of the jobs' list (Region, Town, Poor, Status of the filter do not
// apply; Skill and Q do: Q is the employer or the post).
func (db *DB) LabourJobs(ctx context.Context, f LabourFilter) (LabourJobsPage, error) {
	var page LabourJobsPage
	if strings.TrimSpace(f.District) == "" {
		return page, xiezuo.Errorf(xiezuo.EINVALID, "请指明区")
	}
	w := labourWhere{}
	w.add("j.district = ?", f.District)
	if s := strings.TrimSpace(f.Skill); s != "" {
		if i := slices.Index(labourSkills, s); i >= 0 {
			w.add("(j.skill_mask & ?) <> 0", int64(1)<<i)
		} else {
			w.add("j.skills LIKE ?", "%"+s+"%")
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + q + "%"
		w.add("(j.employer LIKE ? OR j.post LIKE ?)", like, like)
	}
	where := strings.Join(w.conds, " AND ")
	tx, err := db.beginRead(ctx)
	if err != nil {
		return page, translate(fmt.Errorf("labour jobs: %w", err))
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_jobs j WHERE `+where, w.args...).Scan(&page.Total); err != nil {
		return page, translate(fmt.Errorf("labour jobs: %w", err))
	}
	n := perPage(f.PerPage)
	args := append(slices.Clip(w.args), db.today(ctx), n, (max(f.Page, 1)-1)*n)
	err = each(ctx, tx, `SELECT j.id, j.employer, j.credit_code, j.post, j.wanted, j.place_code, j.pay_min, j.pay_max,
		j.skills, j.education, j.start_on, j.end_on, j.details, j.contact_phone_sealed, `+placedOn(len(args)-2)+`
		FROM labour_jobs j WHERE `+where+` ORDER BY j.id LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)),
		args, func(rows *sql.Rows) error {
			r, err := db.scanJob(rows)
			page.Rows = append(page.Rows, r)
			return err
		})
	if err != nil {
		return page, translate(fmt.Errorf("labour jobs: %w", err))
	}
	return page, nil
}

func (db *DB) scanJob(rows *sql.Rows) (LabourJobRow, error) {
	var r LabourJobRow
	var skills, details string
	var contact []byte
	j := &r.Job
	err := rows.Scan(&r.ID, &j.Employer, &j.CreditCode, &j.Post, &j.Wanted, &j.PlaceCode, &j.PayMin, &j.PayMax, &skills,
		&j.Education, &j.Start, &j.End, &details, &contact, &r.Placed)
	if err != nil {
		return r, err
	}
	if skills != "" {
		j.Skills = strings.Split(skills, "、")
	}
	var d jobDetails
	_ = json.Unmarshal([]byte(details), &d)
	j.PlaceName, j.Contact, j.Board, j.Note = d.PlaceName, d.Contact, d.Board, d.Note
	if p, err := db.openLabour(contact, fieldLabourContact); err == nil && p != "" {
		j.ContactPhone = vault.MaskPhone(p)
	}
	r.Open = max(j.Wanted-r.Placed, 0)
	return r, nil
}

// LabourPerson reads a person's page in a district; ENOTFOUND when the district has no entry
// of the person (or none in regions, when regions is not nil). Placements' pay stays sealed
// (0): the page shows it through a reveal.
func (db *DB) LabourPerson(ctx context.Context, district string, personID int64, regions []string) (LabourPersonView, error) {
	v := LabourPersonView{PersonID: personID}
	notFound := xiezuo.Errorf(xiezuo.ENOTFOUND, "本区的劳务协作清单中没有这个人")
	if regions != nil && len(regions) == 0 {
		return v, notFound
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return v, translate(fmt.Errorf("labour person: %w", err))
	}
	defer tx.Rollback()
	err = each(ctx, tx, `SELECT `+personRowColumns+` FROM labour_entries e JOIN labour_people p ON p.id = e.person_id
		WHERE e.district = $1 AND e.person_id = $2 ORDER BY e.list, e.id`, []any{district, personID},
		func(rows *sql.Rows) error {
			r, err := db.scanPersonRow(rows, false)
			if err == nil && (regions == nil || slices.Contains(regions, r.Region)) {
				v.Entries = append(v.Entries, r)
			}
			return err
		})
	if err != nil {
		return v, translate(fmt.Errorf("labour person: %w", err))
	}
	if len(v.Entries) == 0 {
		return v, notFound
	}
	e := v.Entries[0]
	v.Name, v.IDMasked, v.Sex, v.Birth = e.Name, e.IDMasked, e.Sex, e.Birth
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT district) FROM labour_entries WHERE person_id = $1 AND district <> $2`,
		personID, district).Scan(&v.Other); err != nil {
		return v, translate(fmt.Errorf("labour person: %w", err))
	}
	if v.Matches, err = db.labourMatches(ctx, tx, district, "", personID, 0); err != nil {
		return v, err
	}
	if v.Placements, err = loadPlacements(ctx, tx, `district = $1 AND person_id = $2`, district, personID); err != nil {
		return v, err
	}
	return v, nil
}

const placementColumns = `id, district, person_id, job_id, match_id, employer, credit_code, post, place_code, start_on,
	end_on, poor, home_code, region, source, supersedes, withdrawn, reason, by_user, at`

// loadPlacements reads placements (pay left sealed) by a condition, oldest first.
func loadPlacements(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.Placement, error) {
	var out []xiezuo.Placement
	err := each(ctx, q, `SELECT `+placementColumns+` FROM labour_placements WHERE `+where+` ORDER BY id`, args,
		func(rows *sql.Rows) error {
			var p xiezuo.Placement
			var job, match, sup sql.NullInt64
			if err := rows.Scan(&p.ID, &p.District, &p.PersonID, &job, &match, &p.Employer, &p.CreditCode, &p.Post,
				&p.PlaceCode, &p.Start, &p.End, &p.Poor, &p.HomeCode, &p.Region, &p.Source, &sup, &p.Withdrawn,
				&p.Reason, &p.RecordedBy, &p.RecordedAt); err != nil {
				return err
			}
			p.JobID, p.MatchID, p.Supersedes = job.Int64, match.Int64, sup.Int64
			p.RecordedAt = p.RecordedAt.UTC()
			out = append(out, p)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("load placements: %w", err))
	}
	return out, nil
}

// RevealLabour opens one personal field of a person in a district (of the district's entry
// entryID, for the phone and income) and audits it (AuditLabourReveal): the person and the
// field, never the value. An income (stored in fen) is answered as a number of yuan per month
// without a unit, as xiezuo.FormatYuan writes it: 760000 fen → "7600", 512345 fen → "5123.45";
// a page prints it as is with “元/月” after it and must not convert it again. A blank income is "".
func (db *DB) RevealLabour(ctx context.Context, district string, entryID int64, field string) (string, error) {
	sealedField := map[string]string{RevealID: fieldLabourID, RevealPhone: fieldLabourPhone, RevealIncome: fieldLabourIncome}[field]
	if sealedField == "" {
		return "", xiezuo.Errorf(xiezuo.EINVALID, "不能查看“%s”", field)
	}
	var person int64
	var name string
	var id, phone, income []byte
	err := db.db.QueryRowContext(ctx, `SELECT e.person_id, p.name, p.id_sealed, e.phone_sealed, e.income_sealed
		FROM labour_entries e JOIN labour_people p ON p.id = e.person_id WHERE e.id = $1 AND e.district = $2`,
		entryID, district).Scan(&person, &name, &id, &phone, &income)
	if errors.Is(err, sql.ErrNoRows) {
		return "", xiezuo.Errorf(xiezuo.ENOTFOUND, "本区的劳务协作清单中没有这条记录")
	}
	if err != nil {
		return "", translate(fmt.Errorf("reveal labour: %w", err))
	}
	sealed := map[string][]byte{RevealID: id, RevealPhone: phone, RevealIncome: income}[field]
	v, err := db.openLabour(sealed, sealedField)
	if err != nil {
		return "", err
	}
	if field == RevealIncome && v != "" {
		n, _ := strconv.ParseInt(v, 10, 64)
		v = xiezuo.FormatYuan(n)
	}
	e := AuditEntry{Action: AuditLabourReveal, ObjectType: "labour_person", ObjectID: strconv.FormatInt(person, 10),
		ObjectLabel: vault.MaskName(name), Detail: fmt.Sprintf("查看%s（%s，清单记录 %d）", revealWords[field], district, entryID)}
	if err := db.AppendAudit(ctx, e); err != nil {
		return "", err
	}
	return v, nil
}

var revealWords = map[string]string{RevealID: "身份证号", RevealPhone: "手机号", RevealIncome: "月收入"}

// LabourImportProgress reads an import's state, with the progress of one under way.
func (db *DB) LabourImportProgress(ctx context.Context, id int64) (LabourImportStatus, error) {
	list, err := db.labourImports(ctx, `id = $1`, id)
	if err != nil {
		return LabourImportStatus{}, err
	}
	if len(list) == 0 {
		return LabourImportStatus{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的导入", id)
	}
	return list[0], nil
}

// LabourImports lists a district's imports, newest first (20 when limit is 0).
func (db *DB) LabourImports(ctx context.Context, district string, limit int) ([]LabourImportStatus, error) {
	if limit <= 0 || limit > 1000 {
		limit = 20
	}
	return db.labourImports(ctx, `district = $1 ORDER BY id DESC LIMIT $2`, district, limit)
}

func (db *DB) labourImports(ctx context.Context, where string, args ...any) ([]LabourImportStatus, error) {
	var out []LabourImportStatus
	err := each(ctx, db.db, `SELECT id, district, list, file_name, mode, state, rows_read, rows_total, added, updated,
		unchanged, bad, errors, bad_sealed IS NOT NULL, message, by_user, by_unit, started_at, finished_at
		FROM labour_imports WHERE `+where, args, func(rows *sql.Rows) error {
		var s LabourImportStatus
		var errs, unit string
		var finished sql.NullTime
		if err := rows.Scan(&s.ID, &s.District, &s.List, &s.FileName, &s.Mode, &s.State, &s.RowsRead, &s.RowsTotal,
			&s.Added, &s.Updated, &s.Unchanged, &s.Bad, &errs, &s.HasBad, &s.Message, &s.By, &unit, &s.StartedAt,
			&finished); err != nil {
			return err
		}
		_ = json.Unmarshal([]byte(errs), &s.Errors)
		if unit != "" {
			s.By += "（" + unit + "）"
		}
		s.StartedAt = s.StartedAt.UTC()
		if finished.Valid {
			s.FinishedAt = finished.Time.UTC()
		}
		if s.State == "running" {
			if p, ok := labourProgress.Load(progressKey{db, s.ID}); ok {
				rt := p.([2]int)
				s.RowsRead, s.RowsTotal = rt[0], rt[1]
			}
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("labour imports: %w", err))
	}
	return out, nil
}

// LabourBadRows opens the bad rows' workbook of an import (nil when none).
func (db *DB) LabourBadRows(ctx context.Context, id int64) ([]byte, error) {
	var sealed []byte
	err := db.db.QueryRowContext(ctx, `SELECT bad_sealed FROM labour_imports WHERE id = $1`, id).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的导入", id)
	}
	if err != nil {
		return nil, translate(fmt.Errorf("labour bad rows: %w", err))
	}
	if sealed == nil {
		return nil, nil
	}
	if db.sealer == nil {
		return nil, errNoLabourKey()
	}
	b, err := db.sealer.Open(sealed, fieldLabourBadRows)
	if err != nil {
		return nil, fmt.Errorf("open bad rows: %w", err)
	}
	return b, nil
}
