package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// Reporting periods and the freeze (xiezuo/freeze.go has the rules). A freeze is a row of
// period_freezes with the snapshot taken in the same transaction; exceptions are a request,
// a decision and a use, each a row (migration 0014). Writers of reports take the plan's
// freeze lock shared (freezeLockShared), the office's freeze takes it alone, so that no report
// slips into a period between its snapshot and its freeze, while writers never wait for each
// other.

// Audit actions of periods and exceptions.
const (
	AuditPeriodFreeze     = "period.freeze"     // the office froze a reporting period, with its snapshot
	AuditPeriodUnfreeze   = "period.unfreeze"   // the office unfroze one, with a reason
	AuditExceptionRequest = "exception.request" // a unit asked to change data of a frozen period
	AuditExceptionDecide  = "exception.decide"  // the office granted or refused it, with a reason
)

// SetClock makes now the database's clock, which dates what it stores when the context gives
// no fact time (serve --today runs it on a clock set to a day of the sample year, see
// xiezuo.ClockOn). The audit log keeps the machine's clock: it records when a write really
// happened. Call it before the database is shared.
func (db *DB) SetClock(now func() time.Time) {
	if db.machine == nil {
		db.machine = db.now
	}
	db.now = now
}

// auditNow is the time audit entries are stamped with and their retention counted from: the
// machine's, whatever the application takes as today.
func (db *DB) auditNow() time.Time {
	if db.machine != nil {
		return db.machine()
	}
	return db.now()
}

// Now is the time by the database's clock.
func (db *DB) Now() time.Time { return db.now() }

// planIDFor returns the id of district's stored plan of year: ENOTFOUND when there is none.
func planIDFor(ctx context.Context, q *sql.Tx, district string, year int) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM plans WHERE district = $1 AND year = $2`, district, year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "%s没有%d年的计划", district, year)
	}
	return id, err
}

// freezeLockKey is the lock of plan planID's periods.
func freezeLockKey(planID int64) string { return "freeze " + strconv.FormatInt(planID, 10) }

// freezeLockShared takes the plan's freeze lock shared: writers of reports hold it together,
// and a freeze, which holds it alone, waits for them and they for it. SQLite needs none: one
// writer at a time holds the whole database.
func (db *DB) freezeLockShared(ctx context.Context, tx *sql.Tx, planID int64) error {
	if db.dialect.lock == "" {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(freezeLockKey(planID)))
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared($1)`, int64(h.Sum64()))
	return err
}

// planFreezes reads the freeze rows of plan planID, oldest first.
func planFreezes(ctx context.Context, q querier, planID int64) ([]xiezuo.Freeze, error) {
	var fs []xiezuo.Freeze
	err := each(ctx, q, freezesSQL, []any{planID},
		func(rows *sql.Rows) error {
			f, err := scanFreeze(rows.Scan)
			fs = append(fs, f)
			return err
		})
	return fs, err
}

// scanFreeze reads a row of planFreezes's columns with scan.
func scanFreeze(scan func(dest ...any) error) (xiezuo.Freeze, error) {
	var f xiezuo.Freeze
	var year int
	var period string
	if err := scan(&f.ID, &year, &period, &f.Frozen, &f.Note, &f.Snapshot.Reports, &f.Snapshot.Versions,
		&f.Snapshot.Reviews, &f.Snapshot.SHA256, &f.By, &f.At); err != nil {
		return f, err
	}
	p, err := xiezuo.ParseReportPeriod(period, year)
	if err != nil {
		return f, fmt.Errorf("period_freezes %d: %w", f.ID, err)
	}
	f.Period, f.At = p, f.At.UTC()
	return f, nil
}

// Freezes lists the freeze rows of district's plan of year, oldest first: with
// xiezuo.FreezeAt and xiezuo.Frozen, the state of every period at any date.
func (db *DB) Freezes(ctx context.Context, district string, year int) ([]xiezuo.Freeze, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("freezes: %w", err))
	}
	defer tx.Rollback()
	planID, err := planIDFor(ctx, tx, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("freezes: %w", err))
	}
	fs, err := planFreezes(ctx, tx, planID)
	if err != nil {
		return nil, translate(fmt.Errorf("freezes: %w", err))
	}
	return fs, nil
}

// periodSnapshot counts the reports of plan planID that belong to a month of period (see
// xiezuo.PlanPeriodOf), their versions and their reviews as they stand at at, and digests them
// with their evidence files: one line per version, review and file, in id order, each field
// written unambiguously.
func periodSnapshot(ctx context.Context, q querier, planID int64, year int, period xiezuo.ReportPeriod, at time.Time) (xiezuo.Snapshot, error) {
	reports := map[int64]bool{}
	err := each(ctx, q, `SELECT id, created_at FROM reports WHERE plan_id = $1`, []any{planID}, func(rows *sql.Rows) error {
		var id int64
		var created time.Time
		if err := rows.Scan(&id, &created); err != nil {
			return err
		}
		if period.Contains(xiezuo.PlanPeriodOf(year, created)) && !created.After(at) {
			reports[id] = true
		}
		return nil
	})
	if err != nil {
		return xiezuo.Snapshot{}, err
	}
	var s xiezuo.Snapshot
	s.Reports = len(reports)
	h := sha256.New()
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
	err = each(ctx, q, `SELECT v.id, v.report_id, v.version, v.state, v.text, v.percent, v.figures, v.cites, v.by_user, v.at
		FROM report_versions v JOIN reports r ON r.id = v.report_id WHERE r.plan_id = $1 ORDER BY v.id`, []any{planID},
		func(rows *sql.Rows) error {
			var id, report int64
			var version int
			var state, text, figures, cites, by string
			var percent sql.Null[int64]
			var vat time.Time
			if err := rows.Scan(&id, &report, &version, &state, &text, &percent, &figures, &cites, &by, &vat); err != nil {
				return err
			}
			if !reports[report] || vat.After(at) {
				return nil
			}
			s.Versions++
			p := "-"
			if percent.Valid {
				p = strconv.FormatInt(percent.V, 10)
			}
			fmt.Fprintf(h, "version %d %d %d %q %q %s %q %q %q %s\n", id, report, version, state, text, p, figures, cites, by, stamp(vat))
			return nil
		})
	if err != nil {
		return xiezuo.Snapshot{}, err
	}
	err = each(ctx, q, `SELECT w.id, w.report_id, w.version, w.decision, w.comment, w.by_user, w.at
		FROM report_reviews w JOIN reports r ON r.id = w.report_id WHERE r.plan_id = $1 ORDER BY w.id`, []any{planID},
		func(rows *sql.Rows) error {
			var id, report int64
			var version int
			var decision, comment, by string
			var wat time.Time
			if err := rows.Scan(&id, &report, &version, &decision, &comment, &by, &wat); err != nil {
				return err
			}
			if !reports[report] || wat.After(at) {
				return nil
			}
			s.Reviews++
			fmt.Fprintf(h, "review %d %d %d %q %q %q %s\n", id, report, version, decision, comment, by, stamp(wat))
			return nil
		})
	if err != nil {
		return xiezuo.Snapshot{}, err
	}
	// Evidence is part of the data too: a file added under an exception must show in the
	// digest like a version does. Only the digest holds it (period_freezes keeps no count).
	err = each(ctx, q, `SELECT e.id, e.report_id, e.version, e.sha256, e.name, e.mime, e.size, e.by_user, e.at
		FROM report_evidence e JOIN reports r ON r.id = e.report_id WHERE r.plan_id = $1 ORDER BY e.id`, []any{planID},
		func(rows *sql.Rows) error {
			var id, report, size int64
			var version int
			var sum, name, mime, by string
			var eat time.Time
			if err := rows.Scan(&id, &report, &version, &sum, &name, &mime, &size, &by, &eat); err != nil {
				return err
			}
			if !reports[report] || eat.After(at) {
				return nil
			}
			fmt.Fprintf(h, "evidence %d %d %d %s %q %q %d %q %s\n", id, report, version, sum, name, mime, size, by, stamp(eat))
			return nil
		})
	if err != nil {
		return xiezuo.Snapshot{}, err
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// PeriodSnapshot computes the snapshot of a period of district's plan of year as the data
// stands at at: compared with the one stored by its freeze, it proves the frozen data did not
// change (or shows that it did, through an exception).
func (db *DB) PeriodSnapshot(ctx context.Context, district string, year int, period xiezuo.ReportPeriod, at time.Time) (xiezuo.Snapshot, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return xiezuo.Snapshot{}, translate(fmt.Errorf("period snapshot: %w", err))
	}
	defer tx.Rollback()
	planID, err := planIDFor(ctx, tx, district, year)
	if err != nil {
		return xiezuo.Snapshot{}, translate(fmt.Errorf("period snapshot: %w", err))
	}
	s, err := periodSnapshot(ctx, tx, planID, year, period, at.UTC())
	if err != nil {
		return xiezuo.Snapshot{}, translate(fmt.Errorf("period snapshot: %w", err))
	}
	return s, nil
}

// FreezePeriod freezes a period of district's plan of year: a dated row with the snapshot of
// what the period holds at that moment, and its audit entry, in one transaction that holds the
// plan's freeze lock alone. A period already frozen is refused (ECONFLICT); so is one that
// has not begun by the clock (nothing to freeze yet).
func (db *DB) FreezePeriod(ctx context.Context, district string, year int, period xiezuo.ReportPeriod, note string) (xiezuo.Freeze, error) {
	return db.setFreeze(ctx, district, year, period, true, note)
}

// UnfreezePeriod unfreezes a frozen period of district's plan of year with a reason
// (required), dated and audited. Freezes of a longer period holding it still lock it.
func (db *DB) UnfreezePeriod(ctx context.Context, district string, year int, period xiezuo.ReportPeriod, reason string) (xiezuo.Freeze, error) {
	r, err := xiezuo.CheckExceptionReason(reason, "解除封存的理由")
	if err != nil {
		return xiezuo.Freeze{}, err
	}
	return db.setFreeze(ctx, district, year, period, false, r)
}

func (db *DB) setFreeze(ctx context.Context, district string, year int, period xiezuo.ReportPeriod, frozen bool, note string) (xiezuo.Freeze, error) {
	what := "freeze period"
	if !frozen {
		what = "unfreeze period"
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 500 || xiezuo.HasControl(note) {
		return xiezuo.Freeze{}, xiezuo.Errorf(xiezuo.EINVALID, "说明最多 500 字，且不能含控制字符")
	}
	if period.Year != year || len(period.Months()) == 0 {
		return xiezuo.Freeze{}, xiezuo.Errorf(xiezuo.EINVALID, "报送期不在 %d 年度内", year)
	}
	tx, err := db.begin(ctx, "period "+district)
	if err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	defer tx.Rollback()
	planID, err := planIDFor(ctx, tx, district, year)
	if err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	if err := db.lock(ctx, tx, freezeLockKey(planID)); err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	now := db.factTime(ctx)
	fs, err := planFreezes(ctx, tx, planID)
	if err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	cur, _ := xiezuo.FreezeAt(fs, period, now)
	switch {
	case frozen && cur.Frozen:
		return xiezuo.Freeze{}, xiezuo.Errorf(xiezuo.ECONFLICT, "%s已于 %s 由 %s 封存", period.Text(), cur.At.In(xiezuo.Beijing).Format("2006-01-02 15:04"), cur.By)
	case !frozen && !cur.Frozen:
		return xiezuo.Freeze{}, xiezuo.Errorf(xiezuo.ECONFLICT, "%s未封存，无需解除", period.Text())
	case frozen && !now.After(period.Start()):
		return xiezuo.Freeze{}, xiezuo.Errorf(xiezuo.EINVALID, "%s尚未开始，不能封存", period.Text())
	}
	f := xiezuo.Freeze{Period: period, Frozen: frozen, Note: note, By: ActorFrom(ctx).Username, At: now}
	if f.Snapshot, err = periodSnapshot(ctx, tx, planID, year, period, now); err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO period_freezes (plan_id, period, frozen, note, reports, versions, reviews, digest, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		planID, period.String(), frozen, note, f.Snapshot.Reports, f.Snapshot.Versions, f.Snapshot.Reviews, f.Snapshot.SHA256, f.By, now).Scan(&f.ID)
	if err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	action := AuditPeriodFreeze
	if !frozen {
		action = AuditPeriodUnfreeze
	}
	e := entryFor(ctx, action, "period", fmt.Sprintf("%s/%d/%s", district, year, period), district+period.Text())
	e.After = mustJSON(map[string]any{"封存": frozen, "说明": note, "报告": f.Snapshot.Reports, "版本": f.Snapshot.Versions,
		"审核": f.Snapshot.Reviews, "SHA-256": f.Snapshot.SHA256})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.Freeze{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	return f, translate(tx.Commit())
}

// dutyCols splits a duty key into the three nullable columns that name a duty.
func dutyCols(k xiezuo.DutyKey) (point, task, project sql.Null[int64]) {
	v := sql.Null[int64]{V: k.ID, Valid: true}
	switch k.Kind {
	case xiezuo.DutyPoint:
		point = v
	case xiezuo.DutyTask:
		task = v
	case xiezuo.DutyProject:
		project = v
	}
	return
}

// dutyOfPlan checks that duty is a work point, task or project of plan planID (ENOTFOUND).
func dutyOfPlan(ctx context.Context, tx *sql.Tx, planID int64, duty xiezuo.DutyKey) error {
	table := map[xiezuo.DutyKind]string{xiezuo.DutyPoint: "work_points", xiezuo.DutyTask: "tasks", xiezuo.DutyProject: "projects"}[duty.Kind]
	if table == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "事项编号“%s”无效", duty)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = $1 AND plan_id = $2`, duty.ID, planID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "计划中没有事项 %s", duty)
	}
	return nil
}

// ExceptionRequest is a unit's request for an exception to a freeze, as a form sends it.
type ExceptionRequest struct {
	District string
	Year     int
	Duty     xiezuo.DutyKey
	ReportID int64 // the report to change; 0 for a new report on the duty
	Period   xiezuo.ReportPeriod
	Unit     string // the unit asking (the caller's unit; the web layer checks it answers for the duty)
	Reason   string
}

// RequestException stores a unit's request to change a duty's data in a frozen period, dated
// and audited. The duty must be the plan's, the report, when named, the unit's report on that
// duty (a cadre's own, xiezuo.ExceptionBindsWriter), and the period frozen as a whole now and holding the report (xiezuo.CheckExceptionPeriod).
func (db *DB) RequestException(ctx context.Context, req ExceptionRequest) (int64, error) {
	reason, err := xiezuo.CheckExceptionReason(req.Reason, "申请理由")
	if err != nil {
		return 0, err
	}
	if req.Period.Year != req.Year || len(req.Period.Months()) == 0 {
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "报送期不在 %d 年度内", req.Year)
	}
	tx, err := db.begin(ctx, "period "+req.District)
	if err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	defer tx.Rollback()
	planID, err := planIDFor(ctx, tx, req.District, req.Year)
	if err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	if err := dutyOfPlan(ctx, tx, planID, req.Duty); err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	now := db.factTime(ctx)
	fs, err := planFreezes(ctx, tx, planID)
	if err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	unitID, err := unitIDOf(ctx, tx, req.District, req.Unit)
	if err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	var report sql.Null[int64]
	var reportMonth xiezuo.ReportPeriod
	if req.ReportID != 0 {
		var begun time.Time
		var by string
		point, task, project := dutyCols(req.Duty)
		err := tx.QueryRowContext(ctx, `SELECT created_at, created_by FROM reports WHERE id = $1 AND plan_id = $2 AND unit_id = $3
			AND (point_id = $4 OR task_id = $5 OR project_id = $6)`, req.ReportID, planID, unitID, point, task, project).Scan(&begun, &by)
		if err == nil && xiezuo.ExceptionBindsWriter(req.Unit, req.Duty) && by != ActorFrom(ctx).Username {
			// Another cadre's report: said as for another unit's (N4).
			err = sql.ErrNoRows
		}
		if errors.Is(err, sql.ErrNoRows) {
			return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有本单位在该事项上的第 %d 号报告", req.ReportID)
		}
		if err != nil {
			return 0, translate(fmt.Errorf("request exception: %w", err))
		}
		report, reportMonth = sql.Null[int64]{V: req.ReportID, Valid: true}, xiezuo.PlanPeriodOf(req.Year, begun)
	}
	if err := xiezuo.CheckExceptionPeriod(fs, req.Period, reportMonth, now); err != nil {
		return 0, err
	}
	point, task, project := dutyCols(req.Duty)
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO freeze_exceptions (plan_id, period, point_id, task_id, project_id, report_id, unit_id, reason, requested_by, requested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		planID, req.Period.String(), point, task, project, report, unitID, reason, ActorFrom(ctx).Username, now).Scan(&id)
	if err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	e := entryFor(ctx, AuditExceptionRequest, "exception", strconv.FormatInt(id, 10), fmt.Sprintf("%s%s %s 的例外申请", req.District, req.Period.Text(), req.Duty))
	e.After = mustJSON(map[string]any{"事项": req.Duty.String(), "报告": req.ReportID, "单位": req.Unit, "理由": reason})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return 0, translate(fmt.Errorf("request exception: %w", err))
	}
	return id, translate(tx.Commit())
}

// GrantException allows the writes exception id asks for, with the office's reason, within
// xiezuo.ExceptionValidDays; the person who asked for it cannot grant it (EFORBIDDEN).
func (db *DB) GrantException(ctx context.Context, district string, id int64, reason string) error {
	return db.decideException(ctx, district, id, true, reason)
}

// RefuseException refuses exception id, with the office's reason.
func (db *DB) RefuseException(ctx context.Context, district string, id int64, reason string) error {
	return db.decideException(ctx, district, id, false, reason)
}

func (db *DB) decideException(ctx context.Context, district string, id int64, grant bool, reason string) error {
	r, err := xiezuo.CheckExceptionReason(reason, "审批意见")
	if err != nil {
		return err
	}
	tx, err := db.begin(ctx, "period "+district)
	if err != nil {
		return translate(fmt.Errorf("decide exception: %w", err))
	}
	defer tx.Rollback()
	var decided int
	var period, requestedBy string
	err = tx.QueryRowContext(ctx, `SELECT x.period, x.requested_by, (SELECT COUNT(*) FROM freeze_exception_decisions d WHERE d.exception_id = x.id)
		FROM freeze_exceptions x JOIN plans pl ON pl.id = x.plan_id WHERE x.id = $1 AND pl.district = $2`, id, district).Scan(&period, &requestedBy, &decided)
	if errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "没有第 %d 号例外申请", id)
	}
	if err != nil {
		return translate(fmt.Errorf("decide exception: %w", err))
	}
	if decided > 0 {
		return xiezuo.Errorf(xiezuo.ECONFLICT, "第 %d 号例外申请已审批过", id)
	}
	if err := xiezuo.CheckExceptionDecider(xiezuo.FreezeException{ID: id, RequestedBy: requestedBy}, ActorFrom(ctx).Username); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO freeze_exception_decisions (exception_id, granted, reason, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
		id, grant, r, ActorFrom(ctx).Username, db.factTime(ctx)); err != nil {
		return translate(fmt.Errorf("decide exception: %w", err))
	}
	e := entryFor(ctx, AuditExceptionDecide, "exception", strconv.FormatInt(id, 10), fmt.Sprintf("%s第 %d 号例外申请（%s）", district, id, period))
	e.After = mustJSON(map[string]any{"准许": grant, "意见": r})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("decide exception: %w", err))
	}
	return translate(tx.Commit())
}

// FreezeExceptions lists the exception requests of district's plan of year, oldest first, with
// their decisions and uses.
func (db *DB) FreezeExceptions(ctx context.Context, district string, year int) ([]xiezuo.FreezeException, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("freeze exceptions: %w", err))
	}
	defer tx.Rollback()
	planID, err := planIDFor(ctx, tx, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("freeze exceptions: %w", err))
	}
	xs, err := planExceptions(ctx, tx, planID, year, xiezuo.DutyKey{})
	if err != nil {
		return nil, translate(fmt.Errorf("freeze exceptions: %w", err))
	}
	return xs, nil
}

// planExceptions reads the exceptions of plan planID (of duty only, unless it is zero).
func planExceptions(ctx context.Context, q querier, planID int64, year int, duty xiezuo.DutyKey) ([]xiezuo.FreezeException, error) {
	query := `SELECT x.id, x.period, x.point_id, x.task_id, x.project_id, x.report_id, u.name, x.reason, x.requested_by, x.requested_at,
			d.granted, d.reason, d.by_user, d.at,
			COALESCE(wp.title, t.work_item, p.name, '')
		FROM freeze_exceptions x
		JOIN units u ON u.id = x.unit_id
		LEFT JOIN freeze_exception_decisions d ON d.exception_id = x.id
		LEFT JOIN work_points wp ON wp.id = x.point_id
		LEFT JOIN tasks t ON t.id = x.task_id
		LEFT JOIN projects p ON p.id = x.project_id
		WHERE x.plan_id = $1`
	args := []any{planID}
	if !duty.IsZero() {
		point, task, project := dutyCols(duty)
		query += ` AND (x.point_id = $2 OR x.task_id = $3 OR x.project_id = $4)`
		args = append(args, point, task, project)
	}
	var xs []xiezuo.FreezeException
	err := each(ctx, q, query+` ORDER BY x.id`, args, func(rows *sql.Rows) error {
		var x xiezuo.FreezeException
		var period string
		var point, task, project, report sql.Null[int64]
		var granted sql.Null[bool]
		var answer, decidedBy sql.NullString
		var decidedAt sql.NullTime
		if err := rows.Scan(&x.ID, &period, &point, &task, &project, &report, &x.Unit, &x.Reason, &x.RequestedBy, &x.RequestedAt,
			&granted, &answer, &decidedBy, &decidedAt, &x.DutyTitle); err != nil {
			return err
		}
		p, err := xiezuo.ParseReportPeriod(period, year)
		if err != nil {
			return fmt.Errorf("freeze_exceptions %d: %w", x.ID, err)
		}
		x.Period, x.PeriodLabel = p, p.Text()
		switch {
		case point.Valid:
			x.Duty = xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: point.V}
		case task.Valid:
			x.Duty = xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: task.V}
		default:
			x.Duty = xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: project.V}
		}
		x.ReportID = report.V
		x.RequestedAt = x.RequestedAt.UTC()
		if granted.Valid {
			x.Decided, x.Granted, x.Answer, x.DecidedBy, x.DecidedAt = true, granted.V, answer.String, decidedBy.String, decidedAt.Time.UTC()
		}
		xs = append(xs, x)
		return nil
	})
	if err != nil || len(xs) == 0 {
		return xs, err
	}
	index := map[int64]int{}
	for i, x := range xs {
		index[x.ID] = i
	}
	err = each(ctx, q, `SELECT s.exception_id, s.at FROM freeze_exception_uses s JOIN freeze_exceptions x ON x.id = s.exception_id
		WHERE x.plan_id = $1 ORDER BY s.id`, []any{planID}, func(rows *sql.Rows) error {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			xs[i].Uses = append(xs[i].Uses, at.UTC())
		}
		return nil
	})
	return xs, err
}
