package sqldb

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"xiezuo/sqldb/sqldbtest"
)

// BenchmarkBackupRestoreLabour backs up a database holding a workers' list of
// XIEZUO_LABOUR_ROWS rows (a million unless told) and restores it into a new SQLite file
// and a new PostgreSQL database, reporting the seconds of each, the backup's size and the
// process's peak RSS. Run once:
//
//	XIEZUO_LABOUR_ROWS=200000 go test -run '^$' -bench BackupRestoreLabour -benchtime 1x ./sqldb
func BenchmarkBackupRestoreLabour(b *testing.B) {
	n := labourBenchRows(b)
	forEachBenchDB(b, func(b *testing.B, db *DB) {
		benchImport(b, db, "门头沟区", n)
		dir := b.TempDir()
		for i := 0; i < b.N; i++ {
			file := filepath.Join(dir, "backup.zip")
			f, err := os.Create(file)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			st, err := db.Backup(b.Context(), f, "")
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "backup-s")
			info, _ := os.Stat(file)
			b.ReportMetric(float64(info.Size())/(1<<20), "backup-MiB")
			b.ReportMetric(float64(st.Rows), "rows")
			start = time.Now()
			if _, err := Restore(b.Context(), filepath.Join(b.TempDir(), "data", "xiezuo.db"), file, RestoreOptions{AuditKey: testAuditKey}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "restore-sqlite-s")
			start = time.Now()
			if _, err := Restore(b.Context(), sqldbtest.PostgresURL(b), file, RestoreOptions{AuditKey: testAuditKey}); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(start).Seconds(), "restore-postgres-s")
		}
		b.ReportMetric(peakRSS(), "peak-RSS-MiB")
	})
}
