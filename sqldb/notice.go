package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"xiezuo"
)

// Audit actions of supervision notices (督办单): one per step.
const (
	AuditNoticeIssue    = "notice.issue"    // the office issued a notice
	AuditNoticeSign     = "notice.sign"     // the unit signed for it
	AuditNoticeAnswer   = "notice.answer"   // the unit answered
	AuditNoticeReturn   = "notice.return"   // the office sent the answer back
	AuditNoticeFinish   = "notice.finish"   // the office accepted the answer (办结)
	AuditNoticeClose    = "notice.close"    // the office closed it (销号)
	AuditNoticeEscalate = "notice.escalate" // a message about an unanswered notice was sent
)

// noticeAudit is the audit action of each step.
var noticeAudit = map[xiezuo.NoticeStep]string{
	xiezuo.NoticeIssued: AuditNoticeIssue, xiezuo.NoticeSigned: AuditNoticeSign, xiezuo.NoticeAnswered: AuditNoticeAnswer,
	xiezuo.NoticeReturned: AuditNoticeReturn, xiezuo.NoticeDone: AuditNoticeFinish, xiezuo.NoticeClosed: AuditNoticeClose,
	xiezuo.NoticeEscalated: AuditNoticeEscalate,
}

// NoticeAuditAction is the audit action of a step, for the web layer's refusals.
func NoticeAuditAction(step xiezuo.NoticeStep) string { return noticeAudit[step] }

// dutyColumn is the column of a row attached to a duty that holds the id of a duty of kind k,
// and the table of such duties.
func dutyColumn(k xiezuo.DutyKind) (column, table string, err error) {
	switch k {
	case xiezuo.DutyPoint:
		return "point_id", "work_points", nil
	case xiezuo.DutyTask:
		return "task_id", "tasks", nil
	case xiezuo.DutyProject:
		return "project_id", "projects", nil
	}
	return "", "", xiezuo.Errorf(xiezuo.EINVALID, "事项类别“%s”无效", k)
}

// IssueNotice stores a notice the office issues (checked by xiezuo.CheckNotice: District, Year,
// Duty, Unit, texts, ReplyBy, Signer) with its first step, dated at, and its audit entry, in one
// transaction. It numbers the notice within its plan and returns it as stored. The duty must
// belong to the district's stored plan of the year (ENOTFOUND).
func (db *DB) IssueNotice(ctx context.Context, n xiezuo.Notice, at time.Time) (xiezuo.Notice, error) {
	column, table, err := dutyColumn(n.Duty.Kind)
	if err != nil {
		return xiezuo.Notice{}, err
	}
	tx, err := db.begin(ctx, fmt.Sprintf("notices %s %d", n.District, n.Year))
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	defer tx.Rollback()
	var planID int64
	err = tx.QueryRowContext(ctx, `SELECT pl.id FROM `+table+` d JOIN plans pl ON pl.id = d.plan_id
		WHERE d.id = $1 AND pl.district = $2 AND pl.year = $3`, n.Duty.ID, n.District, n.Year).Scan(&planID)
	if errors.Is(err, sql.ErrNoRows) {
		return xiezuo.Notice{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "%s%d年的计划中没有事项“%s”", n.District, n.Year, n.Duty)
	}
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	unitID, err := unitIDOf(ctx, tx, n.District, n.Unit)
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM notices WHERE plan_id = $1`, planID).Scan(&n.Number); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO notices (plan_id, number, `+column+`, unit_id, subject, requirement, reply_by, signer)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		planID, n.Number, n.Duty.ID, unitID, n.Subject, n.Requirement, n.ReplyBy, n.Signer).Scan(&n.ID)
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	actor := ActorFrom(ctx)
	ev := xiezuo.NoticeEvent{Step: xiezuo.NoticeIssued, By: actor.Username, Unit: actor.Unit, At: at.UTC().Truncate(time.Microsecond)}
	if err := insertStep(ctx, tx, n.ID, 1, ev); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	n.Steps = []xiezuo.NoticeEvent{ev}
	e := entryFor(ctx, AuditNoticeIssue, "notice", strconv.FormatInt(n.ID, 10), n.Code()+" "+n.Unit)
	e.After = mustJSON(map[string]any{"事项": n.Duty.String(), "承办单位": n.Unit, "督办事项": n.Subject,
		"反馈时限": n.ReplyBy.String(), "签发人": n.Signer})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("issue notice: %w", err))
	}
	return n, nil
}

func insertStep(ctx context.Context, tx *sql.Tx, notice int64, seq int, ev xiezuo.NoticeEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notice_steps (notice_id, seq, step, text, by_user, by_unit, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, notice, seq, ev.Step, ev.Text, ev.By, ev.Unit, ev.At)
	return err
}

// SignNotice records the unit signing for notice id (签收); signer is the person's name.
func (db *DB) SignNotice(ctx context.Context, id int64, signer string, at time.Time) (xiezuo.Notice, error) {
	return db.noticeStep(ctx, id, xiezuo.NoticeSigned, signer, at)
}

// AnswerNotice records the unit's answer to notice id (反馈); the text is required.
func (db *DB) AnswerNotice(ctx context.Context, id int64, text string, at time.Time) (xiezuo.Notice, error) {
	return db.noticeStep(ctx, id, xiezuo.NoticeAnswered, text, at)
}

// ReturnNotice records the office sending the answer to notice id back (退回补充) with a comment.
func (db *DB) ReturnNotice(ctx context.Context, id int64, comment string, at time.Time) (xiezuo.Notice, error) {
	return db.noticeStep(ctx, id, xiezuo.NoticeReturned, comment, at)
}

// FinishNotice records the office accepting the answer to notice id (办结).
func (db *DB) FinishNotice(ctx context.Context, id int64, comment string, at time.Time) (xiezuo.Notice, error) {
	return db.noticeStep(ctx, id, xiezuo.NoticeDone, comment, at)
}

// CloseNotice records the office closing notice id (销号).
func (db *DB) CloseNotice(ctx context.Context, id int64, comment string, at time.Time) (xiezuo.Notice, error) {
	return db.noticeStep(ctx, id, xiezuo.NoticeClosed, comment, at)
}

// EscalateNotice records that a message about unanswered notice id was sent, to whom in words
// (e.g. 劳务协作专班牵头单位 or 区领导); the reminders call it after they sent one. It changes no
// state: the escalation itself is derived from the dates (xiezuo.NoticeEscalation).
func (db *DB) EscalateNotice(ctx context.Context, id int64, to string, at time.Time) (xiezuo.Notice, error) {
	return db.noticeStep(ctx, id, xiezuo.NoticeEscalated, to, at)
}

// noticeStep appends step to notice id, dated at (or at its latest step, if at is earlier: steps
// never go back in time), with its audit entry, in one transaction under the notice's lock. A
// step out of order is refused with ECONFLICT (xiezuo.NextNoticeStep), a text that does not do
// with EINVALID (xiezuo.CheckNoticeText); nothing is written then.
func (db *DB) noticeStep(ctx context.Context, id int64, step xiezuo.NoticeStep, text string, at time.Time) (xiezuo.Notice, error) {
	text, err := xiezuo.CheckNoticeText(step, text)
	if err != nil {
		return xiezuo.Notice{}, err
	}
	what := "notice " + string(step)
	tx, err := db.begin(ctx, "notice "+strconv.FormatInt(id, 10))
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	defer tx.Rollback()
	ns, err := loadNotices(ctx, tx, `n.id = $1`, id)
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	if len(ns) == 0 {
		return xiezuo.Notice{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的督办单", id)
	}
	n := ns[0]
	last := n.Steps[len(n.Steps)-1]
	state, _ := xiezuo.NoticeStateAt(n.Steps, last.At)
	if err := xiezuo.NextNoticeStep(state, step); err != nil {
		return xiezuo.Notice{}, err
	}
	at = at.UTC().Truncate(time.Microsecond)
	if at.Before(last.At) {
		at = last.At
	}
	actor := ActorFrom(ctx)
	ev := xiezuo.NoticeEvent{Step: step, Text: text, By: actor.Username, Unit: actor.Unit, At: at}
	if err := insertStep(ctx, tx, n.ID, len(n.Steps)+1, ev); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	n.Steps = append(n.Steps, ev)
	e := entryFor(ctx, noticeAudit[step], "notice", strconv.FormatInt(n.ID, 10), n.Code()+" "+n.Unit)
	after, _ := n.StateAt(at)
	e.Before = mustJSON(map[string]any{"状态": state.Text()})
	e.After = mustJSON(map[string]any{"状态": after.Text(), step.Verb(): text})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	if err := tx.Commit(); err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("%s: %w", what, err))
	}
	return n, nil
}

// Notice returns notice id with its steps: ENOTFOUND when there is none.
func (db *DB) Notice(ctx context.Context, id int64) (xiezuo.Notice, error) {
	ns, err := loadNotices(ctx, db.db, `n.id = $1`, id)
	if err != nil {
		return xiezuo.Notice{}, translate(fmt.Errorf("notice %d: %w", id, err))
	}
	if len(ns) == 0 {
		return xiezuo.Notice{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的督办单", id)
	}
	return ns[0], nil
}

// PlanNotices lists every notice on district's plan of year with its steps, by number: what
// the notice lists, the lights and the reminders derive their states and escalations from.
func (db *DB) PlanNotices(ctx context.Context, district string, year int) ([]xiezuo.Notice, error) {
	ns, err := loadNotices(ctx, db.db, `pl.district = $1 AND pl.year = $2`, district, year)
	if err != nil {
		return nil, translate(fmt.Errorf("plan notices: %w", err))
	}
	return ns, nil
}

// UnitNotices lists the notices on district's plan of year issued to unit, by number.
func (db *DB) UnitNotices(ctx context.Context, district string, year int, unit string) ([]xiezuo.Notice, error) {
	ns, err := loadNotices(ctx, db.db, `pl.district = $1 AND pl.year = $2 AND u.name = $3`, district, year, unit)
	if err != nil {
		return nil, translate(fmt.Errorf("unit notices: %w", err))
	}
	return ns, nil
}

// loadNotices reads the notices matching where (over n notices, pl plans, u units) with their
// steps, by number then step.
func loadNotices(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.Notice, error) {
	var ns []xiezuo.Notice
	err := each(ctx, q, `
		SELECT n.id, pl.district, pl.year, n.number,
			CASE WHEN n.point_id IS NOT NULL THEN 'point' WHEN n.task_id IS NOT NULL THEN 'task' ELSE 'project' END,
			COALESCE(n.point_id, n.task_id, n.project_id), u.name, n.subject, n.requirement, n.reply_by, n.signer,
			s.step, s.text, s.by_user, s.by_unit, s.at
		FROM notices n
		JOIN plans pl ON pl.id = n.plan_id
		JOIN units u ON u.id = n.unit_id
		JOIN notice_steps s ON s.notice_id = n.id
		WHERE `+where+`
		ORDER BY pl.district, pl.year, n.number, s.seq`, args,
		func(rows *sql.Rows) error {
			var n xiezuo.Notice
			var kind string
			var ev xiezuo.NoticeEvent
			if err := rows.Scan(&n.ID, &n.District, &n.Year, &n.Number, &kind, &n.Duty.ID, &n.Unit, &n.Subject,
				&n.Requirement, &n.ReplyBy, &n.Signer, &ev.Step, &ev.Text, &ev.By, &ev.Unit, &ev.At); err != nil {
				return err
			}
			ev.At = ev.At.UTC()
			if len(ns) == 0 || ns[len(ns)-1].ID != n.ID {
				n.Duty.Kind = xiezuo.DutyKind(kind)
				ns = append(ns, n)
			}
			last := &ns[len(ns)-1]
			last.Steps = append(last.Steps, ev)
			return nil
		})
	return ns, err
}

// noticeRuleKey is the setting that holds district's escalation rule (its K days).
func noticeRuleKey(district string) string { return "notice.leader_days." + district }

// NoticeRule is district's escalation rule: the K days the office set, or
// xiezuo.DefaultEscalation when it set none.
func (db *DB) NoticeRule(ctx context.Context, district string) (xiezuo.EscalationRule, error) {
	v, ok, err := db.Setting(ctx, noticeRuleKey(district))
	if err != nil || !ok {
		return xiezuo.DefaultEscalation, err
	}
	r, err := xiezuo.ParseEscalationRule(v)
	if err != nil {
		return xiezuo.DefaultEscalation, nil // a value not written by SetNoticeRule: the default
	}
	return r, nil
}

// SetNoticeRule sets district's escalation rule, audited as a setting (value before and after).
func (db *DB) SetNoticeRule(ctx context.Context, district string, r xiezuo.EscalationRule) error {
	if r.LeaderDays < 0 || r.LeaderDays > xiezuo.MaxLeaderDays {
		return xiezuo.Errorf(xiezuo.EINVALID, "升级天数 %d 超出范围，应为 0 到 %d 天", r.LeaderDays, xiezuo.MaxLeaderDays)
	}
	return db.SetSetting(ctx, noticeRuleKey(district), strconv.Itoa(r.LeaderDays))
}
