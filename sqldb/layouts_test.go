package sqldb

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// TestLayouts: a layout is stored as version 1, a save of the same name is version 2 beside it
// (nothing is overwritten), the list offers the latest of each name, the template's bytes come
// back whole, and a layout that fails validation stores nothing.
func TestLayouts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{Username: "office", Unit: "领导小组办公室"})
		tmpl := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0, 0xff, 'x'}, 1000)...)
		l := xiezuo.PlatformLayout{District: "门头沟区", Name: "市级东西部协作项目表", Kind: xiezuo.LayoutProjects, FileName: "模板.xlsx", Template: tmpl,
			Sheet: "项目进展", HeaderFirst: 3, HeaderLast: 4, DataRow: 5, TotalRow: 6,
			Columns: []xiezuo.LayoutColumn{{Col: 1, Header: "序号", Field: "serial"}, {Col: 2, Header: "资金规模（万元）\n区级资金", Field: "fund"}, {Col: 3, Header: "备注", TextFormat: true}},
			Cells:   []xiezuo.LayoutCell{{Ref: "A2", Field: "reporter", Text: "填报单位："}}}
		t1 := time.Date(2021, 9, 1, 2, 0, 0, 0, time.UTC)
		if err := db.SaveLayout(WithFactTime(ctx, t1), &l); err != nil {
			t.Fatalf("SaveLayout = %v", err)
		}
		if l.Version != 1 || l.ID == 0 || l.By != "office" {
			t.Errorf("saved as version %d, id %d, by %q", l.Version, l.ID, l.By)
		}
		v2 := l
		v2.Columns = append([]xiezuo.LayoutColumn(nil), l.Columns...)
		v2.Columns[2].Field = "name"
		if err := db.SaveLayout(WithFactTime(ctx, t1.Add(time.Hour)), &v2); err != nil {
			t.Fatalf("SaveLayout(v2) = %v", err)
		}
		other := l
		other.Name = "国家平台项目库"
		if err := db.SaveLayout(ctx, &other); err != nil {
			t.Fatal(err)
		}
		if v2.Version != 2 || v2.ID == l.ID || other.Version != 1 {
			t.Errorf("versions %d (id %d), %d; want 2 beside id %d, and 1 for another name", v2.Version, v2.ID, other.Version, l.ID)
		}
		list, err := db.Layouts(ctx, "门头沟区")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range list {
			got = append(got, x.Name+"/"+string(rune('0'+x.Version)))
			if x.Template != nil {
				t.Errorf("Layouts carries the template of %s", x.Name)
			}
		}
		if diff := cmp.Diff([]string{"国家平台项目库/1", "市级东西部协作项目表/2"}, got); diff != "" {
			t.Errorf("Layouts (-want +got):\n%s", diff)
		}
		if other, _ := db.Layouts(ctx, "延庆区"); len(other) != 0 {
			t.Errorf("another district sees %d layouts", len(other))
		}
		back, err := db.Layout(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(back.Template, tmpl) || back.Columns[2].Field != "" || !back.Columns[2].TextFormat || back.Cells[0].Ref != "A2" || back.TotalRow != 6 || !back.At.Equal(t1) {
			t.Errorf("Layout(v1) = %+v", back)
		}
		vs, err := db.LayoutVersions(ctx, "门头沟区", l.Name)
		if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Columns[2].Field != "" {
			t.Errorf("LayoutVersions = %d versions, %v", len(vs), err)
		}
		bad := l
		bad.Columns = []xiezuo.LayoutColumn{{Col: 1, Field: "fund"}, {Col: 2, Field: "fund"}}
		if err := db.SaveLayout(ctx, &bad); xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(err.Error(), "对应了两列") {
			t.Errorf("SaveLayout(a field twice) = %v", err)
		}
		if vs, _ := db.LayoutVersions(ctx, "门头沟区", l.Name); len(vs) != 2 {
			t.Errorf("a refused layout was stored: %d versions", len(vs))
		}
		if _, err := db.Layout(ctx, 99999); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Layout(99999) = %v", err)
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{Actions: []string{AuditLayoutSave}})
		if err != nil || len(entries) != 3 || !strings.Contains(entries[0].ObjectLabel+entries[1].ObjectLabel+entries[2].ObjectLabel, "市级东西部协作项目表第2版") {
			t.Errorf("audit entries of layouts: %d %v", len(entries), err)
		}
	})
}
