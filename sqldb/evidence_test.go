package sqldb

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// file is an evidence row as the store returns it, before storage writes it.
func file(name string, size int64, sum byte) xiezuo.Evidence {
	return xiezuo.Evidence{SHA256: strings.Repeat(string("0123456789abcdef"[sum%16]), 64), Name: name, MIME: "image/jpeg", Size: size}
}

// TestEvidence: files go with the version they were sent with, in its transaction; files
// added later go to the waiting version, within the limits counted with what it holds, and
// never to a reviewed one; every refusal writes nothing; each write has its audit entry.
func TestEvidence(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		point, _, _ := reportKeys(t, db)
		tickingNow(db, time.Date(2021, 9, 10, 6, 0, 0, 0, time.UTC))
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		taken := time.Date(2021, 9, 10, 14, 32, 0, 0, time.FixedZone("+08:00", 8*3600))
		photo := file("现场.jpg", 3<<20, 1)
		photo.TakenAt = taken
		w := ReportWrite{Duty: point, Unit: "区财政局", State: xiezuo.ReportSubmitted,
			Values: xiezuo.ReportValues{Text: "召开联席会议一次。"}, Evidence: []xiezuo.Evidence{photo, file("纪要.pdf", 1000, 2)}}

		// A row that cannot be written takes its version with it.
		bad := w
		bad.Evidence = []xiezuo.Evidence{file("空.jpg", 0, 3)}
		if _, err := db.SubmitReport(caizheng, bad); err == nil {
			t.Fatal("SubmitReport(empty file) = nil, want an error")
		}
		if n := countRows(t, db, "report_versions"); n != 0 {
			t.Fatalf("after a refused submission %d versions, want 0", n)
		}

		r, err := db.SubmitReport(caizheng, w)
		if err != nil {
			t.Fatalf("SubmitReport = %v", err)
		}
		es, err := db.ReportEvidence(t.Context(), r.ID)
		if err != nil || len(es) != 2 {
			t.Fatalf("ReportEvidence = %v, %v; want 2 files", es, err)
		}
		if es[0].Version != 1 || es[0].By != "caizheng" || !es[0].TakenAt.Equal(taken) || !es[1].TakenAt.IsZero() ||
			!es[0].At.Equal(r.Versions[0].At) || es[0].Name != "现场.jpg" || es[0].Size != 3<<20 {
			t.Errorf("ReportEvidence = %+v", es)
		}
		one, err := db.EvidenceFile(t.Context(), es[1].ID)
		if diff := cmp.Diff(es[1], one); err != nil || diff != "" {
			t.Errorf("EvidenceFile = %v (-list +one):\n%s", err, diff)
		}
		if _, err := db.EvidenceFile(t.Context(), 9999); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("EvidenceFile(9999) = %v, want ENOTFOUND", err)
		}

		// More files to the waiting version, within the limits counted with its two.
		limits := xiezuo.EvidenceLimits{File: 20 << 20, Report: 10 << 20, Files: 4}
		if _, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{file("a.jpg", 1, 4), file("b.jpg", 1, 5), file("c.jpg", 1, 6)}, limits); xiezuo.ErrorCode(err) != xiezuo.ETOOLARGE {
			t.Errorf("AttachEvidence(5 files in all, limit 4) = %v, want ETOOLARGE", err)
		}
		if _, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{file("大.jpg", 8<<20, 4)}, limits); xiezuo.ErrorCode(err) != xiezuo.ETOOLARGE {
			t.Errorf("AttachEvidence(11 MB in all, limit 10) = %v, want ETOOLARGE", err)
		}
		added, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{photo}, limits)
		if err != nil || len(added) != 1 || added[0].Version != 1 || added[0].ID == 0 {
			t.Fatalf("AttachEvidence = %+v, %v", added, err)
		}
		if used, err := db.EvidenceInUse(t.Context(), photo.SHA256); !used || err != nil {
			t.Errorf("EvidenceInUse(photo) = %v, %v; want true", used, err)
		}
		if used, err := db.EvidenceInUse(t.Context(), file("", 1, 9).SHA256); used || err != nil {
			t.Errorf("EvidenceInUse(unknown) = %v, %v; want false", used, err)
		}
		// Under an Idempotency-Key: the same request twice adds once; another request with
		// the key is refused.
		u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		key := Idem{UserID: u.ID, Key: "attach-1", RequestHash: "h1"}
		first, replayed, err := db.AttachEvidenceOnce(caizheng, r.ID, []xiezuo.Evidence{file("d.jpg", 5, 8)}, limits, key)
		if err != nil || replayed {
			t.Fatalf("AttachEvidenceOnce = %v, %v, %v", first, replayed, err)
		}
		again, replayed, err := db.AttachEvidenceOnce(caizheng, r.ID, []xiezuo.Evidence{file("d.jpg", 5, 8)}, limits, key)
		if err != nil || !replayed || len(again) != 1 || again[0].ID != first[0].ID {
			t.Errorf("AttachEvidenceOnce(again) = %+v, %v, %v; want the first answer replayed", again, replayed, err)
		}
		key.RequestHash = "h2"
		if _, _, err := db.AttachEvidenceOnce(caizheng, r.ID, []xiezuo.Evidence{file("e.jpg", 5, 9)}, limits, key); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AttachEvidenceOnce(same key, other files) = %v, want ECONFLICT", err)
		}
		if n := countRows(t, db, "report_evidence"); n != 4 {
			t.Errorf("%d evidence rows, want 4", n)
		}
		if _, err := db.AttachEvidence(caizheng, 9999, []xiezuo.Evidence{photo}, limits); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("AttachEvidence(no report) = %v, want ENOTFOUND", err)
		}

		// Once reviewed, the version takes no more files; the next version starts empty.
		if _, err := db.ReviewReport(office, r.ID, 1, xiezuo.DecisionReturn, "请补充会议纪要。"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AttachEvidence(caizheng, r.ID, []xiezuo.Evidence{file("纪要2.pdf", 10, 7)}, limits); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AttachEvidence(returned) = %v, want ECONFLICT", err)
		}
		w.ReportID = r.ID
		w.Evidence = []xiezuo.Evidence{file("纪要2.pdf", 10, 7)}
		if _, err := db.SubmitReport(caizheng, w); err != nil {
			t.Fatal(err)
		}
		es, _ = db.ReportEvidence(t.Context(), r.ID)
		var versions []int
		for _, e := range es {
			versions = append(versions, e.Version)
		}
		if diff := cmp.Diff([]int{1, 1, 1, 1, 2}, versions); diff != "" {
			t.Errorf("evidence versions (-want +got):\n%s", diff)
		}
		if des, err := db.DutyEvidence(t.Context(), point); err != nil || len(des) != 5 {
			t.Errorf("DutyEvidence = %d files, %v; want 5", len(des), err)
		}

		entries, _, err := db.SearchAudit(t.Context(), AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var attach []AuditEntry
		withFiles := 0
		for _, e := range entries {
			if e.Action == AuditEvidence {
				attach = append(attach, e)
			}
			if e.Action == AuditReportSave && strings.Contains(e.After, photo.SHA256) {
				withFiles++
			}
		}
		if len(attach) != 2 || !strings.Contains(attach[0].After+attach[1].After, photo.SHA256) || withFiles != 1 {
			t.Errorf("audit: %d %s entries (%v), %d submissions naming the photo's hash; want 2 and 1", len(attach), AuditEvidence, attach, withFiles)
		}
		if v, err := db.VerifyAudit(t.Context(), AuditMark{}); err != nil || !v.OK() {
			t.Errorf("VerifyAudit = %+v, %v", v, err)
		}
	})
}

// TestEvidenceFrozen: files are a write on their report, refused when its month is frozen.
func TestEvidenceFrozen(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		point, _, _ := reportKeys(t, db)
		caizheng := WithActor(t.Context(), Actor{Username: "caizheng", Unit: "区财政局"})
		office := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		r, err := db.SubmitReport(WithFactTime(caizheng, bjTime("2021-06-20 10:00")), ReportWrite{Duty: point, Unit: "区财政局",
			State: xiezuo.ReportSubmitted, Values: xiezuo.ReportValues{Text: "6月进展。"}})
		if err != nil {
			t.Fatal(err)
		}
		clock := bjTime("2021-07-05 09:00")
		db.SetClock(func() time.Time { return clock })
		if _, err := db.FreezePeriod(office, "门头沟区", 2021, xiezuo.MonthPeriod(2021, 6), "上半年考核快照"); err != nil {
			t.Fatal(err)
		}
		_, err = db.AttachEvidence(WithFactTime(caizheng, clock), r.ID, []xiezuo.Evidence{file("补充.jpg", 10, 1)}, xiezuo.DefaultEvidenceLimits)
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "已封存") {
			t.Errorf("AttachEvidence(frozen June report) = %v, want ECONFLICT 已封存", err)
		}
		if n := countRows(t, db, "report_evidence"); n != 0 {
			t.Errorf("%d evidence rows after the refusal, want 0", n)
		}
	})
}
