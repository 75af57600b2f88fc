package sqldb

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// PlanInfo is one stored plan in the list of plans.
type PlanInfo struct {
	District   string
	Year       int
	Title      string
	Document   string    // name of the document the plan was last changed by
	ImportedAt time.Time // when that document was imported, in UTC
}

// Plans lists the stored plans by district, then year.
func (db *DB) Plans(ctx context.Context) ([]PlanInfo, error) {
	var infos []PlanInfo
	err := each(ctx, db.db, `
		SELECT p.district, p.year, p.title, d.name, d.imported_at
		FROM plans p JOIN documents d ON d.id = p.document_id`, nil,
		func(rows *sql.Rows) error {
			var pi PlanInfo
			if err := rows.Scan(&pi.District, &pi.Year, &pi.Title, &pi.Document, &pi.ImportedAt); err != nil {
				return err
			}
			pi.ImportedAt = pi.ImportedAt.UTC()
			infos = append(infos, pi)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("list plans: %w", err))
	}
	// Sorted here, not in SQL: the databases collate Chinese text differently.
	slices.SortFunc(infos, func(a, b PlanInfo) int {
		return cmp.Or(strings.Compare(a.District, b.District), cmp.Compare(a.Year, b.Year))
	})
	return infos, nil
}

// LoadPlan reads the plan of a district for a year, facts in document order, each with its
// position in the document that last stated it; Source names the document the plan was last
// changed by. A plan that is not stored is an ENOTFOUND error.
func (db *DB) LoadPlan(ctx context.Context, district string, year int) (*xiezuo.Plan, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("load plan: %w", err))
	}
	defer tx.Rollback()
	sp, err := loadPlan(ctx, tx, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("load plan %s %d: %w", district, year, err))
	}
	return sp.plan, nil
}

// ImportPlan stores a plan read from content, all of it or nothing, and returns what changed
// from the plan stored for the same district and year. p may hold only some parts of a plan
// (a workbook of the project table): under the import's lock, the parts its document leaves
// out are filled from the stored plan (xiezuo.Plan.KeepMissingParts), so two imports at once
// cannot undo each other. When nothing changed it writes nothing, not even the document, and
// returns no changes. Otherwise it keeps the document, and updates the stored facts in place
// by natural key (see xiezuo.Keys; a renamed project by xiezuo.RenamedProjects), so that the
// ids of kept facts, which contacts and progress reports refer to, do not change; every
// stored fact then points at the new document and its position there. An import that changes
// something is audited in its own transaction, as plan.import by ctx's actor, with the
// changes as a JSON list of strings.
func (db *DB) ImportPlan(ctx context.Context, p *xiezuo.Plan, content []byte) ([]xiezuo.Change, error) {
	changes, _, err := db.importChecked(ctx, p, content, nil, AnyRemovals)
	return changes, err
}

// AnyRemovals, as the removals of ImportPlanAt, lets the import delete what its document
// leaves out of the parts it covers without anyone having confirmed a count.
const AnyRemovals = -1

// ImportPlanAt is ImportPlan for a plan whose differences someone checked against version
// (PlanVersion; 0 for no plan stored yet) and whose removals (facts deleted; see
// xiezuo.ChangeRemoved) they confirmed: when the stored plan is another version by the time
// the import holds its lock, or the import would delete another number of facts, nothing is
// written and the error is ECONFLICT. It returns the version the plan has after the import.
func (db *DB) ImportPlanAt(ctx context.Context, p *xiezuo.Plan, content []byte, version int64, removals int) ([]xiezuo.Change, int64, error) {
	return db.importChecked(ctx, p, content, &version, removals)
}

func (db *DB) importChecked(ctx context.Context, p *xiezuo.Plan, content []byte, expect *int64, removals int) ([]xiezuo.Change, int64, error) {
	if p == nil || p.District == "" || p.Year <= 0 {
		return nil, 0, xiezuo.Errorf(xiezuo.EINVALID, "计划缺少区或年度，无法保存")
	}
	sum := sha256.Sum256(content)
	digest := hex.EncodeToString(sum[:])
	if p.Source.SHA256 != "" && !strings.EqualFold(p.Source.SHA256, digest) {
		return nil, 0, xiezuo.Errorf(xiezuo.EINVALID, "文件「%s」的摘要与其内容不一致，无法保存", p.Source.Name)
	}
	changes, version, err := db.importPlan(ctx, p, content, digest, expect, removals)
	if err != nil {
		return nil, 0, translate(fmt.Errorf("import plan %s %d: %w", p.District, p.Year, err))
	}
	return changes, version, nil
}

// ImportPreview is what importing a document would do to the stored plan, as of Version.
type ImportPreview struct {
	Old      *xiezuo.Plan // the stored plan; nil when none is stored
	Version  int64        // PlanVersion of Old; 0 when none is stored
	Changes  []xiezuo.Change
	Coverage xiezuo.TableCoverage // how much of the stored project table the document covers
	// Contacts counts, by the key of each removed project, the contacts attached to it, which
	// go with it.
	Contacts map[string]int
}

// Removals counts the facts the import would delete.
func (ip ImportPreview) Removals() int {
	n := 0
	for _, c := range ip.Changes {
		if c.Kind == xiezuo.ChangeRemoved {
			n++
		}
	}
	return n
}

// PreviewImport reads what importing p would change, without writing: p is completed with the
// parts its document leaves out, as ImportPlan does.
func (db *DB) PreviewImport(ctx context.Context, p *xiezuo.Plan) (ImportPreview, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return ImportPreview{}, translate(fmt.Errorf("preview import: %w", err))
	}
	defer tx.Rollback()
	var ip ImportPreview
	sp, err := loadPlan(ctx, tx, p.District, p.Year)
	switch {
	case xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND:
	case err != nil:
		return ImportPreview{}, translate(fmt.Errorf("preview import: %w", err))
	default:
		ip.Old = sp.plan
		if err := tx.QueryRowContext(ctx, `SELECT document_id FROM plans WHERE id = $1`, sp.id).Scan(&ip.Version); err != nil {
			return ImportPreview{}, translate(fmt.Errorf("preview import: %w", err))
		}
	}
	ip.Coverage = xiezuo.ProjectsCovered(p, ip.Old)
	p.KeepMissingParts(ip.Old)
	ip.Changes = xiezuo.Diff(ip.Old, p)
	ip.Contacts = map[string]int{}
	if ip.Old == nil {
		return ip, nil
	}
	attached := map[int64]int{}
	err = each(ctx, tx, `SELECT c.project_id FROM contacts c JOIN projects p ON p.id = c.project_id WHERE p.plan_id = $1`,
		[]any{sp.id}, func(rows *sql.Rows) error {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			attached[id]++
			return nil
		})
	if err != nil {
		return ImportPreview{}, translate(fmt.Errorf("preview import: %w", err))
	}
	keys := xiezuo.Keys(ip.Old.Projects)
	for _, c := range ip.Changes {
		if c.Kind != xiezuo.ChangeRemoved || c.Entity != xiezuo.EntityProject {
			continue
		}
		for j, k := range keys {
			if k == c.Key && attached[ip.Old.Projects[j].ID] > 0 {
				ip.Contacts[k] = attached[ip.Old.Projects[j].ID]
			}
		}
	}
	return ip, nil
}

func (db *DB) importPlan(ctx context.Context, p *xiezuo.Plan, content []byte, digest string, expect *int64, removals int) ([]xiezuo.Change, int64, error) {
	// One import of a district at a time: its plans share its units and partner regions.
	tx, err := db.begin(ctx, "district "+p.District)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var version int64
	err = tx.QueryRowContext(ctx, `SELECT document_id FROM plans WHERE district = $1 AND year = $2`, p.District, p.Year).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, 0, err
	}
	if expect != nil && version != *expect {
		return nil, 0, xiezuo.Errorf(xiezuo.ECONFLICT, "在您检查之后，%d年%s的计划已被其他人导入或修改：请重新上传，核对新的变化后再确认", p.Year, p.District)
	}
	old, err := loadPlan(ctx, tx, p.District, p.Year)
	var oldPlan *xiezuo.Plan
	switch {
	case xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND:
		old = &storedPlan{plan: &xiezuo.Plan{}}
	case err != nil:
		return nil, 0, err
	default:
		oldPlan = old.plan
	}
	// The parts the document leaves out are those stored now, under the lock.
	p.KeepMissingParts(oldPlan)
	changes := xiezuo.Diff(oldPlan, p)
	if len(changes) == 0 {
		return nil, version, nil
	}
	if removals != AnyRemovals {
		n := 0
		for _, c := range changes {
			if c.Kind == xiezuo.ChangeRemoved {
				n++
			}
		}
		if n != removals {
			return nil, 0, xiezuo.Errorf(xiezuo.ECONFLICT, "这次导入会删除 %d 项，与确认的 %d 项不符，没有导入：请重新上传，核对后再确认", n, removals)
		}
	}
	w := &planWriter{tx: tx, district: p.District, changed: map[string]bool{}}
	defer w.close()
	for _, c := range changes {
		if c.Kind == xiezuo.ChangeChanged {
			w.changed[c.Entity+"\x00"+c.Key] = true
		}
	}
	if err := w.write(ctx, old, p, content, digest, db.now().UTC().Truncate(time.Microsecond)); err != nil {
		return nil, 0, err
	}
	lines := make([]string, len(changes))
	for i, c := range changes {
		lines[i] = c.String()
	}
	e := entryFor(ctx, AuditPlanImport, "plan", strconv.FormatInt(w.planID, 10), fmt.Sprintf("%d年%s", p.Year, p.District))
	e.After = mustJSON(lines)
	e.Detail = fmt.Sprintf("导入文件 %s（SHA-256 %s），%d 处变化", p.Source.Name, digest, len(changes))
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return nil, 0, err
	}
	if err := tx.Commit(); err != nil {
		return nil, 0, err
	}
	return changes, w.docID, nil
}

// storedPlan is a plan as stored, with the id of each fact beside the plan's slice of it.
type storedPlan struct {
	id                                                              int64
	plan                                                            *xiezuo.Plan
	sectionIDs, pointIDs, teamIDs, taskIDs, projectIDs, subtotalIDs []int64
}

// loadPlan reads a stored plan, one query per table.
func loadPlan(ctx context.Context, tx *sql.Tx, district string, year int) (*storedPlan, error) {
	p := &xiezuo.Plan{}
	sp := &storedPlan{plan: p}
	err := tx.QueryRowContext(ctx, `
		SELECT p.id, p.district, p.year, p.title, p.office, p.issued_on, p.notice, d.name, d.sha256, d.kind
		FROM plans p JOIN documents d ON d.id = p.document_id
		WHERE p.district = $1 AND p.year = $2`, district, year).Scan(
		&sp.id, &p.District, &p.Year, &p.Title, &p.Office, &p.IssuedOn, &p.Notice,
		&p.Source.Name, &p.Source.SHA256, &p.Source.Kind)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有%s%d年的计划", district, year)
	}
	if err != nil {
		return nil, err
	}
	for _, load := range []func(context.Context, *sql.Tx, *storedPlan) error{
		loadUnits, loadRegions, loadSections, loadPoints, loadTeams, loadTasks, loadProjects, loadSubtotals,
	} {
		if err := load(ctx, tx, sp); err != nil {
			return nil, err
		}
	}
	return sp, nil
}

func loadUnits(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	p := sp.plan
	index := map[int64]int{}
	err := each(ctx, tx, `
		SELECT u.id, u.name, u.kind, u.known
		FROM plan_units pu JOIN units u ON u.id = pu.unit_id
		WHERE pu.plan_id = $1
		ORDER BY pu.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var u xiezuo.Unit
			if err := rows.Scan(&id, &u.Name, &u.Kind, &u.Known); err != nil {
				return err
			}
			u.ID = id
			index[id] = len(p.Units)
			p.Units = append(p.Units, u)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load units: %w", err)
	}
	err = each(ctx, tx, `
		SELECT a.unit_id, a.alias
		FROM unit_aliases a JOIN plan_units pu ON pu.unit_id = a.unit_id
		WHERE pu.plan_id = $1
		ORDER BY a.id`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var alias string
			if err := rows.Scan(&id, &alias); err != nil {
				return err
			}
			u := &p.Units[index[id]]
			u.Aliases = append(u.Aliases, alias)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load unit aliases: %w", err)
	}
	return nil
}

func loadRegions(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	err := each(ctx, tx, `
		SELECT r.id, r.name, pr.relation
		FROM plan_regions pr JOIN partner_regions r ON r.id = pr.region_id
		WHERE pr.plan_id = $1
		ORDER BY pr.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var r xiezuo.PartnerRegion
			if err := rows.Scan(&r.ID, &r.Name, &r.Relation); err != nil {
				return err
			}
			sp.plan.Regions = append(sp.plan.Regions, r)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load partner regions: %w", err)
	}
	return nil
}

func loadSections(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	err := each(ctx, tx, `
		SELECT id, number, title, line, sheet
		FROM sections
		WHERE plan_id = $1
		ORDER BY seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var s xiezuo.Section
			if err := rows.Scan(&id, &s.Number, &s.Title, &s.Pos.Line, &s.Pos.Sheet); err != nil {
				return err
			}
			sp.sectionIDs = append(sp.sectionIDs, id)
			sp.plan.Sections = append(sp.plan.Sections, s)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load sections: %w", err)
	}
	return nil
}

func loadPoints(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	p := sp.plan
	index := map[int64]int{}
	err := each(ctx, tx, `
		SELECT id, number, section_number, title, text, units_open, line, sheet, units_line, units_sheet
		FROM work_points
		WHERE plan_id = $1
		ORDER BY seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var w xiezuo.WorkPoint
			err := rows.Scan(&id, &w.Number, &w.Section, &w.Title, &w.Text, &w.UnitsOpen,
				&w.Pos.Line, &w.Pos.Sheet, &w.UnitsPos.Line, &w.UnitsPos.Sheet)
			if err != nil {
				return err
			}
			w.ID = id
			index[id] = len(p.Points)
			sp.pointIDs = append(sp.pointIDs, id)
			p.Points = append(p.Points, w)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load work points: %w", err)
	}
	err = each(ctx, tx, `
		SELECT wu.work_point_id, u.id, u.name, wu.written, wu.role, wu.stated
		FROM work_point_units wu
		JOIN work_points w ON w.id = wu.work_point_id
		JOIN units u ON u.id = wu.unit_id
		WHERE w.plan_id = $1
		ORDER BY wu.work_point_id, wu.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var r xiezuo.Responsibility
			if err := rows.Scan(&id, &r.UnitID, &r.Unit, &r.Written, &r.Role, &r.Stated); err != nil {
				return err
			}
			w := &p.Points[index[id]]
			w.Units = append(w.Units, r)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load work point units: %w", err)
	}
	return nil
}

func loadTeams(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	p := sp.plan
	index := map[int64]int{}
	err := each(ctx, tx, `
		SELECT id, number, name, note, line, sheet
		FROM work_teams
		WHERE plan_id = $1
		ORDER BY seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var w xiezuo.WorkTeam
			if err := rows.Scan(&id, &w.Number, &w.Name, &w.Note, &w.Pos.Line, &w.Pos.Sheet); err != nil {
				return err
			}
			w.ID = id
			index[id] = len(p.Teams)
			sp.teamIDs = append(sp.teamIDs, id)
			p.Teams = append(p.Teams, w)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load work teams: %w", err)
	}
	err = each(ctx, tx, `
		SELECT l.work_team_id, u.name
		FROM work_team_leads l
		JOIN work_teams w ON w.id = l.work_team_id
		JOIN units u ON u.id = l.unit_id
		WHERE w.plan_id = $1
		ORDER BY l.work_team_id, l.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			w := &p.Teams[index[id]]
			w.Leads = append(w.Leads, name)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load work team leads: %w", err)
	}
	return nil
}

func loadTasks(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	p := sp.plan
	index := map[int64]int{}
	err := each(ctx, tx, `
		SELECT id, number, work_item, category, content, units_open, deadline_text, line, sheet
		FROM tasks
		WHERE plan_id = $1
		ORDER BY seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var t xiezuo.Task
			err := rows.Scan(&id, &t.Number, &t.WorkItem, &t.Category, &t.Content, &t.UnitsOpen,
				&t.Deadline.Text, &t.Pos.Line, &t.Pos.Sheet)
			if err != nil {
				return err
			}
			t.ID = id
			index[id] = len(p.Tasks)
			sp.taskIDs = append(sp.taskIDs, id)
			p.Tasks = append(p.Tasks, t)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load tasks: %w", err)
	}
	err = each(ctx, tx, `
		SELECT r.task_id, r.number, r.text
		FROM task_requirements r JOIN tasks t ON t.id = r.task_id
		WHERE t.plan_id = $1
		ORDER BY r.task_id, r.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var r xiezuo.Requirement
			if err := rows.Scan(&id, &r.Number, &r.Text); err != nil {
				return err
			}
			t := &p.Tasks[index[id]]
			t.Requirements = append(t.Requirements, r)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load task requirements: %w", err)
	}
	err = each(ctx, tx, `
		SELECT tu.task_id, u.id, u.name, tu.written, tu.role, tu.stated
		FROM task_units tu
		JOIN tasks t ON t.id = tu.task_id
		JOIN units u ON u.id = tu.unit_id
		WHERE t.plan_id = $1
		ORDER BY tu.task_id, tu.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var r xiezuo.Responsibility
			if err := rows.Scan(&id, &r.UnitID, &r.Unit, &r.Written, &r.Role, &r.Stated); err != nil {
				return err
			}
			t := &p.Tasks[index[id]]
			t.Units = append(t.Units, r)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load task units: %w", err)
	}
	err = each(ctx, tx, `
		SELECT d.task_id, d.due_on
		FROM task_deadlines d JOIN tasks t ON t.id = d.task_id
		WHERE t.plan_id = $1
		ORDER BY d.task_id, d.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var d xiezuo.Date
			if err := rows.Scan(&id, &d); err != nil {
				return err
			}
			t := &p.Tasks[index[id]]
			t.Deadline.Dates = append(t.Deadline.Dates, d)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load task deadlines: %w", err)
	}
	return nil
}

func loadProjects(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	err := each(ctx, tx, `
		SELECT p.id, p.region, p.category, p.category_number, p.number, p.name, p.nature, p.content,
			p.total_investment, p.district_fund, p.fund_use, p.villages, p.people, p.employed,
			p.implementer, p.managers, p.period, p.start_year, p.start_month, p.finish_year,
			p.finish_month, p.benefit, COALESCE(u.id, 0), COALESCE(u.name, ''), p.lead_unit_written,
			p.line, p.sheet, COALESCE(r.id, 0)
		FROM projects p
		JOIN plans pl ON pl.id = p.plan_id
		LEFT JOIN units u ON u.id = p.lead_unit_id
		LEFT JOIN partner_regions r ON r.district = pl.district AND r.name = p.region
		WHERE p.plan_id = $1
		ORDER BY p.seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var pr xiezuo.Project
			var sy, sm, fy, fm sql.Null[int]
			err := rows.Scan(&id, &pr.Region, &pr.Category, &pr.CategoryNumber, &pr.Number, &pr.Name,
				&pr.Nature, &pr.Content, &pr.TotalInvestment, &pr.DistrictFund, &pr.FundUse,
				&pr.Villages, &pr.People, &pr.Employed, &pr.Implementer, &pr.Managers,
				&pr.Period.Text, &sy, &sm, &fy, &fm, &pr.Benefit, &pr.LeadUnitID, &pr.LeadUnit, &pr.LeadUnitWritten,
				&pr.Pos.Line, &pr.Pos.Sheet, &pr.RegionID)
			if err != nil {
				return err
			}
			pr.Period.Start = xiezuo.YearMonth{Year: sy.V, Month: sm.V}
			pr.Period.Finish = xiezuo.YearMonth{Year: fy.V, Month: fm.V}
			pr.ID = id
			sp.projectIDs = append(sp.projectIDs, id)
			sp.plan.Projects = append(sp.plan.Projects, pr)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load projects: %w", err)
	}
	return nil
}

func loadSubtotals(ctx context.Context, tx *sql.Tx, sp *storedPlan) error {
	err := each(ctx, tx, `
		SELECT id, level, region, category, category_number, label, count, total_investment,
			district_fund, villages, people, employed, line, sheet
		FROM subtotals
		WHERE plan_id = $1
		ORDER BY seq`, []any{sp.id},
		func(rows *sql.Rows) error {
			var id int64
			var s xiezuo.Subtotal
			err := rows.Scan(&id, &s.Level, &s.Region, &s.Category, &s.CategoryNumber, &s.Label,
				&s.Count, &s.TotalInvestment, &s.DistrictFund, &s.Villages, &s.People, &s.Employed,
				&s.Pos.Line, &s.Pos.Sheet)
			if err != nil {
				return err
			}
			sp.subtotalIDs = append(sp.subtotalIDs, id)
			sp.plan.Subtotals = append(sp.plan.Subtotals, s)
			return nil
		})
	if err != nil {
		return fmt.Errorf("load subtotals: %w", err)
	}
	return nil
}

// querier is a database or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// each runs a query and calls scan on each row.
func each(ctx context.Context, q querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
