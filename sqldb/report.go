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
	"time"
	"unicode/utf8"

	"xiezuo"
)

// Progress reports (进展) are dated facts: a report row says who reports on which duty to whom,
// and every save or submission is a new version row; a review is a row on one version; a
// closure (销号) or reopening is a row on the duty. Nothing is updated, so every state can be
// read as of any past date (xiezuo.Report.StateAt, xiezuo.ClosedAt).

// Actions of the audit log written here.
const (
	AuditReportSave   = "report.save"   // a unit saved or submitted a version of a report
	AuditReportReview = "report.review" // a reviewer accepted or returned a version
	AuditDutyClose    = "duty.close"    // the office closed a duty (销号) or reopened it
)

// ReportWrite is a version of a report as a unit saves or submits it.
type ReportWrite struct {
	Duty     xiezuo.DutyKey
	Unit     string             // the reporting unit (its catalogue name)
	ToUnit   string             // the lead unit a cooperating unit reports to; "" for the office (xiezuo.ReportRoute)
	ReportID int64              // 0 for a new report, else the report this is a new version of
	State    xiezuo.ReportState // xiezuo.ReportDraft or xiezuo.ReportSubmitted
	Values   xiezuo.ReportValues
	Cites    []int64 // reports on the same duty sent to Unit that this one gathers
	// Writer, when set, makes the report its writer's rather than the unit's: a cadre's
	// report on a work point or task (xiezuo.ReportsByWriter). Only a report Writer began may
	// then be continued, and one report a month is counted per writer.
	Writer string
	// Evidence are the files sent with this version, already kept in the evidence store
	// (evidence.Store.Keep) and checked against xiezuo.EvidenceLimits: their rows are written
	// with the version, in its transaction (sqldb/evidence.go).
	Evidence []xiezuo.Evidence
	// District and Year name the duty's plan as the caller found it, when it did (optional):
	// on PostgreSQL they let the usual submission take its locks in its first round trip
	// (submitPipelined). The stored duty decides: a duty of another plan goes the general way.
	District string
	Year     int
}

// dutyColumns names the table and the reports' column of each kind of duty.
var dutyColumns = map[xiezuo.DutyKind]struct{ table, column, name string }{
	xiezuo.DutyPoint:   {"work_points", "point_id", "title"},
	xiezuo.DutyTask:    {"tasks", "task_id", "work_item"},
	xiezuo.DutyProject: {"projects", "project_id", "name"},
}

// dutyInfo is a duty's stored row as writes need it.
type dutyInfo struct {
	PlanID   int64
	District string
	Year     int
	Label    string // e.g. 2021年任务第3项（组织领导）
}

// loadDuty finds the stored duty key names: ENOTFOUND when no stored plan has it.
func loadDuty(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, key xiezuo.DutyKey) (dutyInfo, error) {
	c, ok := dutyColumns[key.Kind]
	if !ok || key.ID <= 0 {
		return dutyInfo{}, xiezuo.Errorf(xiezuo.EINVALID, "事项编号“%s”无效", key)
	}
	var d dutyInfo
	var number int
	var name string
	err := q.QueryRowContext(ctx, `SELECT d.plan_id, pl.district, pl.year, d.number, d.`+c.name+`
		FROM `+c.table+` d JOIN plans pl ON pl.id = d.plan_id WHERE d.id = $1`, key.ID).
		Scan(&d.PlanID, &d.District, &d.Year, &number, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return dutyInfo{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %s 的%s", key, key.Kind.Noun())
	}
	if err != nil {
		return dutyInfo{}, err
	}
	d.Label = dutyLabel(key.Kind, d.Year, number, name)
	return d, nil
}

// dutyLabel names a duty in the audit log, e.g. 2021年任务第3项（组织领导）.
func dutyLabel(kind xiezuo.DutyKind, year, number int, name string) string {
	switch kind {
	case xiezuo.DutyPoint:
		return fmt.Sprintf("%d年工作要点第%d条（%s）", year, number, name)
	case xiezuo.DutyTask:
		return fmt.Sprintf("%d年任务第%d项（%s）", year, number, name)
	}
	return fmt.Sprintf("%d年项目“%s”", year, name)
}

// DutyPlan returns the district and year of the stored plan the duty belongs to: ENOTFOUND
// when there is no such duty. Handlers use it to load the plan and check who may act.
func (db *DB) DutyPlan(ctx context.Context, key xiezuo.DutyKey) (district string, year int, err error) {
	d, err := loadDuty(ctx, db.db, key)
	if err != nil {
		return "", 0, translate(fmt.Errorf("duty plan %s: %w", key, err))
	}
	return d.District, d.Year, nil
}

// unitID returns the id of unit name in district: a unit the plans name, or a catalogue unit
// (stored on first use, as unitIDOf does). Anything else is EINVALID.
func unitID(ctx context.Context, tx *sql.Tx, district, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM units WHERE district = $1 AND name = $2`, district, name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	if c, ok := xiezuo.LookupUnit(name); ok && c.Name == name && c.Kind != xiezuo.KindGroup {
		return unitIDOf(ctx, tx, district, name)
	}
	return 0, xiezuo.Errorf(xiezuo.EINVALID, "“%s”不是%s的单位", name, district)
}

// reportLockKey is the lock of the reports on one duty: writes to them wait for each other,
// so that versions are numbered without gaps and a review sees the version it decides on.
func reportLockKey(key xiezuo.DutyKey) string { return "report " + key.String() }

// SubmitReport stores a version of a report: a new report when in.ReportID is 0, and always a
// new version row (n+1), never an update. It refuses a state other than draft or submitted,
// a new version of another unit's report (EFORBIDDEN), of an accepted report or of a version
// submitted and not yet reviewed (ECONFLICT), and cites that are not reports on the same duty
// sent to in.Unit (EINVALID). in.Values should come from xiezuo.CheckReport; the caller checks
// that in.Unit may report on the duty (xiezuo.ReportRole). It returns the report with all its
// versions and reviews.
func (db *DB) SubmitReport(ctx context.Context, in ReportWrite) (xiezuo.Report, error) {
	rc, _, err := db.SubmitReportOnce(ctx, in, Idem{})
	if err != nil {
		return xiezuo.Report{}, err
	}
	return db.Report(ctx, rc.ID)
}

// ReportReceipt is what a submission answers: the report, its new version and its state.
type ReportReceipt struct {
	ID      int64              `json:"id"`
	State   xiezuo.ReportState `json:"state"`
	Version int                `json:"version"`
}

// submitReport writes in inside tx, which holds the duty's report lock, and returns the
// receipt and the audit entry that the caller appends last, after any row of its own.
func (db *DB) submitReport(ctx context.Context, tx *sql.Tx, in ReportWrite) (ReportReceipt, *AuditEntry, error) {
	if in.State != xiezuo.ReportDraft && in.State != xiezuo.ReportSubmitted {
		return ReportReceipt{}, nil, xiezuo.Errorf(xiezuo.EINVALID, "报告只能保存为草稿或报送")
	}
	if in.Values.Percent != nil && (*in.Values.Percent < 0 || *in.Values.Percent > 100) {
		return ReportReceipt{}, nil, xiezuo.Errorf(xiezuo.EINVALID, "形象进度 %d%% 超出范围，应为 0 到 100", *in.Values.Percent)
	}
	w, err := loadDutyForWrite(ctx, tx, in)
	if err != nil {
		return ReportReceipt{}, nil, err
	}
	db.plans.put(planRef{w.District, w.Year}, w.PlanID)
	duty := w.dutyInfo
	actor, now := ActorFrom(ctx), db.factTime(ctx)
	unit := w.unitID
	if unit == 0 { // not stored yet: a catalogue unit is stored on first use, anything else refused
		if unit, err = unitID(ctx, tx, duty.District, in.Unit); err != nil {
			return ReportReceipt{}, nil, err
		}
	}
	if w.closed {
		return ReportReceipt{}, nil, xiezuo.ClosedRefusal()
	}
	cites := slices.Clone(in.Cites)
	slices.Sort(cites)
	cites = slices.Compact(cites)
	for _, c := range cites {
		head, err := reportHead(ctx, tx, c)
		if err != nil || head.Duty != in.Duty || head.ToUnitID != unit || (in.ReportID != 0 && c == in.ReportID) || !head.Sent {
			if err != nil && xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
				return ReportReceipt{}, nil, err
			}
			return ReportReceipt{}, nil, xiezuo.Errorf(xiezuo.EINVALID, "引用的报告 %d 不是配合单位就本事项报送给本单位的报告", c)
		}
	}
	id, version := in.ReportID, 1
	toUnit := in.ToUnit
	if id == 0 {
		if err := newReportAllowed(ctx, tx, w.lastReport, now); err != nil {
			return ReportReceipt{}, nil, err
		}
		var to sql.Null[int64]
		if in.ToUnit != "" {
			if to.V, err = unitID(ctx, tx, duty.District, in.ToUnit); err != nil {
				return ReportReceipt{}, nil, err
			}
			to.Valid = true
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO reports (plan_id, `+dutyColumns[in.Duty.Kind].column+`, unit_id, to_unit_id, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			duty.PlanID, in.Duty.ID, unit, to, actor.Username, now).Scan(&id)
		if err != nil {
			return ReportReceipt{}, nil, err
		}
	} else {
		cur, err := reportHead(ctx, tx, id)
		if err != nil {
			return ReportReceipt{}, nil, err
		}
		reportUnit := cur.Unit
		if cur.UnitID == unit {
			reportUnit = in.Unit
		}
		if err := xiezuo.VersionRefusal(id, in.Duty, cur.Duty, in.Unit, reportUnit, in.Writer, cur.By, cur.State); err != nil {
			return ReportReceipt{}, nil, err
		}
		version, toUnit = cur.Version+1, cur.ToUnit
	}
	// The freeze: a report belongs to the month it was begun in (xiezuo.PlanPeriodOf).
	if err := db.checkWritable(ctx, tx, duty.PlanID, in.Duty, id, now); err != nil {
		return ReportReceipt{}, nil, err
	}
	figures, percent := versionValues(in.Values)
	if cites == nil {
		cites = []int64{}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_versions (report_id, version, state, text, percent, figures, cites, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, version, string(in.State), in.Values.Text, percent, mustJSON(figures), mustJSON(cites), actor.Username, now); err != nil {
		return ReportReceipt{}, nil, err
	}
	files, err := insertEvidence(ctx, tx, id, version, in.Evidence, actor.Username, now)
	if err != nil {
		return ReportReceipt{}, nil, err
	}
	e := saveEntry(ctx, in, duty.Label, id, version, toUnit, figures, cites, files)
	return ReportReceipt{ID: id, State: in.State, Version: version}, e, nil
}

// versionValues are a version's figures and percent as stored.
func versionValues(v xiezuo.ReportValues) (map[string]int64, sql.Null[int64]) {
	figures := map[string]int64{}
	for _, f := range v.Figures {
		figures[f.Key] = f.Value
	}
	var percent sql.Null[int64]
	if v.Percent != nil {
		percent = sql.Null[int64]{V: int64(*v.Percent), Valid: true}
	}
	return figures, percent
}

// saveEntry is the audit entry of version of report id, which in saved on the duty labelled
// label, sent to toUnit ("" for the office), with its stored figures, cites and files.
func saveEntry(ctx context.Context, in ReportWrite, label string, id int64, version int, toUnit string, figures map[string]int64, cites []int64, files []xiezuo.Evidence) *AuditEntry {
	e := entryFor(ctx, AuditReportSave, "report", strconv.FormatInt(id, 10),
		fmt.Sprintf("%s关于%s的进展（第%d版）", in.Unit, label, version))
	after := map[string]any{"事项": in.Duty.String(), "版本": version, "状态": in.State.Text(), "字数": len([]rune(in.Values.Text))}
	if toUnit != "" {
		after["报送给"] = toUnit
	}
	if in.Values.Percent != nil {
		after["形象进度"] = *in.Values.Percent
	}
	if len(figures) > 0 {
		after["指标"] = figures
	}
	if len(cites) > 0 {
		after["引用"] = cites
	}
	if len(files) > 0 {
		after["材料"] = evidenceAudit(files)
	}
	e.After = mustJSON(after)
	return e
}

// dutyWrite is what a submission reads of its duty in one statement: the duty's row, the
// reporting unit's id, whether the duty is closed, and the unit's (or the writer's) latest
// report on it. A deadline day brings thousands of submissions at once, and on PostgreSQL each
// statement is a round trip inside the transaction.
type dutyWrite struct {
	dutyInfo
	unitID     int64 // 0: the unit is not stored yet (unitID stores a catalogue unit)
	closed     bool  // closed (销号) now: its latest closure row closes it
	lastReport int64 // the unit's (or in.Writer's) latest report on the duty; 0 for none
}

// loadDutyForWrite reads, for in, what loadDuty, unitID, the duty's latest closure and the
// latest report's lookup would read one after the other: ENOTFOUND when no stored plan has the duty.
func loadDutyForWrite(ctx context.Context, tx *sql.Tx, in ReportWrite) (dutyWrite, error) {
	c, ok := dutyColumns[in.Duty.Kind]
	if !ok || in.Duty.ID <= 0 {
		return dutyWrite{}, xiezuo.Errorf(xiezuo.EINVALID, "事项编号“%s”无效", in.Duty)
	}
	unit := `(SELECT u.id FROM units u WHERE u.district = pl.district AND u.name = $2)`
	last := `SELECT r.id FROM reports r WHERE r.unit_id = ` + unit + ` AND r.` + c.column + ` = d.id`
	args := []any{in.Duty.ID, in.Unit}
	if in.Writer != "" {
		last += ` AND r.created_by = $3`
		args = append(args, in.Writer)
	}
	var w dutyWrite
	var number int
	var name string
	var unitID, lastID sql.Null[int64]
	var closed sql.Null[bool]
	err := tx.QueryRowContext(ctx, `SELECT d.plan_id, pl.district, pl.year, d.number, d.`+c.name+`, `+unit+`,
			(SELECT cl.closed FROM duty_closures cl WHERE cl.`+c.column+` = d.id ORDER BY cl.id DESC LIMIT 1),
			(`+last+` ORDER BY r.id DESC LIMIT 1)
		FROM `+c.table+` d JOIN plans pl ON pl.id = d.plan_id WHERE d.id = $1`, args...).
		Scan(&w.PlanID, &w.District, &w.Year, &number, &name, &unitID, &closed, &lastID)
	if errors.Is(err, sql.ErrNoRows) {
		return dutyWrite{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %s 的%s", in.Duty, in.Duty.Kind.Noun())
	}
	if err != nil {
		return dutyWrite{}, err
	}
	w.Label = dutyLabel(in.Duty.Kind, w.Year, number, name)
	w.unitID, w.closed, w.lastReport = unitID.V, closed.V, lastID.V
	return w, nil
}

// newReportAllowed refuses a new report while the unit's (or the writer's) latest report on
// the duty, last (0 for none), begun this month, is not accepted (xiezuo.NewReportRefusal).
func newReportAllowed(ctx context.Context, tx *sql.Tx, last int64, now time.Time) error {
	if last == 0 {
		return nil
	}
	h, err := reportHead(ctx, tx, last)
	if err != nil {
		return err
	}
	return xiezuo.NewReportRefusal(last, h.Begun, h.State, now)
}

// reportHeadRow is where a report stands now, as a write needs it.
type reportHeadRow struct {
	PlanID           int64
	Duty             xiezuo.DutyKey
	UnitID, ToUnitID int64
	Unit, ToUnit     string
	Version          int
	State            xiezuo.ReportState // of the latest version, accepted or returned when it was reviewed
	By               string             // who began the report
	Begun            time.Time          // when it was begun (its first version)
	Author           string             // who wrote the latest version
	Sent             bool               // a version was submitted: a draft only is the unit's own
}

// reportHead reads report id's duty, units and latest version with its review: ENOTFOUND
// when there is no such report.
func reportHead(ctx context.Context, tx *sql.Tx, id int64) (reportHeadRow, error) {
	var h reportHeadRow
	var point, task, project, to sql.Null[int64]
	var toName sql.Null[string]
	var state string
	var decision sql.Null[string]
	var sent int
	err := tx.QueryRowContext(ctx, `
		SELECT r.plan_id, r.point_id, r.task_id, r.project_id, r.unit_id, u.name, r.to_unit_id, tu.name,
			v.version, v.state, rv.decision, r.created_by, r.created_at, v.by_user,
			(SELECT COUNT(*) FROM report_versions sv WHERE sv.report_id = r.id AND sv.state = 'submitted')
		FROM reports r
		JOIN units u ON u.id = r.unit_id
		LEFT JOIN units tu ON tu.id = r.to_unit_id
		JOIN report_versions v ON v.report_id = r.id
		LEFT JOIN report_reviews rv ON rv.report_id = r.id AND rv.version = v.version
		WHERE r.id = $1
		ORDER BY v.version DESC LIMIT 1`, id).
		Scan(&h.PlanID, &point, &task, &project, &h.UnitID, &h.Unit, &to, &toName, &h.Version, &state, &decision, &h.By, &h.Begun, &h.Author, &sent)
	if errors.Is(err, sql.ErrNoRows) {
		return h, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报告", id)
	}
	if err != nil {
		return h, err
	}
	h.Duty = dutyKeyOf(point, task, project)
	h.ToUnitID, h.ToUnit = to.V, toName.V
	h.State, h.Sent = xiezuo.ReportState(state), sent > 0
	switch xiezuo.Decision(decision.V) {
	case xiezuo.DecisionAccept:
		h.State = xiezuo.ReportAccepted
	case xiezuo.DecisionReturn:
		h.State = xiezuo.ReportReturned
	}
	return h, nil
}

// dutyKeyOf is the key of the duty whose column is set.
func dutyKeyOf(point, task, project sql.Null[int64]) xiezuo.DutyKey {
	switch {
	case point.Valid:
		return xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: point.V}
	case task.Valid:
		return xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: task.V}
	}
	return xiezuo.DutyKey{Kind: xiezuo.DutyProject, ID: project.V}
}

// ReviewReport records a reviewer's decision on version of report reportID: only on the
// latest version when it is submitted and not yet reviewed (else ECONFLICT); a return needs a
// comment (EINVALID). The caller checks that the user may review (xiezuo.User.CanReview). It
// returns the report with the new review.
func (db *DB) ReviewReport(ctx context.Context, reportID int64, version int, d xiezuo.Decision, comment string) (xiezuo.Report, error) {
	if _, _, err := db.ReviewReportOnce(ctx, reportID, version, d, comment, Idem{}); err != nil {
		return xiezuo.Report{}, err
	}
	return db.Report(ctx, reportID)
}

// ReviewReportOnce is ReviewReport under an Idempotency-Key, answering the report's receipt
// after the review (its id, the state accepted or returned, the version reviewed): the first
// request with k stores the review, its audit entry and the key's row in one transaction; the
// same key with the same request answers that receipt again (replayed true) and stores nothing,
// even though the version is no longer awaiting review; with another request, ECONFLICT. A used
// key is answered before the decision and the comment are checked. Without a key it is
// ReviewReport.
func (db *DB) ReviewReportOnce(ctx context.Context, reportID int64, version int, d xiezuo.Decision, comment string, k Idem) (ReportReceipt, bool, error) {
	comment = strings.TrimSpace(comment)
	check := func() error { return reviewInputRefusal(d, comment) }
	// The duty's lock is taken in the transaction, once the report names its duty: a report
	// never moves to another duty, so reading it first under no lock is safe.
	return writeOnce(ctx, db, fmt.Sprintf("review report %d", reportID), "", k, 200, check,
		func(tx *sql.Tx) (ReportReceipt, *AuditEntry, error) {
			var point, task, project sql.Null[int64]
			err := tx.QueryRowContext(ctx, `SELECT point_id, task_id, project_id FROM reports WHERE id = $1`, reportID).
				Scan(&point, &task, &project)
			if errors.Is(err, sql.ErrNoRows) {
				return ReportReceipt{}, nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报告", reportID)
			}
			if err != nil {
				return ReportReceipt{}, nil, err
			}
			if err := db.lock(ctx, tx, reportLockKey(dutyKeyOf(point, task, project))); err != nil {
				return ReportReceipt{}, nil, err
			}
			e, err := db.reviewReport(ctx, tx, reportID, version, d, comment)
			if err != nil {
				return ReportReceipt{}, nil, err
			}
			return ReportReceipt{ID: reportID, State: reviewedState[d], Version: version}, e, nil
		})
}

// reviewedState is the state a decision leaves a report in.
var reviewedState = map[xiezuo.Decision]xiezuo.ReportState{
	xiezuo.DecisionAccept: xiezuo.ReportAccepted, xiezuo.DecisionReturn: xiezuo.ReportReturned}

// reviewInputRefusal refuses a decision or a (trimmed) comment that no review may hold.
func reviewInputRefusal(d xiezuo.Decision, comment string) error {
	switch {
	case d != xiezuo.DecisionAccept && d != xiezuo.DecisionReturn:
		return xiezuo.Errorf(xiezuo.EINVALID, "审核结果应为通过（accept）或退回（return）")
	case d == xiezuo.DecisionReturn && comment == "":
		return xiezuo.Errorf(xiezuo.EINVALID, "退回报告须填写意见，说明需要补充或修改什么")
	case utf8.RuneCountInString(comment) > xiezuo.MaxReportText:
		return xiezuo.Errorf(xiezuo.EINVALID, "审核意见最多 %d 字", xiezuo.MaxReportText)
	case xiezuo.HasControl(comment):
		return xiezuo.Errorf(xiezuo.EINVALID, "审核意见含有不可见的控制字符，请重新输入")
	}
	return nil
}

// reviewReport stores the review inside tx, which holds the duty's report lock, and returns
// its audit entry, which the caller appends last.
func (db *DB) reviewReport(ctx context.Context, tx *sql.Tx, reportID int64, version int, d xiezuo.Decision, comment string) (*AuditEntry, error) {
	h, err := reportHead(ctx, tx, reportID)
	if err != nil {
		return nil, err
	}
	switch {
	case version != h.Version:
		return nil, xiezuo.Errorf(xiezuo.ECONFLICT, "报告已有第%d版，只能审核最新的一版（请刷新后再审核）", h.Version)
	case h.State == xiezuo.ReportDraft:
		return nil, xiezuo.Errorf(xiezuo.ECONFLICT, "报告第%d版是草稿，尚未报送，不能审核", version)
	case h.State != xiezuo.ReportSubmitted:
		return nil, xiezuo.Errorf(xiezuo.ECONFLICT, "报告第%d版已审核（%s），不能再次审核", version, h.State.Text())
	}
	actor, now := ActorFrom(ctx), db.factTime(ctx)
	if err := xiezuo.SelfReview(h.Author, actor.Username); err != nil {
		return nil, err
	}
	closed, err := dutyClosed(ctx, tx, h.Duty)
	if err != nil {
		return nil, err
	}
	if closed {
		if err := xiezuo.ClosedReview(d); err != nil {
			return nil, err
		}
	}
	if err := db.checkWritable(ctx, tx, h.PlanID, h.Duty, reportID, now); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_reviews (report_id, version, decision, comment, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, reportID, version, string(d), comment, actor.Username, now); err != nil {
		return nil, err
	}
	duty, err := loadDuty(ctx, tx, h.Duty)
	if err != nil {
		return nil, err
	}
	e := entryFor(ctx, AuditReportReview, "report", strconv.FormatInt(reportID, 10),
		fmt.Sprintf("%s关于%s的进展（第%d版）", h.Unit, duty.Label, version))
	e.Before = mustJSON(map[string]any{"状态": h.State.Text()})
	after := map[string]any{"版本": version, "状态": reviewedState[d].Text()}
	if comment != "" {
		after["意见"] = comment
	}
	e.After = mustJSON(after)
	return e, nil
}

// DutyClosure is what closing or reopening a duty answers: the duty and whether it is now
// closed (销号). Its fields are in the order of the API's answer.
type DutyClosure struct {
	Closed bool   `json:"closed"`
	Duty   string `json:"duty"` // as xiezuo.DutyKey.String writes it
}

// CloseDuty records the office closing a duty (销号, closed true) or reopening it (closed
// false, with a reason: EINVALID without one). Closing a closed duty or reopening an open one
// is ECONFLICT. The caller checks that the user may close (xiezuo.User.CanClose).
func (db *DB) CloseDuty(ctx context.Context, key xiezuo.DutyKey, closed bool, reason string) error {
	_, _, err := db.CloseDutyOnce(ctx, key, closed, reason, Idem{})
	return err
}

// CloseDutyOnce is CloseDuty under an Idempotency-Key: the first request with k stores the
// closure, its audit entry and the key's row in one transaction; the same key with the same
// request answers the first answer again (replayed true) and stores nothing, even though the
// duty is closed (or open) already; with another request, ECONFLICT. A used key is answered
// before the reason is checked. Without a key it is CloseDuty.
func (db *DB) CloseDutyOnce(ctx context.Context, key xiezuo.DutyKey, closed bool, reason string, k Idem) (DutyClosure, bool, error) {
	reason = strings.TrimSpace(reason)
	c, ok := dutyColumns[key.Kind]
	check := func() error {
		switch {
		case !closed && reason == "":
			return xiezuo.Errorf(xiezuo.EINVALID, "重新打开已销号的事项须填写理由")
		case utf8.RuneCountInString(reason) > xiezuo.MaxReportText:
			return xiezuo.Errorf(xiezuo.EINVALID, "理由最多 %d 字", xiezuo.MaxReportText)
		case xiezuo.HasControl(reason):
			return xiezuo.Errorf(xiezuo.EINVALID, "理由含有不可见的控制字符，请重新输入")
		case !ok:
			return xiezuo.Errorf(xiezuo.EINVALID, "事项编号“%s”无效", key)
		}
		return nil
	}
	return writeOnce(ctx, db, "close duty "+key.String(), reportLockKey(key), k, 200, check,
		func(tx *sql.Tx) (DutyClosure, *AuditEntry, error) {
			duty, err := loadDuty(ctx, tx, key)
			if err != nil {
				return DutyClosure{}, nil, err
			}
			actor, now := ActorFrom(ctx), db.factTime(ctx)
			if err := db.checkWritable(ctx, tx, duty.PlanID, key, 0, now); err != nil {
				return DutyClosure{}, nil, err
			}
			var was bool
			err = tx.QueryRowContext(ctx, `SELECT closed FROM duty_closures WHERE `+c.column+` = $1 ORDER BY id DESC LIMIT 1`, key.ID).Scan(&was)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return DutyClosure{}, nil, err
			}
			switch {
			case closed && was:
				return DutyClosure{}, nil, xiezuo.Errorf(xiezuo.ECONFLICT, "%s已销号", duty.Label)
			case !closed && !was:
				return DutyClosure{}, nil, xiezuo.Errorf(xiezuo.ECONFLICT, "%s未销号，无需重新打开", duty.Label)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO duty_closures (`+c.column+`, closed, reason, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
				key.ID, closed, reason, actor.Username, now); err != nil {
				return DutyClosure{}, nil, err
			}
			e := entryFor(ctx, AuditDutyClose, string(key.Kind), key.String(), duty.Label)
			state := map[bool]string{true: "已销号", false: "未销号"}
			e.Before = mustJSON(map[string]any{"状态": state[was]})
			after := map[string]any{"状态": state[closed]}
			if reason != "" {
				after["理由"] = reason
			}
			e.After = mustJSON(after)
			return DutyClosure{Closed: closed, Duty: key.String()}, e, nil
		})
}

// Report returns report id with its versions and reviews: ENOTFOUND when there is none.
func (db *DB) Report(ctx context.Context, id int64) (xiezuo.Report, error) {
	rs, err := db.reports(ctx, `r.id = $1`, id)
	if err != nil {
		return xiezuo.Report{}, translate(fmt.Errorf("report %d: %w", id, err))
	}
	if len(rs) == 0 {
		return xiezuo.Report{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报告", id)
	}
	return rs[0], nil
}

// DutyReports lists every report on a duty, oldest first, with its versions and reviews.
func (db *DB) DutyReports(ctx context.Context, key xiezuo.DutyKey) ([]xiezuo.Report, error) {
	c, ok := dutyColumns[key.Kind]
	if !ok {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "事项编号“%s”无效", key)
	}
	rs, err := db.reports(ctx, `r.`+c.column+` = $1`, key.ID)
	if err != nil {
		return nil, translate(fmt.Errorf("reports on %s: %w", key, err))
	}
	return rs, nil
}

// PlanReports lists every report on the duties of district's plan of year, oldest first, with
// their versions and reviews, in two queries: pages compute lights and rates from it.
func (db *DB) PlanReports(ctx context.Context, district string, year int) ([]xiezuo.Report, error) {
	rs, err := db.reports(ctx, `r.plan_id = (SELECT id FROM plans WHERE district = $1 AND year = $2)`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("reports of %s %d: %w", district, year, err))
	}
	return rs, nil
}

// reports reads the reports that where selects (a condition on reports r) with their
// versions and reviews, in one snapshot.
func (db *DB) reports(ctx context.Context, where string, args ...any) ([]xiezuo.Report, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var rs []xiezuo.Report
	index := map[int64]int{}
	err = each(ctx, tx, `
		SELECT r.id, r.point_id, r.task_id, r.project_id, u.name, tu.name, r.created_by,
			v.version, v.state, v.text, v.percent, v.figures, v.cites, v.by_user, v.at
		FROM reports r
		JOIN units u ON u.id = r.unit_id
		LEFT JOIN units tu ON tu.id = r.to_unit_id
		JOIN report_versions v ON v.report_id = r.id
		WHERE `+where+`
		ORDER BY r.id, v.version`, args,
		func(rows *sql.Rows) error {
			var id int64
			var point, task, project, percent sql.Null[int64]
			var unit, by string
			var toUnit sql.Null[string]
			var v xiezuo.ReportVersion
			var state, figures, cites string
			if err := rows.Scan(&id, &point, &task, &project, &unit, &toUnit, &by,
				&v.Version, &state, &v.Values.Text, &percent, &figures, &cites, &v.By, &v.At); err != nil {
				return err
			}
			v.State = xiezuo.ReportState(state)
			if percent.Valid {
				p := int(percent.V)
				v.Values.Percent = &p
			}
			var fs map[string]int64
			if err := json.Unmarshal([]byte(figures), &fs); err != nil {
				return fmt.Errorf("figures of report %d version %d: %w", id, v.Version, err)
			}
			for k, n := range fs {
				v.Values.Figures = append(v.Values.Figures, xiezuo.Figure{Key: k, Value: n})
			}
			slices.SortFunc(v.Values.Figures, func(a, b xiezuo.Figure) int { return strings.Compare(a.Key, b.Key) })
			if err := json.Unmarshal([]byte(cites), &v.Cites); err != nil {
				return fmt.Errorf("cites of report %d version %d: %w", id, v.Version, err)
			}
			if len(v.Cites) == 0 {
				v.Cites = nil
			}
			i, ok := index[id]
			if !ok {
				i = len(rs)
				index[id] = i
				rs = append(rs, xiezuo.Report{ID: id, Duty: dutyKeyOf(point, task, project), Unit: unit, ToUnit: toUnit.V, By: by})
			}
			rs[i].Versions = append(rs[i].Versions, v)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, nil
	}
	err = each(ctx, tx, `
		SELECT rv.report_id, rv.version, rv.decision, rv.comment, rv.by_user, rv.at
		FROM report_reviews rv JOIN reports r ON r.id = rv.report_id
		WHERE `+where+`
		ORDER BY rv.report_id, rv.version`, args,
		func(rows *sql.Rows) error {
			var id int64
			var rv xiezuo.Review
			var d string
			if err := rows.Scan(&id, &rv.Version, &d, &rv.Comment, &rv.By, &rv.At); err != nil {
				return err
			}
			rv.Decision = xiezuo.Decision(d)
			if i, ok := index[id]; ok {
				rs[i].Reviews = append(rs[i].Reviews, rv)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// PlanClosures lists the closures and reopenings of the duties of district's plan of year,
// oldest first.
func (db *DB) PlanClosures(ctx context.Context, district string, year int) ([]xiezuo.Closure, error) {
	var cs []xiezuo.Closure
	err := each(ctx, db.db, `
		SELECT c.point_id, c.task_id, c.project_id, c.closed, c.reason, c.by_user, c.at
		FROM duty_closures c
		LEFT JOIN work_points wp ON wp.id = c.point_id
		LEFT JOIN tasks t ON t.id = c.task_id
		LEFT JOIN projects p ON p.id = c.project_id
		JOIN plans pl ON pl.id = COALESCE(wp.plan_id, t.plan_id, p.plan_id)
		WHERE pl.district = $1 AND pl.year = $2
		ORDER BY c.id`, []any{district, year},
		func(rows *sql.Rows) error {
			var point, task, project sql.Null[int64]
			var c xiezuo.Closure
			if err := rows.Scan(&point, &task, &project, &c.Closed, &c.Reason, &c.By, &c.At); err != nil {
				return err
			}
			c.Duty = dutyKeyOf(point, task, project)
			cs = append(cs, c)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("closures of %s %d: %w", district, year, err))
	}
	return cs, nil
}

// Writers names the users who wrote facts (reports, reviews, closures), which keep the writer's
// sign-in name: username → 姓名（单位）, in one query, for the names it finds (a name it does
// not find, such as a generated writer, is left for the caller to show as it is).
func (db *DB) Writers(ctx context.Context, usernames []string) (map[string]string, error) {
	out := map[string]string{}
	names := slices.Clone(usernames)
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return out, nil
	}
	marks := make([]string, len(names))
	args := make([]any, len(names))
	for i, n := range names {
		marks[i], args[i] = "$"+strconv.Itoa(i+1), n
	}
	err := each(ctx, db.db, `SELECT username, name, unit FROM users WHERE username IN (`+strings.Join(marks, ", ")+`)`, args,
		func(rows *sql.Rows) error {
			var username, name, unit string
			if err := rows.Scan(&username, &name, &unit); err != nil {
				return err
			}
			out[username] = name + "（" + unit + "）"
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("writers: %w", err))
	}
	return out, nil
}

// dutyClosed reports whether the duty is closed (销号) now: its latest closure row closes it.
func dutyClosed(ctx context.Context, tx *sql.Tx, key xiezuo.DutyKey) (bool, error) {
	var closed bool
	err := tx.QueryRowContext(ctx, `SELECT closed FROM duty_closures WHERE `+dutyColumns[key.Kind].column+` = $1 ORDER BY id DESC LIMIT 1`, key.ID).Scan(&closed)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return closed, err
}
