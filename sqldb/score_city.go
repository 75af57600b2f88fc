package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"xiezuo"
)

// A city's scorecards: every district's plans of several years with their facts, loaded in a
// few queries and kept in memory. The facts are append-only rows (register entries, steps,
// transactions, results, indicator versions, placements) and a plan changes only with a new document
// (plans.document_id), so two small queries on each use tell what changed, like the fund
// ledger's check (fund_ledger.go): a plan whose document changed is read again; a table that
// only grew (its count grew by as much as its highest id) has its new rows read and appended;
// any other change (rows deleted with a re-imported plan, an id committed out of order on
// PostgreSQL) reads that table whole again.

// scoreTables are the append-only tables of the copy, in the order of scoreCache.marks.
var scoreTables = []string{"register_entries", "project_steps", "fund_transactions", "project_results", "indicator_versions", "labour_placements"}

// tableMark is a table's row count and highest id.
type tableMark struct{ count, max int64 }

// scoreCache is the in-memory copy of what city scorecards read.
type scoreCache struct {
	mu     sync.Mutex
	loaded bool
	marks  [6]tableMark
	docs   map[planKey]int64
	plans  map[planKey]*xiezuo.Plan
	rows   map[string][]xiezuo.RegisterEntry // by district, in id order
	steps  map[int64][]xiezuo.ProjectStep
	funds  map[int64][]xiezuo.FundTx
	res    map[int64][]xiezuo.ProjectResult
	vers   map[planKey][]indicatorVersion
	places map[string][]xiezuo.Placement // placement rows by district, in id order (names masked)
	// live is each plan year's data as it stands now (CityScoreData without a moment), made
	// on first use and forgotten with any change.
	live map[planKey]xiezuo.ScoreData
	// loads counts the tables read whole and reads counts the plans read, for tests.
	loads, reads int
}

type planKey struct {
	district string
	year     int
}

// scoreCopy brings the copy up to date and returns it, locked: the caller unlocks.
func (db *DB) scoreCopy(ctx context.Context) (*scoreCache, error) {
	c := &db.score
	c.mu.Lock()
	if err := db.refreshScoreCopy(ctx, c); err != nil {
		c.loaded = false
		c.mu.Unlock()
		return nil, err
	}
	c.loaded = true
	return c, nil
}

func (db *DB) refreshScoreCopy(ctx context.Context, c *scoreCache) error {
	var marks [6]tableMark
	var q strings.Builder
	q.WriteString("SELECT ")
	for i, t := range scoreTables {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "(SELECT COUNT(*) FROM %s), (SELECT COALESCE(MAX(id), 0) FROM %s)", t, t)
	}
	dest := make([]any, 0, 2*len(scoreTables))
	for i := range marks {
		dest = append(dest, &marks[i].count, &marks[i].max)
	}
	if err := db.db.QueryRowContext(ctx, q.String()).Scan(dest...); err != nil {
		return translate(fmt.Errorf("score copy: %w", err))
	}
	if !c.loaded {
		c.marks = [6]tableMark{}
		c.docs, c.plans = map[planKey]int64{}, map[planKey]*xiezuo.Plan{}
	}
	// Plans: read again those whose document changed.
	docs := map[planKey]int64{}
	err := each(ctx, db.db, `SELECT district, year, document_id FROM plans`, nil, func(rows *sql.Rows) error {
		var k planKey
		var doc sql.Null[int64]
		if err := rows.Scan(&k.district, &k.year, &doc); err != nil {
			return err
		}
		docs[k] = doc.V
		return nil
	})
	if err != nil {
		return translate(fmt.Errorf("score copy plans: %w", err))
	}
	for k, doc := range docs {
		if old, ok := c.docs[k]; ok && old == doc && c.plans[k] != nil {
			continue
		}
		c.live = nil
		p, err := db.LoadPlan(ctx, k.district, k.year)
		if err != nil {
			return err
		}
		c.plans[k] = p
		c.reads++
	}
	for k := range c.plans {
		if _, ok := docs[k]; !ok {
			delete(c.plans, k)
			c.live = nil
		}
	}
	c.docs = docs
	for i, m := range marks {
		old := c.marks[i]
		if m == old && c.loaded {
			continue
		}
		from := old.max
		whole := !c.loaded || m.max < old.max || m.count-old.count != m.max-old.max
		if whole {
			from = 0
			c.loads++
		}
		c.live = nil
		if err := db.readScoreTable(ctx, c, i, from); err != nil {
			return err
		}
		c.marks[i] = m
	}
	return nil
}

// readScoreTable reads table i of scoreTables: the rows above id from, appended (every row,
// replacing what the copy held, when from is 0).
func (db *DB) readScoreTable(ctx context.Context, c *scoreCache, i int, from int64) error {
	var err error
	switch i {
	case 0:
		if from == 0 {
			c.rows = map[string][]xiezuo.RegisterEntry{}
		}
		var rows []xiezuo.RegisterEntry
		if rows, err = loadRegisterRows(ctx, db.db, `id > $1`, from); err == nil {
			for _, r := range rows {
				c.rows[r.District] = append(c.rows[r.District], r)
			}
		}
	case 1:
		if from == 0 {
			c.steps = map[int64][]xiezuo.ProjectStep{}
		}
		var steps []xiezuo.ProjectStep
		if steps, err = stepsWhere(ctx, db.db, `s.id > $1`, from); err == nil {
			for _, s := range steps {
				c.steps[s.ProjectID] = append(c.steps[s.ProjectID], s)
			}
		}
	case 2:
		if from == 0 {
			c.funds = map[int64][]xiezuo.FundTx{}
		}
		err = each(ctx, db.db, `SELECT `+fundColumns+` FROM fund_transactions t WHERE t.id > $1 ORDER BY t.id`, []any{from},
			func(rows *sql.Rows) error {
				t, err := scanFundTx(rows)
				c.funds[t.ProjectID] = append(c.funds[t.ProjectID], t)
				return err
			})
	case 3:
		if from == 0 {
			c.res = map[int64][]xiezuo.ProjectResult{}
		}
		var res map[int64][]xiezuo.ProjectResult
		if res, err = loadResults(ctx, db.db, `r.id > $1`, from); err == nil {
			for id, list := range res {
				c.res[id] = append(c.res[id], list...)
			}
		}
	case 4:
		if from == 0 {
			c.vers = map[planKey][]indicatorVersion{}
		}
		err = each(ctx, db.db, `SELECT district, year, code, withdrawn, body FROM indicator_versions WHERE id > $1 ORDER BY id`, []any{from},
			func(rows *sql.Rows) error {
				var k planKey
				var v indicatorVersion
				if err := rows.Scan(&k.district, &k.year, &v.code, &v.withdrawn, &v.body); err != nil {
					return err
				}
				list := c.vers[k]
				if j := slices.IndexFunc(list, func(o indicatorVersion) bool { return o.code == v.code }); j >= 0 {
					list[j] = v
				} else {
					c.vers[k] = append(list, v)
				}
				return nil
			})
	case 5:
		if from == 0 {
			c.places = map[string][]xiezuo.Placement{}
		}
		var ps []xiezuo.Placement
		if ps, err = loadPlacementFacts(ctx, db.db, `p.id > $1`, from); err == nil {
			for _, p := range ps {
				c.places[p.District] = append(c.places[p.District], p)
			}
		}
	}
	if err != nil {
		return translate(fmt.Errorf("score copy %s: %w", scoreTables[i], err))
	}
	return nil
}

// CityScore is one plan year of a city's scorecards: its indicators and what they measure.
type CityScore struct {
	Set  []xiezuo.Indicator
	Data xiezuo.ScoreData
}

// CityScoreData loads what the scorecards of several districts' plan years measure, as they
// stood at a moment (zero: now), with each year's indicator set as it stands now. Plan years
// not stored are left out; Prior is the year before when stored. The facts come from the
// in-memory copy (two small queries when nothing changed, the new rows when a table only
// grew); a plan year's entries are those its periods can count (dated from its 1 January to
// 31 January after it, and the seconded people). The data shares its slices and maps with
// the copy: read it, never modify it.
func (db *DB) CityScoreData(ctx context.Context, districts []string, years []int, at time.Time) ([]CityScore, error) {
	c, err := db.scoreCopy(ctx)
	if err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out []CityScore
	if at.IsZero() && c.live == nil {
		c.live = map[planKey]xiezuo.ScoreData{}
	}
	for _, district := range districts {
		var entries []xiezuo.RegisterEntry
		if !at.IsZero() {
			entries = xiezuo.EntriesAt(c.rows[district], at)
		}
		data := func(y int) (xiezuo.ScoreData, bool) {
			if !at.IsZero() {
				return c.dataOf(district, y, entries, at)
			}
			k := planKey{district, y}
			if d, ok := c.live[k]; ok {
				return d, d.Plan != nil
			}
			if entries == nil {
				entries = xiezuo.EntriesAt(c.rows[district], at)
			}
			d, _ := c.dataOf(district, y, entries, at)
			c.live[k] = d
			return d, d.Plan != nil
		}
		for _, y := range years {
			d, ok := data(y)
			if !ok {
				continue
			}
			if prior, ok := data(y - 1); ok {
				d.Prior = &prior
			}
			set, err := overlay(xiezuo.ShippedIndicators(y), c.vers[planKey{district, y}])
			if err != nil {
				return nil, err
			}
			out = append(out, CityScore{Set: set, Data: d})
		}
	}
	return out, nil
}

func (c *scoreCache) dataOf(district string, year int, entries []xiezuo.RegisterEntry, at time.Time) (xiezuo.ScoreData, bool) {
	p, ok := c.plans[planKey{district, year}]
	if !ok {
		return xiezuo.ScoreData{}, false
	}
	first, last := dayOf(xiezuo.NewDate(year, 1, 1)), dayOf(xiezuo.NewDate(year+1, 1, 31))
	var es []xiezuo.RegisterEntry
	for _, e := range entries {
		if on := dayOf(e.On); e.Kind == xiezuo.RegPersonnel || on >= first && on <= last {
			es = append(es, e)
		}
	}
	// Rows: the district's register rows, from which the trend reads the entries as they were
	// recorded by the day 30 days before (ScoreData.recordedBy: EntriesAt leaves out the rows
	// recorded later), as ScoreData gives them for one plan year.
	rows := c.rows[district]
	if rows == nil {
		rows = []xiezuo.RegisterEntry{}
	}
	// Placements: the district's rows; those recorded after at are left out by the scoring
	// (xiezuo.PlacementsAt reads them as they stood at d.At).
	d := xiezuo.ScoreData{Plan: p, Entries: es, Steps: map[int64][]xiezuo.ProjectStep{}, Funds: map[int64][]xiezuo.FundTx{},
		Results: map[int64][]xiezuo.ProjectResult{}, At: at, Rows: rows, Placements: c.places[district]}
	for _, pr := range p.Projects {
		if s := c.steps[pr.ID]; len(s) > 0 {
			d.Steps[pr.ID] = s
		}
		if f := c.funds[pr.ID]; len(f) > 0 {
			d.Funds[pr.ID] = f
		}
		if r := c.res[pr.ID]; len(r) > 0 {
			d.Results[pr.ID] = r
		}
	}
	if !at.IsZero() {
		d.Steps, d.Funds, d.Results = recordedBy(d.Steps, at, stepAt), recordedBy(d.Funds, at, fundAt), recordedBy(d.Results, at, resultAt)
	}
	return d, true
}

// DropScoreCopy forgets the in-memory copy (benchmarks time its load).
func (db *DB) DropScoreCopy() {
	db.score.mu.Lock()
	db.score.loaded = false
	db.score.mu.Unlock()
}
