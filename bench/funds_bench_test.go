package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
)

// A city's money: 16 districts × 5 years (2021–2025) of generated plans, 5,040 projects, about
// 100,000 transactions (20 a project), stored once per database; then the funds rollup as the
// /funds page makes it (region, category and year, as of a date), the transactions read from the
// database inside the timer. The plans are not: the server keeps them loaded (planCache).
//
//	go test ./bench/ -run XXX -bench Funds -benchtime 5x

const (
	cityYears      = 5
	cityProjects   = 63 // per plan: 16 × 5 × 63 = 5,040 projects
	cityTxsPerProj = 20
)

// cityData is what a benchmark database holds.
type cityData struct {
	db    *sqldb.DB
	plans map[string][]*xiezuo.Plan // by district, oldest year first
	txs   int
}

// storeCity stores the city's plans and money into db (its fact time 2026-01-10).
func storeCity(b *testing.B, db *sqldb.DB) (*cityData, error) {
	ctx := sqldb.WithActor(context.Background(), sqldb.Actor{Username: "bench"})
	ctx = sqldb.WithFactTime(ctx, time.Date(2026, 1, 10, 2, 0, 0, 0, time.UTC))
	today := xiezuo.Date{Year: 2026, Month: 1, Day: 10}
	d := &cityData{db: db, plans: map[string][]*xiezuo.Plan{}}
	start := time.Now()
	for di, district := range gen.Districts[:16] {
		for y := 2021; y < 2021+cityYears; y++ {
			p := gen.Plan(gen.Options{Seed: int64(di*100 + y), District: district, Year: y, Regions: 4, Projects: cityProjects})
			if err := gen.Store(ctx, db, p); err != nil {
				return nil, err
			}
			stored, err := db.LoadPlan(ctx, district, y)
			if err != nil {
				return nil, err
			}
			txs := gen.FundTxs(stored, today, cityTxsPerProj, int64(di*100+y))
			if _, err := db.ImportFundTxs(ctx, txs, fmt.Sprintf("bench %s %d", district, y)); err != nil {
				return nil, err
			}
			d.txs += len(txs)
			d.plans[district] = append(d.plans[district], stored)
		}
	}
	b.Logf("stored %d districts × %d years, %d transactions in %s", len(d.plans), cityYears, d.txs, time.Since(start).Round(time.Second))
	return d, nil
}

// districtRollup reads the sums of plans' transactions as of asOf from the database, one
// query a plan grouping in the database (as the /funds page does), and rolls them up by year,
// region and category.
func districtRollup(ctx context.Context, db *sqldb.DB, plans []*xiezuo.Plan, asOf xiezuo.Date) (xiezuo.FundTable, error) {
	txs := map[int64][]xiezuo.FundTx{}
	for _, p := range plans {
		m, err := db.PlanFundSums(ctx, p.District, p.Year, asOf)
		if err != nil {
			return xiezuo.FundTable{}, err
		}
		for id, list := range m {
			txs[id] = list
		}
	}
	return xiezuo.RollupFundsYears(plans, xiezuo.ProjectFilter{}, txs, asOf), nil
}

// ledgerRollup is districtRollup from every entry (PlanFundTxs), for comparison.
func ledgerRollup(ctx context.Context, db *sqldb.DB, plans []*xiezuo.Plan, asOf xiezuo.Date) (xiezuo.FundTable, error) {
	txs := map[int64][]xiezuo.FundTx{}
	for _, p := range plans {
		m, err := db.PlanFundTxs(ctx, p.District, p.Year)
		if err != nil {
			return xiezuo.FundTable{}, err
		}
		for id, list := range m {
			txs[id] = list
		}
	}
	return xiezuo.RollupFundsYears(plans, xiezuo.ProjectFilter{}, txs, asOf), nil
}

func benchDistrictRollup(b *testing.B, d *cityData, rollup func(context.Context, *sqldb.DB, []*xiezuo.Plan, xiezuo.Date) (xiezuo.FundTable, error)) {
	ctx := context.Background()
	plans := d.plans[gen.Districts[0]]
	asOf := xiezuo.Date{Year: 2024, Month: 9, Day: 30}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t, err := rollup(ctx, d.db, plans, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if t.Total.Projects != cityYears*cityProjects || len(t.Years) != cityYears || t.Total.Disbursed == 0 {
			b.Fatalf("rollup: %d projects, %d years, disbursed %d", t.Total.Projects, len(t.Years), t.Total.Disbursed)
		}
	}
}

// benchCityRollup is the whole city's: every district's five years, 80 plans, every
// transaction.
func benchCityRollup(b *testing.B, d *cityData) {
	ctx := context.Background()
	var plans []*xiezuo.Plan
	for _, district := range gen.Districts[:16] {
		plans = append(plans, d.plans[district]...)
	}
	asOf := xiezuo.Date{Year: 2025, Month: 12, Day: 31}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t, err := districtRollup(ctx, d.db, plans, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if t.Total.Projects != 16*cityYears*cityProjects {
			b.Fatalf("rollup: %d projects", t.Total.Projects)
		}
	}
}

// benchCityLedger is the whole city's rollup through the ledger in memory (sqldb.FundTotalsAt
// and xiezuo.RollupFundTotals), as the /funds/city page makes it: warm, the copy loaded as a
// running server has it (each use still checks it against the database); or cold, the copy
// dropped before each run, which times its first load.
func benchCityLedger(b *testing.B, d *cityData, cold bool) {
	ctx := context.Background()
	var plans []*xiezuo.Plan
	for _, district := range gen.Districts[:16] {
		plans = append(plans, d.plans[district]...)
	}
	asOf := xiezuo.Date{Year: 2025, Month: 12, Day: 31}
	if _, err := d.db.FundTotalsAt(ctx, asOf); err != nil {
		b.Fatal(err)
	}
	want, err := districtRollup(ctx, d.db, plans, asOf)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if cold {
			d.db.DropFundLedger()
		}
		totals, err := d.db.FundTotalsAt(ctx, asOf)
		if err != nil {
			b.Fatal(err)
		}
		t := xiezuo.RollupFundTotals(plans, xiezuo.ProjectFilter{}, totals, asOf)
		if t.Total.Projects != 16*cityYears*cityProjects || len(t.Districts) != 16 || len(t.Years) != cityYears || t.Total.FundTotals != want.Total.FundTotals {
			b.Fatalf("rollup: %d projects, %d districts, %d years, %+v; want %+v", t.Total.Projects, len(t.Districts), len(t.Years), t.Total.FundTotals, want.Total.FundTotals)
		}
	}
}

// benchFunds stores the city once into a database of its own, then times the rollups.
func benchFunds(b *testing.B, open opener) {
	db, done := open(b, 0)
	defer done()
	d, err := storeCity(b, db)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("district", func(b *testing.B) { benchDistrictRollup(b, d, districtRollup) })
	b.Run("district-ledger", func(b *testing.B) { benchDistrictRollup(b, d, ledgerRollup) })
	b.Run("city", func(b *testing.B) { d.db.DropFundLedger(); benchCityRollup(b, d) })
	b.Run("city-ledger", func(b *testing.B) { benchCityLedger(b, d, false) })
	b.Run("city-ledger-load", func(b *testing.B) { benchCityLedger(b, d, true) })
}

func BenchmarkFundsRollupSQLite(b *testing.B)   { benchFunds(b, sqliteOpener(b)) }
func BenchmarkFundsRollupPostgres(b *testing.B) { benchFunds(b, postgresOpener(b)) }
