package plandoc

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
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
func readWorkbook(data []byte) ([]sheet, error) {
	tmp, err := os.MkdirTemp("", "xiezuo-xlsx-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{TmpDir: tmp})
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏或不是 .xlsx 格式（%s 等旧格式请另存为 .xlsx）", ".xls")
	}
	defer f.Close()
	var sheets []sheet
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", name)
		}
		sh := sheet{name: name}
		n := 0
		for rows.Next() {
			n++
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				rows.Close()
				return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”第%d行", name, n)
			}
			cells := make([]string, len(cols))
			for i, c := range cols {
				cells[i] = cellText(c)
			}
			sh.rows = append(sh.rows, row{pos: xiezuo.Pos{Sheet: name, Line: n}, cells: cells})
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Error(); err != nil {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", name)
		}
		if hasTaskHeader(sh.rows) {
			fillMergedDown(f, name, sh.rows)
			sh.hasTable = true
		} else {
			sh.hasTable = hasTableHeader(sh.rows)
		}
		sheets = append(sheets, sh)
	}
	return sheets, nil
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
func fillMergedDown(f *excelize.File, name string, rows []row) {
	merges, err := f.GetMergeCells(name)
	if err != nil {
		return
	}
	byLine := map[int]int{}
	for i, r := range rows {
		byLine[r.pos.Line] = i
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r2 == r1 || c1 != c2 {
			continue
		}
		v := cleanInline(m.GetCellValue())
		for line := r1 + 1; line <= r2; line++ {
			i, ok := byLine[line]
			if !ok {
				continue
			}
			for len(rows[i].cells) < c1 {
				rows[i].cells = append(rows[i].cells, "")
			}
			if rows[i].cells[c1-1] == "" {
				rows[i].cells[c1-1] = v
			}
		}
	}
}

// readCSV reads a CSV file; each record's position is the line it starts on.
func readCSV(text string) ([]row, error) {
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
		cells := make([]string, len(rec))
		for i, c := range rec {
			cells[i] = cellText(c)
		}
		rows = append(rows, row{pos: xiezuo.Pos{Line: line}, cells: cells})
	}
	return rows, nil
}
