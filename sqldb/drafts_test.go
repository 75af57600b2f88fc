package sqldb

import (
	"testing"
	"time"

	"xiezuo"
	"xiezuo/gongwen"
)

// TestDraftVersions saves three versions of a draft: each is kept as saved, listed newest first
// with who and when, audited, and the table refuses to change or delete one.
func TestDraftVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		k := DraftKey{District: "门头沟区", Year: 2021, Kind: xiezuo.DraftSummary, Period: xiezuo.DraftH1}
		day := xiezuo.NewDate(2021, time.June, 30)
		texts := []string{"第一稿", "第二稿", "第三稿"}
		for i, text := range texts {
			doc := gongwen.Document{Title: "总结", Blocks: []gongwen.Block{{Kind: gongwen.Paragraph, Text: text},
				{Kind: gongwen.TableBlock, Table: &gongwen.Table{Header: [][]string{{"a"}}, Rows: [][]string{{"1"}}, Total: map[int]bool{0: true}}}}}
			v, err := db.SaveDraft(ctx, k, day, doc, "")
			if err != nil {
				t.Fatalf("SaveDraft(%d) = %v", i, err)
			}
			if v.Version != i+1 {
				t.Errorf("SaveDraft(%d).Version = %d, want %d", i, v.Version, i+1)
			}
		}
		// Another kind and period start their own versions.
		other := k
		other.Kind, other.Period = xiezuo.DraftAssessment, xiezuo.DraftYear
		if v, err := db.SaveDraft(ctx, other, day, gongwen.Document{Title: "自评"}, ""); err != nil || v.Version != 1 {
			t.Fatalf("SaveDraft(assessment) = %+v, %v; want version 1", v, err)
		}
		vs, err := db.DraftVersions(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 3 || vs[0].Version != 3 || vs[2].Version != 1 || vs[0].By != "office" || vs[0].AsOf != day || vs[0].At.IsZero() {
			t.Fatalf("DraftVersions = %+v, want 3 versions newest first by office as of %s", vs, day)
		}
		for i, text := range texts {
			v, err := db.DraftVersionOf(ctx, k, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if got := v.Document.Blocks[0].Text; got != text {
				t.Errorf("version %d text = %q, want %q", i+1, got, text)
			}
			if tb := v.Document.Blocks[1].Table; tb == nil || !tb.Total[0] || tb.Rows[0][0] != "1" {
				t.Errorf("version %d table = %+v, want it as saved", i+1, tb)
			}
		}
		if _, err := db.DraftVersionOf(ctx, k, 9); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("DraftVersionOf(9) = %v, want ENOTFOUND", err)
		}
		if _, err := db.db.ExecContext(ctx, `UPDATE draft_versions SET document = '{}'`); err == nil {
			t.Error("UPDATE draft_versions succeeded, want it refused")
		}
		if _, err := db.db.ExecContext(ctx, `DELETE FROM draft_versions`); err == nil {
			t.Error("DELETE FROM draft_versions succeeded, want it refused")
		}
		es, _, err := db.SearchAudit(ctx, AuditFilter{Action: "draft.save"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 4 || es[0].ObjectType != "draft" || es[0].Username != "office" {
			t.Errorf("audit of draft.save = %d entries (%+v), want 4 by office", len(es), es)
		}
	})
}
