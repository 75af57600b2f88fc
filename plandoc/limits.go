package plandoc

import (
	"context"
	"fmt"
	"unicode/utf8"

	"xiezuo"
)

// The bounds of a document. Any file is read, or refused with a message naming the bound and
// where it was passed, in bounded memory and time: a plan of a district has tens of work points
// and at most some thousands of projects; a province's project table tens of thousands of rows.
// The largest legitimate document measured (10,000 projects, 4.4 MB of Markdown) stays well
// inside every bound.
const (
	// MaxDocumentBytes is the largest document read, as uploaded or given on the command line.
	MaxDocumentBytes = 16 << 20
	// MaxLines is the most lines a text or CSV document may have.
	MaxLines = 200_000
	// MaxLineChars is the most characters one line of a text or CSV document may have.
	MaxLineChars = 20_000
	// MaxRows is the most rows (not counting empty ones) one table or worksheet may have.
	MaxRows = 20_000
	// MaxCells is the most cells a whole document may have, all tables and sheets together.
	MaxCells = 400_000
	// MaxColumns is the most columns one row may have.
	MaxColumns = 500
	// MaxCellChars is the most characters one cell may hold.
	MaxCellChars = 5_000
	// MaxSheets is the most worksheets a workbook may have.
	MaxSheets = 50
	// MaxUnzipped is the most bytes the parts of a workbook may inflate to, all together.
	MaxUnzipped = 64 << 20
	// MaxSharedStrings is the most bytes the shared string table of a workbook may inflate to:
	// excelize holds it parsed in memory (about ten times its size for the smallest strings).
	MaxSharedStrings = 8 << 20
	// MaxPart is the most bytes any part of a workbook excelize parses whole, other than its
	// worksheets and shared string table, may inflate to: styles, the workbook, relationships,
	// theme, drawings, comments… (a styles.xml of 60 MB took 1.46 GB to parse). Pictures and
	// embedded files, kept as bytes and never parsed, are bound by MaxUnzipped only. The bound
	// goes by the part's own name, whatever relationship points at it: only parts in
	// xl/worksheets/ may be worksheets, and only xl/sharedStrings.xml the shared strings.
	MaxPart = 4 << 20
	// MaxMerges is the most merged ranges one worksheet may have, MaxMergesTotal a whole
	// workbook, and MaxMergeSpan the most cells one merged range may span.
	MaxMerges      = 5_000
	MaxMergesTotal = 20_000
	MaxMergeSpan   = 100_000
	// maxRowsWithCells is the most rows of a worksheet that have any cell, empty ones included,
	// and maxRawCells the most cells, empty ones included, of a workbook's rows read (a row whose
	// one empty cell is in column XFD is read as 16,384 cells).
	maxRowsWithCells = 4 * MaxRows
	maxRawCells      = 5 * MaxCells
	// maxParts is the most files a workbook (a zip) may hold.
	maxParts = 2_000
	// inMemoryPart is the size above which excelize inflates a worksheet or the shared string
	// table into a temporary file and streams it, instead of holding it in memory (a 4 MB table
	// of one-letter strings held in memory took 127 MB; one of 2 MB, 70 MB).
	inMemoryPart = 2 << 20
	// MaxListed is the most errors (and, apart, warnings) a result lists; the rest are counted.
	MaxListed = 200
	// checkEvery is how many rows or lines are read between two looks at the context.
	checkEvery = 256
)

// refuse is the error of a document refused for passing a bound, or for content no plan has.
func refuse(pos xiezuo.Pos, format string, args ...any) error {
	return xiezuo.Errorf(xiezuo.EINVALID, "%s：%s", where(pos), fmt.Sprintf(format, args...))
}

// budget counts what a document has used of its bounds, and looks at the context now and then,
// so a read stops soon after its client has gone.
type budget struct {
	ctx      context.Context
	cells    int
	rawCells int // cells of the rows of a workbook as read, empty ones included
	ticks    int
}

// tick is called once per line or row read, empty ones included.
func (b *budget) tick() error {
	b.ticks++
	if b.ticks%checkEvery == 0 {
		return b.ctx.Err()
	}
	return nil
}

// row checks a table row that will be kept: nth is its place among the non-empty rows of its
// table (1 for the first).
func (b *budget) row(r row, nth int) error {
	if nth > MaxRows {
		return refuse(r.pos, "表格超过 %d 行（每个表格或工作表最多 %d 行，空行不计），请拆分后再上传", MaxRows, MaxRows)
	}
	if len(r.cells) > MaxColumns {
		return refuse(r.pos, "这一行有 %d 列，超过 %d 列的上限", len(r.cells), MaxColumns)
	}
	b.cells += len(r.cells)
	if b.cells > MaxCells {
		return refuse(r.pos, "文件的单元格总数超过 %d 个（所有表格合计），请拆分后再上传", MaxCells)
	}
	for i, c := range r.cells {
		if len(c) > MaxCellChars && utf8.RuneCountInString(c) > MaxCellChars {
			return refuse(r.pos, "第%d列的单元格超过 %d 个字符", i+1, MaxCellChars)
		}
		if k := controlChar(c); k >= 0 {
			return refuse(r.pos, "第%d列含有不可见的控制字符 %s，请删除后再上传", i+1, controlName(c[k]))
		}
	}
	return nil
}

// controlChar returns the index of the first control character of s that no plan holds (any
// C0 control but tab, line feed, carriage return and form feed, and DEL), or -1. NUL in
// particular cannot be stored in PostgreSQL text.
func controlChar(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f {
			return i
		}
	}
	return -1
}

func controlName(c byte) string {
	if c == 0 {
		return "U+0000（空字符）"
	}
	return fmt.Sprintf("U+%04X", c)
}

// scanLines checks a text or CSV document before it is read: its number of lines, the length of
// each, and control characters, each refused with its line.
func scanLines(ctx context.Context, text string) error {
	line, start := 1, 0
	for i := 0; i <= len(text); i++ {
		if i < len(text) && text[i] != '\n' {
			continue
		}
		s := text[start:i]
		if len(s) > MaxLineChars && utf8.RuneCountInString(s) > MaxLineChars {
			return refuse(xiezuo.Pos{Line: line}, "这一行超过 %d 个字符", MaxLineChars)
		}
		if k := controlChar(s); k >= 0 {
			return refuse(xiezuo.Pos{Line: line}, "含有不可见的控制字符 %s（文本中只能有制表符和换行），请删除后再上传", controlName(s[k]))
		}
		if i == len(text) {
			break
		}
		line++
		if line > MaxLines {
			return refuse(xiezuo.Pos{Line: line}, "文件超过 %d 行，请拆分后再上传", MaxLines)
		}
		if line%(checkEvery*16) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		start = i + 1
	}
	return nil
}

// listCapped keeps the first MaxListed problems and returns how many were left out.
func listCapped(ps []xiezuo.Problem) ([]xiezuo.Problem, int) {
	if len(ps) <= MaxListed {
		return ps, 0
	}
	return ps[:MaxListed:MaxListed], len(ps) - MaxListed
}
