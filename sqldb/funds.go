package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"xiezuo"
)

// Money of projects (资金台账): dated transactions, never updated; a correction is a reversing
// entry (xiezuo.CheckFundTx). Each write reads the project's ledger under the project's money
// lock, checks the new entry against it and stores it with its audit entry in one transaction;
// the UNIQUE constraint on reverses backs "reversed once" should two writers race past the lock.

// Audit actions of fund transactions.
const (
	AuditFundAdd     = "fund.add"     // an allocation, disbursement or expenditure was recorded
	AuditFundReverse = "fund.reverse" // an entry was reversed
)

func init() {
	tableNames["fund_transactions"] = "资金记录"
	constraintMessages["fund_transactions_reversed_once"] = "这笔资金记录已经冲销过，不能再冲销"
	constraintMessages["fund_transactions_amount_check"] = "资金记录的金额不能为 0"
}

// fundLockKey is the lock of a project's money: writes to one project's ledger wait for each
// other, so each checks the ceilings against every entry before it.
func fundLockKey(projectID int64) string { return "funds " + strconv.FormatInt(projectID, 10) }

const fundColumns = `t.id, t.project_id, t.kind, t.source, t.amount, t.on_date, t.reverses, t.note, t.by_user, t.at`

func scanFundTx(rows *sql.Rows) (xiezuo.FundTx, error) {
	var t xiezuo.FundTx
	var reverses sql.Null[int64]
	err := rows.Scan(&t.ID, &t.ProjectID, &t.Kind, &t.Source, &t.Amount, &t.On, &reverses, &t.Note, &t.By, &t.At)
	t.Reverses = reverses.V
	t.At = t.At.UTC()
	return t, err
}

func fundTxsIn(ctx context.Context, q querier, projectID int64) ([]xiezuo.FundTx, error) {
	var out []xiezuo.FundTx
	err := each(ctx, q, `SELECT `+fundColumns+` FROM fund_transactions t WHERE t.project_id = $1 ORDER BY t.on_date, t.id`,
		[]any{projectID}, func(rows *sql.Rows) error {
			t, err := scanFundTx(rows)
			out = append(out, t)
			return err
		})
	return out, err
}

// FundTxs returns the transactions of project id, by date then id; ENOTFOUND when there is no
// such project.
func (db *DB) FundTxs(ctx context.Context, projectID int64) ([]xiezuo.FundTx, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, translate(fmt.Errorf("fund transactions of project %d: %w", projectID, err))
	}
	defer tx.Rollback()
	if err := projectExists(ctx, tx, projectID); err != nil {
		return nil, err
	}
	out, err := fundTxsIn(ctx, tx, projectID)
	if err != nil {
		return nil, translate(fmt.Errorf("fund transactions of project %d: %w", projectID, err))
	}
	return out, nil
}

func projectExists(ctx context.Context, q *sql.Tx, projectID int64) error {
	_, err := projectYear(ctx, q, projectID)
	return err
}

// projectYear is the year of project projectID's plan: ENOTFOUND when there is no such project.
func projectYear(ctx context.Context, q *sql.Tx, projectID int64) (int, error) {
	var year int
	err := q.QueryRowContext(ctx, `SELECT pl.year FROM projects p JOIN plans pl ON pl.id = p.plan_id WHERE p.id = $1`, projectID).Scan(&year)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的项目", projectID)
	}
	if err != nil {
		return 0, translate(fmt.Errorf("project %d: %w", projectID, err))
	}
	return year, nil
}

// fundDateRefusal refuses a transaction dated before the earliest day of its plan's money.
func fundDateRefusal(t xiezuo.FundTx, year int) error {
	return xiezuo.FactDateRefusal(t.Source.Text()+t.Kind.Text(), t.On, year, xiezuo.MoneyDateFloor(year))
}

// PlanFundTxs returns the transactions of every project of district's plan of year, by project
// id, each project's by date then id, in one query.
func (db *DB) PlanFundTxs(ctx context.Context, district string, year int) (map[int64][]xiezuo.FundTx, error) {
	out := map[int64][]xiezuo.FundTx{}
	err := each(ctx, db.db, `SELECT `+fundColumns+` FROM fund_transactions t
		JOIN projects p ON p.id = t.project_id JOIN plans pl ON pl.id = p.plan_id
		WHERE pl.district = $1 AND pl.year = $2 ORDER BY t.project_id, t.on_date, t.id`,
		[]any{district, year}, func(rows *sql.Rows) error {
			t, err := scanFundTx(rows)
			out[t.ProjectID] = append(out[t.ProjectID], t)
			return err
		})
	if err != nil {
		return nil, translate(fmt.Errorf("fund transactions of %s %d: %w", district, year, err))
	}
	return out, nil
}

// AddFundTx stores t (ProjectID, Kind, Source, Amount in fen, On, Reverses, Note) as recorded
// by ctx's actor at the application's now, after xiezuo.CheckFundTx accepts it against the
// project's ledger as of the application's today, with its audit entry, in one transaction. It
// returns the entry as stored; nothing is written when it is refused.
func (db *DB) AddFundTx(ctx context.Context, t xiezuo.FundTx) (xiezuo.FundTx, error) {
	out, _, err := db.AddFundTxOnce(ctx, t, Idem{})
	return out, err
}

// AddFundTxOnce is AddFundTx under an Idempotency-Key, as SubmitReportOnce: the first request
// with k stores the entry and the key together; the same key with the same request answers that
// entry again (replayed true) and stores nothing; with another request, ECONFLICT.
func (db *DB) AddFundTxOnce(ctx context.Context, t xiezuo.FundTx, k Idem) (out xiezuo.FundTx, replayed bool, err error) {
	if k.Key != "" {
		if err := CheckIdemKey(k.Key); err != nil {
			return out, false, err
		}
	}
	lock := fundLockKey(t.ProjectID)
	if k.Key != "" {
		lock = k.lockKey()
	}
	txn, err := db.begin(ctx, lock)
	if err != nil {
		return out, false, translate(fmt.Errorf("add fund transaction: %w", err))
	}
	defer txn.Rollback()
	if k.Key != "" {
		stored, found, err := idemLookup(ctx, txn, k)
		if err != nil {
			return out, false, translate(err)
		}
		if found {
			if err := json.Unmarshal(stored, &out); err != nil {
				return out, false, fmt.Errorf("stored answer of key %q: %w", k.Key, err)
			}
			return out, true, nil
		}
		if err := db.lock(ctx, txn, fundLockKey(t.ProjectID)); err != nil {
			return out, false, translate(fmt.Errorf("add fund transaction: %w", err))
		}
	}
	out, err = db.addFundTx(ctx, txn, t, k)
	if err != nil {
		return xiezuo.FundTx{}, false, err
	}
	if err := txn.Commit(); err != nil {
		return xiezuo.FundTx{}, false, translate(fmt.Errorf("add fund transaction: %w", err))
	}
	return out, false, nil
}

// addFundTx checks and stores t inside txn, which holds the project's money lock, with the
// key's row (when k has a key) and the audit entry, last.
func (db *DB) addFundTx(ctx context.Context, txn *sql.Tx, t xiezuo.FundTx, k Idem) (xiezuo.FundTx, error) {
	year, err := projectYear(ctx, txn, t.ProjectID)
	if err != nil {
		return xiezuo.FundTx{}, err
	}
	existing, err := fundTxsIn(ctx, txn, t.ProjectID)
	if err != nil {
		return xiezuo.FundTx{}, translate(fmt.Errorf("add fund transaction: %w", err))
	}
	at := db.factTime(ctx)
	if err := fundDateRefusal(t, year); err != nil {
		return xiezuo.FundTx{}, err
	}
	if err := xiezuo.CheckFundTx(existing, t, xiezuo.DateOf(at.In(xiezuo.Beijing))); err != nil {
		return xiezuo.FundTx{}, err
	}
	actor := ActorFrom(ctx)
	t.ID, t.By, t.At = 0, actor.Username, at
	var reverses sql.Null[int64]
	if t.Reverses != 0 {
		reverses = sql.Null[int64]{V: t.Reverses, Valid: true}
	}
	err = txn.QueryRowContext(ctx, `INSERT INTO fund_transactions (project_id, kind, source, amount, on_date, reverses, note, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		t.ProjectID, t.Kind, t.Source, t.Amount, t.On, reverses, t.Note, t.By, t.At).Scan(&t.ID)
	if err != nil {
		return xiezuo.FundTx{}, translate(fmt.Errorf("add fund transaction: %w", err))
	}
	action, label := AuditFundAdd, fmt.Sprintf("项目 %d %s%s %s 元（%s）", t.ProjectID, t.Source.Text(), t.Kind.Text(), xiezuo.FormatYuan(t.Amount), t.On)
	if t.Reverses != 0 {
		action, label = AuditFundReverse, fmt.Sprintf("项目 %d 冲销资金记录 %d", t.ProjectID, t.Reverses)
	}
	e := entryFor(ctx, action, "fund_transaction", strconv.FormatInt(t.ID, 10), label)
	after := map[string]any{"项目": t.ProjectID, "类别": t.Kind.Text(), "来源": t.Source.Text(),
		"金额（元）": xiezuo.FormatYuan(t.Amount), "日期": t.On.String(), "说明": t.Note}
	if t.Reverses != 0 {
		after["冲销记录"] = t.Reverses
	}
	e.After = mustJSON(after)
	if k.Key != "" {
		if err := db.idemStore(ctx, txn, k, 201, []byte(mustJSON(t))); err != nil {
			return xiezuo.FundTx{}, translate(fmt.Errorf("add fund transaction: %w", err))
		}
		e.Detail = "Idempotency-Key: " + k.Key
	}
	if err := db.appendAudit(ctx, txn, e); err != nil {
		return xiezuo.FundTx{}, translate(fmt.Errorf("add fund transaction: %w", err))
	}
	return t, nil
}

// AuditFundImport is the audit action of a batch of transactions stored at once.
const AuditFundImport = "fund.import"

// ImportFundTxs stores a batch of new transactions (a ledger taken over from a workbook, or a
// generated one) in one transaction with one audit entry: each is checked by xiezuo.CheckFundTx,
// in the order given, against its project's stored ledger and the entries of the batch before
// it, as of the application's today. A reversal may name only a stored entry. It stores all of
// them or, at the first refused, none, and returns how many it stored. label says what the batch
// is in the audit log (e.g. the file it came from).
func (db *DB) ImportFundTxs(ctx context.Context, txs []xiezuo.FundTx, label string) (int, error) {
	txn, err := db.begin(ctx, "")
	if err != nil {
		return 0, translate(fmt.Errorf("import fund transactions: %w", err))
	}
	defer txn.Rollback()
	at := db.factTime(ctx)
	today := xiezuo.DateOf(at.In(xiezuo.Beijing))
	by := ActorFrom(ctx).Username
	ledgers := map[int64][]xiezuo.FundTx{}
	years := map[int64]int{}
	stmt, err := txn.PrepareContext(ctx, `INSERT INTO fund_transactions (project_id, kind, source, amount, on_date, reverses, note, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`)
	if err != nil {
		return 0, translate(fmt.Errorf("import fund transactions: %w", err))
	}
	defer stmt.Close()
	for i, t := range txs {
		ledger, ok := ledgers[t.ProjectID]
		if !ok {
			if err := db.lock(ctx, txn, fundLockKey(t.ProjectID)); err != nil {
				return 0, translate(fmt.Errorf("import fund transactions: %w", err))
			}
			if years[t.ProjectID], err = projectYear(ctx, txn, t.ProjectID); err != nil {
				return 0, fmt.Errorf("第 %d 笔：%w", i+1, err)
			}
			if ledger, err = fundTxsIn(ctx, txn, t.ProjectID); err != nil {
				return 0, translate(fmt.Errorf("import fund transactions: %w", err))
			}
		}
		err := fundDateRefusal(t, years[t.ProjectID])
		if err == nil {
			err = xiezuo.CheckFundTx(ledger, t, today)
		}
		if err != nil {
			return 0, xiezuo.Errorf(xiezuo.ErrorCode(err), "第 %d 笔（项目 %d）：%s", i+1, t.ProjectID, xiezuo.ErrorMessage(err))
		}
		t.By, t.At = by, at
		var reverses sql.Null[int64]
		if t.Reverses != 0 {
			reverses = sql.Null[int64]{V: t.Reverses, Valid: true}
		}
		if err := stmt.QueryRowContext(ctx, t.ProjectID, t.Kind, t.Source, t.Amount, t.On, reverses, t.Note, t.By, t.At).Scan(&t.ID); err != nil {
			return 0, translate(fmt.Errorf("import fund transactions: %w", err))
		}
		ledgers[t.ProjectID] = append(ledger, t)
	}
	e := entryFor(ctx, AuditFundImport, "fund_transactions", "", label)
	e.After = mustJSON(map[string]any{"笔数": len(txs), "项目数": len(ledgers)})
	if err := db.appendAudit(ctx, txn, e); err != nil {
		return 0, translate(fmt.Errorf("import fund transactions: %w", err))
	}
	if err := txn.Commit(); err != nil {
		return 0, translate(fmt.Errorf("import fund transactions: %w", err))
	}
	return len(txs), nil
}

// PlanFundSums returns, for every project of district's plan of year that has money, its
// transactions dated on or before asOf (every one for the zero Date) summed by kind and source,
// in one query that groups in the database: compact entries dated asOf (no id, note or author),
// so that xiezuo.FundsAt and RollupFunds as of asOf give from them what they give from the whole
// ledger. Rollups as of a date read these, a few rows a project instead of every entry. (They
// do not read the ledger's copy, fund_ledger.go: its check against the table costs more than
// one plan's grouped query, docs/benchmarks.md.)
func (db *DB) PlanFundSums(ctx context.Context, district string, year int, asOf xiezuo.Date) (map[int64][]xiezuo.FundTx, error) {
	q := `SELECT t.project_id, t.kind, t.source, SUM(t.amount) FROM fund_transactions t
		WHERE t.project_id IN (SELECT p.id FROM projects p JOIN plans pl ON pl.id = p.plan_id WHERE pl.district = $1 AND pl.year = $2)`
	args := []any{district, year}
	if !asOf.IsZero() {
		q += ` AND t.on_date <= $3`
		args = append(args, asOf)
	}
	out := map[int64][]xiezuo.FundTx{}
	err := each(ctx, db.db, q+` GROUP BY t.project_id, t.kind, t.source`, args, func(rows *sql.Rows) error {
		t := xiezuo.FundTx{On: asOf}
		if err := rows.Scan(&t.ProjectID, &t.Kind, &t.Source, &t.Amount); err != nil {
			return err
		}
		out[t.ProjectID] = append(out[t.ProjectID], t)
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("fund sums of %s %d: %w", district, year, err))
	}
	return out, nil
}
