package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"xiezuo/sqldb/sqldbtest"
)

// TestShort runs the program briefly against a server it builds and starts, on SQLite and on
// PostgreSQL: generated plans are stored, each unit's report on each of its duties is answered
// 201 (a second one would be refused: the run fails on any other answer), the server is killed twice during submissions and
// started again, every answered report is stored exactly once and the audit log verifies.
// It asserts correctness, never speed.
func TestShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts xiezuo")
	}
	bin := t.TempDir() + "/xiezuo"
	if out, err := runGo("build", "-o", bin, "xiezuo/cmd/xiezuo"); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, tc := range []struct{ name, db string }{
		{"sqlite", ""},
		{"postgres", postgresServer(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"-short", "-bin", bin}
			if tc.db != "" {
				args = append(args, "-db", tc.db)
			}
			var out bytes.Buffer
			if err := run(t.Context(), args, &out); err != nil {
				t.Fatalf("xiezuo-deadline %s: %v\n%s", strings.Join(args, " "), err, out.String())
			}
			for _, want := range []string{"answered 201, 0 errors", "reports/raw", "kill 2:", "file flood: 40 accounts", "every uploaded file stored exactly once", "every answered report stored exactly once", "each unit reported once on each of its duties", "哈希链完整"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("xiezuo-deadline output lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
}

// postgresServer is the PostgreSQL server the tests use (sqldbtest's), checked reachable.
func postgresServer(t *testing.T) string {
	t.Helper()
	sqldbtest.PostgresURL(t) // skips, or fails under CI, when the server is unreachable
	if dsn := os.Getenv("XIEZUO_TEST_POSTGRES"); dsn != "" {
		return dsn
	}
	return sqldbtest.DefaultPostgres
}

func runGo(args ...string) ([]byte, error) {
	return exec.Command("go", args...).CombinedOutput()
}

// TestSoakShort runs the soak briefly on SQLite: readers, reports, files, exports and the
// expected refusals, sampled, with the verdicts printed and met.
func TestSoakShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts xiezuo")
	}
	bin := t.TempDir() + "/xiezuo"
	if out, err := runGo("build", "-o", bin, "xiezuo/cmd/xiezuo"); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// At most 3 reports a second for 15 s; a short plan whose (unit, duty) pairs run out first
	// stops the reports, which is said and is no error.
	args := []string{"-bin", bin, "-soak", "15s", "-soak-sample", "3s", "-soak-rate", "3"}
	var out bytes.Buffer
	if err := run(t.Context(), args, &out); err != nil {
		t.Fatalf("xiezuo-deadline %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	for _, want := range []string{"| time | RSS MiB |", "verdict: memory ", "verdict: no error", "every answered report stored exactly once",
		"every uploaded file stored exactly once", "哈希链完整"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("xiezuo-deadline output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestSoakVerdict judges made-up samples: flat, a leak of memory, of goroutines, of files, a
// momentary peak, and too few samples.
func TestSoakVerdict(t *testing.T) {
	series := func(rss func(i int) int64, gor func(i int) int64, files func(i int) int64) []soakSample {
		var s []soakSample
		for i := range 12 {
			s = append(s, soakSample{at: time.Duration(i) * 30 * time.Second, rssKiB: rss(i), goroutines: gor(i), openFiles: files(i), heapBytes: 1})
		}
		return s
	}
	flat := func(v int64) func(int) int64 { return func(int) int64 { return v } }
	for _, tc := range []struct {
		name            string
		samples         []soakSample
		memOK, countsOK bool
	}{
		{"flat", series(flat(200<<10), flat(20), flat(30)), true, true},
		{"warm-up growth left out", series(func(i int) int64 { return int64(100+min(i, 1)*100) << 10 }, flat(20), flat(30)), true, true},
		{"within 10 % + 20 MiB", series(func(i int) int64 { return int64(200<<10 + i*3<<10) }, flat(20), flat(30)), true, true},
		{"memory leak", series(func(i int) int64 { return int64(200<<10 + i*10<<10) }, flat(20), flat(30)), false, true},
		{"goroutine leak", series(flat(200<<10), func(i int) int64 { return int64(20 + 5*i) }, flat(30)), true, false},
		{"file leak", series(flat(200<<10), flat(20), func(i int) int64 { return int64(30 + 4*i) }), true, false},
		{"one goroutine peak", series(flat(200<<10), func(i int) int64 { return 20 + 100*int64(i/11) }, flat(30)), true, true},
		{"too few samples", series(flat(200<<10), flat(20), flat(30))[:3], false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			memOK, countsOK, why := soakVerdict(tc.samples, time.Minute)
			if memOK != tc.memOK || countsOK != tc.countsOK {
				t.Errorf("soakVerdict = %v, %v (%s), want %v, %v", memOK, countsOK, why, tc.memOK, tc.countsOK)
			}
		})
	}
}
