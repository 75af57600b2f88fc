package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// start runs f in the background as a handler does: its context, then run.
func start(b *background, parent context.Context, f func(ctx context.Context)) {
	ctx, release := b.context(parent)
	b.run(ctx, release, f)
}

// TestBackgroundFinish: Finish waits for work in the background to end on its own while its
// time lasts; when it runs out, the work's context is cut and Finish waits for it to return.
func TestBackgroundFinish(t *testing.T) {
	b := newBackground()
	if !b.Finish(t.Context()) {
		t.Error("Finish with nothing running = false, want true")
	}

	b = newBackground()
	release := make(chan struct{})
	ended := make(chan struct{})
	start(b, t.Context(), func(ctx context.Context) {
		defer close(ended)
		select {
		case <-release:
		case <-ctx.Done():
			t.Error("work cut although Finish's time had not run out")
		}
	})
	time.AfterFunc(50*time.Millisecond, func() { close(release) })
	if !b.Finish(t.Context()) {
		t.Error("Finish with time enough = false, want true")
	}
	select {
	case <-ended:
	default:
		t.Error("Finish returned before the work ended")
	}

	b = newBackground()
	var cutErr error
	start(b, t.Context(), func(ctx context.Context) {
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // a rollback takes a moment
		cutErr = ctx.Err()
	})
	short, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if b.Finish(short) {
		t.Error("Finish past its time = true, want false (the work was cut)")
	}
	if cutErr == nil {
		t.Error("Finish returned before the cut work ended")
	}
	if !b.cutShort() {
		t.Error("cutShort() = false after a cut")
	}

	// Work started once Finish has begun runs at once, in the caller, with an ended context.
	b = newBackground()
	b.Finish(t.Context())
	ran := false
	start(b, t.Context(), func(ctx context.Context) {
		ran = true
		if ctx.Err() == nil {
			t.Error("work started after Finish got a live context")
		}
	})
	if !ran {
		t.Error("work started after Finish did not run in the caller")
	}
	if !b.cutShort() {
		t.Error("cutShort() = false for work started after Finish")
	}
}

// TestLabourImportCutAtStop: a large list is confirmed and the server stopped at once with no
// time to finish: the import is cut, rolled back (not one of its people stored), its record says
// the system stopped and asks for the list again; its turn (one import at a time) is given back.
func TestLabourImportCutAtStop(t *testing.T) {
	e := newEnv(t)
	office := e.signIn("office")
	const n = 40_000
	home := labourVillage(t, "150125")
	people := make([]labourTestPerson, n)
	for i := range people {
		birth := fmt.Sprintf("19%02d%02d%02d", 60+i%40, 1+i/1000%12, 1+i/100%28)
		people[i] = labourTestPerson{Name: "务工" + string(rune('甲'+i%10)) + string(rune('一'+i%7)), ID: labourIDNumber("150125", birth, i%1000),
			Phone: fmt.Sprintf("139%08d", i), Home: home, Poor: "是", Skills: "电工", Employer: "北京城建集团有限责任公司",
			Place: "110109", Post: "电工", Income: "6000", Since: "2021-03-01"}
	}
	id, _ := labourConfirm(t, office, "workers", "大清单.csv", workersCSV(people), "skip")
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	servers := e.servers
	if len(servers) == 0 {
		servers = []*Server{e.srv}
	}
	cut := false
	for _, s := range servers {
		if !s.Finish(gone) {
			cut = true
		}
	}
	if !cut {
		t.Fatal("Finish with no time left = true on every instance: the import of 40000 rows had ended already")
	}
	st, err := e.db.LabourImportProgress(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "failed" || !strings.Contains(st.Message, "系统停止时") || !strings.Contains(st.Message, "重新上传导入") {
		t.Errorf("the cut import = %s %q, want failed, saying the system stopped and to import again", st.State, st.Message)
	}
	rows, err := e.db.LabourPeople(t.Context(), sqldb.LabourFilter{District: "门头沟区", List: xiezuo.ListWorkers, Page: 1, PerPage: 10})
	if err != nil {
		t.Fatal(err)
	}
	if rows.Total != 0 {
		t.Errorf("after the cut import, %d workers stored, want 0 (rolled back)", rows.Total)
	}
	for i, s := range servers {
		if n := len(s.labour); n != 0 {
			t.Errorf("instance %d: %d imports still hold their turn after the cut, want 0", i, n)
		}
	}
}

// TestLabourUploadsSwept: an upload nobody confirmed (personal data kept as sent) is removed by
// the sweep serve runs every 10 minutes once older than labourUploadKeep; a recent one waits on.
func TestLabourUploadsSwept(t *testing.T) {
	e := newEnv(t)
	dir := e.srv.labourUploadDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	old, recent := filepath.Join(dir, "old.xlsx"), filepath.Join(dir, "recent.xlsx")
	for _, p := range []string{old, recent} {
		if err := os.WriteFile(p, []byte("PK"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-labourUploadKeep - time.Minute)
	if err := os.Chtimes(old, past, past); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Sweep(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("an upload older than %s is still there (stat: %v)", labourUploadKeep, err)
	}
	if _, err := os.Stat(recent); err != nil {
		t.Errorf("a recent upload was removed: %v", err)
	}
	if labourUploadKeep > 2*time.Hour {
		t.Errorf("labourUploadKeep = %s: unencrypted uploads kept longer than docs/security.md says (2 hours)", labourUploadKeep)
	}
}
