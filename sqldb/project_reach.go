package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// What a project reaches and leaves (issue 9, parts 3 and 4): the villages it names, its dated
// result figures and the assets it hands over. Every row is a fact, never updated: a village is
// added or removed by a new row, a figure is superseded by a later-dated one, an asset is
// corrected by a row that supersedes it. Each write is one transaction with its audit entry,
// under the project's lock.

// Audit actions of a project's reach.
const (
	AuditVillageAdd    = "project.village.add"    // a village named as reached
	AuditVillageRemove = "project.village.remove" // a village taken off again
	AuditResultAdd     = "project.result.add"     // a result figure reported
	AuditAssetAdd      = "project.asset.add"      // an asset registered
	AuditAssetCorrect  = "project.asset.correct"  // an asset's record corrected by a new row
)

// projectOf locks project id within tx and returns its name, for the audit label, and its
// plan's year, for the earliest date of its facts: ENOTFOUND when there is none.
func (db *DB) projectOf(ctx context.Context, tx *sql.Tx, id int64) (name string, year int, err error) {
	if err := db.lock(ctx, tx, "project reach "+strconv.FormatInt(id, 10)); err != nil {
		return "", 0, err
	}
	err = tx.QueryRowContext(ctx, `SELECT p.name, pl.year FROM projects p JOIN plans pl ON pl.id = p.plan_id WHERE p.id = $1`, id).Scan(&name, &year)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目", id)
	}
	return name, year, err
}

// factTime is the time a fact is recorded at: at (now when zero) in UTC to the microsecond,
// never before the project's last fact of the table, so that facts keep their order.
func factTime(ctx context.Context, tx *sql.Tx, table string, project int64, at time.Time) (time.Time, error) {
	at = at.UTC().Truncate(time.Microsecond)
	var last time.Time
	err := tx.QueryRowContext(ctx, `SELECT at FROM `+table+` WHERE project_id = $1 ORDER BY at DESC LIMIT 1`, project).Scan(&last)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return at, nil
	case err != nil:
		return at, err
	case at.Before(last.UTC()):
		at = last.UTC()
	}
	return at, nil
}

// SaveProjectVillage records a village fact of project v.ProjectID (v.Removed: taking a village
// off), by the context's actor, at v.At (now when zero). Adding a village the project already
// names, or removing one it does not, is ECONFLICT; a removal takes the code and name of the
// village it removes, found by its code, or by its name for a village without code.
func (db *DB) SaveProjectVillage(ctx context.Context, v xiezuo.ProjectVillage) (xiezuo.ProjectVillage, error) {
	v.Name = strings.TrimSpace(v.Name)
	if err := xiezuo.CheckProjectVillage(v); err != nil {
		return xiezuo.ProjectVillage{}, err
	}
	if v.At.IsZero() {
		v.At = db.factTime(ctx)
	}
	tx, err := db.begin(ctx, "")
	if err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	defer tx.Rollback()
	name, _, err := db.projectOf(ctx, tx, v.ProjectID)
	if err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	facts, err := loadVillages(ctx, tx, `v.project_id = $1`, v.ProjectID)
	if err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	current := xiezuo.VillagesAt(facts[v.ProjectID], time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	key := xiezuo.VillageKey(v)
	var found *xiezuo.ProjectVillage
	for i := range current {
		if xiezuo.VillageKey(current[i]) == key {
			found = &current[i]
		}
	}
	switch {
	case !v.Removed && found != nil:
		return xiezuo.ProjectVillage{}, xiezuo.Errorf(xiezuo.ECONFLICT, "项目“%s”已登记受益村“%s”", name, found.Name)
	case v.Removed && found == nil:
		return xiezuo.ProjectVillage{}, xiezuo.Errorf(xiezuo.ECONFLICT, "项目“%s”没有登记受益村“%s”，无需移除", name, v.Name)
	case v.Removed:
		v.Code, v.Name = found.Code, found.Name
	}
	if v.At, err = factTime(ctx, tx, "project_villages", v.ProjectID, v.At); err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	v.By = ActorFrom(ctx).Username
	err = tx.QueryRowContext(ctx, `INSERT INTO project_villages (project_id, code, name, removed, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, v.ProjectID, v.Code, v.Name, v.Removed, v.By, v.At).Scan(&v.ID)
	if err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	action, verb := AuditVillageAdd, "登记受益村"
	if v.Removed {
		action, verb = AuditVillageRemove, "移除受益村"
	}
	e := entryFor(ctx, action, "project", strconv.FormatInt(v.ProjectID, 10), name)
	code := v.Code
	if code == "" {
		code = "（区划库中没有，按原文保留）"
	}
	e.After = mustJSON(map[string]any{verb: v.Name, "区划代码": code})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return xiezuo.ProjectVillage{}, translate(fmt.Errorf("save project village: %w", err))
	}
	return v, nil
}

func loadVillages(ctx context.Context, q querier, where string, args ...any) (map[int64][]xiezuo.ProjectVillage, error) {
	out := map[int64][]xiezuo.ProjectVillage{}
	err := each(ctx, q, `SELECT v.id, v.project_id, v.code, v.name, v.removed, v.by_user, v.at
		FROM project_villages v JOIN projects p ON p.id = v.project_id JOIN plans pl ON pl.id = p.plan_id
		WHERE `+where+` ORDER BY v.project_id, v.id`, args, func(rows *sql.Rows) error {
		var v xiezuo.ProjectVillage
		if err := rows.Scan(&v.ID, &v.ProjectID, &v.Code, &v.Name, &v.Removed, &v.By, &v.At); err != nil {
			return err
		}
		v.At = v.At.UTC()
		out[v.ProjectID] = append(out[v.ProjectID], v)
		return nil
	})
	return out, err
}

// ProjectVillages returns every village fact of project id, in the order recorded.
func (db *DB) ProjectVillages(ctx context.Context, id int64) ([]xiezuo.ProjectVillage, error) {
	m, err := loadVillages(ctx, db.db, `v.project_id = $1`, id)
	if err != nil {
		return nil, translate(fmt.Errorf("project %d villages: %w", id, err))
	}
	return m[id], nil
}

// PlanVillages returns the village facts of every project of district's plan of year, by
// project id, in one query.
func (db *DB) PlanVillages(ctx context.Context, district string, year int) (map[int64][]xiezuo.ProjectVillage, error) {
	m, err := loadVillages(ctx, db.db, `pl.district = $1 AND pl.year = $2`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("plan villages %s %d: %w", district, year, err))
	}
	return m, nil
}

// AddProjectResult records a result figure of project r.ProjectID as of r.On, by the context's
// actor (xiezuo.CheckResult: a known kind, not negative, dated no later than today).
func (db *DB) AddProjectResult(ctx context.Context, r xiezuo.ProjectResult) (xiezuo.ProjectResult, error) {
	now := db.factTime(ctx) // the application's today (serve --today), as transactions and steps take it
	if err := xiezuo.CheckResult(r, xiezuo.DayOf(now)); err != nil {
		return xiezuo.ProjectResult{}, err
	}
	if r.At.IsZero() {
		r.At = now
	}
	tx, err := db.begin(ctx, "")
	if err != nil {
		return xiezuo.ProjectResult{}, translate(fmt.Errorf("add project result: %w", err))
	}
	defer tx.Rollback()
	name, year, err := db.projectOf(ctx, tx, r.ProjectID)
	if err != nil {
		return xiezuo.ProjectResult{}, translate(fmt.Errorf("add project result: %w", err))
	}
	if err := xiezuo.FactDateRefusal(r.Kind.Label()+"的统计日期", r.On, year, xiezuo.HistoryDateFloor(year)); err != nil {
		return xiezuo.ProjectResult{}, err
	}
	if r.At, err = factTime(ctx, tx, "project_results", r.ProjectID, r.At); err != nil {
		return xiezuo.ProjectResult{}, translate(fmt.Errorf("add project result: %w", err))
	}
	r.By = ActorFrom(ctx).Username
	err = tx.QueryRowContext(ctx, `INSERT INTO project_results (project_id, kind, value, on_date, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.ProjectID, r.Kind, r.Value, r.On, r.By, r.At).Scan(&r.ID)
	if err != nil {
		return xiezuo.ProjectResult{}, translate(fmt.Errorf("add project result: %w", err))
	}
	e := entryFor(ctx, AuditResultAdd, "project", strconv.FormatInt(r.ProjectID, 10), name)
	e.After = mustJSON(map[string]any{r.Kind.Label(): fmt.Sprintf("%d%s", r.Value, r.Kind.Unit()), "统计日期": r.On.String()})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.ProjectResult{}, translate(fmt.Errorf("add project result: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return xiezuo.ProjectResult{}, translate(fmt.Errorf("add project result: %w", err))
	}
	return r, nil
}

func loadResults(ctx context.Context, q querier, where string, args ...any) (map[int64][]xiezuo.ProjectResult, error) {
	out := map[int64][]xiezuo.ProjectResult{}
	err := each(ctx, q, `SELECT r.id, r.project_id, r.kind, r.value, r.on_date, r.by_user, r.at
		FROM project_results r JOIN projects p ON p.id = r.project_id JOIN plans pl ON pl.id = p.plan_id
		WHERE `+where+` ORDER BY r.project_id, r.id`, args, func(rows *sql.Rows) error {
		var r xiezuo.ProjectResult
		if err := rows.Scan(&r.ID, &r.ProjectID, &r.Kind, &r.Value, &r.On, &r.By, &r.At); err != nil {
			return err
		}
		r.At = r.At.UTC()
		out[r.ProjectID] = append(out[r.ProjectID], r)
		return nil
	})
	return out, err
}

// ProjectResults returns every result figure of project id, in the order recorded.
func (db *DB) ProjectResults(ctx context.Context, id int64) ([]xiezuo.ProjectResult, error) {
	m, err := loadResults(ctx, db.db, `r.project_id = $1`, id)
	if err != nil {
		return nil, translate(fmt.Errorf("project %d results: %w", id, err))
	}
	return m[id], nil
}

// PlanResults returns the result figures of every project of district's plan of year, by
// project id, in one query.
func (db *DB) PlanResults(ctx context.Context, district string, year int) (map[int64][]xiezuo.ProjectResult, error) {
	m, err := loadResults(ctx, db.db, `pl.district = $1 AND pl.year = $2`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("plan results %s %d: %w", district, year, err))
	}
	return m, nil
}

// AddAsset registers an asset of project a.ProjectID, by the context's actor
// (xiezuo.CheckAsset). With a.Supersedes it corrects that row: it must be an asset of the same
// project that no row corrects yet (ECONFLICT otherwise: correct the latest row).
func (db *DB) AddAsset(ctx context.Context, a xiezuo.Asset) (xiezuo.Asset, error) {
	out, _, err := db.AddAssetOnce(ctx, a, Idem{})
	return out, err
}

// AddAssetOnce is AddAsset under an Idempotency-Key, as AddFundTxOnce: the first request with k
// stores the asset and the key together; the same key with the same request answers that asset
// again (replayed true) and stores nothing; with another request, ECONFLICT.
func (db *DB) AddAssetOnce(ctx context.Context, a xiezuo.Asset, k Idem) (xiezuo.Asset, bool, error) {
	if k.Key != "" {
		if err := CheckIdemKey(k.Key); err != nil {
			return xiezuo.Asset{}, false, err
		}
	}
	lock := ""
	if k.Key != "" {
		lock = k.lockKey()
	}
	tx, err := db.begin(ctx, lock)
	if err != nil {
		return xiezuo.Asset{}, false, translate(fmt.Errorf("add asset: %w", err))
	}
	defer tx.Rollback()
	if k.Key != "" {
		stored, found, err := idemLookup(ctx, tx, k)
		if err != nil {
			return xiezuo.Asset{}, false, translate(err)
		}
		if found {
			var out xiezuo.Asset
			if err := json.Unmarshal(stored, &out); err != nil {
				return out, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
			}
			return out, true, nil
		}
	}
	a, err = db.addAsset(ctx, tx, a, k)
	if err != nil {
		return xiezuo.Asset{}, false, err
	}
	if err := tx.Commit(); err != nil {
		return xiezuo.Asset{}, false, translate(fmt.Errorf("add asset: %w", err))
	}
	return a, false, nil
}

// addAsset checks and stores a inside tx, with the key's row (when k has a key) and the audit
// entry, last.
func (db *DB) addAsset(ctx context.Context, tx *sql.Tx, a xiezuo.Asset, k Idem) (xiezuo.Asset, error) {
	now := db.factTime(ctx) // the application's today (serve --today), as transactions and steps take it
	a.Name, a.Unit, a.Owner, a.Upkeep = strings.TrimSpace(a.Name), strings.TrimSpace(a.Unit), strings.TrimSpace(a.Owner), strings.TrimSpace(a.Upkeep)
	if err := xiezuo.CheckAsset(a, xiezuo.DayOf(now)); err != nil {
		return xiezuo.Asset{}, err
	}
	if a.At.IsZero() {
		a.At = now
	}
	name, year, err := db.projectOf(ctx, tx, a.ProjectID)
	if err != nil {
		return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
	}
	if err := xiezuo.FactDateRefusal("资产“"+a.Name+"”的移交", a.HandoverOn, year, xiezuo.HistoryDateFloor(year)); err != nil {
		return xiezuo.Asset{}, err
	}
	action := AuditAssetAdd
	var before string
	if a.Supersedes != 0 {
		action = AuditAssetCorrect
		olds, err := loadAssets(ctx, tx, `a.id = $1`, a.Supersedes)
		if err != nil {
			return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
		}
		if len(olds) == 0 || olds[0].ProjectID != a.ProjectID {
			return xiezuo.Asset{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "项目“%s”没有编号为 %d 的资产记录", name, a.Supersedes)
		}
		var by int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM project_assets WHERE supersedes = $1`, a.Supersedes).Scan(&by)
		if err == nil {
			return xiezuo.Asset{}, xiezuo.Errorf(xiezuo.ECONFLICT, "资产记录 %d 已由记录 %d 更正，请在最新的记录上更正", a.Supersedes, by)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
		}
		before = mustJSON(assetAudit(olds[0]))
	}
	if a.At, err = factTime(ctx, tx, "project_assets", a.ProjectID, a.At); err != nil {
		return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
	}
	a.By = ActorFrom(ctx).Username
	err = tx.QueryRowContext(ctx, `INSERT INTO project_assets (project_id, kind, name, value, quantity, unit, owner, handover_on, upkeep, supersedes, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		a.ProjectID, a.Kind, a.Name, a.Value, a.Quantity, a.Unit, a.Owner, a.HandoverOn, a.Upkeep,
		sql.Null[int64]{V: a.Supersedes, Valid: a.Supersedes != 0}, a.By, a.At).Scan(&a.ID)
	if err != nil {
		return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
	}
	e := entryFor(ctx, action, "project", strconv.FormatInt(a.ProjectID, 10), name)
	e.Before, e.After = before, mustJSON(assetAudit(a))
	if k.Key != "" {
		if err := db.idemStore(ctx, tx, k, 201, []byte(mustJSON(a))); err != nil {
			return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
		}
		e.Detail = "Idempotency-Key: " + k.Key
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.Asset{}, translate(fmt.Errorf("add asset: %w", err))
	}
	return a, nil
}

// assetAudit is an asset as its audit entry shows it.
func assetAudit(a xiezuo.Asset) map[string]any {
	return map[string]any{"资产记录": a.ID, "类别": a.Kind, "名称": a.Name, "价值（元）": xiezuo.FormatYuan(a.Value.V),
		"数量": fmt.Sprintf("%d%s", a.Quantity.V, a.Unit), "产权归属": a.Owner, "移交日期": a.HandoverOn.String(), "管护责任": a.Upkeep}
}

func loadAssets(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.Asset, error) {
	var out []xiezuo.Asset
	err := each(ctx, q, `SELECT a.id, a.project_id, a.kind, a.name, a.value, a.quantity, a.unit, a.owner, a.handover_on, a.upkeep, a.supersedes, a.by_user, a.at
		FROM project_assets a JOIN projects p ON p.id = a.project_id JOIN plans pl ON pl.id = p.plan_id
		WHERE `+where+` ORDER BY a.id`, args, func(rows *sql.Rows) error {
		var a xiezuo.Asset
		var sup sql.Null[int64]
		if err := rows.Scan(&a.ID, &a.ProjectID, &a.Kind, &a.Name, &a.Value, &a.Quantity, &a.Unit, &a.Owner, &a.HandoverOn, &a.Upkeep, &sup, &a.By, &a.At); err != nil {
			return err
		}
		a.Supersedes, a.At = sup.V, a.At.UTC()
		out = append(out, a)
		return nil
	})
	return out, err
}

// ProjectAssets returns every asset row of project id (corrected ones too), in the order recorded.
func (db *DB) ProjectAssets(ctx context.Context, id int64) ([]xiezuo.Asset, error) {
	as, err := loadAssets(ctx, db.db, `a.project_id = $1`, id)
	if err != nil {
		return nil, translate(fmt.Errorf("project %d assets: %w", id, err))
	}
	return as, nil
}

// PlanAssets returns every asset row of the projects of district's plan of year (corrected
// ones too: xiezuo.AssetsAt says which stand), in one query.
func (db *DB) PlanAssets(ctx context.Context, district string, year int) ([]xiezuo.Asset, error) {
	as, err := loadAssets(ctx, db.db, `pl.district = $1 AND pl.year = $2`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("plan assets %s %d: %w", district, year, err))
	}
	return as, nil
}
