package sqldb

import (
	"context"
	"testing"
	"time"

	"xiezuo"
)

// TestEndInterruptedLabourImports checks that an import whose process died (its transaction
// gone, its row still running) is ended as failed with a message and an audit entry once it is
// older than labourImportStale, and that a live import, or a dead one too young, is left alone.
func TestEndInterruptedLabourImports(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		later := WithFactTime(ctx, db.factTime(ctx).Add(2*labourImportStale))
		imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: "门头沟区", List: xiezuo.ListWilling, FileName: "意愿.xlsx"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			p := genPerson(i)
			if _, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &p}); err != nil {
				t.Fatal(err)
			}
		}
		state := func() (string, string) {
			t.Helper()
			list, err := db.LabourImports(ctx, "门头沟区", 0)
			if err != nil || len(list) != 1 {
				t.Fatalf("LabourImports = %v, %v", list, err)
			}
			return list[0].State, list[0].Message
		}

		// Live: on PostgreSQL its lock is held, so the sweep passes it by; on SQLite the sweep
		// waits for the writer the import holds.
		if db.Embedded() {
			short, cancel := context.WithTimeout(later, 300*time.Millisecond)
			_, err := db.EndInterruptedLabourImports(short)
			cancel()
			if err == nil {
				t.Error("a sweep beside a live SQLite import did not wait for the writer")
			}
		} else if n, err := db.EndInterruptedLabourImports(later); err != nil || n != 0 {
			t.Errorf("sweep beside a live import = %d, %v; want 0", n, err)
		}
		if s, _ := state(); s != "running" {
			t.Fatalf("a live import's state = %s after a sweep, want running", s)
		}

		// The process dies: its transaction ends with its connection, nothing else is written.
		if err := imp.tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if imp.conn != nil {
			imp.conn.Close()
		}
		imp.done = true
		if n, err := db.EndInterruptedLabourImports(ctx); err != nil || n != 0 {
			t.Errorf("sweep of an import dead for less than %v = %d, %v; want 0", labourImportStale, n, err)
		}
		if n, err := db.EndInterruptedLabourImports(later); err != nil || n != 1 {
			t.Fatalf("sweep of a dead import = %d, %v; want 1", n, err)
		}
		if s, msg := state(); s != "failed" || msg != LabourImportInterrupted {
			t.Errorf("a dead import's row = %s %q, want failed %q", s, msg, LabourImportInterrupted)
		}
		if n, err := db.EndInterruptedLabourImports(later); err != nil || n != 0 {
			t.Errorf("second sweep = %d, %v; want 0", n, err)
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{Action: AuditLabourImport, ObjectID: "1"})
		if err != nil || len(entries) == 0 || entries[0].Outcome != AuditFailure || entries[0].Detail != LabourImportInterrupted {
			t.Errorf("audit of the ended import = %+v, %v", entries, err)
		}
		var people int
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_people`).Scan(&people); err != nil || people != 0 {
			t.Errorf("people stored by the dead import = %d, %v; want 0", people, err)
		}
	})
}

// TestEndStopped: an import cut by a stopping server says so whether it was aborted (Abort's
// message replaced) or cut while it committed (its row still running); one that ended done
// before the cut is left as it is.
func TestEndStopped(t *testing.T) {
	labourDB(t, func(t *testing.T, db *DB) {
		ctx := labourCtx(t)
		const stopped = "系统停止时这份清单尚未导入完，已全部撤销"
		begin := func(name string) *LabourImport {
			t.Helper()
			imp, err := db.BeginLabourImport(ctx, LabourImportOptions{District: "门头沟区", List: xiezuo.ListWilling, FileName: name})
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				p := genPerson(i)
				if _, err := imp.Add(ctx, i+2, xiezuo.LabourRecord{Person: &p}); err != nil {
					t.Fatal(err)
				}
			}
			return imp
		}
		stateOf := func(id int64) (string, string) {
			t.Helper()
			st, err := db.LabourImportProgress(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return st.State, st.Message
		}

		aborted := begin("中止.xlsx")
		aborted.Abort(ctx, "保存失败")
		if err := aborted.EndStopped(ctx, stopped); err != nil {
			t.Fatal(err)
		}
		if st, msg := stateOf(aborted.ID); st != "failed" || msg != stopped {
			t.Errorf("aborted then stopped = %s %q, want failed %q", st, msg, stopped)
		}

		// Cut while it committed: the transaction gone, the row still running.
		cut := begin("提交中.xlsx")
		cut.tx.Rollback()
		if cut.conn != nil {
			cut.conn.Close()
		}
		cut.done = true
		cut.release()
		if err := cut.EndStopped(ctx, stopped); err != nil {
			t.Fatal(err)
		}
		if st, msg := stateOf(cut.ID); st != "failed" || msg != stopped {
			t.Errorf("cut while committing = %s %q, want failed %q", st, msg, stopped)
		}

		done := begin("完成.xlsx")
		if _, err := done.Finish(ctx, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := done.EndStopped(ctx, stopped); err != nil {
			t.Fatal(err)
		}
		if st, _ := stateOf(done.ID); st != "done" {
			t.Errorf("an import done before the cut = %s after EndStopped, want done", st)
		}
	})
}
