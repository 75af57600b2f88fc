// Package labourio reads the labour lists (劳务协作三张清单) as offices keep them — .xlsx and
// .csv (UTF-8 or GBK) — row by row with flat memory, checks each row by the root's rule
// (xiezuo.CheckLabourRow), hands the good rows to a sink (storage) and collects the bad ones into
// a workbook the office corrects and imports again. It also writes the lists' templates and
// resolves places through package division. No SQL, no HTTP.
package labourio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"xiezuo"
	"xiezuo/vault"
)

// Bounds of a file.
const (
	MaxFileSize  = 1 << 30   // bytes of a file
	MaxRows      = 2_000_000 // data rows of a file
	MaxColumns   = 200       // columns read of a row (more are ignored)
	MaxCellBytes = 4096      // bytes kept of a cell (the row check refuses long texts)
	MaxBadKept   = 100_000   // bad rows kept for the bad rows' workbook
	MaxErrors    = 100_000   // bad rows listed in Result.Errors
	MaxBadBytes  = 64 << 20  // bytes of the bad rows' cells kept for their workbook
	// MaxScannedRows bounds the rows of a file read, blank ones included (a worksheet has at
	// most MaxSheetRow): row numbers fit 32 bits.
	MaxScannedRows = 4_000_000
	progressEvery  = 500 * time.Millisecond
)

// ErrorColumn is the header of the last column of the bad rows' workbook.
const ErrorColumn = "错误原因"

// Sink takes the good rows of an import (*sqldb.LabourImport is one).
type Sink interface {
	// Add stores one checked record of file row row; problem is a reason only storage sees
	// (nothing stored), err a failure that stops the import.
	Add(ctx context.Context, row int, rec xiezuo.LabourRecord) (problem string, err error)
	// Progress says how many data rows (blank rows not counted) have been read of about
	// total (0 unknown).
	Progress(read, total int)
}

// Result is what an import read.
type Result struct {
	Rows          int                     // data rows read (blank rows not counted)
	Errors        []xiezuo.LabourRowError // the bad rows, by row (at most MaxErrors)
	Bad           int                     // how many rows were bad
	ErrorsOmitted int                     // bad rows beyond MaxErrors, not listed
	BadWorkbook   []byte                  // the bad rows to correct (nil when none)
	BadOmitted    int                     // bad rows beyond MaxBadKept (or MaxBadBytes), not in the workbook
}

// Kind is the kind of a file by its name: "xlsx", "csv", or "" for one this package does not read.
func Kind(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		return "xlsx"
	case ".csv", ".txt":
		return "csv"
	}
	return ""
}

// rowReader yields a file's rows one by one: the 1-based row of the file and its cells (valid
// until the next call).
type rowReader interface {
	next() (row int, cells []string, err error) // io.EOF at the end
	total() int                                 // rows of the file, estimated; 0 unknown
	close() error
}

// open opens a file for reading rows; tmp is the folder for temporary files (excelize's, the
// sheet scanner's shared strings), removed by the caller once the reader is closed.
func open(path, tmp string) (rowReader, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取文件：%s", osMessage(err))
	}
	if st.Size() > MaxFileSize {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "文件太大（%d MB），最多 %d MB", st.Size()>>20, MaxFileSize>>20)
	}
	switch Kind(path) {
	case "xlsx":
		s, err := openSheet(path, tmp)
		if err == nil {
			return s, nil
		}
		if err != errFallback {
			return nil, err
		}
		return openXLSX(path, tmp)
	case "csv":
		return openCSV(path, st.Size())
	}
	return nil, xiezuo.Errorf(xiezuo.EINVALID, "只能导入 .xlsx 或 .csv 文件（.xls 请在 Excel 中另存为 .xlsx）")
}

func osMessage(err error) string {
	switch {
	case os.IsNotExist(err):
		return "文件不存在"
	case os.IsPermission(err):
		return "没有读取权限"
	}
	return "读取失败"
}

// Top reads the first n rows of a .xlsx (its first sheet) or .csv file for the preview.
func Top(path string, n int) ([][]string, error) {
	tmp, err := os.MkdirTemp("", "xiezuo-labour-")
	if err != nil {
		return nil, fmt.Errorf("top: %w", err)
	}
	defer os.RemoveAll(tmp)
	r, err := open(path, tmp)
	if err != nil {
		return nil, err
	}
	defer r.close()
	var out [][]string
	for len(out) < n {
		row, cells, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for len(out) < row-1 && len(out) < n { // rows the sheet skips are blank
			out = append(out, nil)
		}
		if len(out) < n {
			out = append(out, trimRight(clone(cells)))
		}
	}
	return out, nil
}

func clone(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.Clone(c)
	}
	return out
}

func trimRight(cells []string) []string {
	for len(cells) > 0 && strings.TrimSpace(cells[len(cells)-1]) == "" {
		cells = cells[:len(cells)-1]
	}
	return cells
}

// Import reads the file at path as list l under mapping m: each data row is checked
// (xiezuo.CheckLabourRow), an ID number (or a job) twice in the file is a bad row, good rows go
// to sink.Add. Every bad row is in the Result with its row and reasons, joined by 「；」; the
// bad rows' cells as typed go into Result.BadWorkbook. The error is for a file that cannot be
// read, a sink failure or ctx's end; bad rows are not errors.
func Import(ctx context.Context, path string, l xiezuo.LabourList, m xiezuo.LabourMapping, check xiezuo.LabourCheck, sink Sink) (Result, error) {
	if err := m.Check(l); err != nil {
		return Result{}, err
	}
	tmp, err := os.MkdirTemp("", "xiezuo-labour-")
	if err != nil {
		return Result{}, fmt.Errorf("import: %w", err)
	}
	defer os.RemoveAll(tmp)
	r, err := open(path, tmp)
	if err != nil {
		return Result{}, err
	}
	// The file is read (unzipped, scanned) in a goroutine of its own while this one checks and
	// stores, in batches through a short channel: memory stays flat, two cores are used.
	readCtx, stop := context.WithCancel(ctx)
	batches := make(chan rowBatch, 4)
	go readBatches(readCtx, r, batches)
	defer func() {
		stop()
		for range batches { // let the reader end before its file is closed
		}
		r.close()
	}()

	var (
		res      Result
		bad      []badRow
		seed     = maphash.MakeSeed()
		sized    bool
		seen     rowSet // hash of an ID number (or a job's key) → its first row (≤ MaxScannedRows)
		last     = time.Now()
		total    int
		scanned  int
		badBytes int // bytes of the bad rows kept
	)
	addBad := func(row int, cells []string, msgs []string) {
		res.Bad++
		msg := strings.Join(msgs, "；")
		if len(res.Errors) < MaxErrors {
			res.Errors = append(res.Errors, xiezuo.LabourRowError{Row: row, Message: msg})
		} else {
			res.ErrorsOmitted++
		}
		kept := trimRight(cells)
		size := len(msg)
		for _, c := range kept {
			size += len(c) + 16
		}
		if len(bad) < MaxBadKept && badBytes+size <= MaxBadBytes {
			badBytes += size
			bad = append(bad, badRow{row: row, cells: clone(kept), msg: msg})
		} else {
			res.BadOmitted++
		}
	}
	var (
		batch rowBatch
		at    int
	)
	for {
		if at == len(batch.rows) {
			var ok bool
			batch, ok = <-batches
			if !ok {
				if err := ctx.Err(); err != nil {
					return res, err
				}
				break
			}
			if batch.err != nil {
				return res, batch.err
			}
			at, total = 0, batch.total
			if !sized && total > 0 { // the set made once for the file's rows, about
				sized = true
				seen.reserve(min(total, 1<<20))
			}
			if len(batch.rows) == 0 {
				continue
			}
		}
		row, cells := batch.rows[at], batch.cells[at]
		at++
		scanned++
		if scanned > MaxScannedRows || row > MaxScannedRows {
			return res, xiezuo.Errorf(xiezuo.EINVALID, "工作表过大：文件超过 %d 行（空行也计在内），请分成几个文件导入", MaxScannedRows)
		}
		if scanned%256 == 0 {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			if now := time.Now(); now.Sub(last) >= progressEvery {
				last = now
				sink.Progress(res.Rows, max(total-m.HeaderRows, res.Rows))
			}
		}
		if row <= m.HeaderRows {
			continue
		}
		rec, problems := xiezuo.CheckLabourRow(l, m, cells, check)
		if rec.Person == nil && rec.Job == nil && len(problems) == 0 {
			continue // a blank row
		}
		res.Rows++
		if res.Rows > MaxRows {
			return res, xiezuo.Errorf(xiezuo.EINVALID, "文件超过 %d 行数据，请分成几个文件导入", MaxRows)
		}
		if len(problems) == 0 {
			key, what := "", ""
			if rec.Person != nil {
				key, what = rec.Person.IDNumber, labelOf(m, l, xiezuo.LFIDNumber)
			} else {
				key, what = rec.Job.JobKey(), "岗位"
			}
			h := maphash.String(seed, key)
			if first, dup := seen.firstRow(h, uint32(row)); dup {
				if rec.Person != nil {
					problems = append(problems, fmt.Sprintf("“%s”：与第%d行重复（%s），同一人在一个清单中只能有一行", what, first, maskID(key)))
				} else {
					problems = append(problems, fmt.Sprintf("与第%d行是同一单位的同一岗位和工作地点，请合并为一行", first))
				}
			}
		}
		if len(problems) > 0 {
			addBad(row, cells, problems)
			continue
		}
		problem, err := sink.Add(ctx, row, rec)
		if err != nil {
			return res, fmt.Errorf("import row %d: %w", row, err)
		}
		if problem != "" {
			addBad(row, cells, []string{problem})
		}
	}
	sink.Progress(res.Rows, res.Rows)
	if len(bad) > 0 {
		b, err := badWorkbook(m, bad, res.BadOmitted)
		if err != nil {
			return res, err
		}
		res.BadWorkbook = b
	}
	return res, nil
}

func labelOf(m xiezuo.LabourMapping, l xiezuo.LabourList, key string) string {
	if i := m.Column(key); i >= 0 && i < len(m.Headers) && m.Headers[i] != "" {
		return m.Headers[i]
	}
	f, _ := xiezuo.LabourFieldOf(l, key)
	return f.Label
}

// maskID masks a duplicated ID number for a message as screens show it (vault.MaskID).
func maskID(s string) string { return vault.MaskID(s) }

// rowBatch is a batch of rows read: their file rows and cells, the reader's estimate of the
// file's rows, or the error that ended the reading.
type rowBatch struct {
	rows  []int
	cells [][]string
	total int
	err   error
}

// batchRows is how many rows a batch holds, batchBytes about how many bytes of cells: a cell
// can be a string of its own of up to MaxCellBytes (an inline string, a shared string read from
// its file), and 512 rows of MaxColumns such cells, which a small file can make, would hold
// 400 MB a batch. Rows as offices keep them are some 200 bytes.
const (
	batchRows  = 512
	batchBytes = 4 << 20
)

// readBatches reads r's rows into batches on out until the end, an error or ctx's end, and
// closes out.
func readBatches(ctx context.Context, r rowReader, out chan<- rowBatch) {
	defer close(out)
	for {
		b := rowBatch{rows: make([]int, 0, batchRows), cells: make([][]string, 0, batchRows)}
		end := false
		for size := 0; len(b.rows) < batchRows && size < batchBytes; {
			row, cells, err := r.next()
			if err == io.EOF {
				end = true
				break
			}
			if err != nil {
				b.err = err
				end = true
				break
			}
			b.rows = append(b.rows, row)
			b.cells = append(b.cells, slices.Clone(cells))
			for _, c := range cells {
				size += len(c)
			}
		}
		b.total = r.total()
		select {
		case out <- b:
		case <-ctx.Done():
			return
		}
		if end {
			return
		}
	}
}

// badRow is a bad row kept for the workbook.
type badRow struct {
	row   int
	cells []string
	msg   string
}

// badWorkbook writes the bad rows under the file's header, every cell as text, with the reasons
// in a last column.
func badWorkbook(m xiezuo.LabourMapping, bad []badRow, omitted int) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "错误行"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	head, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	width := len(m.Headers)
	for _, b := range bad {
		width = max(width, len(b.cells))
	}
	_ = sw.SetColWidth(1, width+1, 16)
	hdr := make([]any, width+2)
	hdr[0] = excelize.Cell{StyleID: head, Value: "原文件行号"}
	for i := 0; i < width; i++ {
		h := ""
		if i < len(m.Headers) {
			h = m.Headers[i]
		}
		hdr[i+1] = excelize.Cell{StyleID: head, Value: h}
	}
	hdr[width+1] = excelize.Cell{StyleID: head, Value: ErrorColumn}
	if err := sw.SetRow("A1", hdr); err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	idCol := m.Column(xiezuo.LFIDNumber)
	for i, b := range bad {
		vals := make([]any, width+2)
		vals[0] = excelize.Cell{StyleID: text, Value: strconv.Itoa(b.row)}
		for j := 0; j < width; j++ {
			v := ""
			if j < len(b.cells) {
				v = b.cells[j]
			}
			if j == idCol {
				// An ID number Excel turned into a number is written as Excel showed it
				// (5.22624E+17), not as the digits read back, which look like a real number.
				if shown, ok := xiezuo.ExcelDamagedID(v); ok {
					v = shown
				}
			}
			vals[j+1] = excelize.Cell{StyleID: text, Value: v}
		}
		vals[width+1] = excelize.Cell{StyleID: text, Value: b.msg}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return nil, fmt.Errorf("bad rows: %w", err)
		}
	}
	if omitted > 0 {
		cell, _ := excelize.CoordinatesToCellName(1, len(bad)+2)
		if err := sw.SetRow(cell, []any{"", fmt.Sprintf("另有 %d 行有错误，未列入本表：请改正以上各行后重新导入，再下载其余的错误行", omitted)}); err != nil {
			return nil, fmt.Errorf("bad rows: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("bad rows: %w", err)
	}
	return buf.Bytes(), nil
}

// xlsxReader reads the first sheet of a workbook with excelize's row iterator.
type xlsxReader struct {
	f     *excelize.File
	rows  *excelize.Rows
	n     int
	est   int
	cells []string
}

func openXLSX(path, tmp string) (*xlsxReader, error) {
	f, err := excelize.OpenFile(path, excelize.Options{TmpDir: tmp, UnzipSizeLimit: maxSheetBytes + maxSharedTotal})
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作簿：文件已损坏或不是 .xlsx 格式")
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", sheets[0])
	}
	return &xlsxReader{f: f, rows: rows, est: sheetDimension(path)}, nil
}

func (x *xlsxReader) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行之后无法读取：%v", x.n, err)
		}
		return 0, nil, io.EOF
	}
	x.n++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿第%d行无法读取", x.n)
	}
	return x.n, bound(cells), nil
}

func (x *xlsxReader) total() int { return x.est }

func (x *xlsxReader) close() error {
	x.rows.Close()
	return x.f.Close()
}

var dimensionRef = regexp.MustCompile(`<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"`)

// sheetDimension is the last row the first worksheet's <dimension> says, read from the head of
// its XML without loading the sheet (0 when it does not say).
func sheetDimension(path string) int {
	z, err := zip.OpenReader(path)
	if err != nil {
		return 0
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0
		}
		defer rc.Close()
		head := make([]byte, 16<<10)
		n, _ := io.ReadFull(rc, head)
		if m := dimensionRef.FindSubmatch(head[:n]); m != nil {
			v, _ := strconv.Atoi(string(m[1]))
			return v
		}
	}
	return 0
}

// bound keeps at most MaxColumns cells of at most MaxCellBytes each.
func bound(cells []string) []string {
	if len(cells) > MaxColumns {
		cells = cells[:MaxColumns]
	}
	for i, c := range cells {
		if len(c) > MaxCellBytes {
			c = c[:MaxCellBytes]
			for !utf8.ValidString(c) {
				c = c[:len(c)-1]
			}
			cells[i] = c
		}
	}
	return cells
}

// csvReader reads a CSV file in UTF-8 (with or without BOM) or GBK/GB18030.
type csvReader struct {
	f    *os.File
	r    *csv.Reader
	cr   *countingReader
	n    int
	size int64
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func openCSV(path string, size int64) (*csvReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取文件：%s", osMessage(err))
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(cr, 64<<10)
	head, _ := br.Peek(64 << 10)
	var in io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
	case !validUTF8Prefix(head):
		in = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	return &csvReader{f: f, r: r, cr: cr, size: size}, nil
}

// validUTF8Prefix reports whether b is UTF-8, a rune cut at its end allowed.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

func (c *csvReader) next() (int, []string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	c.n++
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "CSV 文件第%d行无法读取（引号不成对？）", pe.Line)
		}
		return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "CSV 文件第%d行无法读取", c.n)
	}
	// The encoding is told from the file's head: a file whose head is UTF-8 (or says so by its
	// BOM) and whose later rows are not would carry bytes PostgreSQL refuses into the lists.
	for i, cell := range rec {
		if !utf8.ValidString(cell) {
			return 0, nil, xiezuo.Errorf(xiezuo.EINVALID, "CSV 文件第%d行第%d列不是 UTF-8 文字（文件的编码前后不一？）：请另存为“CSV UTF-8”后再导入", c.n, i+1)
		}
	}
	return c.n, bound(rec), nil
}

// total estimates the rows from the bytes read so far.
func (c *csvReader) total() int {
	if c.n < 100 || c.cr.n == 0 {
		return 0
	}
	return int(float64(c.size) / float64(c.cr.n) * float64(c.n))
}

func (c *csvReader) close() error { return c.f.Close() }

// Row numbers are kept in 32 bits (seen): this does not compile if the bound outgrows them.
const _ = uint32(MaxScannedRows)
