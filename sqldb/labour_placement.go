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

// Matching's storage and placements: proposals of a run, their confirmations (dated events,
// never updated) and placements (rows superseding rows). Each write keeps the statuses of the
// person's entries in the district (entryStatus) in its transaction.

// Match states, as LabourMatch.State names them, and the kinds of a match's events: the
// rule is xiezuo.MatchState.
const (
	MatchWaiting  = xiezuo.MatchWaiting
	MatchOffice   = xiezuo.MatchOffice
	MatchEmployer = xiezuo.MatchEmployer
	MatchBoth     = xiezuo.MatchBoth
	MatchDeclined = xiezuo.MatchDeclined
	MatchPlaced   = xiezuo.MatchPlaced

	MatchEventOffice   = xiezuo.MatchEventOffice
	MatchEventEmployer = xiezuo.MatchEventEmployer
	MatchEventDecline  = xiezuo.MatchEventDecline
)

// matchState is the state of a match with these events (xiezuo.MatchState).
func matchState(events []LabourMatchEvent, placed bool) string {
	kinds := make([]string, len(events))
	for i, e := range events {
		kinds[i] = e.Kind
	}
	return xiezuo.MatchState(kinds, placed)
}

// LabourMatchInput reads what matching needs of a district: the people of the willing list not
// at work, and the jobs with places open and not past their end at today.
func (db *DB) LabourMatchInput(ctx context.Context, district string, today xiezuo.Date) ([]xiezuo.MatchPerson, []xiezuo.MatchJob, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("labour match input: %w", err))
	}
	defer tx.Rollback()
	var people []xiezuo.MatchPerson
	err = each(ctx, tx, `SELECT id, person_id, skills, education, home_code, details, poor, region FROM labour_entries
		WHERE district = $1 AND list = $2 AND status <> $3 ORDER BY id`,
		[]any{district, string(xiezuo.ListWilling), LabourPlaced}, func(rows *sql.Rows) error {
			var p xiezuo.MatchPerson
			var skills, details string
			if err := rows.Scan(&p.EntryID, &p.PersonID, &skills, &p.Education, &p.HomeCode, &details, &p.Poor, &p.Region); err != nil {
				return err
			}
			if skills != "" {
				p.Skills = strings.Split(skills, "、")
			}
			d := parseDetails(details)
			p.WishPlace, p.WishPost, p.WishPay = d.WishPlace, d.WishPost, d.WishPay
			p.Available, _ = xiezuo.ParseDate(d.Available)
			people = append(people, p)
			return nil
		})
	if err != nil {
		return nil, nil, translate(fmt.Errorf("labour match input: %w", err))
	}
	var jobs []xiezuo.MatchJob
	err = each(ctx, tx, `SELECT j.id, j.employer, j.post, j.skills, j.education, j.place_code, j.pay_min, j.pay_max,
		j.start_on, j.end_on, j.wanted - `+placedOn(2)+`, j.details FROM labour_jobs j
		WHERE j.district = $1 AND (j.end_on IS NULL OR j.end_on >= $2) ORDER BY j.id`, []any{district, today},
		func(rows *sql.Rows) error {
			var j xiezuo.MatchJob
			var skills, details string
			if err := rows.Scan(&j.JobID, &j.Employer, &j.Post, &skills, &j.Education, &j.PlaceCode, &j.PayMin,
				&j.PayMax, &j.Start, &j.End, &j.Open, &details); err != nil {
				return err
			}
			j.PlaceName = parseJobDetails(details).PlaceName
			if skills != "" {
				j.Skills = strings.Split(skills, "、")
			}
			if j.Open > 0 {
				jobs = append(jobs, j)
			}
			return nil
		})
	if err != nil {
		return nil, nil, translate(fmt.Errorf("labour match input: %w", err))
	}
	return people, jobs, nil
}

func parseDetails(s string) labourDetails {
	var d labourDetails
	_ = json.Unmarshal([]byte(s), &d) // written by the import
	return d
}

// SaveLabourMatches stores a matching run's proposals (replacing none: a person's earlier
// proposals stay, the new ones are a new run) and audits the run; it returns the run's id
// (the district's last run plus one). Proposals of another district's entries or jobs are
// refused, and nothing is stored then. The entries proposed that waited (待匹配) become 已推荐.
func (db *DB) SaveLabourMatches(ctx context.Context, district string, ps []xiezuo.MatchProposal) (int64, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	tx, err := db.begin(ctx, "labour match "+district)
	if err != nil {
		return 0, translate(fmt.Errorf("save labour matches: %w", err))
	}
	defer tx.Rollback()
	var run int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(run_id), 0) + 1 FROM labour_matches WHERE district = $1`,
		district).Scan(&run); err != nil {
		return 0, translate(fmt.Errorf("save labour matches: %w", err))
	}
	actor := ActorFrom(ctx)
	at := db.factTime(ctx)
	const cols = 9
	for chunk := range slices.Chunk(ps, 500) {
		args := make([]any, 0, len(chunk)*cols)
		var vals strings.Builder
		for i, p := range chunk {
			if i > 0 {
				vals.WriteByte(',')
			}
			vals.WriteString(placeholders(len(args)+1, cols))
			args = append(args, district, p.EntryID, p.PersonID, p.JobID, run, p.Score, strings.Join(p.Reasons, "\n"),
				actor.Username, at)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO labour_matches (district, entry_id, person_id, job_id, run_id, score,
			reasons, by_user, at) VALUES `+vals.String(), args...); err != nil {
			return 0, translate(fmt.Errorf("save labour matches: %w", err))
		}
	}
	var foreign int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_matches m
		JOIN labour_entries e ON e.id = m.entry_id JOIN labour_jobs j ON j.id = m.job_id
		WHERE m.district = $1 AND m.run_id = $2 AND (e.district <> m.district OR e.person_id <> m.person_id
			OR j.district <> m.district)`, district, run).Scan(&foreign); err != nil {
		return 0, translate(fmt.Errorf("save labour matches: %w", err))
	}
	if foreign > 0 {
		return 0, xiezuo.Errorf(xiezuo.EINVALID, "有%d条推荐的人员或岗位不属于本区清单，未保存", foreign)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE labour_entries SET status = $3 WHERE district = $1 AND status = $4
		AND id IN (SELECT entry_id FROM labour_matches WHERE district = $1 AND run_id = $2)`,
		district, run, LabourProposed, LabourWaiting); err != nil {
		return 0, translate(fmt.Errorf("save labour matches: %w", err))
	}
	e := entryFor(ctx, AuditLabourMatch, "labour_match_run", district+"/"+strconv.FormatInt(run, 10), district+"人岗匹配")
	e.After = mustJSON(map[string]any{"district": district, "run": run, "proposals": len(ps)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return 0, translate(fmt.Errorf("save labour matches: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return 0, translate(fmt.Errorf("save labour matches: %w", err))
	}
	return run, nil
}

// LabourMatches reads a district's proposals, newest run first, of one state when state is not
// "" and of one person when personID is not 0 (at most limit, 200 when 0).
func (db *DB) LabourMatches(ctx context.Context, district string, state string, personID int64, limit int) ([]LabourMatch, error) {
	return db.labourMatches(ctx, db.db, district, state, personID, limit)
}

func (db *DB) labourMatches(ctx context.Context, q querier, district, state string, personID int64, limit int) ([]LabourMatch, error) {
	where, args := `m.district = $1`, []any{district}
	if personID != 0 {
		where += ` AND m.person_id = $2`
		args = append(args, personID)
	}
	if limit <= 0 {
		limit = 200
	}
	var out []LabourMatch
	err := each(ctx, q, `SELECT m.id, m.district, m.entry_id, m.person_id, p.name, m.job_id, j.employer, j.post,
		j.place_code, m.score, m.reasons, m.by_user, m.at,
		(SELECT COUNT(*) FROM labour_placements pl WHERE pl.match_id = m.id AND pl.withdrawn = FALSE
			AND NOT EXISTS (SELECT 1 FROM labour_placements s WHERE s.supersedes = pl.id))
		FROM labour_matches m JOIN labour_people p ON p.id = m.person_id JOIN labour_jobs j ON j.id = m.job_id
		WHERE `+where+` ORDER BY m.run_id DESC, m.score DESC, m.id`, args, func(rows *sql.Rows) error {
		var m LabourMatch
		var reasons string
		var placed int
		if err := rows.Scan(&m.ID, &m.District, &m.EntryID, &m.PersonID, &m.Name, &m.JobID, &m.Employer, &m.Post,
			&m.PlaceCode, &m.Score, &reasons, &m.By, &m.At, &placed); err != nil {
			return err
		}
		if reasons != "" {
			m.Reasons = strings.Split(reasons, "\n")
		}
		m.At = m.At.UTC()
		if placed > 0 {
			m.State = MatchPlaced // completed below with the events
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("labour matches: %w", err))
	}
	for chunk := range slices.Chunk(out, 500) {
		ids := make([]any, len(chunk))
		at := map[int64]*LabourMatch{}
		for i := range chunk {
			ids[i] = chunk[i].ID
			at[chunk[i].ID] = &chunk[i]
		}
		err := each(ctx, q, `SELECT match_id, kind, note, by_user, at FROM labour_match_events WHERE match_id IN `+
			placeholders(1, len(ids))+` ORDER BY id`, ids, func(rows *sql.Rows) error {
			var id int64
			var e LabourMatchEvent
			if err := rows.Scan(&id, &e.Kind, &e.Note, &e.By, &e.At); err != nil {
				return err
			}
			e.At = e.At.UTC()
			at[id].Events = append(at[id].Events, e)
			return nil
		})
		if err != nil {
			return nil, translate(fmt.Errorf("labour matches: %w", err))
		}
	}
	kept := out[:0]
	for _, m := range out {
		m.State = matchState(m.Events, m.State == MatchPlaced)
		if state == "" || m.State == state {
			kept = append(kept, m)
		}
	}
	if len(kept) > limit {
		kept = kept[:limit]
	}
	return kept, nil
}

// ConfirmLabourMatch records a confirmation (kind office or employer, note: the employer's
// contact and how they confirmed) or a decline (note: the reason) of a match: a dated fact.
// A declined match takes no more events; a confirmation is recorded once per kind; a match
// at work cannot be declined (its placement is ended instead). A phone or ID number in the
// note is masked before it is stored or audited (vault.MaskNumbersInText): the note is shown to
// every role that sees the match.
func (db *DB) ConfirmLabourMatch(ctx context.Context, district string, matchID int64, kind, note string) (LabourMatch, error) {
	note = vault.MaskNumbersInText(strings.TrimSpace(note))
	switch kind {
	case MatchEventOffice:
	case MatchEventEmployer:
		if note == "" {
			return LabourMatch{}, xiezuo.Errorf(xiezuo.EINVALID, "用工单位确认须写明联系人和确认方式（如：张经理电话确认）")
		}
	case MatchEventDecline:
		if note == "" {
			return LabourMatch{}, xiezuo.Errorf(xiezuo.EINVALID, "放弃推荐须说明原因")
		}
	default:
		return LabourMatch{}, xiezuo.Errorf(xiezuo.EINVALID, "确认方式应为办公室确认（office）、用工单位确认（employer）或放弃（decline）")
	}
	tx, err := db.begin(ctx, "labour match "+district)
	if err != nil {
		return LabourMatch{}, translate(fmt.Errorf("confirm labour match: %w", err))
	}
	defer tx.Rollback()
	m, err := db.oneMatch(ctx, tx, district, matchID)
	if err != nil {
		return LabourMatch{}, err
	}
	switch {
	case m.State == MatchDeclined:
		return LabourMatch{}, xiezuo.Errorf(xiezuo.ECONFLICT, "这条推荐已放弃，不能再确认或放弃")
	case m.State == MatchPlaced && kind == MatchEventDecline:
		return LabourMatch{}, xiezuo.Errorf(xiezuo.ECONFLICT, "这条推荐已登记就业，不能放弃：请在就业记录中登记离岗")
	case kind != MatchEventDecline && slices.ContainsFunc(m.Events, func(e LabourMatchEvent) bool { return e.Kind == kind }):
		who := map[string]string{MatchEventOffice: "办公室", MatchEventEmployer: "用工单位"}[kind]
		return LabourMatch{}, xiezuo.Errorf(xiezuo.ECONFLICT, "%s已确认过这条推荐", who)
	}
	actor := ActorFrom(ctx)
	at := db.factTime(ctx)
	if _, err := tx.ExecContext(ctx, `INSERT INTO labour_match_events (match_id, kind, note, by_user, at)
		VALUES ($1, $2, $3, $4, $5)`, matchID, kind, note, actor.Username, at); err != nil {
		return LabourMatch{}, translate(fmt.Errorf("confirm labour match: %w", err))
	}
	if err := db.keepEntryStatus(ctx, tx, district, m.PersonID); err != nil {
		return LabourMatch{}, err
	}
	e := entryFor(ctx, AuditLabourConfirm, "labour_match", strconv.FormatInt(matchID, 10), vault.MaskName(m.Name)+"—"+m.Employer+m.Post)
	e.After = mustJSON(map[string]any{"kind": kind, "note": note, "job": m.JobID, "person": m.PersonID})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return LabourMatch{}, translate(fmt.Errorf("confirm labour match: %w", err))
	}
	if m, err = db.oneMatch(ctx, tx, district, matchID); err != nil {
		return LabourMatch{}, err
	}
	if err := tx.Commit(); err != nil {
		return LabourMatch{}, translate(fmt.Errorf("confirm labour match: %w", err))
	}
	return m, nil
}

// oneMatch reads a match of the district with its events and state.
func (db *DB) oneMatch(ctx context.Context, q querier, district string, id int64) (LabourMatch, error) {
	var person int64
	var d string
	row := q.(interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}).QueryRowContext(ctx, `SELECT district, person_id FROM labour_matches WHERE id = $1`, id)
	err := row.Scan(&d, &person)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && d != district) {
		return LabourMatch{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "本区没有编号为 %d 的推荐", id)
	}
	if err != nil {
		return LabourMatch{}, translate(fmt.Errorf("read labour match: %w", err))
	}
	all, err := db.labourMatches(ctx, q, district, "", person, 1<<30)
	if err != nil {
		return LabourMatch{}, err
	}
	for _, m := range all {
		if m.ID == id {
			return m, nil
		}
	}
	return LabourMatch{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "本区没有编号为 %d 的推荐", id)
}

// keepEntryStatus sets the status of the person's entries in the district from the facts
// (xiezuo.LabourEntryStatus): a placement open, a match waiting.
func (db *DB) keepEntryStatus(ctx context.Context, tx *sql.Tx, district string, person int64) error {
	ps, err := loadPlacements(ctx, tx, `district = $1 AND person_id = $2`, district, person)
	if err != nil {
		return err
	}
	placed := xiezuo.OpenPlacement(ps, db.today(ctx))
	var waiting int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_matches m WHERE m.district = $1 AND m.person_id = $2
		AND NOT EXISTS (SELECT 1 FROM labour_match_events v WHERE v.match_id = m.id AND v.kind = $3)
		AND NOT EXISTS (SELECT 1 FROM labour_placements pl WHERE pl.match_id = m.id)`,
		district, person, MatchEventDecline).Scan(&waiting); err != nil {
		return translate(fmt.Errorf("keep entry status: %w", err))
	}
	for _, list := range []xiezuo.LabourList{xiezuo.ListWilling, xiezuo.ListWorkers} {
		status := xiezuo.LabourEntryStatus(list, placed, waiting > 0)
		if _, err := tx.ExecContext(ctx, `UPDATE labour_entries SET status = $1
			WHERE district = $2 AND list = $3 AND person_id = $4 AND status <> $1`,
			status, district, string(list), person); err != nil {
			return translate(fmt.Errorf("keep entry status: %w", err))
		}
	}
	return nil
}

// RecordPlacement stores a placement (a new one, or one that supersedes p.Supersedes with a
// reason: a correction, an end, a withdrawal) and keeps the entry's status. A correction or an
// end without a pay keeps the superseded row's (sealed) pay. The person's poor
// flag, home and region are taken from the district's entry when p leaves them blank; the
// employer, post and place from the job when p names one. A placement from a match of another
// district, or superseding a row of another person or district or one already superseded, is
// refused. A phone or ID number in the reason is masked before it is stored or audited
// (vault.MaskNumbersInText).
func (db *DB) RecordPlacement(ctx context.Context, p xiezuo.Placement) (xiezuo.Placement, error) {
	if strings.TrimSpace(p.District) == "" || p.PersonID == 0 {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "就业记录须指明区和人员")
	}
	if p.Start.IsZero() {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "“就业开始日期”：未填写")
	}
	if !p.End.IsZero() && p.End.Before(p.Start) {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "“就业结束日期”：%s早于开始日期%s", p.End, p.Start)
	}
	if p.Pay < 0 {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "“月收入”：不能为负数")
	}
	if p.Withdrawn && p.Supersedes == 0 {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "撤销须指明撤销哪一条就业记录")
	}
	p.Reason = vault.MaskNumbersInText(strings.TrimSpace(p.Reason))
	if p.Supersedes != 0 && p.Reason == "" {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "更正、离岗或撤销就业记录须说明原因")
	}
	var sealedPay []byte
	if p.Pay != 0 {
		if db.sealer == nil {
			return p, errNoLabourKey()
		}
		var err error
		if sealedPay, err = db.sealer.Seal([]byte(strconv.FormatInt(p.Pay, 10)), fieldLabourPay); err != nil {
			return p, fmt.Errorf("seal pay: %w", err)
		}
	}
	tx, err := db.begin(ctx, "labour match "+p.District)
	if err != nil {
		return p, translate(fmt.Errorf("record placement: %w", err))
	}
	defer tx.Rollback()
	var name, poor, home, region string
	err = tx.QueryRowContext(ctx, `SELECT p.name, e.poor, e.home_code, e.region FROM labour_entries e
		JOIN labour_people p ON p.id = e.person_id WHERE e.district = $1 AND e.person_id = $2
		ORDER BY CASE e.list WHEN 'willing' THEN 0 ELSE 1 END, e.id LIMIT 1`, p.District, p.PersonID).Scan(&name, &poor, &home, &region)
	if errors.Is(err, sql.ErrNoRows) {
		return p, xiezuo.Errorf(xiezuo.ENOTFOUND, "本区的劳务协作清单中没有这个人")
	}
	if err != nil {
		return p, translate(fmt.Errorf("record placement: %w", err))
	}
	p.Poor, p.HomeCode, p.Region = cmpOr(p.Poor, poor), cmpOr(p.HomeCode, home), cmpOr(p.Region, region)
	p.Source = xiezuo.PlacementRecorded
	if p.MatchID != 0 {
		var d string
		var person, job int64
		err := tx.QueryRowContext(ctx, `SELECT district, person_id, job_id FROM labour_matches WHERE id = $1`, p.MatchID).Scan(&d, &person, &job)
		if errors.Is(err, sql.ErrNoRows) {
			return p, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的推荐", p.MatchID)
		}
		if err != nil {
			return p, translate(fmt.Errorf("record placement: %w", err))
		}
		if d != p.District {
			return p, xiezuo.Errorf(xiezuo.ECONFLICT, "推荐 %d 属于其他区，不能在%s登记就业", p.MatchID, p.District)
		}
		if person != p.PersonID {
			return p, xiezuo.Errorf(xiezuo.EINVALID, "推荐 %d 推荐的不是这个人", p.MatchID)
		}
		var declined int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_match_events WHERE match_id = $1 AND kind = $2`,
			p.MatchID, MatchEventDecline).Scan(&declined); err != nil {
			return p, translate(fmt.Errorf("record placement: %w", err))
		}
		if declined > 0 && !p.Withdrawn {
			return p, xiezuo.Errorf(xiezuo.ECONFLICT, "推荐 %d 已放弃，不能据此登记就业", p.MatchID)
		}
		if p.JobID == 0 {
			p.JobID = job
		}
		p.Source = xiezuo.PlacementFromMatch
	}
	if p.JobID != 0 {
		var d, employer, code, post, place string
		err := tx.QueryRowContext(ctx, `SELECT district, employer, credit_code, post, place_code FROM labour_jobs WHERE id = $1`,
			p.JobID).Scan(&d, &employer, &code, &post, &place)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && d != p.District) {
			return p, xiezuo.Errorf(xiezuo.ENOTFOUND, "本区的用工需求清单中没有编号为 %d 的岗位", p.JobID)
		}
		if err != nil {
			return p, translate(fmt.Errorf("record placement: %w", err))
		}
		p.Employer, p.CreditCode, p.Post, p.PlaceCode = cmpOr(p.Employer, employer), cmpOr(p.CreditCode, code),
			cmpOr(p.Post, post), cmpOr(p.PlaceCode, place)
	}
	if strings.TrimSpace(p.Employer) == "" {
		return p, xiezuo.Errorf(xiezuo.EINVALID, "“就业单位”：未填写")
	}
	payKept := false
	if p.Supersedes != 0 {
		var d string
		var person int64
		var prevPay []byte
		err := tx.QueryRowContext(ctx, `SELECT district, person_id, pay_sealed FROM labour_placements WHERE id = $1`, p.Supersedes).Scan(&d, &person, &prevPay)
		// A correction or an end that leaves the pay blank keeps the pay of the row it
		// supersedes: pages read placements with the pay sealed, so an edit form cannot show
		// it, and a blank there means "not changed", not "no longer known".
		if err == nil && sealedPay == nil && !p.Withdrawn && len(prevPay) > 0 {
			sealedPay, payKept = prevPay, true
		}
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (d != p.District || person != p.PersonID)) {
			return p, xiezuo.Errorf(xiezuo.ENOTFOUND, "本区这个人没有编号为 %d 的就业记录", p.Supersedes)
		}
		if err != nil {
			return p, translate(fmt.Errorf("record placement: %w", err))
		}
		var later int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_placements WHERE supersedes = $1`, p.Supersedes).Scan(&later); err != nil {
			return p, translate(fmt.Errorf("record placement: %w", err))
		}
		if later > 0 {
			return p, xiezuo.Errorf(xiezuo.ECONFLICT, "就业记录 %d 已被更正或撤销，请在最新的记录上修改", p.Supersedes)
		}
	}
	actor := ActorFrom(ctx)
	p.RecordedAt = db.factTime(ctx)
	p.RecordedBy = actor.Username
	if actor.Unit != "" {
		p.RecordedBy += "（" + actor.Unit + "）"
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO labour_placements (district, person_id, job_id, match_id, employer,
		credit_code, post, place_code, start_on, end_on, pay_sealed, poor, home_code, region, source, supersedes,
		withdrawn, reason, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		p.District, p.PersonID, nullID(p.JobID), nullID(p.MatchID), p.Employer, p.CreditCode, p.Post, p.PlaceCode,
		p.Start, p.End, sealedPay, p.Poor, p.HomeCode, p.Region, p.Source, nullID(p.Supersedes), p.Withdrawn, p.Reason,
		p.RecordedBy, p.RecordedAt).Scan(&p.ID)
	if err != nil {
		return p, translate(fmt.Errorf("record placement: %w", err))
	}
	if err := db.keepEntryStatus(ctx, tx, p.District, p.PersonID); err != nil {
		return p, err
	}
	what := "登记就业"
	switch {
	case p.Withdrawn:
		what = "撤销就业记录"
	case p.Supersedes != 0:
		what = "更正就业记录"
	}
	e := entryFor(ctx, AuditLabourPlacement, "labour_placement", strconv.FormatInt(p.ID, 10), vault.MaskName(name)+"—"+p.Employer)
	e.After = mustJSON(map[string]any{"person": p.PersonID, "job": p.JobID, "match": p.MatchID, "employer": p.Employer,
		"post": p.Post, "place": p.PlaceCode, "start": p.Start.String(), "end": p.End.String(), "poor": p.Poor,
		"supersedes": p.Supersedes, "withdrawn": p.Withdrawn, "reason": p.Reason, "pay_given": p.Pay != 0, "pay_kept": payKept})
	e.Detail = what
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return p, translate(fmt.Errorf("record placement: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return p, translate(fmt.Errorf("record placement: %w", err))
	}
	return p, nil
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// parseJobDetails reads a job's details column (written by the import).
func parseJobDetails(s string) jobDetails {
	var d jobDetails
	_ = json.Unmarshal([]byte(s), &d)
	return d
}
