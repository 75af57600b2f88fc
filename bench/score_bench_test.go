package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/gen"
	"xiezuo/sqldb"
)

// A city's scorecards (issue 10): 16 districts × 5 years (2021–2025) of generated plans of 63
// projects each, with a generated year of every register (gen.RegisterYear), the projects'
// start and completion steps (gen.StepsYear, stored through AddProjectStep, each dated the day
// after it happened) and their money (gen.FundTxsBySteps, 6 a project), and each year's
// indicator set (2021 shipped, later years copied from it). The timed operation is the load of
// all 80 plan years' facts (CityScoreData) and the scoring of every shipped indicator of each,
// by dimension, as of its 31 December.
//
//	go test ./bench/ -run XXX -bench ScoreCity -benchtime 5x -benchmem

type scoreCity struct {
	db        *sqldb.DB
	districts []string
	years     []int
	entries   int
	steps     int
}

// storeScoreCity stores a city of n districts × years plan years into db.
func storeScoreCity(tb testing.TB, db *sqldb.DB, n, years, projects int) (*scoreCity, error) {
	ctx := sqldb.WithActor(context.Background(), sqldb.Actor{Username: "bench"})
	c := &scoreCity{db: db}
	start := time.Now()
	for di, district := range gen.Districts[:n] {
		c.districts = append(c.districts, district)
		for y := 2021; y < 2021+years; y++ {
			if di == 0 {
				c.years = append(c.years, y)
			}
			seed := int64(di*100 + y)
			p := gen.Plan(gen.Options{Seed: seed, District: district, Year: y, Regions: 4, Projects: projects})
			if err := gen.Store(ctx, db, p); err != nil {
				return nil, err
			}
			stored, err := db.LoadPlan(ctx, district, y)
			if err != nil {
				return nil, err
			}
			through := xiezuo.NewDate(y, 12, 31)
			steps := gen.StepsYear(stored, through)
			for _, pr := range stored.Projects {
				for _, s := range steps[pr.ID] {
					at := time.Date(s.On.Year, s.On.Month, s.On.Day+1, 1, 0, 0, 0, time.UTC)
					if _, err := db.AddProjectStep(sqldb.WithFactTime(ctx, at), s); err != nil {
						return nil, fmt.Errorf("step of %s: %w", pr.Name, err)
					}
					c.steps++
				}
			}
			txs := gen.FundTxsBySteps(stored, steps, through, 6, seed)
			if _, err := db.ImportFundTxs(sqldb.WithFactTime(ctx, time.Date(y+1, 1, 10, 2, 0, 0, 0, time.UTC)), txs, fmt.Sprintf("bench %s %d", district, y)); err != nil {
				return nil, err
			}
			entries := gen.RegisterYear(stored, through, seed)
			if err := gen.WriteRegisters(ctx, db, district, entries); err != nil {
				return nil, err
			}
			c.entries += len(entries)
			if y > 2021 {
				if _, err := db.CopyIndicators(ctx, district, 2021, y); err != nil {
					return nil, err
				}
			}
		}
	}
	tb.Logf("stored %d districts × %d years: %d register entries, %d steps in %s", n, years, c.entries, c.steps, time.Since(start).Round(time.Second))
	return c, nil
}

// scoreAll loads the city and scores every plan year as of its 31 December; it returns the
// rows scored.
func scoreAll(ctx context.Context, c *scoreCity) (int, error) {
	cs, err := c.db.CityScoreData(ctx, c.districts, c.years, time.Time{})
	if err != nil {
		return 0, err
	}
	if len(cs) != len(c.districts)*len(c.years) {
		return 0, fmt.Errorf("CityScoreData: %d plan years, want %d", len(cs), len(c.districts)*len(c.years))
	}
	rows := 0
	for _, s := range cs {
		card := xiezuo.Score(s.Set, s.Data, xiezuo.NewDate(s.Data.Plan.Year, 12, 31), xiezuo.ByDimension)
		rows += len(card.Rows())
	}
	return rows, nil
}

func benchScoreCity(b *testing.B, open opener) {
	db, done := open(b, 0)
	defer done()
	c, err := storeScoreCity(b, db, 16, 5, cityProjects)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	want := 16 * 5 * len(xiezuo.ShippedIndicators(2021))
	run := func(b *testing.B, cold bool) {
		if _, err := scoreAll(ctx, c); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if cold {
				db.DropScoreCopy()
			}
			rows, err := scoreAll(ctx, c)
			if err != nil {
				b.Fatal(err)
			}
			if rows != want {
				b.Fatalf("scored %d rows, want %d", rows, want)
			}
		}
	}
	b.Run("city", func(b *testing.B) { run(b, false) })
	b.Run("city-load", func(b *testing.B) { run(b, true) })
	// A meeting recorded before each run: the copy reads the new row, not its tables again.
	b.Run("city-after-write", func(b *testing.B) {
		wctx := sqldb.WithActor(ctx, sqldb.Actor{Username: "bench"})
		write := func(i int) {
			m := xiezuo.RegisterEntry{Kind: xiezuo.RegMeeting, On: xiezuo.NewDate(2025, 3, 1), Unit: "领导小组办公室",
				Values: map[string]string{"kind": "专班会议", "date": "2025-03-01", "title": fmt.Sprintf("会议%d", i), "chair": "张三", "unit": "领导小组办公室"}}
			if _, err := db.WriteRegisterEntries(wctx, c.districts[i%len(c.districts)], []xiezuo.RegisterEntry{m}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		for i := range b.N {
			b.StopTimer()
			write(i)
			b.StartTimer()
			if rows, err := scoreAll(ctx, c); err != nil || rows != want {
				b.Fatalf("scored %d rows, %v", rows, err)
			}
		}
	})
	b.Run("district-year", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			d, err := db.ScoreData(ctx, c.districts[0], 2025, time.Time{})
			if err != nil {
				b.Fatal(err)
			}
			set, err := db.IndicatorSet(ctx, c.districts[0], 2025, time.Time{})
			if err != nil {
				b.Fatal(err)
			}
			if card := xiezuo.Score(set, d, xiezuo.NewDate(2025, 12, 31), xiezuo.ByDimension); len(card.Rows()) != len(set) {
				b.Fatalf("scored %d rows", len(card.Rows()))
			}
		}
	})
}

func BenchmarkScoreCitySQLite(b *testing.B)   { benchScoreCity(b, sqliteOpener(b)) }
func BenchmarkScoreCityPostgres(b *testing.B) { benchScoreCity(b, postgresOpener(b)) }

// TestScoreCityShort runs the benchmark's path on a small city (2 districts × 2 years of 8
// projects, SQLite), so that `go test ./...` keeps it working.
func TestScoreCityShort(t *testing.T) {
	db, err := sqldb.Open(t.Context(), filepath.Join(t.TempDir(), "xiezuo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.UseAuditKey(t.Context(), []byte("xiezuo bench audit key, 32 bytes")); err != nil {
		t.Fatal(err)
	}
	c, err := storeScoreCity(t, db, 2, 2, 8)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := scoreAll(t.Context(), c)
	if err != nil || rows != 4*len(xiezuo.ShippedIndicators(2021)) {
		t.Fatalf("scoreAll = %d, %v", rows, err)
	}
}
