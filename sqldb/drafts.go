package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"xiezuo"
	"xiezuo/gongwen"
)

// The drafts of the work summary and the self-assessment (issue 11): what they are built from
// (DraftFacts) and the versions the office saves (draft_versions, migration 0019), each a new
// row with its audit entry, never changed.

// DraftFacts loads what the drafts of district's plan of year are built from, as they stood at
// at: the scorecard's data and indicators (ScoreData, IndicatorSet), the plan's reports and
// closures, the leading group and assignments, the cadence and the coverage corrections.
func (db *DB) DraftFacts(ctx context.Context, district string, year int, at time.Time) (xiezuo.DraftFacts, error) {
	var f xiezuo.DraftFacts
	var err error
	if f.Score, err = db.ScoreData(ctx, district, year, at); err != nil {
		return f, err
	}
	if f.Set, err = db.IndicatorSet(ctx, district, year, at); err != nil {
		return f, err
	}
	if f.Reports, err = db.PlanReports(ctx, district, year); err != nil {
		return f, err
	}
	if f.Closures, err = db.PlanClosures(ctx, district, year); err != nil {
		return f, err
	}
	members, err := db.GroupMembers(ctx, district)
	if err != nil {
		return f, err
	}
	as, err := db.Assignments(ctx, district, year)
	if err != nil {
		return f, err
	}
	f.Groups = xiezuo.NewGroups(members, as)
	if f.Cadence, err = db.Cadence(ctx, district); err != nil {
		return f, err
	}
	if f.Overrides, err = db.CoverageOverrides(ctx, district, year); err != nil {
		return f, err
	}
	return f, nil
}

// DraftKey names a draft: its district, plan year, kind and period (an assessment's is the year).
type DraftKey struct {
	District string
	Year     int
	Kind     xiezuo.DraftKind
	Period   xiezuo.DraftPeriod
}

// Label is the draft as people name it: 2021年门头沟区上半年工作总结.
func (k DraftKey) Label() string {
	if k.Kind == xiezuo.DraftAssessment {
		return fmt.Sprintf("%d年%s考核自评", k.Year, k.District)
	}
	return fmt.Sprintf("%d年%s%s工作总结", k.Year, k.District, k.Period.Name())
}

// DraftVersion is one saved version of a draft.
type DraftVersion struct {
	ID       int64
	Key      DraftKey
	Version  int
	AsOf     xiezuo.Date
	Document gongwen.Document
	Note     string
	By       string
	At       time.Time
}

// SaveDraft stores doc as the next version of draft k, as of the day asOf, with its audit entry,
// and returns the version.
func (db *DB) SaveDraft(ctx context.Context, k DraftKey, asOf xiezuo.Date, doc gongwen.Document, note string) (DraftVersion, error) {
	body, err := json.Marshal(doc)
	if err != nil {
		return DraftVersion{}, fmt.Errorf("save draft: %w", err)
	}
	now := db.factTime(ctx)
	actor := ActorFrom(ctx)
	tx, err := db.begin(ctx, fmt.Sprintf("draft %s %d %s %s", k.District, k.Year, k.Kind, k.Period))
	if err != nil {
		return DraftVersion{}, translate(fmt.Errorf("save draft: %w", err))
	}
	defer tx.Rollback()
	var last sql.Null[int64]
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM draft_versions WHERE district = $1 AND year = $2 AND kind = $3 AND period = $4`,
		k.District, k.Year, string(k.Kind), string(k.Period)).Scan(&last); err != nil {
		return DraftVersion{}, translate(fmt.Errorf("save draft: %w", err))
	}
	v := DraftVersion{Key: k, Version: int(last.V) + 1, AsOf: asOf, Document: doc, Note: note, By: actor.Username, At: now.UTC()}
	if err := tx.QueryRowContext(ctx, `INSERT INTO draft_versions (district, year, kind, period, version, as_of, document, note, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		k.District, k.Year, string(k.Kind), string(k.Period), v.Version, asOf, string(body), note, actor.Username, now).Scan(&v.ID); err != nil {
		return DraftVersion{}, translate(fmt.Errorf("save draft: %w", err))
	}
	e := entryFor(ctx, "draft.save", "draft", strconv.FormatInt(v.ID, 10), k.Label())
	e.After = mustJSON(map[string]any{"区": k.District, "年度": k.Year, "材料": k.Kind.Name(), "期间": k.Period.Name(),
		"版本": v.Version, "截至": asOf.String(), "段落": len(doc.Blocks)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return DraftVersion{}, translate(fmt.Errorf("save draft: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return DraftVersion{}, translate(fmt.Errorf("save draft: %w", err))
	}
	return v, nil
}

// DraftVersions lists the versions of draft k, newest first, without their documents.
func (db *DB) DraftVersions(ctx context.Context, k DraftKey) ([]DraftVersion, error) {
	var out []DraftVersion
	err := each(ctx, db.db, `SELECT id, version, as_of, note, by_user, at FROM draft_versions
		WHERE district = $1 AND year = $2 AND kind = $3 AND period = $4 ORDER BY version DESC`,
		[]any{k.District, k.Year, string(k.Kind), string(k.Period)}, func(rows *sql.Rows) error {
			v := DraftVersion{Key: k}
			if err := rows.Scan(&v.ID, &v.Version, &v.AsOf, &v.Note, &v.By, &v.At); err != nil {
				return err
			}
			v.At = v.At.UTC()
			out = append(out, v)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("draft versions: %w", err))
	}
	return out, nil
}

// DraftVersionOf reads version n of draft k with its document; ENOTFOUND when there is none.
func (db *DB) DraftVersionOf(ctx context.Context, k DraftKey, n int) (DraftVersion, error) {
	v := DraftVersion{Key: k}
	var body string
	err := db.db.QueryRowContext(ctx, `SELECT id, version, as_of, document, note, by_user, at FROM draft_versions
		WHERE district = $1 AND year = $2 AND kind = $3 AND period = $4 AND version = $5`,
		k.District, k.Year, string(k.Kind), string(k.Period), n).Scan(&v.ID, &v.Version, &v.AsOf, &body, &v.Note, &v.By, &v.At)
	if err == sql.ErrNoRows {
		return v, xiezuo.Errorf(xiezuo.ENOTFOUND, "%s没有第 %d 版", k.Label(), n)
	}
	if err != nil {
		return v, translate(fmt.Errorf("draft version: %w", err))
	}
	if err := json.Unmarshal([]byte(body), &v.Document); err != nil {
		return v, fmt.Errorf("draft version %d: %w", v.ID, err)
	}
	v.At = v.At.UTC()
	return v, nil
}
