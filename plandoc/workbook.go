package plandoc

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

type sheet struct {
	name     string
	rows     []row
	hasTable bool // a header of the task list, the project table or the work teams
}

// readWorkbook reads every sheet of a workbook with the streaming row reader (a large sheet is
// never loaded whole) and its raw cell values, so 322.5 stays 322.5 whatever the cell format.
// The zip's directory is checked first, so a workbook whose parts inflate past MaxUnzipped is
// refused before anything is inflated; excelize's own limits are set to the same bounds, and
// its temporary files go to a folder of ours, removed when the read ends (or, after a crash,
// by SweepTemp at the next start).
func readWorkbook(data []byte, b *budget) ([]sheet, error) {
	lay, err := checkZip(b, data)
	if err != nil {
		return nil, err
	}
	tmp, err := tempDir()
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	// excelize takes no context: opening inflates the parts and parses the calculation chain,
	// the workbook and its relationships, the styles and the theme in one call that cannot be
	// stopped. Each of those is within MaxPart, so the call is short; the context is looked at
	// before it and after it, and then every checkEvery rows.
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		TmpDir:            tmp,
		UnzipSizeLimit:    MaxUnzipped,
		UnzipXMLSizeLimit: inMemoryPart,
	})
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏或不是 .xlsx 格式（%s 等旧格式请另存为 .xlsx）", ".xls")
	}
	defer f.Close()
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	names := f.GetSheetList()
	if len(names) > MaxSheets {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿有 %d 个工作表，超过 %d 个的上限", len(names), MaxSheets)
	}
	var sheets []sheet
	for _, name := range names {
		sh, err := readSheet(f, name, lay.merges[name], b)
		if err != nil {
			return nil, err
		}
		sheets = append(sheets, sh)
	}
	return sheets, nil
}

// mergeRows and mergeCells bound the sheets whose merged cells are filled down: only the task
// list, tens of rows, needs them.
const (
	mergeRows  = 5_000
	mergeCells = 100_000
)

func readSheet(f *excelize.File, name string, merges []mergeRange, b *budget) (sheet, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return sheet{}, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", name)
	}
	defer rows.Close()
	sh := sheet{name: name}
	n, rawCells, withCells := 0, 0, 0
	for rows.Next() {
		n++
		if err := b.tick(); err != nil {
			return sheet{}, err
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return sheet{}, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”第%d行", name, n)
		}
		// Rows of empty cells are not kept but cost their reading: a row whose one empty cell
		// stands in column XFD is read as 16,384 cells (a million of them took 22 s).
		if len(cols) > 0 {
			withCells++
			if withCells > maxRowsWithCells {
				return sheet{}, refuse(xiezuo.Pos{Sheet: name, Line: n}, "工作表有超过 %d 行含有单元格（空白但带格式的单元格也算），请删除多余的行后再上传", maxRowsWithCells)
			}
		}
		rawCells += len(cols)
		b.rawCells += len(cols)
		if b.rawCells > maxRawCells {
			return sheet{}, refuse(xiezuo.Pos{Sheet: name, Line: n}, "工作簿的单元格连同空白但带格式的单元格超过 %d 个（所有工作表合计），请删除多余的行和列（例如一直延伸到 XFD 列的格式）后再上传", maxRawCells)
		}
		for len(cols) > 0 && strings.TrimSpace(cols[len(cols)-1]) == "" {
			cols = cols[:len(cols)-1]
		}
		if len(cols) == 0 {
			continue // an empty row, as the table reader would skip it
		}
		pos := xiezuo.Pos{Sheet: name, Line: n}
		// The raw values are checked before they are cleaned: a cell of megabytes is refused
		// before any regular expression runs over it.
		if err := b.row(row{pos: pos, cells: cols}, len(sh.rows)+1); err != nil {
			return sheet{}, err
		}
		cells := make([]string, len(cols))
		for i, c := range cols {
			cells[i] = cellText(c)
		}
		sh.rows = append(sh.rows, row{pos: pos, cells: cells})
	}
	if err := rows.Error(); err != nil {
		return sheet{}, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", name)
	}
	if hasTaskHeader(sh.rows) {
		if n <= mergeRows && rawCells <= mergeCells {
			if err := fillMergedDown(b, merges, sh.rows); err != nil {
				return sheet{}, err
			}
		}
		sh.hasTable = true
	} else {
		sh.hasTable = hasTableHeader(sh.rows)
	}
	return sh, nil
}

// checkZip refuses a workbook whose directory promises more than the bounds: too many parts,
// parts inflating past MaxUnzipped together, a shared string table past MaxSharedStrings, any
// other part excelize parses past MaxPart (a styles.xml of 60 MB took 1.46 GB to parse), two
// sheet entries pointing at one part. archive/zip refuses a part that inflates past the size
// its directory states, so the stated sizes bound what is inflated. The sheets and the shared
// strings are then inflated once and scanned (scanText), which also reads the merged ranges of
// each sheet.
func checkZip(b *budget, data []byte) (*layout, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏或不是 .xlsx 格式（%s 等旧格式请另存为 .xlsx）", ".xls")
	}
	if len(zr.File) > maxParts {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿内含 %d 个文件，超过 %d 个的上限：不是普通的工作簿", len(zr.File), maxParts)
	}
	var total uint64
	files := map[string]*zip.File{}
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > MaxUnzipped || zf.UncompressedSize64 > MaxUnzipped {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿解压后超过 %d MB 的上限（“%s”一项即有 %d MB）：请删除多余的工作表、图片和格式，或另存为 .csv 后再上传", MaxUnzipped>>20, zf.Name, zf.UncompressedSize64>>20)
		}
		files[zipName(zf)] = zf
	}
	lay, small, err := readLayout(files)
	if err != nil {
		return nil, err
	}
	sheetOf, isSheet := map[string]string{}, map[string]bool{}
	for _, s := range lay.sheets {
		sheetOf[s.part], isSheet[s.part] = s.name, true
	}
	for _, zf := range zr.File {
		name := zipName(zf)
		switch {
		case isSheet[name]:
			// a worksheet, in xl/worksheets/ (readLayout refuses any other): streamed, and
			// bound by MaxUnzipped and the scan of its rows
		case strings.EqualFold(name, sharedStringsPart):
			if zf.UncompressedSize64 > MaxSharedStrings {
				return nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿的共享文本表解压后有 %d MB，超过 %d MB 的上限：请删除多余的内容，或另存为 .csv 后再上传", zf.UncompressedSize64>>20, MaxSharedStrings>>20)
			}
		case zf.UncompressedSize64 > MaxPart && !mayBeLarge(name, small):
			return nil, partTooLarge(name, zf.UncompressedSize64)
		}
	}
	escapes, merges, cells := 0, 0, 0
	for _, zf := range zr.File {
		name := zipName(zf)
		if !strings.EqualFold(name, sharedStringsPart) && !strings.HasPrefix(strings.ToLower(name), "xl/worksheets/") {
			continue
		}
		var m *mergeScan
		if isSheet[name] {
			m = &mergeScan{sheet: sheetOf[name], total: &merges, cells: &cells}
		}
		if err := scanText(b, zf, &escapes, m); err != nil {
			return nil, err
		}
		if m != nil {
			lay.merges[m.sheet] = m.ranges
		}
	}
	return lay, nil
}

// maxTextNode bounds the text between two tags of a worksheet or the shared string table (a
// cell of MaxCellChars characters, XML-escaped, is far less), and maxEscapes the _xHHHH_ escapes
// of a workbook: excelize unescapes a string by appending one escape at a time to what it has,
// so a string's cost grows with its escapes times its length (80,000 escapes in one cell of a
// 2.5 KB workbook took 8 s). Within both, the worst a workbook can make excelize do is 10,000
// escapes at the end of 64 KB strings: under a second.
const (
	maxTextNode = 64 << 10
	maxEscapes  = 10_000
)

// scanText inflates one part and checks its text against maxTextNode and maxEscapes; for a
// sheet's part, m collects its merged ranges.
func scanText(b *budget, zf *zip.File, escapes *int, m *mergeScan) error {
	rc, err := zf.Open()
	if err != nil {
		return xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏（“%s”无法解压）", zf.Name)
	}
	defer rc.Close()
	buf := make([]byte, 64<<10)
	tag := make([]byte, 0, 256)
	inTag, node, prev := false, 0, byte(0)
	for {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		n, err := rc.Read(buf)
		for _, c := range buf[:n] {
			switch {
			case c == '<':
				inTag, node = true, 0
				tag = tag[:0]
			case c == '>':
				inTag = false
				if m != nil && len(tag) > 0 {
					if err := m.tag(tag); err != nil {
						return err
					}
				}
			case inTag:
				if len(tag) < cap(tag) {
					tag = append(tag, c)
				}
			default:
				node++
				if node > maxTextNode {
					return xiezuo.Errorf(xiezuo.EINVALID, "工作簿的“%s”中有一段文本超过 %d KB：单元格最多 %d 个字符", zf.Name, maxTextNode>>10, MaxCellChars)
				}
				if c == 'x' && prev == '_' {
					*escapes++
					if *escapes > maxEscapes {
						return xiezuo.Errorf(xiezuo.EINVALID, "工作簿的“%s”含有超过 %d 个转义字符（_xHHHH_），不是普通的工作簿：请另存为 .csv 后再上传", zf.Name, maxEscapes)
					}
				}
			}
			prev = c
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏（“%s”无法解压）", zf.Name)
		}
	}
}

func hasTaskHeader(rows []row) bool {
	for _, r := range rows {
		if _, ok := taskHeader(r); ok {
			return true
		}
	}
	return false
}

// hasTableHeader tells whether rows hold the header of a project table or of a table of work teams.
func hasTableHeader(rows []row) bool {
	for _, r := range rows {
		if !mayBeHeader(r) && len(r.cells) > 0 && r.cells[0] != "序号" {
			continue
		}
		if _, _, ok := projectHeader(r); ok {
			return true
		}
		if kind, _, ok := otherHeader(r); ok && kind == tableTeams {
			return true
		}
	}
	return false
}

// fillMergedDown copies the value of a vertically merged cell of the task list (a work item
// spanning several tasks, a deadline shared by them) into every row it spans, as a reader sees it.
// rows are in the order of their lines; each merge visits only the rows it spans that are kept.
func fillMergedDown(b *budget, merges []mergeRange, rows []row) error {
	for _, m := range merges {
		if err := b.tick(); err != nil {
			return err
		}
		if m.c1 != m.c2 || m.r2 == m.r1 {
			continue
		}
		i := sort.Search(len(rows), func(i int) bool { return rows[i].pos.Line >= m.r1 })
		if i == len(rows) || rows[i].pos.Line != m.r1 || len(rows[i].cells) < m.c1 {
			continue
		}
		v := rows[i].cells[m.c1-1]
		if v == "" {
			continue
		}
		for i++; i < len(rows) && rows[i].pos.Line <= m.r2; i++ {
			for len(rows[i].cells) < m.c1 {
				rows[i].cells = append(rows[i].cells, "")
			}
			if rows[i].cells[m.c1-1] == "" {
				rows[i].cells[m.c1-1] = v
			}
		}
	}
	return nil
}

// readCSV reads a CSV file; each record's position is the line it starts on. Its lines were
// checked by scanLines; its rows are checked against the budget.
func readCSV(text string, b *budget) ([]row, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	if first, _, _ := strings.Cut(text, "\n"); strings.Count(first, "\t") > strings.Count(first, ",") {
		r.Comma = '\t'
	} else if strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	var rows []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, xiezuo.Errorf(xiezuo.EINVALID, "CSV 第%d行格式错误：引号不成对或分隔符有误", pe.StartLine)
			}
			return nil, err
		}
		line, _ := r.FieldPos(0)
		if err := b.tick(); err != nil {
			return nil, err
		}
		if err := b.row(row{pos: xiezuo.Pos{Line: line}, cells: rec}, len(rows)+1); err != nil {
			return nil, err
		}
		cells := make([]string, len(rec))
		for i, c := range rec {
			cells[i] = cellText(c)
		}
		rows = append(rows, row{pos: xiezuo.Pos{Line: line}, cells: cells})
	}
	return rows, nil
}
