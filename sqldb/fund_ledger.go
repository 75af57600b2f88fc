package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"

	"xiezuo"
)

// The ledger in memory: a copy of fund_transactions that a city's rollup sums in one pass
// instead of 80 grouped queries (docs/benchmarks.md). Each row is compact and pointer-free (its
// project's index, the day as yyyymmdd, the amount in fen, the kind and source as small
// numbers: 24 bytes); the projects' ids and plans are kept once each.
//
// It is loaded once, on first use, and brought up to date on each use: one query reads the
// table's COUNT(*), MAX(id) and SUM(id), and, when the table grew, a second reads only the rows
// with an id above the highest the copy holds, both in one snapshot. Entries are never updated
// (a correction is a new, reversing entry), so a row once copied stays true; what the copy can
// miss is a row that committed after a row with a higher id (PostgreSQL's sequence hands ids
// out before commit), and rows deleted with their project when a re-import drops it. Either
// makes the table's count differ from the rows held plus the rows read, and the copy is then
// loaded whole again. Both at once in equal numbers would keep the count: the sum of the ids
// catches that too (the ids deleted and the ids committed late are different ids, and for them
// to sum alike as well would take several of each in the same interval between two uses).
//
// Above maxLedgerRows the copy is dropped and the sums are made in the database.

// maxLedgerRows bounds the copy: 3 million rows are 72 MB.
const maxLedgerRows = 3_000_000

// ledgerRow is one transaction in the copy.
type ledgerRow struct {
	project int32 // index into ledgerState.projects
	day     int32 // yyyymmdd
	amount  int64 // fen
	kind    uint8 // index into xiezuo.FundKinds
	source  uint8 // index into xiezuo.FundSources
}

// ledgerProject is a project the copy has rows of.
type ledgerProject struct{ id, plan int64 }

// ledgerState is one state of the copy. Readers use it without a lock: the loader only
// appends past the lengths a state records (never writing an element a state holds), and
// publishes a new state for the longer slices.
type ledgerState struct {
	rows     []ledgerRow
	projects []ledgerProject
	maxID    int64 // the highest id held
	sumID    int64 // the sum of the ids held
}

// ledger is the copy and its loader.
type ledger struct {
	mu    sync.Mutex // one loader at a time
	state atomic.Pointer[ledgerState]
	index map[int64]int32 // project id → index, the loader's (under mu)
	// loads counts whole loads, for tests.
	loads atomic.Int64
}

var (
	kindIndex   = map[string]uint8{}
	sourceIndex = map[string]uint8{}
)

func init() {
	for i, k := range xiezuo.FundKinds {
		kindIndex[string(k)] = uint8(i)
	}
	for i, s := range xiezuo.FundSources {
		sourceIndex[string(s)] = uint8(i)
	}
}

func dayOf(d xiezuo.Date) int32 { return int32(d.Year*10000 + int(d.Month)*100 + d.Day) }

// ledgerNow brings the copy up to date and returns it; nil (and no error) when the table holds
// more than maxLedgerRows.
func (db *DB) ledgerNow(ctx context.Context) (*ledgerState, error) {
	l := &db.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("fund ledger: %w", err))
	}
	defer tx.Rollback()
	var count, maxID, sumID int64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(id), 0) FROM fund_transactions`).Scan(&count, &maxID, &sumID); err != nil {
		return nil, translate(fmt.Errorf("fund ledger: %w", err))
	}
	if count > maxLedgerRows {
		l.state.Store(nil)
		l.index = nil
		return nil, nil
	}
	old := l.state.Load()
	if old != nil && int64(len(old.rows)) == count && old.maxID == maxID && old.sumID == sumID {
		return old, nil
	}
	st := &ledgerState{}
	from := int64(0)
	if old != nil && maxID >= old.maxID {
		*st = *old
		from = old.maxID
	} else {
		l.index = map[int64]int32{}
	}
	for pass := 0; pass < 2; pass++ {
		if err := l.read(ctx, tx, st, from); err != nil {
			// The index may name projects the published state does not hold: start again.
			l.state.Store(nil)
			l.index = nil
			return nil, translate(fmt.Errorf("fund ledger: %w", err))
		}
		if int64(len(st.rows)) == count && st.maxID == maxID && st.sumID == sumID {
			if from == 0 {
				l.loads.Add(1)
			}
			l.state.Store(st)
			return st, nil
		}
		// A row committed out of id order, or rows deleted: load whole.
		st, from, l.index = &ledgerState{}, 0, map[int64]int32{}
	}
	return nil, fmt.Errorf("fund ledger: %d rows read, the table counts %d in the same snapshot", len(st.rows), count)
}

// read appends to st the rows with an id above from, in id order.
func (l *ledger) read(ctx context.Context, q querier, st *ledgerState, from int64) error {
	return each(ctx, q, `SELECT t.id, t.project_id, p.plan_id, t.kind, t.source, t.amount, t.on_date
		FROM fund_transactions t JOIN projects p ON p.id = t.project_id WHERE t.id > $1 ORDER BY t.id`,
		[]any{from}, func(rows *sql.Rows) error {
			var id, project, plan, amount int64
			var kind, source string
			var on xiezuo.Date
			if err := rows.Scan(&id, &project, &plan, &kind, &source, &amount, &on); err != nil {
				return err
			}
			k, ok1 := kindIndex[kind]
			s, ok2 := sourceIndex[source]
			if !ok1 || !ok2 {
				return fmt.Errorf("fund transaction %d: kind %q, source %q", id, kind, source)
			}
			pi, ok := l.index[project]
			if !ok {
				pi = int32(len(st.projects))
				l.index[project] = pi
				st.projects = append(st.projects, ledgerProject{project, plan})
			}
			st.rows = append(st.rows, ledgerRow{project: pi, day: dayOf(on), amount: amount, kind: k, source: s})
			st.maxID = max(st.maxID, id)
			st.sumID += id
			return nil
		})
}

// FundTotalsAt returns the totals as of asOf (every entry for the zero Date) of every project
// that has money, by project id: what xiezuo.FundsAt gives from each project's entries, for the
// whole table in one pass over the ledger's copy, brought up to date first. A table above
// maxLedgerRows is summed in the database instead (one query grouped by project, kind and
// source).
func (db *DB) FundTotalsAt(ctx context.Context, asOf xiezuo.Date) (map[int64]xiezuo.FundTotals, error) {
	st, err := db.ledgerNow(ctx)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return db.fundTotalsSQL(ctx, asOf)
	}
	limit := dayOf(asOf)
	sums := make([]xiezuo.FundTotals, len(st.projects))
	has := make([]bool, len(st.projects))
	for _, r := range st.rows {
		if asOf.IsZero() || r.day <= limit {
			sums[r.project].Add(xiezuo.FundTx{Kind: xiezuo.FundKinds[r.kind], Source: xiezuo.FundSources[r.source], Amount: r.amount})
			has[r.project] = true
		}
	}
	out := make(map[int64]xiezuo.FundTotals, len(st.projects))
	for i, p := range st.projects {
		if has[i] {
			out[p.id] = sums[i]
		}
	}
	return out, nil
}

// fundTotalsSQL is FundTotalsAt summed in the database.
func (db *DB) fundTotalsSQL(ctx context.Context, asOf xiezuo.Date) (map[int64]xiezuo.FundTotals, error) {
	q := `SELECT t.project_id, t.kind, t.source, SUM(t.amount) FROM fund_transactions t`
	var args []any
	if !asOf.IsZero() {
		q += ` WHERE t.on_date <= $1`
		args = append(args, asOf)
	}
	out := map[int64]xiezuo.FundTotals{}
	err := each(ctx, db.db, q+` GROUP BY t.project_id, t.kind, t.source`, args, func(rows *sql.Rows) error {
		var t xiezuo.FundTx
		if err := rows.Scan(&t.ProjectID, &t.Kind, &t.Source, &t.Amount); err != nil {
			return err
		}
		sum := out[t.ProjectID]
		sum.Add(t)
		out[t.ProjectID] = sum
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("fund totals: %w", err))
	}
	return out, nil
}

// DropFundLedger forgets the copy: the next use loads it whole, as the first use after a start
// does (the benchmarks time that load).
func (db *DB) DropFundLedger() {
	db.ledger.mu.Lock()
	defer db.ledger.mu.Unlock()
	db.ledger.state.Store(nil)
	db.ledger.index = nil
}
