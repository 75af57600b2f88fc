package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// The self-assessment (考核自评) as a workbook, and its evidence bundle: a zip with a folder per
// indicator holding its evidence files and 清单.xlsx at the top.

// AssessmentHeaders are the columns of the sheet 自评表.
var AssessmentHeaders = []any{"序号", "考核维度", "指标", "考核要求", "目标", "完成值", "状态", "差距", "佐证材料"}

// ListHeaders are the columns of the sheet 佐证清单.
var ListHeaders = []any{"序号", "指标", "佐证类别", "日期", "佐证", "编号", "所在位置"}

// AssessmentSheet and ListSheet are the workbook's sheets.
const (
	AssessmentSheet = "自评表"
	ListSheet       = "佐证清单"
)

// WriteAssessment writes the self-assessment's rows under title as a workbook: the sheet 自评表
// (a row per indicator: dimension, requirement, target, value and light in words, shortfall, the
// evidence listed) and the sheet 佐证清单 (a row per evidence item, with where it is: where gives
// the path of its page, or the bundle's file, "" for none).
func WriteAssessment(w io.Writer, title string, rows []xiezuo.AssessmentRow, where func(xiezuo.AssessmentRow, xiezuo.EvidenceRef) string) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", AssessmentSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(ListSheet); err != nil {
		return err
	}
	put := func(sheet string, row int, cells []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(sheet, cell, &cells)
	}
	for _, sheet := range []string{AssessmentSheet, ListSheet} {
		if err := put(sheet, 1, []any{title}); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
			return err
		}
	}
	if err := put(AssessmentSheet, 2, AssessmentHeaders); err != nil {
		return err
	}
	if err := put(ListSheet, 2, ListHeaders); err != nil {
		return err
	}
	n := 3
	m := 3
	for _, r := range rows {
		if err := put(AssessmentSheet, n, []any{r.Number, r.Dimension, r.Name, r.Requirement, r.Target, r.Value, r.Light, r.Shortfall, r.EvidenceText()}); err != nil {
			return err
		}
		n++
		for _, e := range r.Evidence {
			if err := put(ListSheet, m, []any{r.Number, r.Name, e.KindName(), e.On, e.Title, e.ID, where(r, e)}); err != nil {
				return err
			}
			m++
		}
		if r.More > 0 {
			if err := put(ListSheet, m, []any{r.Number, r.Name, "", "", fmt.Sprintf("另有 %d 项（见平台考核页面）", r.More), "", ""}); err != nil {
				return err
			}
			m++
		}
	}
	for i, wdt := range []float64{6, 14, 28, 40, 20, 16, 12, 24, 48} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(AssessmentSheet, col, col, wdt); err != nil {
			return err
		}
	}
	if n > 3 {
		last, _ := excelize.CoordinatesToCellName(len(AssessmentHeaders), n-1)
		if err := f.SetCellStyle(AssessmentSheet, "A3", last, wrap); err != nil {
			return err
		}
	}
	for i, wdt := range []float64{6, 28, 12, 12, 40, 10, 40} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(ListSheet, col, col, wdt); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// BundleFile is one file of an indicator's folder in the evidence bundle.
type BundleFile struct {
	Name string // the file's name within the folder
	Open func() (io.ReadCloser, error)
}

// BundleLimits bound the evidence bundle: every file and the whole, before compression.
type BundleLimits struct {
	File, Total int64
}

// DefaultBundleLimits are 50 MB a file and 1 GB in all.
var DefaultBundleLimits = BundleLimits{File: 50 << 20, Total: 1 << 30}

// WriteEvidenceBundle streams the evidence bundle to w: 清单.xlsx at the top (the workbook of
// WriteAssessment, where naming each item's file in the bundle), then a folder per indicator
// (01_指标名称/) holding the files files gives for each evidence item (the report's evidence
// files, a .txt describing a register entry or project). Names are UTF-8 (the zip's flag 0x800,
// which archive/zip sets for a non-ASCII name). Files beyond the limits are left out and listed
// in 未收入的文件.txt; an indicator without evidence gets a 说明.txt saying so. The entries are
// dated now, the application's clock (its --today), not the machine's.
func WriteEvidenceBundle(w io.Writer, title string, rows []xiezuo.AssessmentRow, files func(xiezuo.EvidenceRef) ([]BundleFile, error), lim BundleLimits, now time.Time) error {
	type placed struct {
		row  xiezuo.AssessmentRow
		ev   xiezuo.EvidenceRef
		file BundleFile
		path string
	}
	var all []placed
	where := map[string]string{}
	for _, r := range rows {
		used := map[string]bool{}
		for _, e := range r.Evidence {
			fs, err := files(e)
			if err != nil {
				return err
			}
			var names []string
			for _, f := range fs {
				name := uniqueName(used, cleanName(f.Name))
				p := r.Folder() + "/" + name
				all = append(all, placed{r, e, f, p})
				names = append(names, p)
			}
			where[fmt.Sprintf("%d/%s/%d", r.Number, e.Kind, e.ID)] = strings.Join(names, "；")
		}
	}
	zw := zip.NewWriter(w)
	now = now.In(xiezuo.Beijing) // zip times are local: the office's
	create := func(name string) (io.Writer, error) {
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
	}
	var list bytes.Buffer
	if err := WriteAssessment(&list, title, rows, func(r xiezuo.AssessmentRow, e xiezuo.EvidenceRef) string {
		return where[fmt.Sprintf("%d/%s/%d", r.Number, e.Kind, e.ID)]
	}); err != nil {
		return err
	}
	lw, err := create("清单.xlsx")
	if err != nil {
		return err
	}
	if _, err := lw.Write(list.Bytes()); err != nil {
		return err
	}
	var total int64
	var left []string
	for _, r := range rows {
		if len(r.Evidence) == 0 {
			fw, err := create(r.Folder() + "/说明.txt")
			if err != nil {
				return err
			}
			fmt.Fprintf(fw, "指标“%s”：%s，目前没有可列出的佐证材料。\r\n", r.Name, r.Value)
			continue
		}
		for _, p := range all {
			if p.row.Number != r.Number {
				continue
			}
			if total >= lim.Total {
				left = append(left, p.path+"：压缩包已达合计大小限制，未收入")
				continue
			}
			rc, err := p.file.Open()
			if err != nil {
				left = append(left, p.path+"：无法读取（"+err.Error()+"）")
				continue
			}
			fw, err := create(p.path)
			if err != nil {
				rc.Close()
				return err
			}
			n, err := io.CopyN(fw, rc, min(lim.File, lim.Total-total))
			if err != nil && err != io.EOF {
				rc.Close()
				return err
			}
			if err == nil {
				// The file reached the limit: cut there if it goes on.
				if k, _ := rc.Read(make([]byte, 1)); k > 0 {
					left = append(left, fmt.Sprintf("%s：超过大小限制（单个文件 %s、合计 %s），只收入了前 %s", p.path, sizeText(lim.File), sizeText(lim.Total), sizeText(n)))
				}
			}
			rc.Close()
			total += n
		}
	}
	if len(left) > 0 {
		fw, err := create("未收入的文件.txt")
		if err != nil {
			return err
		}
		io.WriteString(fw, strings.Join(left, "\r\n")+"\r\n")
	}
	return zw.Close()
}

// sizeText is a size in words: 50 MB, 1.5 KB, 20 字节.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.4g MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.4g KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// cleanName keeps a file name safe in a zip: no folders, no characters a file system refuses.
func cleanName(s string) string {
	s = path.Base(strings.ReplaceAll(s, "\\", "/"))
	s = strings.Map(func(c rune) rune {
		if strings.ContainsRune(`:*?"<>|`, c) || c < 0x20 {
			return '_'
		}
		return c
	}, s)
	if s == "" || s == "." || s == ".." || s == "/" {
		s = "文件"
	}
	return s
}

// uniqueName makes name unique among used: 照片.jpg, 照片(2).jpg …
func uniqueName(used map[string]bool, name string) string {
	out := name
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s(%d)%s", base, i, ext)
	}
	used[out] = true
	return out
}
