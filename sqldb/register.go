package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// The work registers' rows (register_entries, migration 0018). Every row is a fact never
// updated: a new entry, a correction (a whole new set of values for the same entry) or a
// withdrawal. Values are checked by the caller with the root's rules before they come here;
// storage checks what needs the stored rows (the entry exists, is of the district and register,
// is not withdrawn; no second entry of a natural key, xiezuo.RegisterDuplicate) and writes the rows with their audit entries in one transaction.

// Audit actions of the registers.
const (
	AuditRegisterAdd      = "register.add"      // an entry recorded
	AuditRegisterCorrect  = "register.correct"  // an entry corrected (a new row of it)
	AuditRegisterWithdraw = "register.withdraw" // an entry withdrawn
	AuditRegisterImport   = "register.import"   // entries recorded from a workbook or generated
)

// WriteRegisterEntries stores rows of one district's registers in one transaction: a row with
// Entry 0 is a new entry; a row with Entry set is a correction of that entry (or, Withdrawn, its
// withdrawal), which needs a Reason. One row is audited as an addition, correction or
// withdrawal; several as one import entry naming the register and the count. It returns the
// rows with their ids, entries, author and time. Nothing is stored when any row is refused.
func (db *DB) WriteRegisterEntries(ctx context.Context, district string, rows []xiezuo.RegisterEntry) ([]xiezuo.RegisterEntry, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	out, _, err := writeOnce(ctx, db, "write register entries", "register "+district, Idem{}, 201, func() error { return nil },
		func(tx *sql.Tx) ([]xiezuo.RegisterEntry, *AuditEntry, error) {
			return db.writeRegisterIn(ctx, tx, district, rows)
		})
	return out, err
}

// WriteRegisterEntryOnce is WriteRegisterEntries of one row under an Idempotency-Key, as
// AddFundTxOnce: the first request with k stores the row and the key together; the same key
// with the same request answers that row again (replayed true) and stores nothing; with
// another request, ECONFLICT.
func (db *DB) WriteRegisterEntryOnce(ctx context.Context, district string, row xiezuo.RegisterEntry, k Idem) (xiezuo.RegisterEntry, bool, error) {
	out, replayed, err := writeOnce(ctx, db, "write register entry", "register "+district, k, 201, func() error { return nil },
		func(tx *sql.Tx) (xiezuo.RegisterEntry, *AuditEntry, error) {
			rows, e, err := db.writeRegisterIn(ctx, tx, district, []xiezuo.RegisterEntry{row})
			if err != nil {
				return xiezuo.RegisterEntry{}, nil, err
			}
			return rows[0], e, nil
		})
	return out, replayed, err
}

// writeRegisterIn writes rows inside tx and returns them with their audit entry, which the
// caller appends.
func (db *DB) writeRegisterIn(ctx context.Context, tx *sql.Tx, district string, rows []xiezuo.RegisterEntry) ([]xiezuo.RegisterEntry, *AuditEntry, error) {
	now := db.factTime(ctx)
	actor := ActorFrom(ctx)
	out := make([]xiezuo.RegisterEntry, len(rows))
	standing := map[xiezuo.RegisterKind][]xiezuo.RegisterEntry{} // of the registers with a natural key, as written so far
	for i, r := range rows {
		spec, ok := xiezuo.RegisterSpecOf(r.Kind)
		if !ok {
			return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "没有“%s”这个台账", r.Kind)
		}
		r.District = district
		r.By, r.ByUnit = actor.Username, actor.Unit
		if r.At.IsZero() {
			r.At = now
		}
		if r.Entry != 0 {
			if strings.TrimSpace(r.Reason) == "" {
				return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "修改或撤销台账记录须说明原因")
			}
			var kind string
			var withdrawn bool
			var last time.Time
			err := tx.QueryRowContext(ctx, `SELECT kind, withdrawn, at FROM register_entries
				WHERE district = $1 AND entry = $2 ORDER BY id DESC LIMIT 1`, district, r.Entry).Scan(&kind, &withdrawn, &last)
			if err == sql.ErrNoRows {
				return nil, nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "台账记录 %d 不存在", r.Entry)
			}
			if err != nil {
				return nil, nil, translate(fmt.Errorf("write register entries: %w", err))
			}
			if kind != string(r.Kind) {
				return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "台账记录 %d 不属于这个台账", r.Entry)
			}
			if withdrawn {
				return nil, nil, xiezuo.Errorf(xiezuo.ECONFLICT, "台账记录 %d 已撤销，不能再修改", r.Entry)
			}
			if r.At.Before(last) { // the clock went back: keep the rows in order
				r.At = last
			}
		}
		keyed := false
		if key, _ := xiezuo.RegisterNaturalKey(spec, r); key != "" && !r.Withdrawn { // one entry per key (the purchases)
			keyed = true
			if _, ok := standing[r.Kind]; !ok {
				stored, err := loadRegisterRows(ctx, tx, `district = $1 AND kind = $2`, district, string(r.Kind))
				if err != nil {
					return nil, nil, err
				}
				standing[r.Kind] = xiezuo.EntriesAt(stored, time.Time{})
			}
			if err := xiezuo.RegisterDuplicate(spec, standing[r.Kind], r); err != nil {
				return nil, nil, err
			}
		}
		fields, err := json.Marshal(r.Values)
		if err != nil {
			return nil, nil, fmt.Errorf("write register entries: %w", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO register_entries
			(district, kind, entry, withdrawn, reason, on_date, unit, region, team, fields, by_user, by_unit, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			district, r.Kind, r.Entry, r.Withdrawn, r.Reason, r.On, r.Unit, r.Region, r.Team, string(fields),
			r.By, r.ByUnit, r.At).Scan(&r.ID)
		if err != nil {
			return nil, nil, translate(fmt.Errorf("write register entries: %w", err))
		}
		if r.Entry == 0 {
			r.Entry = r.ID
			if _, err := tx.ExecContext(ctx, `UPDATE register_entries SET entry = $1 WHERE id = $1`, r.ID); err != nil {
				return nil, nil, translate(fmt.Errorf("write register entries: %w", err))
			}
		}
		if keyed {
			list := standing[r.Kind]
			if j := slices.IndexFunc(list, func(o xiezuo.RegisterEntry) bool { return o.Entry == r.Entry }); j >= 0 {
				list[j] = r
			} else {
				standing[r.Kind] = append(list, r)
			}
		}
		out[i] = r
	}
	var e *AuditEntry
	if len(out) == 1 {
		r := out[0]
		spec, _ := xiezuo.RegisterSpecOf(r.Kind)
		action := AuditRegisterAdd
		switch {
		case r.Withdrawn:
			action = AuditRegisterWithdraw
		case r.Entry != r.ID:
			action = AuditRegisterCorrect
		}
		e = entryFor(ctx, action, "register", strconv.FormatInt(r.Entry, 10), spec.Title)
		after := map[string]any{"台账": spec.Title, "日期": r.On.String(), "单位": r.Unit}
		for _, f := range spec.Fields {
			if v, ok := r.Values[f.Key]; ok {
				after[f.Label] = v
			}
		}
		if r.Reason != "" {
			after["原因"] = r.Reason
		}
		e.After = mustJSON(after)
	} else {
		counts := map[string]int{}
		for _, r := range out {
			spec, _ := xiezuo.RegisterSpecOf(r.Kind)
			counts[spec.Title]++
		}
		e = entryFor(ctx, AuditRegisterImport, "register", district, district)
		e.After = mustJSON(counts)
	}
	return out, e, nil
}

// RegisterRows returns a district's register rows recorded up to at (every row when at is
// zero), of the registers named (all when none), in id order: xiezuo.EntriesAt gives the
// entries as they stood.
func (db *DB) RegisterRows(ctx context.Context, district string, at time.Time, kinds ...xiezuo.RegisterKind) ([]xiezuo.RegisterEntry, error) {
	where, args := `district = $1`, []any{district}
	if !at.IsZero() {
		args = append(args, at)
		where += ` AND at <= $2`
	}
	if len(kinds) > 0 {
		var ph []string
		for _, k := range kinds {
			args = append(args, string(k))
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		where += ` AND kind IN (` + strings.Join(ph, ", ") + `)`
	}
	return loadRegisterRows(ctx, db.db, where, args...)
}

// RegisterEntryRows returns the rows of one entry of a district, oldest first (its history).
func (db *DB) RegisterEntryRows(ctx context.Context, district string, entry int64) ([]xiezuo.RegisterEntry, error) {
	rows, err := loadRegisterRows(ctx, db.db, `district = $1 AND entry = $2`, district, entry)
	if err == nil && len(rows) == 0 {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "台账记录 %d 不存在", entry)
	}
	return rows, err
}

func loadRegisterRows(ctx context.Context, q querier, where string, args ...any) ([]xiezuo.RegisterEntry, error) {
	var out []xiezuo.RegisterEntry
	err := each(ctx, q, `SELECT id, district, kind, entry, withdrawn, reason, on_date, unit, region, team, fields,
		by_user, by_unit, at FROM register_entries WHERE `+where+` ORDER BY id`, args, func(rows *sql.Rows) error {
		var r xiezuo.RegisterEntry
		var fields string
		if err := rows.Scan(&r.ID, &r.District, &r.Kind, &r.Entry, &r.Withdrawn, &r.Reason, &r.On, &r.Unit,
			&r.Region, &r.Team, &fields, &r.By, &r.ByUnit, &r.At); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(fields), &r.Values); err != nil {
			return fmt.Errorf("register entry %d: %w", r.ID, err)
		}
		r.At = r.At.UTC()
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("register rows: %w", err))
	}
	return out, nil
}
