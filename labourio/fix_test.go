package labourio

import (
	"os"
	"path/filepath"
	"testing"

	"xiezuo"
)

// TestHeaderOnlyCSV: a CSV with a header row and no data rows still maps its columns.
func TestHeaderOnlyCSV(t *testing.T) {
	for _, body := range []string{"姓名,身份证号\n", "姓名,身份证号", "\ufeff姓名,身份证号\r\n"} {
		p := filepath.Join(t.TempDir(), "名单.csv")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		top, err := Top(p, 10)
		if err != nil {
			t.Fatalf("Top(%q) = %v", body, err)
		}
		m, doubts := xiezuo.ProposeLabourMapping(xiezuo.ListWorkers, top)
		if m.Column(xiezuo.LFName) != 0 || m.Column(xiezuo.LFIDNumber) != 1 {
			t.Errorf("header only %q: top %q, mapping %+v (%q), want 姓名 and 身份证号 mapped", body, top, m, doubts)
		}
	}
	// A header naming one field among others is still the header, with or without data rows;
	// a title of one cell is not.
	for _, tt := range []struct {
		top  [][]string
		want string // the field of the second column
		rows int
	}{
		{[][]string{{"序号", "姓名"}}, xiezuo.LFName, 1},
		{[][]string{{"姓名", "手机"}}, "", 1},
		{[][]string{{"武川县务工人员名单"}, {"序号", "姓名"}}, xiezuo.LFName, 2},
		{[][]string{{"序号", "姓名"}, {"1", "张三"}}, xiezuo.LFName, 1},
	} {
		m, doubts := xiezuo.ProposeLabourMapping(xiezuo.ListWorkers, tt.top)
		if m.HeaderRows != tt.rows || (tt.want != "" && m.Column(tt.want) != 1) || (tt.want == "" && m.Column(xiezuo.LFName) != 0) {
			t.Errorf("ProposeLabourMapping(%q) = %+v (%q), want header rows %d and the name mapped", tt.top, m, doubts, tt.rows)
		}
	}
}

// TestPlacesVillageNotFound: a village the register lacks leaves the home at the town, its
// name keeping the typed village in brackets (review 5), never a division code.
func TestPlacesVillageNotFound(t *testing.T) {
	place, _ := Places(nil)
	townCode, townName, problem := place("武川县可可以力更镇", "", "")
	if problem != "" || len(townCode) != 9 {
		t.Fatalf("place(town) = %q, %q, %q", townCode, townName, problem)
	}
	for _, in := range [][3]string{
		{"武川县可可以力更镇东官井村", "", ""},
		{"内蒙古自治区呼和浩特市武川县可可以力更镇东官井村", "", ""},
		{"武川县", "可可以力更镇", "东官井村"},
	} {
		code, name, problem := place(in[0], in[1], in[2])
		want := townName + "（填写的“东官井村”不在区划库中）"
		if problem != "" || code != townCode || name != want {
			t.Errorf("place(%q) = %q, %q, %q; want %q, %q", in, code, name, problem, townCode, want)
		}
	}
}
