// Package plandoc reads plan documents as offices write them (Markdown or text like the 2021
// plan, the project table as a workbook or CSV) into a xiezuo.Plan, and checks them like a
// careful clerk: every error names its line (or sheet and row) and says what was expected.
// It does no I/O beyond the bytes it is given, and knows nothing of SQL or HTTP.
package plandoc

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"xiezuo"
)

// Result is what reading a document gives: the plan, and the errors and warnings found.
// A plan with errors must not be stored.
type Result struct {
	Plan     *xiezuo.Plan
	Errors   []xiezuo.Problem // the first MaxListed errors, in the order of the document
	Warnings []xiezuo.Problem // the first MaxListed warnings
	// ErrorsOmitted and WarningsOmitted count the problems found beyond MaxListed, not listed.
	ErrorsOmitted   int
	WarningsOmitted int
}

// ErrorCount is the number of errors found, listed or not.
func (r *Result) ErrorCount() int { return len(r.Errors) + r.ErrorsOmitted }

// OK reports whether the document has no errors.
func (r *Result) OK() bool { return len(r.Errors) == 0 }

// Summary returns the summary of the plan with the document's errors and warnings.
func (r *Result) Summary() xiezuo.Summary {
	s := xiezuo.Summarize(r.Plan)
	s.Errors = append(s.Errors, r.Errors...)
	s.Warnings = append(s.Warnings, r.Warnings...)
	s.ErrorsOmitted, s.WarningsOmitted = r.ErrorsOmitted, r.WarningsOmitted
	return s
}

// Kinds of document.
const (
	KindText = "text"
	KindXLSX = "xlsx"
	KindCSV  = "csv"
	KindDOCX = "docx" // Word 2007 and later, and WPS saving .docx (docx.go)
	KindPDF  = "pdf"  // a PDF with a text layer (pdf.go)
	// KindDOC is an older Word (.doc) or WPS (.wps) document, converted to .docx by LibreOffice
	// (convert.go) and then read as KindDOCX; the plan's Source.Kind says "doc".
	KindDOC = "doc"
)

// Parse reads a plan document. name is the file name: its extension says the kind (.md, .txt
// → text; .xlsx → workbook; .csv), and a year and district written in it are used when the
// document itself names none. It returns an error only for unreadable input (a damaged
// workbook, an unknown kind) or a document past the bounds of limits.go; everything wrong
// inside a readable document is in Result.Errors.
func Parse(name string, data []byte) (*Result, error) {
	return ParseContext(context.Background(), name, data)
}

// ParseContext is Parse that stops, returning the context's error, soon after ctx is done.
func ParseContext(ctx context.Context, name string, data []byte) (*Result, error) {
	if len(data) > MaxDocumentBytes {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "文件“%s”有 %.1f MB，超过 %d MB 的上限，请拆分后再上传", filepath.Base(name), float64(len(data))/(1<<20), MaxDocumentBytes>>20)
	}
	kind, err := kindOf(name, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	p := newParser(name)
	p.budget = &budget{ctx: ctx}
	p.plan.Source = xiezuo.Source{Name: name, SHA256: hex.EncodeToString(sum[:]), Kind: kind}
	switch kind {
	case KindDOC:
		docx, err := convertToDOCX(ctx, name, data)
		if err != nil {
			return nil, err
		}
		lines, err := readDOCX(docx, p.budget)
		if err != nil {
			return nil, err
		}
		if err := p.textLines(lines); err != nil {
			return nil, err
		}
	case KindDOCX:
		lines, err := readDOCX(data, p.budget)
		if err != nil {
			return nil, err
		}
		if err := p.textLines(lines); err != nil {
			return nil, err
		}
	case KindPDF:
		lines, err := readPDF(ctx, data, p.budget)
		if err != nil {
			return nil, err
		}
		if err := p.textLines(lines); err != nil {
			return nil, err
		}
	case KindXLSX:
		sheets, err := readWorkbook(data, p.budget)
		if err != nil {
			return nil, err
		}
		withTable := 0
		for _, sh := range sheets {
			if sh.hasTable {
				withTable++
			}
		}
		for _, sh := range sheets {
			if withTable > 0 && !sh.hasTable {
				continue // notes, instructions (填表说明), a cover: no table to read
			}
			// Each sheet is a table of its own: nothing carries over from the sheet before.
			p.flushTask()
			p.curTable, p.tasks, p.projects = tableNone, taskState{}, projectState{}
			if err := p.tables(sh.rows); err != nil {
				return nil, err
			}
		}
	case KindCSV:
		text := decodeText(data)
		if err := scanLines(ctx, text); err != nil {
			return nil, err
		}
		rows, err := readCSV(text, p.budget)
		if err != nil {
			return nil, err
		}
		if err := p.tables(rows); err != nil {
			return nil, err
		}
	default:
		text := decodeText(data)
		if err := scanLines(ctx, text); err != nil {
			return nil, err
		}
		if err := p.text(text); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.finish(), nil
}

// binary tells whether a document named as text is not: it has a NUL byte in its first 8,000
// bytes and the magic number of a zip (.docx, .xlsx) or an old Office file, NULs in more than
// one byte in a hundred, or bytes that are neither UTF-8 nor GBK once its NULs are taken out. A
// text with a stray NUL is read, and the NUL refused at its line like any control character.
func binary(data []byte) bool {
	head := data[:min(len(data), 8000)]
	if bytes.IndexByte(head, 0) < 0 {
		return false
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		return true
	}
	if bytes.Count(head, []byte{0})*100 > len(head) {
		return true
	}
	rest := bytes.ReplaceAll(data, []byte{0}, nil)
	if utf8.Valid(bytes.TrimPrefix(rest, []byte("\xef\xbb\xbf"))) {
		return false
	}
	_, err := simplifiedchinese.GB18030.NewDecoder().Bytes(rest)
	return err != nil
}

func kindOf(name string, data []byte) (string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		if zipHas(data, "word/document.xml") && !zipHas(data, "xl/workbook.xml") {
			return KindDOCX, nil // a Word document named as a workbook
		}
		return KindXLSX, nil
	case ".csv":
		return KindCSV, nil
	case ".md", ".markdown", ".txt", ".text":
		if binary(data) {
			return "", xiezuo.Errorf(xiezuo.EINVALID, "文件“%s”不是文本文件（可能是改了扩展名的 Word 或压缩文件），请另存为 .md 或 .txt 后再试", filepath.Base(name))
		}
		return KindText, nil
	case ".docx", ".docm", ".doc", ".wps":
		// WPS and Word save one format under the other's name: the content says which.
		switch {
		case bytes.HasPrefix(data, []byte("PK\x03\x04")):
			if zipHas(data, "xl/workbook.xml") && !zipHas(data, "word/document.xml") {
				return "", xiezuo.Errorf(xiezuo.EINVALID, "文件“%s”是 Excel 工作簿，不是 Word 文档：请把扩展名改为 .xlsx 后再上传", filepath.Base(name))
			}
			return KindDOCX, nil
		case bytes.HasPrefix(data, []byte(oleMagic)):
			return KindDOC, nil
		case strings.EqualFold(filepath.Ext(name), ".docx") || strings.EqualFold(filepath.Ext(name), ".docm"):
			return KindDOCX, nil // damaged: readDOCX says so
		}
		return KindDOC, nil // an RTF or HTML saved as .doc: LibreOffice reads those too
	case ".pdf":
		return KindPDF, nil
	case ".xls", ".et":
		return "", xiezuo.Errorf(xiezuo.EINVALID, "不支持“%s”格式的文件：请另存为 .xlsx 工作簿、.csv 或 .md/.txt 文本后再上传", filepath.Ext(name))
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		if zipHas(data, "word/document.xml") {
			return KindDOCX, nil
		}
		return KindXLSX, nil
	}
	if bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 {
		return "", xiezuo.Errorf(xiezuo.EINVALID, "文件“%s”不是文本、工作簿或 CSV，无法读取", filepath.Base(name))
	}
	return KindText, nil
}

// oleMagic starts an old Office file (.doc, .wps, .xls).
const oleMagic = "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

// zipHas tells whether data is a zip whose directory names the part name.
func zipHas(data []byte, name string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) > maxParts {
		return false
	}
	for _, zf := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(zf.Name, "\\", "/"), name) {
			return true
		}
	}
	return false
}

// decodeText returns the text as UTF-8: files saved by office software on Chinese Windows are
// often GB18030 (GBK).
func decodeText(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
		return string(out)
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

type parser struct {
	name     string
	budget   *budget
	plan     *xiezuo.Plan
	errs     []xiezuo.Problem
	warns    []xiezuo.Problem
	units    map[string]int // canonical name → index in plan.Units
	warned   map[string]bool
	yearPos  xiezuo.Pos
	distPos  xiezuo.Pos
	wanUnit  int64 // fen per unit of money in the project table
	unitPos  xiezuo.Pos
	bodyText strings.Builder // prose of the document, to find the relation of each region
	projects projectState
	tasks    taskState
	seen     map[string]xiezuo.Pos // region/name of every project read, to find duplicates
	// groupRelation is the relation of regions listed under a group row (一、东西部协作).
	groupRelation map[string]string
	invalid       map[cellKey]bool // figure cells found invalid, already reported
	// where is, for documents without lines of their own (Word, PDF), the place each line
	// number stands for as the clerk sees it; nil for text and workbooks.
	where map[int]srcLine

	// pointMarks are the numbers of the work points as written (3, （三）), beside plan.Points:
	// the points are numbered in order through the document, and checkPoints checks these.
	pointMarks []string

	curTable       int            // which table rows belong to: tableNone, tableTasks, tableProjects, …
	teamCols       map[string]int // columns of a table of work teams
	warnedNoHeader bool
}

func newParser(name string) *parser {
	return &parser{
		name:          name,
		budget:        &budget{ctx: context.Background()},
		plan:          &xiezuo.Plan{},
		units:         map[string]int{},
		warned:        map[string]bool{},
		seen:          map[string]xiezuo.Pos{},
		groupRelation: map[string]string{},
		invalid:       map[cellKey]bool{},
		wanUnit:       xiezuo.FenPerWan,
	}
}

func (p *parser) errorf(pos xiezuo.Pos, format string, args ...any) {
	p.errs = append(p.errs, xiezuo.Problem{Line: pos.Line, Sheet: pos.Sheet, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warnf(pos xiezuo.Pos, format string, args ...any) {
	p.warns = append(p.warns, xiezuo.Problem{Line: pos.Line, Sheet: pos.Sheet, Message: fmt.Sprintf(format, args...)})
}

// unit records a unit named in the document and returns its canonical name. A name the
// catalogue does not know is a warning, once per name.
func (p *parser) unit(written string, pos xiezuo.Pos) string {
	u, known := xiezuo.LookupUnit(written)
	if u.Name == "" {
		return ""
	}
	if _, ok := p.units[u.Name]; !ok {
		p.units[u.Name] = len(p.plan.Units)
		p.plan.Units = append(p.plan.Units, u)
	}
	if !known && !p.warned[u.Name] {
		p.warned[u.Name] = true
		p.warnf(pos, "单位“%s”不在单位名录中，将作为新单位登记；如是已有单位的别称或笔误，请改为规范名称", u.Name)
	}
	return u.Name
}

var (
	reUnitSplit = regexp.MustCompile(`[、，,；;/／]+|\s+`)
	reRoleLabel = regexp.MustCompile(`^(责任单位|责任部门|牵头单位|牵头部门|配合单位|配合部门|协办单位|参与单位)\s*[:：]\s*`)
	reRoleMark  = regexp.MustCompile(`[（(](牵头|配合|协办)[)）]$`)
	// reRoleWord is a role written after a name without a bracket: 区人力社保局牵头，各镇街配合.
	reRoleWord = regexp.MustCompile(`(\p{Han}{2})(牵头|配合|协办)$`)
	// reCommaRole is a comma before a role label, where a semicolon belongs.
	reCommaRole = regexp.MustCompile(`[，,]\s*((?:牵头|配合|协办|参与|责任)(?:单位|部门)\s*[:：])`)
)

// responsibilities reads a list of responsible units: 责任单位：A、B、C等; 牵头单位：A；配合单位：B、C;
// or A（牵头）、B. Unless the text says 牵头/配合, the first named unit leads.
func (p *parser) responsibilities(text string, pos xiezuo.Pos) (rs []xiezuo.Responsibility, open bool) {
	text = strings.TrimSpace(text)
	text = strings.TrimRight(text, "。.；;")
	text = reCommaRole.ReplaceAllString(text, "；$1")
	stated := false
	segments := regexp.MustCompile(`[；;]`).Split(text, -1)
	for _, seg := range segments {
		seg = strings.TrimSpace(seg)
		role := xiezuo.Role("")
		if m := reRoleLabel.FindStringSubmatch(seg); m != nil {
			switch {
			case strings.HasPrefix(m[1], "牵头"):
				role = xiezuo.RoleLead
			case strings.HasPrefix(m[1], "责任"):
			default:
				role = xiezuo.RoleCooperating
			}
			seg = seg[len(m[0]):]
		}
		for _, name := range reUnitSplit.Split(seg, -1) {
			name = strings.TrimSpace(name)
			r := role
			if m := reRoleMark.FindStringSubmatch(name); m != nil {
				name = strings.TrimSuffix(name, m[0])
				if m[1] == "牵头" {
					r = xiezuo.RoleLead
				} else {
					r = xiezuo.RoleCooperating
				}
			} else if m := reRoleWord.FindStringSubmatch(name); m != nil && xiezuo.LooksLikeUnit(strings.TrimSuffix(name, m[2])) {
				name = strings.TrimSuffix(name, m[2])
				if m[2] == "牵头" {
					r = xiezuo.RoleLead
				} else {
					r = xiezuo.RoleCooperating
				}
			}
			if strings.HasSuffix(name, "等") {
				open = true
			}
			written := xiezuo.NormalizeUnitName(name)
			if written == "" {
				continue
			}
			canonical := p.unit(written, pos)
			dup := false
			for _, prev := range rs {
				if prev.Unit == canonical {
					dup = true
				}
			}
			if dup {
				p.warnf(pos, "单位“%s”在同一责任单位名单中重复出现", written)
				continue
			}
			rs = append(rs, xiezuo.Responsibility{Unit: canonical, Written: written, Role: r, Stated: r != ""})
			if r != "" {
				stated = true
			}
		}
	}
	for i := range rs {
		if rs[i].Role != "" {
			continue
		}
		// Units without a stated role: when some were stated lead, the others cooperate;
		// otherwise the first named leads.
		if stated || i > 0 {
			rs[i].Role = xiezuo.RoleCooperating
		} else {
			rs[i].Role = xiezuo.RoleLead
		}
	}
	return rs, open
}

var (
	reTitleYearFirst = regexp.MustCompile(`(?:^|[《“"])(\d{4})年度?(.{2,12}?(?:区|县|市|旗))(?:扶贫协作|支援合作|东西部协作|对口支援|对口协作|区域协作|区域合作|乡村振兴协作|乡村振兴|帮扶|协作)`)
	reTitleDistFirst = regexp.MustCompile(`^(.{2,12}?(?:区|县|市|旗))(\d{4})年度?(?:扶贫协作|支援合作|东西部协作|对口支援|对口协作|区域协作|区域合作|乡村振兴协作|乡村振兴|帮扶|协作)`)
	reOffice         = regexp.MustCompile(`^(.{2,12}?(?:区|县|市|旗))(?:扶贫协作和支援合作|支援合作|东西部协作和对口支援|扶贫协作|对口支援和区域协作|支援合作和区域协作|区域协作|乡村振兴协作|东西部协作|对口支援)工作领导小组办公室$`)
	reIssued         = regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`)
	// reUnitRow is the unit row above a table: (单位:万元), 单位：元，人, （单位：元、个、人）,
	// (金额单位：元). Only the money unit matters; the units of counts that follow it are read
	// from the figures themselves.
	reUnitRow = regexp.MustCompile(`^[（(]?\s*(?:金额|资金)?单位\s*[:：]\s*(万元|元)\s*(?:[、，,；;/／]\s*[^（）()]{0,20})?[)）]?$`)
)

// heading looks at a short line that may be a title: it can give the year, the district, the
// office, the date of issue or the unit of money.
func (p *parser) heading(line string, pos xiezuo.Pos) bool {
	s := squeeze(line)
	if m := reUnitRow.FindStringSubmatch(s); m != nil {
		p.setMoneyUnit(m[1], pos)
		return true
	}
	if s == "" || utf8.RuneCountInString(s) > 60 || strings.ContainsAny(s, "，。；,;") {
		return false // prose, even when it quotes a title
	}
	if m := reOffice.FindStringSubmatch(s); m != nil {
		if p.plan.Office == "" {
			p.plan.Office = s
		}
		p.setDistrict(m[1], pos, false)
		return true
	}
	if m := reIssued.FindStringSubmatch(s); m != nil && p.plan.IssuedOn.IsZero() {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		date := xiezuo.NewDate(y, time.Month(mo), d)
		if mo < 1 || mo > 12 || date.Day != d {
			p.errorf(pos, "发文日期“%s”不是真实的日期", s)
		} else {
			p.plan.IssuedOn = date
		}
		return true
	}
	var year, district string
	if m := reTitleYearFirst.FindStringSubmatch(s); m != nil {
		year, district = m[1], m[2]
	} else if m := reTitleDistFirst.FindStringSubmatch(s); m != nil {
		district, year = m[1], m[2]
	} else {
		return false
	}
	if strings.HasSuffix(s, "工作要点") && p.plan.Title == "" {
		p.plan.Title = strings.Trim(s, "《》")
	}
	y, _ := strconv.Atoi(year)
	p.setYear(y, pos, false)
	p.setDistrict(district, pos, false)
	return true
}

func (p *parser) setYear(y int, pos xiezuo.Pos, fromName bool) {
	if y < 2000 || y > 2100 {
		p.errorf(pos, "年份 %d 不合理", y)
		return
	}
	switch {
	case p.plan.Year == 0:
		p.plan.Year, p.yearPos = y, pos
	case p.plan.Year != y && !fromName:
		p.errorf(pos, "年份为 %d 年，与%s的 %d 年不一致", y, p.place(p.yearPos), p.plan.Year)
	}
}

func (p *parser) setDistrict(d string, pos xiezuo.Pos, fromName bool) {
	d = strings.TrimPrefix(d, "关于")
	for _, prefix := range []string{"北京市", "上海市", "天津市", "重庆市"} {
		d = strings.TrimPrefix(d, prefix)
	}
	if utf8.RuneCountInString(d) < 2 {
		return
	}
	switch {
	case p.plan.District == "":
		p.plan.District, p.distPos = d, pos
	case p.plan.District != d && !fromName:
		p.errorf(pos, "区县为“%s”，与%s的“%s”不一致", d, p.place(p.distPos), p.plan.District)
	}
}

func (p *parser) setMoneyUnit(u string, pos xiezuo.Pos) {
	unit := int64(xiezuo.FenPerWan)
	if u == "元" {
		unit = xiezuo.FenPerYuan
	}
	p.wanUnit, p.unitPos = unit, pos
}

// place names the line of pos as the clerk finds it: where the Word or PDF document shows it
// (附件3第1段, 第4页第2段), else its line or a sheet's row.
func (p *parser) place(pos xiezuo.Pos) string {
	if w, ok := p.where[pos.Line]; ok && pos.Sheet == "" && w.where != "" {
		return w.where
	}
	return where(pos)
}

func where(pos xiezuo.Pos) string {
	if pos.Sheet != "" {
		return fmt.Sprintf("工作表“%s”第%d行", pos.Sheet, pos.Line)
	}
	return fmt.Sprintf("第%d行", pos.Line)
}

// finish completes the plan: the year and district from the file name when the document has
// none, the checks that need the whole document, the regions and their relations.
func (p *parser) finish() *Result {
	p.flushTask()
	base := strings.TrimSuffix(filepath.Base(p.name), filepath.Ext(p.name))
	if p.plan.Year == 0 || p.plan.District == "" {
		if m := reTitleYearFirst.FindStringSubmatch(squeeze(base)); m != nil {
			y, _ := strconv.Atoi(m[1])
			p.setYear(y, xiezuo.Pos{Line: 1}, true)
			p.setDistrict(m[2], xiezuo.Pos{Line: 1}, true)
		} else if m := reTitleDistFirst.FindStringSubmatch(squeeze(base)); m != nil {
			y, _ := strconv.Atoi(m[2])
			p.setYear(y, xiezuo.Pos{Line: 1}, true)
			p.setDistrict(m[1], xiezuo.Pos{Line: 1}, true)
		}
	}
	if p.plan.Year == 0 {
		p.errorf(xiezuo.Pos{Line: 1}, "找不到计划年份：标题应写明年份，如“2021年门头沟区支援合作工作要点”或“2021年门头沟区支援合作项目计划表”")
	}
	if p.plan.District == "" {
		p.errorf(xiezuo.Pos{Line: 1}, "找不到区县名称：标题应写明区县，如“2021年门头沟区支援合作工作要点”")
	}
	if len(p.plan.Points) == 0 && len(p.plan.Tasks) == 0 && len(p.plan.Projects) == 0 && len(p.plan.Teams) == 0 {
		p.errorf(xiezuo.Pos{Line: 1}, "文件中没有找到工作要点、工作专班、任务清单或项目计划表")
	}
	p.checkPoints()
	p.checkProjects()
	p.checkSubtotals()
	p.findRegions()
	p.placeProblems(p.errs)
	p.placeProblems(p.warns)
	sortProblems(p.errs)
	sortProblems(p.warns)
	r := &Result{Plan: p.plan}
	r.Errors, r.ErrorsOmitted = listCapped(p.errs)
	r.Warnings, r.WarningsOmitted = listCapped(p.warns)
	if r.Errors == nil {
		r.Errors = []xiezuo.Problem{}
	}
	if r.Warnings == nil {
		r.Warnings = []xiezuo.Problem{}
	}
	return r
}

// placeProblems names, for a Word or PDF document, where each problem is as the clerk sees it.
func (p *parser) placeProblems(ps []xiezuo.Problem) {
	if p.where == nil {
		return
	}
	for i := range ps {
		if w, ok := p.where[ps[i].Line]; ok && ps[i].Sheet == "" {
			ps[i].Where, ps[i].Page = w.where, w.page
		}
	}
}

func sortProblems(ps []xiezuo.Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Sheet != ps[j].Sheet {
			return ps[i].Sheet < ps[j].Sheet
		}
		return ps[i].Line < ps[j].Line
	})
}

// checkPoints checks the numbering of work points and that each has responsible units, and
// numbers the points in order through the document (stored plans key points by Number).
// Within a section the numbers written must follow one another; a section's first point is
// numbered 1 (（一）（二） or 1. 2. restarting in each section 一、二, the standard hierarchy)
// or on from the section before (1. to 19. through the document, as the 2021 plan).
func (p *parser) checkPoints() {
	prev, restarts := 0, false // the number written on the point before; whether sections restart at 1
	for i := range p.plan.Points {
		wp := &p.plan.Points[i]
		n, mark := wp.Number, ""
		if i < len(p.pointMarks) {
			mark = p.pointMarks[i]
		}
		paren := strings.HasPrefix(mark, "（")
		first := i == 0 || wp.Section != p.plan.Points[i-1].Section
		switch {
		case !first && n != prev+1:
			p.warnf(wp.Pos, "%s工作要点编号为%s，按顺序应为%s", p.sectionName(wp.Section), pointMark(n, paren), pointMark(prev+1, paren))
		case first && n != 1 && (i == 0 || n != prev+1):
			want := prev + 1
			if restarts || paren || i == 0 {
				want = 1
			}
			p.warnf(wp.Pos, "%s工作要点编号为%s，按顺序应为%s", p.sectionName(wp.Section), pointMark(n, paren), pointMark(want, paren))
		case first && i > 0 && n == 1:
			restarts = true
		}
		prev = n
		wp.Number = i + 1
		if len(wp.Units) == 0 {
			name := fmt.Sprintf("第 %d 条工作要点", wp.Number)
			switch {
			case paren:
				name = p.sectionName(wp.Section) + "工作要点" + pointMark(n, paren)
			case restarts:
				name = p.sectionName(wp.Section) + fmt.Sprintf("第 %d 条工作要点", n)
			}
			p.warnf(wp.Pos, "%s没有写明责任单位", name)
		}
	}
}

// sectionName names a section as the document numbers it, to go before a noun: 第二部分的;
// "" for no section.
func (p *parser) sectionName(n int) string {
	if n == 0 {
		return ""
	}
	return "第" + chineseNumeral(n) + "部分的"
}

// pointMark writes a point's number as the document does: （三） or 3.
func pointMark(n int, paren bool) string {
	if paren {
		return "（" + chineseNumeral(n) + "）"
	}
	return " " + strconv.Itoa(n)
}

// chineseNumeral writes 1 to 99 as 一 to 九十九.
func chineseNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// regionPrefixes are the province and prefecture words that documents put before a county's
// name and prose often leaves out.
var relationWords = []struct{ word, relation string }{
	{"东西部协作", xiezuo.RelationEastWest},
	{"东西部扶贫协作", xiezuo.RelationEastWest},
	{"京冀扶贫协作", xiezuo.RelationJingJi},
	{"南水北调对口协作", xiezuo.RelationWaterDiversion},
	{"对口协作", xiezuo.RelationWaterDiversion},
	{"对口支援", xiezuo.RelationPaired},
	{"扶贫协作", xiezuo.RelationEastWest},
}

// findRegions lists the partner regions of the project table in order, and reads each one's
// relation from the prose just before the region's name (东西部协作内蒙古武川县、对口支援西藏堆龙德庆区).
func (p *parser) findRegions() {
	body := p.bodyText.String()
	if len(body) > relationText {
		// The relations are stated in the notice and the headings before the tables; bounding
		// the prose searched keeps a document of thousands of regions linear.
		body = strings.ToValidUTF8(body[:relationText], "")
	}
	seen := map[string]bool{}
	for _, pr := range p.plan.Projects {
		if seen[pr.Region] || pr.Region == "" {
			continue
		}
		seen[pr.Region] = true
		rel := p.groupRelation[pr.Region]
		if rel == "" {
			rel = relationOf(body, pr.Region)
		}
		p.plan.Regions = append(p.plan.Regions, xiezuo.PartnerRegion{Name: pr.Region, Relation: rel})
	}
}

// relationText is how much of the prose is searched for the relation of a region, and
// relationTries how many mentions of one name are looked at.
const (
	relationText  = 256 << 10
	relationTries = 64
)

func relationOf(text, region string) string {
	name := []rune(region)
	for k := 0; k+3 <= len(name) && len(name) <= 40; k++ {
		suffix := string(name[k:])
		idx := 0
		for range relationTries {
			i := strings.Index(text[idx:], suffix)
			if i < 0 {
				break
			}
			at := idx + i
			window := lastRunes(text[:at], 16)
			best, bestAt := "", -1
			for _, rw := range relationWords {
				if j := strings.LastIndex(window, rw.word); j >= 0 && j+len(rw.word) > bestAt {
					best, bestAt = rw.relation, j+len(rw.word)
				}
			}
			if best != "" {
				return best
			}
			idx = at + len(suffix)
		}
	}
	return ""
}

// lastRunes returns the last n runes of s.
func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}
