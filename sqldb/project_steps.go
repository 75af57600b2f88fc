package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"xiezuo"
)

// A project's life after the plan is a list of dated steps (project_steps, migration 0017),
// never updated: its status and its adjusted figures as of any date are derived from them by
// the root's rules (xiezuo.StatusAt, xiezuo.AdjustedProject). A step is written under the
// project's lock after xiezuo.StepRefusal has been asked against the steps stored, with its
// files (project_step_evidence, the bytes in the one evidence store) and its audit entry, in
// one transaction.

// AuditProjectStep is the audit action of a project's step.
const AuditProjectStep = "project.step"

// stepLockKey is the lock of a project's steps: one step at a time, so that each is checked
// against every step before it.
func stepLockKey(projectID int64) string { return "project steps " + strconv.FormatInt(projectID, 10) }

// AddProjectStep records step of project step.ProjectID with its files (already kept in the
// evidence store), refusing it with the root's message (xiezuo.StepRefusal, AdjustRefusal) and
// writing nothing; the files within the default limits. The caller checks that the user may
// (xiezuo.User.CanEditProject). Who and when come from ctx (WithActor, WithFactTime); the
// step's date may not be after the fact time's day in China.
func (db *DB) AddProjectStep(ctx context.Context, step xiezuo.ProjectStep) (xiezuo.ProjectStep, error) {
	out, _, err := db.AddProjectStepOnce(ctx, step, xiezuo.DefaultEvidenceLimits, Idem{})
	return out, err
}

// AddProjectStepOnce is AddProjectStep within limits and under an Idempotency-Key, as
// SubmitReportOnce: the first request with k records the step and stores the key with it; the
// same key and request answer that step again (replayed true) and record nothing; the same key
// with another request is ECONFLICT.
func (db *DB) AddProjectStepOnce(ctx context.Context, step xiezuo.ProjectStep, limits xiezuo.EvidenceLimits, k Idem) (out xiezuo.ProjectStep, replayed bool, err error) {
	if k.Key != "" {
		if err := CheckIdemKey(k.Key); err != nil {
			return out, false, err
		}
	}
	out, replayed, err = db.addProjectStepTx(ctx, step, limits, k)
	if err != nil {
		return xiezuo.ProjectStep{}, false, translate(fmt.Errorf("add step to project %d: %w", step.ProjectID, err))
	}
	return out, replayed, nil
}

func (db *DB) addProjectStepTx(ctx context.Context, step xiezuo.ProjectStep, limits xiezuo.EvidenceLimits, k Idem) (xiezuo.ProjectStep, bool, error) {
	lock := stepLockKey(step.ProjectID)
	first := lock
	if k.Key != "" {
		first = k.lockKey()
	}
	tx, err := db.begin(ctx, first)
	if err != nil {
		return xiezuo.ProjectStep{}, false, err
	}
	defer tx.Rollback()
	if k.Key != "" {
		stored, found, err := idemLookup(ctx, tx, k)
		if err != nil {
			return xiezuo.ProjectStep{}, false, err
		}
		if found {
			var out xiezuo.ProjectStep
			if err := json.Unmarshal(stored, &out); err != nil {
				return out, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
			}
			return out, true, nil
		}
		if err := db.lock(ctx, tx, lock); err != nil {
			return xiezuo.ProjectStep{}, false, err
		}
	}
	out, e, err := db.addProjectStep(ctx, tx, step, limits)
	if err != nil {
		return xiezuo.ProjectStep{}, false, err
	}
	if k.Key != "" {
		if err := db.idemStore(ctx, tx, k, 201, []byte(mustJSON(out))); err != nil {
			return xiezuo.ProjectStep{}, false, err
		}
		e.Detail = "Idempotency-Key: " + k.Key
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.ProjectStep{}, false, err
	}
	return out, false, tx.Commit()
}

// stepProject is what a step's check needs of its project.
type stepProject struct {
	xiezuo.Project
	year int
}

// addProjectStep checks and writes the step inside tx, which holds the project's lock, and
// returns it with the audit entry the caller appends last.
func (db *DB) addProjectStep(ctx context.Context, tx *sql.Tx, step xiezuo.ProjectStep, limits xiezuo.EvidenceLimits) (xiezuo.ProjectStep, *AuditEntry, error) {
	var p stepProject
	err := tx.QueryRowContext(ctx, `SELECT p.id, p.name, p.region, p.content, p.total_investment, p.district_fund, pl.year
		FROM projects p JOIN plans pl ON pl.id = p.plan_id WHERE p.id = $1`, step.ProjectID).
		Scan(&p.ID, &p.Name, &p.Region, &p.Content, &p.TotalInvestment, &p.DistrictFund, &p.year)
	if errors.Is(err, sql.ErrNoRows) {
		return step, nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目", step.ProjectID)
	}
	if err != nil {
		return step, nil, err
	}
	steps, err := stepsWhere(ctx, tx, `s.project_id = $1`, step.ProjectID)
	if err != nil {
		return step, nil, err
	}
	actor, now := ActorFrom(ctx), db.factTime(ctx)
	if err := xiezuo.StepRefusal(steps, step, xiezuo.DayOf(now)); err != nil {
		return step, nil, err
	}
	if err := xiezuo.FactDateRefusal(step.Kind.Text(), step.On, p.year, xiezuo.HistoryDateFloor(p.year)); err != nil {
		return step, nil, err
	}
	if err := xiezuo.AdjustRefusal(p.Project, steps, step); err != nil {
		return step, nil, err
	}
	names, sizes := make([]string, len(step.Evidence)), make([]int64, len(step.Evidence))
	for i, f := range step.Evidence {
		names[i], sizes[i] = f.Name, f.Size
	}
	if err := limits.Check(nil, names, sizes); err != nil {
		return step, nil, err
	}
	before := xiezuo.StatusAt(steps, step.On)
	step.By, step.At = actor.Username, now
	var newContent sql.Null[string]
	if step.NewContent != "" {
		newContent = sql.Null[string]{V: step.NewContent, Valid: true}
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO project_steps (project_id, kind, on_date, note, reason, document,
			new_total_investment, new_district_fund, new_content, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		step.ProjectID, string(step.Kind), step.On, step.Note, step.Reason, step.Document,
		step.NewTotalInvestment, step.NewDistrictFund, newContent, step.By, step.At).Scan(&step.ID)
	if err != nil {
		return step, nil, err
	}
	files := step.Evidence
	step.Evidence = make([]xiezuo.Evidence, 0, len(files))
	for _, f := range files {
		if f.Size <= 0 || f.SHA256 == "" || f.MIME == "" {
			return step, nil, fmt.Errorf("evidence %q: hash, type and size are required", f.Name)
		}
		f.ReportID, f.Version, f.By, f.At = 0, 0, step.By, step.At
		var taken sql.Null[time.Time]
		if !f.TakenAt.IsZero() {
			taken = sql.Null[time.Time]{V: f.TakenAt.UTC(), Valid: true}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO project_step_evidence (step_id, sha256, name, mime, size, taken_at, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			step.ID, f.SHA256, f.Name, f.MIME, f.Size, taken, f.By, f.At).Scan(&f.ID)
		if err != nil {
			return step, nil, err
		}
		step.Evidence = append(step.Evidence, f)
	}
	e := entryFor(ctx, AuditProjectStep, "project", strconv.FormatInt(p.ID, 10), fmt.Sprintf("%d年项目“%s”", p.year, p.Name))
	e.Before = mustJSON(map[string]any{"状态": before.Text()})
	after := map[string]any{"步骤": step.Kind.Text(), "日期": step.On.String(), "状态": xiezuo.StatusAt(append(steps, step), step.On).Text()}
	for k, v := range map[string]string{"说明": step.Note, "原因": step.Reason, "批复文号": step.Document, "调整后建设内容": step.NewContent} {
		if v != "" {
			after[k] = v
		}
	}
	if step.NewTotalInvestment.Valid {
		after["调整后总投资（元）"] = xiezuo.FormatYuan(step.NewTotalInvestment.V)
	}
	if step.NewDistrictFund.Valid {
		after["调整后区级帮扶资金（元）"] = xiezuo.FormatYuan(step.NewDistrictFund.V)
	}
	if len(step.Evidence) > 0 {
		after["材料"] = evidenceAudit(step.Evidence)
	}
	e.After = mustJSON(after)
	return step, e, nil
}

// StepIdemAnswered is IdemAnswered for a project's step: the step a used key recorded (found
// true), ECONFLICT when it was used for another request, found false when k is new.
func (db *DB) StepIdemAnswered(ctx context.Context, k Idem) (step xiezuo.ProjectStep, found bool, err error) {
	if k.Key == "" {
		return step, false, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return step, false, translate(fmt.Errorf("idempotency key: %w", err))
	}
	defer tx.Rollback()
	stored, found, err := idemLookup(ctx, tx, k)
	if err != nil || !found {
		return step, false, translate(err)
	}
	if err := json.Unmarshal(stored, &step); err != nil {
		return step, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
	}
	return step, true, nil
}

// ProjectSteps lists the steps of a project in the order recorded, each with its files.
func (db *DB) ProjectSteps(ctx context.Context, projectID int64) ([]xiezuo.ProjectStep, error) {
	steps, err := stepsWhere(ctx, db.db, `s.project_id = $1`, projectID)
	if err != nil {
		return nil, translate(fmt.Errorf("steps of project %d: %w", projectID, err))
	}
	return steps, nil
}

// PlanSteps reads the steps of every project of a plan, by project id, in one query: what the
// plan's pages and rollups derive statuses from.
func (db *DB) PlanSteps(ctx context.Context, district string, year int) (map[int64][]xiezuo.ProjectStep, error) {
	steps, err := stepsWhere(ctx, db.db, `s.project_id IN (SELECT p.id FROM projects p JOIN plans pl ON pl.id = p.plan_id
		WHERE pl.district = $1 AND pl.year = $2)`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("steps of %d年%s: %w", year, district, err))
	}
	out := map[int64][]xiezuo.ProjectStep{}
	for _, s := range steps {
		out[s.ProjectID] = append(out[s.ProjectID], s)
	}
	return out, nil
}

// StepEvidenceFile returns one file of a step, with the project it belongs to: ENOTFOUND when
// there is none.
func (db *DB) StepEvidenceFile(ctx context.Context, id int64) (f xiezuo.Evidence, projectID int64, err error) {
	var taken sql.Null[time.Time]
	err = db.db.QueryRowContext(ctx, `SELECT e.id, e.sha256, e.name, e.mime, e.size, e.taken_at, e.by_user, e.at, s.project_id
		FROM project_step_evidence e JOIN project_steps s ON s.id = e.step_id WHERE e.id = $1`, id).
		Scan(&f.ID, &f.SHA256, &f.Name, &f.MIME, &f.Size, &taken, &f.By, &f.At, &projectID)
	if errors.Is(err, sql.ErrNoRows) {
		return f, 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目材料", id)
	}
	if err != nil {
		return f, 0, translate(fmt.Errorf("step evidence %d: %w", id, err))
	}
	if taken.Valid {
		f.TakenAt = taken.V
	}
	return f, projectID, nil
}

// stepsWhere reads the steps that where selects (a condition on project_steps s) with their
// files, in one query, in the order recorded.
func stepsWhere(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.ProjectStep, error) {
	var steps []xiezuo.ProjectStep
	err := each(ctx, q, `SELECT s.id, s.project_id, s.kind, s.on_date, s.note, s.reason, s.document,
			s.new_total_investment, s.new_district_fund, s.new_content, s.by_user, s.at,
			e.id, e.sha256, e.name, e.mime, e.size, e.taken_at, e.by_user, e.at
		FROM project_steps s LEFT JOIN project_step_evidence e ON e.step_id = s.id
		WHERE `+where+` ORDER BY s.project_id, s.id, e.id`, args,
		func(rows *sql.Rows) error {
			var s xiezuo.ProjectStep
			var kind string
			var content sql.Null[string]
			var fid, size sql.Null[int64]
			var sum, name, mime, by sql.Null[string]
			var taken, at sql.Null[time.Time]
			if err := rows.Scan(&s.ID, &s.ProjectID, &kind, &s.On, &s.Note, &s.Reason, &s.Document,
				&s.NewTotalInvestment, &s.NewDistrictFund, &content, &s.By, &s.At,
				&fid, &sum, &name, &mime, &size, &taken, &by, &at); err != nil {
				return err
			}
			s.Kind, s.NewContent = xiezuo.StepKind(kind), content.V
			if n := len(steps); n > 0 && steps[n-1].ID == s.ID {
				s = steps[n-1]
				steps = steps[:n-1]
			}
			if fid.Valid {
				f := xiezuo.Evidence{ID: fid.V, SHA256: sum.V, Name: name.V, MIME: mime.V, Size: size.V, By: by.V, At: at.V}
				if taken.Valid {
					f.TakenAt = taken.V
				}
				s.Evidence = append(s.Evidence, f)
			}
			steps = append(steps, s)
			return nil
		})
	return steps, err
}
