package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

func assessmentRows() []xiezuo.AssessmentRow {
	return []xiezuo.AssessmentRow{
		{Number: 1, Dimension: "组织领导", Code: "zzld-01", Name: "研究部署会议", Target: "不少于 1 次", Value: "2 次", Light: "达标",
			Evidence: []xiezuo.EvidenceRef{{Kind: "meetings", ID: 7, Title: "部署会", On: "2021-03-12"}, {Kind: "report", ID: 9, Title: "进展", On: "2021-04-01"}}},
		{Number: 2, Dimension: "组织领导", Code: "zzld-02", Name: "调研/对接:协作地区", Target: "不少于 1 次", Value: "0 次", Light: "未达标", Shortfall: "甲县：0 / 1 次"},
		{Number: 3, Dimension: "信息宣传", Code: "xc-01", Name: "=信息", Value: "未报送", Light: "未报送", More: 3},
	}
}

// TestWriteAssessment reads the workbook back: 自评表 a row per indicator, 佐证清单 a row per item
// and one for the items beyond the list; a name beginning with = stays text.
func TestWriteAssessment(t *testing.T) {
	var buf bytes.Buffer
	where := func(r xiezuo.AssessmentRow, e xiezuo.EvidenceRef) string { return "/x/" + e.Kind }
	if err := WriteAssessment(&buf, "自评", assessmentRows(), where); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(AssessmentSheet)
	if len(rows) != 5 || rows[2][2] != "研究部署会议" || rows[3][7] != "甲县：0 / 1 次" || rows[4][2] != "=信息" {
		t.Errorf("自评表 = %q", rows)
	}
	if formula, _ := f.GetCellFormula(AssessmentSheet, "C5"); formula != "" {
		t.Errorf("C5 is a formula %q, want text", formula)
	}
	list, _ := f.GetRows(ListSheet)
	if len(list) != 5 || list[2][6] != "/x/meetings" || !strings.Contains(list[4][4], "另有 3 项") {
		t.Errorf("佐证清单 = %q", list)
	}
}

// TestWriteEvidenceBundle: 清单.xlsx first, a folder per indicator in order (说明.txt when it has
// no evidence), names cleaned and made unique, UTF-8 flags, and the limits cutting files, listed
// in 未收入的文件.txt.
// bundleTime is the application's clock in the tests (its --today), far from the machine's.
var bundleTime = time.Date(2021, 9, 15, 10, 30, 0, 0, xiezuo.Beijing)

func TestWriteEvidenceBundle(t *testing.T) {
	files := func(e xiezuo.EvidenceRef) ([]BundleFile, error) {
		text := func(s string) BundleFile {
			return BundleFile{Name: "../../etc/照片:1.jpg", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }}
		}
		if e.Kind == "report" {
			return []BundleFile{text(strings.Repeat("a", 30)), text("b")}, nil
		}
		return []BundleFile{{Name: "会议.txt", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("会议")), nil }}}, nil
	}
	var buf bytes.Buffer
	if err := WriteEvidenceBundle(&buf, "自评", assessmentRows(), files, BundleLimits{File: 20, Total: 26}, bundleTime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Flags&0x800 == 0 {
			t.Errorf("%s has no UTF-8 flag", f.Name)
		}
		// The zip's local time is the application's, to the 2 s of the DOS format.
		if got := f.Modified; got.Year() != 2021 || got.Month() != 9 || got.Day() != 15 || got.Hour() != 10 || got.Minute() != 30 {
			t.Errorf("%s is dated %s, want the application's clock 2021-09-15 10:30", f.Name, got)
		}
	}
	// 会议.txt (6 bytes), the first photo cut at 20, the second left out: 26 bytes in all.
	want := []string{"清单.xlsx", "01_研究部署会议/会议.txt", "01_研究部署会议/照片_1.jpg",
		"02_调研_对接_协作地区/说明.txt", "03_=信息/说明.txt", "未收入的文件.txt"}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Errorf("bundle files:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	if zr.File[2].UncompressedSize64 != 20 {
		t.Errorf("the cut photo has %d bytes, want 20", zr.File[2].UncompressedSize64)
	}
	rc, _ := zr.File[len(zr.File)-1].Open()
	left, _ := io.ReadAll(rc)
	if !strings.Contains(string(left), "01_研究部署会议/照片_1.jpg：超过大小限制（单个文件 20 字节、合计 26 字节），只收入了前 20 字节") || !strings.Contains(string(left), "照片_1(2).jpg：压缩包已达合计大小限制") {
		t.Errorf("未收入的文件.txt = %s", left)
	}
}

// TestWriteEvidenceBundleWhole: within the limits every file is there, two of the same name kept
// apart, nothing listed as left out.
func TestWriteEvidenceBundleWhole(t *testing.T) {
	files := func(e xiezuo.EvidenceRef) ([]BundleFile, error) {
		f := BundleFile{Name: "照片.jpg", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("x")), nil }}
		return []BundleFile{f, f}, nil
	}
	var buf bytes.Buffer
	if err := WriteEvidenceBundle(&buf, "自评", assessmentRows()[:1], files, DefaultBundleLimits, bundleTime); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "清单.xlsx 01_研究部署会议/照片.jpg 01_研究部署会议/照片(2).jpg 01_研究部署会议/照片(3).jpg 01_研究部署会议/照片(4).jpg" {
		t.Errorf("bundle = %s", got)
	}
}
