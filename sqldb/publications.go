package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"xiezuo"
)

// Audit actions of the public notice.
const (
	AuditPublish  = "project.publish"  // the office publishes projects on the public notice pages
	AuditWithdraw = "project.withdraw" // the office withdraws them
)

// Publish publishes (publish) or withdraws the projects ids of district's plan of year: a dated
// row in project_publications for each project whose state changes, and one audit entry, in
// one transaction. Projects already in that state are left as they are; when none changes the
// answer is ECONFLICT saying why (xiezuo.PublicationChange). A project not in the plan is
// ENOTFOUND and nothing is written. It returns the number of projects changed.
func (db *DB) Publish(ctx context.Context, district string, year int, ids []int64, publish bool) (int, error) {
	if len(ids) == 0 {
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "请选择要公示或撤回的项目")
	}
	tx, err := db.begin(ctx, "publish "+district+" "+strconv.Itoa(year))
	if err != nil {
		return 0, translate(fmt.Errorf("publish: %w", err))
	}
	defer tx.Rollback()
	planID, err := planIDOf(ctx, tx, district, year)
	if err != nil {
		return 0, err
	}
	names := map[int64]string{}
	err = each(ctx, tx, `SELECT id, name FROM projects WHERE plan_id = $1`, []any{planID}, func(rows *sql.Rows) error {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		names[id] = name
		return nil
	})
	if err != nil {
		return 0, translate(fmt.Errorf("publish: %w", err))
	}
	pubs, err := publications(ctx, tx, planID)
	if err != nil {
		return 0, err
	}
	now := db.factTime(ctx)
	var changed []int64
	var refusal error
	for _, id := range ids {
		name, ok := names[id]
		if !ok {
			return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "%d年%s的计划中没有编号为 %d 的项目", year, district, id)
		}
		if slices.Contains(changed, id) {
			continue
		}
		if err := xiezuo.PublicationChange(name, pubs[id], publish, now); err != nil {
			if refusal == nil {
				refusal = err
			}
			continue
		}
		changed = append(changed, id)
	}
	if len(changed) == 0 {
		return 0, refusal
	}
	actor := ActorFrom(ctx)
	for _, id := range changed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_publications (project_id, published, by_user, at) VALUES ($1, $2, $3, $4)`,
			id, publish, actor.Username, now); err != nil {
			return 0, translate(fmt.Errorf("publish: %w", err))
		}
	}
	action, verb := AuditPublish, "公示"
	if !publish {
		action, verb = AuditWithdraw, "撤回公示"
	}
	objectID, label := fmt.Sprintf("%s/%d", district, year), fmt.Sprintf("%d年%s %d 个项目", year, district, len(changed))
	if len(changed) == 1 {
		objectID, label = strconv.FormatInt(changed[0], 10), names[changed[0]]
	}
	e := entryFor(ctx, action, "project", objectID, label)
	list := make([]string, len(changed))
	for i, id := range changed {
		list[i] = names[id]
	}
	e.After = mustJSON(map[string]any{verb: list})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return 0, translate(fmt.Errorf("publish: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return 0, translate(fmt.Errorf("publish: %w", err))
	}
	return len(changed), nil
}

// Publications returns the publications of the projects of district's plan of year, by
// project id, each project's in the order they were written.
func (db *DB) Publications(ctx context.Context, district string, year int) (map[int64][]xiezuo.Publication, error) {
	planID, err := planIDOf(ctx, db.db, district, year)
	if err != nil {
		return nil, err
	}
	return publications(ctx, db.db, planID)
}

func publications(ctx context.Context, q querier, planID int64) (map[int64][]xiezuo.Publication, error) {
	out := map[int64][]xiezuo.Publication{}
	err := each(ctx, q, `SELECT pp.id, pp.project_id, pp.published, pp.by_user, pp.at
		FROM project_publications pp JOIN projects p ON p.id = pp.project_id
		WHERE p.plan_id = $1 ORDER BY pp.id`, []any{planID}, func(rows *sql.Rows) error {
		var p xiezuo.Publication
		if err := rows.Scan(&p.ID, &p.ProjectID, &p.Published, &p.By, &p.At); err != nil {
			return err
		}
		out[p.ProjectID] = append(out[p.ProjectID], p)
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("publications: %w", err))
	}
	return out, nil
}

// PublishedPlan is a plan with projects published at a moment: the index of the public pages.
type PublishedPlan struct {
	District string
	Year     int
	Projects int // projects published at the moment
}

// PublishedPlans lists the plans with at least one project published at at, by district, then
// year from the latest.
func (db *DB) PublishedPlans(ctx context.Context, at time.Time) ([]PublishedPlan, error) {
	type key struct {
		district string
		year     int
	}
	byProject := map[int64][]xiezuo.Publication{}
	planOf := map[int64]key{}
	err := each(ctx, db.db, `SELECT pl.district, pl.year, pp.project_id, pp.published, pp.at
		FROM project_publications pp JOIN projects p ON p.id = pp.project_id JOIN plans pl ON pl.id = p.plan_id
		WHERE pp.at <= $1 ORDER BY pp.id`, []any{at.UTC()}, func(rows *sql.Rows) error {
		var k key
		var p xiezuo.Publication
		if err := rows.Scan(&k.district, &k.year, &p.ProjectID, &p.Published, &p.At); err != nil {
			return err
		}
		byProject[p.ProjectID] = append(byProject[p.ProjectID], p)
		planOf[p.ProjectID] = k
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("published plans: %w", err))
	}
	counts := map[key]int{}
	for id, pubs := range byProject {
		if xiezuo.PublishedAt(pubs, at) {
			counts[planOf[id]]++
		}
	}
	var out []PublishedPlan
	for k, n := range counts {
		out = append(out, PublishedPlan{District: k.district, Year: k.year, Projects: n})
	}
	slices.SortFunc(out, func(a, b PublishedPlan) int {
		if a.District != b.District {
			if a.District < b.District {
				return -1
			}
			return 1
		}
		return b.Year - a.Year
	})
	return out, nil
}

// PublicationsVersion is the largest id of project_publications: it changes whenever any project
// anywhere is published or withdrawn (the key of the public index's cached page).
func (db *DB) PublicationsVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM project_publications`).Scan(&v); err != nil {
		return 0, translate(fmt.Errorf("publications version: %w", err))
	}
	return v, nil
}

// PublicVersion names the state of the facts the public notice of district's plan of year shows
// beside the plan itself: the largest ids of its publications, money transactions, villages
// and settings, in one query. The facts are never updated, so a new fact changes it (the key
// of the public pages' cached bytes).
func (db *DB) PublicVersion(ctx context.Context, district string, year int) (string, error) {
	var pub, fund, vill, set, step int64
	err := db.db.QueryRowContext(ctx, `SELECT
		COALESCE((SELECT MAX(pp.id) FROM project_publications pp JOIN projects p ON p.id = pp.project_id WHERE p.plan_id = pl.id), 0),
		COALESCE((SELECT MAX(f.id) FROM fund_transactions f JOIN projects p ON p.id = f.project_id WHERE p.plan_id = pl.id), 0),
		COALESCE((SELECT MAX(v.id) FROM project_villages v JOIN projects p ON p.id = v.project_id WHERE p.plan_id = pl.id), 0),
		COALESCE((SELECT MAX(s.id) FROM plan_settings s WHERE s.plan_id = pl.id), 0),
		COALESCE((SELECT MAX(st.id) FROM project_steps st JOIN projects p ON p.id = st.project_id WHERE p.plan_id = pl.id), 0)
		FROM plans pl WHERE pl.district = $1 AND pl.year = $2`, district, year).Scan(&pub, &fund, &vill, &set, &step)
	if err == sql.ErrNoRows {
		return "", xiezuo.Errorf(xiezuo.ENOTFOUND, "没有%s%d年的计划", district, year)
	}
	if err != nil {
		return "", translate(fmt.Errorf("public version: %w", err))
	}
	return fmt.Sprintf("p%d.f%d.v%d.s%d.a%d", pub, fund, vill, set, step), nil
}

// PublicFacts returns what the public notice of district's plan of year reads beside the plan:
// the village facts of its projects and their disbursements (the only money a notice shows),
// each in the order written.
func (db *DB) PublicFacts(ctx context.Context, district string, year int) ([]xiezuo.ProjectVillage, []xiezuo.FundTx, error) {
	planID, err := planIDOf(ctx, db.db, district, year)
	if err != nil {
		return nil, nil, err
	}
	var villages []xiezuo.ProjectVillage
	err = each(ctx, db.db, `SELECT v.id, v.project_id, v.code, v.name, v.removed, v.at
		FROM project_villages v JOIN projects p ON p.id = v.project_id
		WHERE p.plan_id = $1 ORDER BY v.id`, []any{planID}, func(rows *sql.Rows) error {
		var v xiezuo.ProjectVillage
		if err := rows.Scan(&v.ID, &v.ProjectID, &v.Code, &v.Name, &v.Removed, &v.At); err != nil {
			return err
		}
		villages = append(villages, v)
		return nil
	})
	if err != nil {
		return nil, nil, translate(fmt.Errorf("public villages: %w", err))
	}
	var txs []xiezuo.FundTx
	err = each(ctx, db.db, `SELECT f.id, f.project_id, f.kind, f.source, f.amount, f.on_date
		FROM fund_transactions f JOIN projects p ON p.id = f.project_id
		WHERE p.plan_id = $1 AND f.kind = $2 ORDER BY f.id`, []any{planID, string(xiezuo.FundDisbursement)}, func(rows *sql.Rows) error {
		var tx xiezuo.FundTx
		if err := rows.Scan(&tx.ID, &tx.ProjectID, &tx.Kind, &tx.Source, &tx.Amount, &tx.On); err != nil {
			return err
		}
		txs = append(txs, tx)
		return nil
	})
	if err != nil {
		return nil, nil, translate(fmt.Errorf("public disbursements: %w", err))
	}
	return villages, txs, nil
}
