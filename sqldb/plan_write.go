package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"xiezuo"
)

// planWriter writes one import of a plan inside its transaction, with one prepared statement
// per table and operation.
type planWriter struct {
	tx       *sql.Tx
	district string
	planID   int64
	docID    int64
	unitIDs  map[string]int64 // canonical name → id
	changed  map[string]bool  // entity + "\x00" + key of each fact whose content changed
	stmts    []*sql.Stmt
}

func (w *planWriter) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

func (w *planWriter) prepare(ctx context.Context, queries ...string) ([]*sql.Stmt, error) {
	stmts := make([]*sql.Stmt, len(queries))
	for i, q := range queries {
		s, err := w.tx.PrepareContext(ctx, q)
		if err != nil {
			return nil, err
		}
		w.stmts = append(w.stmts, s)
		stmts[i] = s
	}
	return stmts, nil
}

// write stores the document and the plan p over old, the plan stored before (empty when none).
func (w *planWriter) write(ctx context.Context, old *storedPlan, p *xiezuo.Plan, content []byte, digest string, now time.Time) error {
	if content == nil {
		content = []byte{}
	}
	err := w.tx.QueryRowContext(ctx, `
		INSERT INTO documents (district, year, name, sha256, kind, size, content, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id`,
		p.District, p.Year, p.Source.Name, digest, p.Source.Kind, len(content), content, now,
	).Scan(&w.docID)
	if err != nil {
		return fmt.Errorf("store document: %w", err)
	}
	err = w.tx.QueryRowContext(ctx, `
		INSERT INTO plans (district, year, title, office, issued_on, notice, document_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (district, year) DO UPDATE SET
			title = excluded.title, office = excluded.office, issued_on = excluded.issued_on,
			notice = excluded.notice, document_id = excluded.document_id
		RETURNING id`,
		p.District, p.Year, p.Title, p.Office, p.IssuedOn, p.Notice, w.docID,
	).Scan(&w.planID)
	if err != nil {
		return fmt.Errorf("store plan: %w", err)
	}
	for _, step := range []func(context.Context, *storedPlan, *xiezuo.Plan) error{
		w.units, w.regions, w.sections, w.points, w.teams, w.tasks, w.projects, w.subtotals,
	} {
		if err := step(ctx, old, p); err != nil {
			return err
		}
	}
	return nil
}

// units upserts the district's units the plan names, with their aliases, and records which
// units the plan names, in its order: first those p.Units lists, then any a duty names
// without p.Units listing it.
func (w *planWriter) units(ctx context.Context, _ *storedPlan, p *xiezuo.Plan) error {
	st, err := w.prepare(ctx,
		`INSERT INTO units (district, name, kind, known) VALUES ($1, $2, $3, $4)
		ON CONFLICT (district, name) DO UPDATE SET kind = excluded.kind, known = excluded.known
		RETURNING id`,
		// A unit named but not listed keeps what is known of it.
		`INSERT INTO units (district, name, kind, known) VALUES ($1, $2, $3, $4)
		ON CONFLICT (district, name) DO UPDATE SET name = excluded.name
		RETURNING id`,
		`INSERT INTO unit_aliases (unit_id, district, alias) VALUES ($1, $2, $3)`,
		`INSERT INTO plan_units (plan_id, unit_id, seq) VALUES ($1, $2, $3)`,
	)
	if err != nil {
		return fmt.Errorf("store units: %w", err)
	}
	upsert, ensure, insertAlias, insertPlanUnit := st[0], st[1], st[2], st[3]

	type owner struct {
		id   int64
		name string
	}
	owners := map[string]owner{}
	err = each(ctx, w.tx, `
		SELECT a.alias, u.id, u.name
		FROM unit_aliases a JOIN units u ON u.id = a.unit_id
		WHERE a.district = $1`, []any{w.district},
		func(rows *sql.Rows) error {
			var alias string
			var o owner
			if err := rows.Scan(&alias, &o.id, &o.name); err != nil {
				return err
			}
			owners[alias] = o
			return nil
		})
	if err != nil {
		return fmt.Errorf("load unit aliases: %w", err)
	}
	if _, err := w.tx.ExecContext(ctx, `DELETE FROM plan_units WHERE plan_id = $1`, w.planID); err != nil {
		return fmt.Errorf("store units: %w", err)
	}

	w.unitIDs = map[string]int64{}
	seq := 0
	for _, u := range p.Units {
		if _, ok := w.unitIDs[u.Name]; ok {
			continue
		}
		var id int64
		if err := upsert.QueryRowContext(ctx, w.district, u.Name, u.Kind, u.Known).Scan(&id); err != nil {
			return fmt.Errorf("store unit %s: %w", u.Name, err)
		}
		w.unitIDs[u.Name] = id
		seq++
		if _, err := insertPlanUnit.ExecContext(ctx, w.planID, id, seq); err != nil {
			return fmt.Errorf("store unit %s: %w", u.Name, err)
		}
		for _, a := range u.Aliases {
			if o, ok := owners[a]; ok {
				if o.id != id {
					return xiezuo.Errorf(xiezuo.ECONFLICT, "单位别名「%s」已是「%s」的别名，不能再作为「%s」的别名", a, o.name, u.Name)
				}
				continue
			}
			if _, err := insertAlias.ExecContext(ctx, id, w.district, a); err != nil {
				return fmt.Errorf("store alias %s of unit %s: %w", a, u.Name, err)
			}
			owners[a] = owner{id, u.Name}
		}
	}
	for _, name := range namedUnits(p) {
		if _, ok := w.unitIDs[name]; ok {
			continue
		}
		var id int64
		if err := ensure.QueryRowContext(ctx, w.district, name, xiezuo.GuessUnitKind(name), false).Scan(&id); err != nil {
			return fmt.Errorf("store unit %s: %w", name, err)
		}
		w.unitIDs[name] = id
		seq++
		if _, err := insertPlanUnit.ExecContext(ctx, w.planID, id, seq); err != nil {
			return fmt.Errorf("store unit %s: %w", name, err)
		}
	}
	return nil
}

// namedUnits lists the canonical names of the units the duties of p name, in document order.
func namedUnits(p *xiezuo.Plan) []string {
	var names []string
	for _, w := range p.Points {
		for _, r := range w.Units {
			names = append(names, r.Unit)
		}
	}
	for _, t := range p.Teams {
		names = append(names, t.Leads...)
	}
	for _, t := range p.Tasks {
		for _, r := range t.Units {
			names = append(names, r.Unit)
		}
	}
	for _, pr := range p.Projects {
		if pr.LeadUnit != "" {
			names = append(names, pr.LeadUnit)
		}
	}
	return names
}

// regions upserts the district's partner regions and records the plan's, with the relation the
// plan states. A region's own relation is the last one stated.
func (w *planWriter) regions(ctx context.Context, _ *storedPlan, p *xiezuo.Plan) error {
	st, err := w.prepare(ctx,
		`INSERT INTO partner_regions (district, name, relation) VALUES ($1, $2, $3)
		ON CONFLICT (district, name) DO UPDATE SET relation = CASE
			WHEN excluded.relation = '' THEN partner_regions.relation ELSE excluded.relation END
		RETURNING id`,
		`INSERT INTO plan_regions (plan_id, region_id, seq, relation) VALUES ($1, $2, $3, $4)`,
	)
	if err != nil {
		return fmt.Errorf("store partner regions: %w", err)
	}
	upsert, insertPlanRegion := st[0], st[1]
	if _, err := w.tx.ExecContext(ctx, `DELETE FROM plan_regions WHERE plan_id = $1`, w.planID); err != nil {
		return fmt.Errorf("store partner regions: %w", err)
	}
	seen := map[string]bool{}
	for i, r := range p.Regions {
		if seen[r.Name] {
			continue
		}
		seen[r.Name] = true
		var id int64
		if err := upsert.QueryRowContext(ctx, w.district, r.Name, r.Relation).Scan(&id); err != nil {
			return fmt.Errorf("store partner region %s: %w", r.Name, err)
		}
		if _, err := insertPlanRegion.ExecContext(ctx, w.planID, id, i+1, r.Relation); err != nil {
			return fmt.Errorf("store partner region %s: %w", r.Name, err)
		}
	}
	return nil
}

// rowState says what an import did to a stored fact.
type rowState int

const (
	rowKept    rowState = iota // same content; updated for its position and document only
	rowChanged                 // updated in place; its child rows are replaced
	rowAdded                   // inserted
)

// syncRows writes the rows of one fact table by natural key: it deletes the stored rows whose
// key is gone, updates in place those whose key remains, so that their ids are kept, and
// inserts the others. args returns the column values of new row i: the insert takes them as
// $1…, the update as $2… with the id as $1. It returns the id and state of each new row.
func (w *planWriter) syncRows(ctx context.Context, entity string, oldKeys []string, oldIDs []int64,
	newKeys []string, insert, update, delete string, args func(i int) []any,
) ([]int64, []rowState, error) {
	st, err := w.prepare(ctx, insert, update, delete)
	if err != nil {
		return nil, nil, err
	}
	ins, upd, del := st[0], st[1], st[2]
	byKey := make(map[string]int64, len(oldKeys))
	for i, k := range oldKeys {
		byKey[k] = oldIDs[i]
	}
	kept := make(map[string]bool, len(newKeys))
	for _, k := range newKeys {
		kept[k] = true
	}
	for i, k := range oldKeys {
		if !kept[k] {
			if _, err := del.ExecContext(ctx, oldIDs[i]); err != nil {
				return nil, nil, err
			}
		}
	}
	ids := make([]int64, len(newKeys))
	states := make([]rowState, len(newKeys))
	for i, k := range newKeys {
		a := args(i)
		id, ok := byKey[k]
		if !ok {
			states[i] = rowAdded
			if err := ins.QueryRowContext(ctx, a...).Scan(&ids[i]); err != nil {
				return nil, nil, err
			}
			continue
		}
		ids[i] = id
		if w.changed[entity+"\x00"+k] {
			states[i] = rowChanged
		}
		if _, err := upd.ExecContext(ctx, append([]any{id}, a...)...); err != nil {
			return nil, nil, err
		}
	}
	return ids, states, nil
}

func (w *planWriter) sections(ctx context.Context, old *storedPlan, p *xiezuo.Plan) error {
	ss := p.Sections
	_, _, err := w.syncRows(ctx, xiezuo.EntitySection,
		xiezuo.Keys(old.plan.Sections), old.sectionIDs, xiezuo.Keys(ss),
		`INSERT INTO sections (plan_id, seq, number, title, document_id, line, sheet)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		RETURNING id`,
		`UPDATE sections SET plan_id = $2, seq = $3, number = $4, title = $5, document_id = $6,
			line = $7, sheet = $8
		WHERE id = $1`,
		`DELETE FROM sections WHERE id = $1`,
		func(i int) []any {
			s := ss[i]
			return []any{w.planID, i + 1, s.Number, s.Title, w.docID, s.Pos.Line, s.Pos.Sheet}
		})
	if err != nil {
		return fmt.Errorf("store sections: %w", err)
	}
	return nil
}

func (w *planWriter) points(ctx context.Context, old *storedPlan, p *xiezuo.Plan) error {
	ps := p.Points
	ids, states, err := w.syncRows(ctx, xiezuo.EntityWorkPoint,
		xiezuo.Keys(old.plan.Points), old.pointIDs, xiezuo.Keys(ps),
		`INSERT INTO work_points (plan_id, seq, number, section_number, title, text, units_open,
			units_line, units_sheet, document_id, line, sheet)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		RETURNING id`,
		`UPDATE work_points SET plan_id = $2, seq = $3, number = $4, section_number = $5, title = $6,
			text = $7, units_open = $8, units_line = $9, units_sheet = $10, document_id = $11,
			line = $12, sheet = $13
		WHERE id = $1`,
		`DELETE FROM work_points WHERE id = $1`,
		func(i int) []any {
			x := ps[i]
			return []any{w.planID, i + 1, x.Number, x.Section, x.Title, x.Text, x.UnitsOpen,
				x.UnitsPos.Line, x.UnitsPos.Sheet, w.docID, x.Pos.Line, x.Pos.Sheet}
		})
	if err != nil {
		return fmt.Errorf("store work points: %w", err)
	}
	st, err := w.prepare(ctx,
		`DELETE FROM work_point_units WHERE work_point_id = $1`,
		`INSERT INTO work_point_units (work_point_id, seq, unit_id, role, stated, written)
		VALUES ($1, $2, $3, $4, $5, $6)`,
	)
	if err != nil {
		return fmt.Errorf("store work point units: %w", err)
	}
	for i, x := range ps {
		if err := w.responsibilities(ctx, st[0], st[1], ids[i], states[i], x.Units); err != nil {
			return fmt.Errorf("store units of work point %d: %w", x.Number, err)
		}
	}
	return nil
}

// responsibilities replaces the responsible units of a new or changed duty.
func (w *planWriter) responsibilities(ctx context.Context, del, ins *sql.Stmt, id int64, state rowState, rs []xiezuo.Responsibility) error {
	if state == rowKept {
		return nil
	}
	if state == rowChanged {
		if _, err := del.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	for j, r := range rs {
		if _, err := ins.ExecContext(ctx, id, j+1, w.unitIDs[r.Unit], string(r.Role), r.Stated, r.Written); err != nil {
			return err
		}
	}
	return nil
}

func (w *planWriter) teams(ctx context.Context, old *storedPlan, p *xiezuo.Plan) error {
	ts := p.Teams
	ids, states, err := w.syncRows(ctx, xiezuo.EntityWorkTeam,
		xiezuo.Keys(old.plan.Teams), old.teamIDs, xiezuo.Keys(ts),
		`INSERT INTO work_teams (plan_id, seq, number, name, note, document_id, line, sheet)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		RETURNING id`,
		`UPDATE work_teams SET plan_id = $2, seq = $3, number = $4, name = $5, note = $6,
			document_id = $7, line = $8, sheet = $9
		WHERE id = $1`,
		`DELETE FROM work_teams WHERE id = $1`,
		func(i int) []any {
			t := ts[i]
			return []any{w.planID, i + 1, t.Number, t.Name, t.Note, w.docID, t.Pos.Line, t.Pos.Sheet}
		})
	if err != nil {
		return fmt.Errorf("store work teams: %w", err)
	}
	st, err := w.prepare(ctx,
		`DELETE FROM work_team_leads WHERE work_team_id = $1`,
		`INSERT INTO work_team_leads (work_team_id, seq, unit_id) VALUES ($1, $2, $3)`,
	)
	if err != nil {
		return fmt.Errorf("store work team leads: %w", err)
	}
	del, ins := st[0], st[1]
	for i, t := range ts {
		if states[i] == rowKept {
			continue
		}
		if states[i] == rowChanged {
			if _, err := del.ExecContext(ctx, ids[i]); err != nil {
				return fmt.Errorf("store leads of work team %s: %w", t.Name, err)
			}
		}
		for j, name := range t.Leads {
			if _, err := ins.ExecContext(ctx, ids[i], j+1, w.unitIDs[name]); err != nil {
				return fmt.Errorf("store leads of work team %s: %w", t.Name, err)
			}
		}
	}
	return nil
}

func (w *planWriter) tasks(ctx context.Context, old *storedPlan, p *xiezuo.Plan) error {
	ts := p.Tasks
	ids, states, err := w.syncRows(ctx, xiezuo.EntityTask,
		xiezuo.Keys(old.plan.Tasks), old.taskIDs, xiezuo.Keys(ts),
		`INSERT INTO tasks (plan_id, seq, number, work_item, category, content, units_open,
			deadline_text, document_id, line, sheet)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		RETURNING id`,
		`UPDATE tasks SET plan_id = $2, seq = $3, number = $4, work_item = $5, category = $6,
			content = $7, units_open = $8, deadline_text = $9, document_id = $10, line = $11,
			sheet = $12
		WHERE id = $1`,
		`DELETE FROM tasks WHERE id = $1`,
		func(i int) []any {
			t := ts[i]
			return []any{w.planID, i + 1, t.Number, t.WorkItem, t.Category, t.Content, t.UnitsOpen,
				t.Deadline.Text, w.docID, t.Pos.Line, t.Pos.Sheet}
		})
	if err != nil {
		return fmt.Errorf("store tasks: %w", err)
	}
	st, err := w.prepare(ctx,
		`DELETE FROM task_requirements WHERE task_id = $1`,
		`INSERT INTO task_requirements (task_id, seq, number, text) VALUES ($1, $2, $3, $4)`,
		`DELETE FROM task_units WHERE task_id = $1`,
		`INSERT INTO task_units (task_id, seq, unit_id, role, stated, written)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		`DELETE FROM task_deadlines WHERE task_id = $1`,
		`INSERT INTO task_deadlines (task_id, seq, due_on) VALUES ($1, $2, $3)`,
	)
	if err != nil {
		return fmt.Errorf("store task details: %w", err)
	}
	for i, t := range ts {
		if err := w.taskDetails(ctx, st, ids[i], states[i], t); err != nil {
			return fmt.Errorf("store details of task %d: %w", t.Number, err)
		}
	}
	return nil
}

// taskDetails replaces the requirements, units and deadline dates of a new or changed task.
func (w *planWriter) taskDetails(ctx context.Context, st []*sql.Stmt, id int64, state rowState, t xiezuo.Task) error {
	delReqs, insReq, delUnits, insUnit, delDates, insDate := st[0], st[1], st[2], st[3], st[4], st[5]
	if state == rowKept {
		return nil
	}
	if state == rowChanged {
		for _, del := range []*sql.Stmt{delReqs, delDates} {
			if _, err := del.ExecContext(ctx, id); err != nil {
				return err
			}
		}
	}
	for j, r := range t.Requirements {
		if _, err := insReq.ExecContext(ctx, id, j+1, r.Number, r.Text); err != nil {
			return err
		}
	}
	if err := w.responsibilities(ctx, delUnits, insUnit, id, state, t.Units); err != nil {
		return err
	}
	for j, d := range t.Deadline.Dates {
		if _, err := insDate.ExecContext(ctx, id, j+1, d); err != nil {
			return err
		}
	}
	return nil
}

func (w *planWriter) projects(ctx context.Context, old *storedPlan, p *xiezuo.Plan) error {
	ps := p.Projects
	// A renamed project is updated in place under its new key, so it keeps its id and what is
	// attached to it.
	oldKeys, newKeys := xiezuo.Keys(old.plan.Projects), xiezuo.Keys(ps)
	for i, j := range xiezuo.RenamedProjects(old.plan.Projects, ps) {
		oldKeys[j] = newKeys[i]
	}
	_, _, err := w.syncRows(ctx, xiezuo.EntityProject,
		oldKeys, old.projectIDs, newKeys,
		`INSERT INTO projects (plan_id, seq, region, category, category_number, number, name,
			nature, content, total_investment, district_fund, fund_use, villages, people, employed,
			implementer, managers, period, start_year, start_month, finish_year, finish_month,
			benefit, lead_unit_id, lead_unit_written, document_id, line, sheet)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
			$19, $20, $21, $22, $23, $24, $25, $26, $27, $28)
		RETURNING id`,
		`UPDATE projects SET plan_id = $2, seq = $3, region = $4, category = $5,
			category_number = $6, number = $7, name = $8, nature = $9, content = $10,
			total_investment = $11, district_fund = $12, fund_use = $13, villages = $14,
			people = $15, employed = $16, implementer = $17, managers = $18, period = $19,
			start_year = $20, start_month = $21, finish_year = $22, finish_month = $23,
			benefit = $24, lead_unit_id = $25, lead_unit_written = $26, document_id = $27,
			line = $28, sheet = $29
		WHERE id = $1`,
		`DELETE FROM projects WHERE id = $1`,
		func(i int) []any {
			x := ps[i]
			lead := sql.Null[int64]{}
			if x.LeadUnit != "" {
				lead = xiezuo.Known(w.unitIDs[x.LeadUnit])
			}
			return []any{w.planID, i + 1, x.Region, x.Category, x.CategoryNumber, x.Number, x.Name,
				x.Nature, x.Content, x.TotalInvestment, x.DistrictFund, x.FundUse, x.Villages,
				x.People, x.Employed, x.Implementer, x.Managers, x.Period.Text,
				nonZero(x.Period.Start.Year), nonZero(x.Period.Start.Month),
				nonZero(x.Period.Finish.Year), nonZero(x.Period.Finish.Month),
				x.Benefit, lead, x.LeadUnitWritten, w.docID, x.Pos.Line, x.Pos.Sheet}
		})
	if err != nil {
		return fmt.Errorf("store projects: %w", err)
	}
	return nil
}

// nonZero stores 0, an unknown year or month, as NULL.
func nonZero(v int) sql.Null[int64] {
	return sql.Null[int64]{V: int64(v), Valid: v != 0}
}

func (w *planWriter) subtotals(ctx context.Context, old *storedPlan, p *xiezuo.Plan) error {
	ss := p.Subtotals
	_, _, err := w.syncRows(ctx, xiezuo.EntitySubtotal,
		xiezuo.Keys(old.plan.Subtotals), old.subtotalIDs, xiezuo.Keys(ss),
		`INSERT INTO subtotals (plan_id, seq, level, region, category, category_number, label,
			count, total_investment, district_fund, villages, people, employed, document_id, line,
			sheet)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		RETURNING id`,
		`UPDATE subtotals SET plan_id = $2, seq = $3, level = $4, region = $5, category = $6,
			category_number = $7, label = $8, count = $9, total_investment = $10,
			district_fund = $11, villages = $12, people = $13, employed = $14, document_id = $15,
			line = $16, sheet = $17
		WHERE id = $1`,
		`DELETE FROM subtotals WHERE id = $1`,
		func(i int) []any {
			s := ss[i]
			return []any{w.planID, i + 1, string(s.Level), s.Region, s.Category, s.CategoryNumber,
				s.Label, s.Count, s.TotalInvestment, s.DistrictFund, s.Villages, s.People,
				s.Employed, w.docID, s.Pos.Line, s.Pos.Sheet}
		})
	if err != nil {
		return fmt.Errorf("store subtotals: %w", err)
	}
	return nil
}
