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

// Evidence files (证明材料) belong to the version of a report they were sent with. Their bytes
// are in the evidence store, by SHA-256; a row here says which version, what they are, who sent
// them and when. With a new version (SubmitReport, ReportWrite.Evidence) the rows are written in
// the version's transaction; files added to a waiting version (AttachEvidence) are written under
// the same lock as versions and reviews, so no review decides on a version while files are
// being added to it. The files are stored before the transaction: a failure leaves no row, and
// at most a file nothing refers to, which Store.Sweep removes.

// AuditEvidence is the audit action of files added to a report.
const AuditEvidence = "report.evidence"

// insertEvidence writes the rows of files sent with version of report reportID, and returns
// them with their ids.
func insertEvidence(ctx context.Context, tx *sql.Tx, reportID int64, version int, files []xiezuo.Evidence, by string, at time.Time) ([]xiezuo.Evidence, error) {
	out := make([]xiezuo.Evidence, 0, len(files))
	for _, f := range files {
		if f.Size <= 0 || f.SHA256 == "" || f.MIME == "" {
			return nil, fmt.Errorf("evidence %q: hash, type and size are required", f.Name)
		}
		f.ReportID, f.Version, f.By, f.At = reportID, version, by, at
		var taken sql.Null[time.Time]
		if !f.TakenAt.IsZero() {
			taken = sql.Null[time.Time]{V: f.TakenAt.UTC(), Valid: true}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO report_evidence (report_id, version, sha256, name, mime, size, taken_at, by_user, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			reportID, version, f.SHA256, f.Name, f.MIME, f.Size, taken, by, at).Scan(&f.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// evidenceAudit is what an audit entry says of the files: each one's name, type, size and full
// hash, so that the chain vouches for the bytes the store keeps.
func evidenceAudit(files []xiezuo.Evidence) []map[string]any {
	var out []map[string]any
	for _, f := range files {
		out = append(out, map[string]any{"文件": f.Name, "类型": f.MIME, "大小": f.Size, "SHA-256": f.SHA256})
	}
	return out
}

// AttachEvidence adds files, already kept in the store, to the latest version of report
// reportID while it waits for review (xiezuo.AcceptsEvidence, else ECONFLICT), within limits
// counted with what the version holds (ETOOLARGE), with its audit entry, in one transaction. The
// caller checks that the user may (xiezuo.User.CanAttach). It returns the rows written.
func (db *DB) AttachEvidence(ctx context.Context, reportID int64, files []xiezuo.Evidence, limits xiezuo.EvidenceLimits) ([]xiezuo.Evidence, error) {
	out, _, err := db.AttachEvidenceOnce(ctx, reportID, files, limits, Idem{})
	return out, err
}

// AttachEvidenceOnce is AttachEvidence under an Idempotency-Key, as SubmitReportOnce: the first
// request with k adds the files and stores the key with them; the same key and request answer
// the rows of the first again (replayed true) and add nothing; the same key with another
// request is ECONFLICT. The request's hash should name the report and each file's name and
// SHA-256 (files are kept before, once per content, so a replay stores nothing new).
func (db *DB) AttachEvidenceOnce(ctx context.Context, reportID int64, files []xiezuo.Evidence, limits xiezuo.EvidenceLimits, k Idem) (out []xiezuo.Evidence, replayed bool, err error) {
	if len(files) == 0 {
		return nil, false, xiezuo.Errorf(xiezuo.EINVALID, "请选择要上传的文件")
	}
	if k.Key != "" {
		if err := CheckIdemKey(k.Key); err != nil {
			return nil, false, err
		}
	}
	var point, task, project sql.Null[int64]
	err = db.db.QueryRowContext(ctx, `SELECT point_id, task_id, project_id FROM reports WHERE id = $1`, reportID).
		Scan(&point, &task, &project)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报告", reportID)
	}
	if err != nil {
		return nil, false, translate(fmt.Errorf("attach evidence to report %d: %w", reportID, err))
	}
	out, replayed, err = db.attachEvidenceTx(ctx, reportID, reportLockKey(dutyKeyOf(point, task, project)), files, limits, k)
	if err != nil {
		return nil, false, translate(fmt.Errorf("attach evidence to report %d: %w", reportID, err))
	}
	return out, replayed, nil
}

// attachEvidenceTx takes the key's lock (when there is a key) then the report's, and writes.
func (db *DB) attachEvidenceTx(ctx context.Context, reportID int64, lock string, files []xiezuo.Evidence, limits xiezuo.EvidenceLimits, k Idem) ([]xiezuo.Evidence, bool, error) {
	first := lock
	if k.Key != "" {
		first = k.lockKey()
	}
	tx, err := db.begin(ctx, first)
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	if k.Key != "" {
		stored, found, err := idemLookup(ctx, tx, k)
		if err != nil {
			return nil, false, err
		}
		if found {
			var out []xiezuo.Evidence
			if err := json.Unmarshal(stored, &out); err != nil {
				return nil, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
			}
			return out, true, nil
		}
		if err := db.lock(ctx, tx, lock); err != nil {
			return nil, false, err
		}
	}
	out, e, err := db.attachEvidence(ctx, tx, reportID, files, limits)
	if err != nil {
		return nil, false, err
	}
	if k.Key != "" {
		if err := db.idemStore(ctx, tx, k, 201, []byte(mustJSON(out))); err != nil {
			return nil, false, err
		}
		e.Detail = "Idempotency-Key: " + k.Key
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return nil, false, err
	}
	return out, false, tx.Commit()
}

// attachEvidence writes the rows inside tx, which holds the report's lock, and returns them
// with the audit entry the caller appends last.
func (db *DB) attachEvidence(ctx context.Context, tx *sql.Tx, reportID int64, files []xiezuo.Evidence, limits xiezuo.EvidenceLimits) ([]xiezuo.Evidence, *AuditEntry, error) {
	h, err := reportHead(ctx, tx, reportID)
	if err != nil {
		return nil, nil, err
	}
	if err := xiezuo.AcceptsEvidence(h.State); err != nil {
		return nil, nil, err
	}
	// A closed (销号) duty takes no more data, files included (N6).
	closed, err := dutyClosed(ctx, tx, h.Duty)
	if err != nil {
		return nil, nil, err
	}
	if closed {
		return nil, nil, xiezuo.ClosedRefusal()
	}
	actor, now := ActorFrom(ctx), db.factTime(ctx)
	if err := db.checkWritable(ctx, tx, h.PlanID, h.Duty, reportID, now); err != nil {
		return nil, nil, err
	}
	have, err := evidenceWhere(ctx, tx, `e.report_id = $1 AND e.version = $2`, reportID, h.Version)
	if err != nil {
		return nil, nil, err
	}
	names, sizes := make([]string, len(files)), make([]int64, len(files))
	for i, f := range files {
		names[i], sizes[i] = f.Name, f.Size
	}
	if err := limits.Check(have, names, sizes); err != nil {
		return nil, nil, err
	}
	out, err := insertEvidence(ctx, tx, reportID, h.Version, files, actor.Username, now)
	if err != nil {
		return nil, nil, err
	}
	duty, err := loadDuty(ctx, tx, h.Duty)
	if err != nil {
		return nil, nil, err
	}
	e := entryFor(ctx, AuditEvidence, "report", strconv.FormatInt(reportID, 10),
		fmt.Sprintf("%s关于%s的进展（第%d版）", h.Unit, duty.Label, h.Version))
	e.Before = mustJSON(map[string]any{"材料": len(have)})
	e.After = mustJSON(map[string]any{"版本": h.Version, "新增材料": evidenceAudit(out)})
	return out, e, nil
}

// ReportEvidence lists the files of every version of report reportID, by version, in the order
// they were sent.
func (db *DB) ReportEvidence(ctx context.Context, reportID int64) ([]xiezuo.Evidence, error) {
	es, err := evidenceWhere(ctx, db.db, `e.report_id = $1`, reportID)
	if err != nil {
		return nil, translate(fmt.Errorf("evidence of report %d: %w", reportID, err))
	}
	return es, nil
}

// DutyEvidence lists the files of every report on a duty, by report and version: the duty's
// page shows each version's files in its history.
func (db *DB) DutyEvidence(ctx context.Context, key xiezuo.DutyKey) ([]xiezuo.Evidence, error) {
	c, ok := dutyColumns[key.Kind]
	if !ok {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "事项编号“%s”无效", key)
	}
	es, err := evidenceWhere(ctx, db.db, `e.report_id IN (SELECT id FROM reports WHERE `+c.column+` = $1)`, key.ID)
	if err != nil {
		return nil, translate(fmt.Errorf("evidence on %s: %w", key, err))
	}
	return es, nil
}

// EvidenceFile returns one file's row: ENOTFOUND when there is none.
func (db *DB) EvidenceFile(ctx context.Context, id int64) (xiezuo.Evidence, error) {
	es, err := evidenceWhere(ctx, db.db, `e.id = $1`, id)
	if err != nil {
		return xiezuo.Evidence{}, translate(fmt.Errorf("evidence %d: %w", id, err))
	}
	if len(es) == 0 {
		return xiezuo.Evidence{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的证明材料", id)
	}
	return es[0], nil
}

// EvidenceInUse reports whether any report or project step refers to the file of hash sum:
// the store's Sweep keeps it then.
func (db *DB) EvidenceInUse(ctx context.Context, sum string) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM report_evidence WHERE sha256 = $1)
		+ (SELECT COUNT(*) FROM project_step_evidence WHERE sha256 = $1)`, sum).Scan(&n)
	if err != nil {
		return false, translate(fmt.Errorf("evidence in use: %w", err))
	}
	return n > 0, nil
}

// evidenceWhere reads the evidence rows that where selects (a condition on report_evidence e).
func evidenceWhere(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.Evidence, error) {
	var es []xiezuo.Evidence
	err := each(ctx, q, `SELECT e.id, e.report_id, e.version, e.sha256, e.name, e.mime, e.size, e.taken_at, e.by_user, e.at
		FROM report_evidence e WHERE `+where+` ORDER BY e.report_id, e.version, e.id`, args,
		func(rows *sql.Rows) error {
			var e xiezuo.Evidence
			var taken sql.Null[time.Time]
			if err := rows.Scan(&e.ID, &e.ReportID, &e.Version, &e.SHA256, &e.Name, &e.MIME, &e.Size, &taken, &e.By, &e.At); err != nil {
				return err
			}
			if taken.Valid {
				e.TakenAt = taken.V
			}
			es = append(es, e)
			return nil
		})
	return es, err
}
