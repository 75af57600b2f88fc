package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"xiezuo"
)

// Registers in workbooks: the list's download (every field, Chinese headers, amounts in 万元),
// the blank template (the header and a line of hints) and the import, which reads a workbook
// row by row through xiezuo.CheckEntry exactly as the form does, and stores all its rows in
// one WriteRegisterEntries call or, when any row is bad, nothing.

// Bounds of a register import.
const (
	maxRegisterImportBytes = 10 << 20
	maxRegisterImportRows  = 10_000
	maxRegisterUnzipped    = 64 << 20
)

// registerUploadLimit is the body limit of the import route (the guard's).
const registerUploadLimit = maxRegisterImportBytes + 64<<10

// Columns a download adds that an import passes over.
const (
	colEntry = "编号"
)

// registerHeader is a field's or derived field's header in a workbook: its label, with the
// unit of a number: 捐款（万元）.
func registerHeader(spec xiezuo.RegisterSpec, key string) string {
	label := spec.LabelOf(key)
	if f, ok := spec.Field(key); ok && f.Kind != xiezuo.FieldInt && f.Kind != xiezuo.FieldAmount {
		return label
	}
	if u := spec.UnitOf(key); u != "" {
		return label + "（" + u + "）"
	}
	return label
}

// registerHint is the template's hint under a field's header.
func registerHint(f xiezuo.RegisterField) string {
	var parts []string
	if f.Required {
		parts = append(parts, "必填")
	} else {
		parts = append(parts, "选填")
	}
	switch f.Kind {
	case xiezuo.FieldDate:
		parts = append(parts, "日期，如 2021-06-30")
	case xiezuo.FieldInt:
		parts = append(parts, "整数（"+f.Unit+"）")
	case xiezuo.FieldAmount:
		parts = append(parts, "万元，最多 6 位小数")
	case xiezuo.FieldChoice:
		parts = append(parts, "可选："+strings.Join(f.Options, "、"))
	case xiezuo.FieldChoices:
		parts = append(parts, "可多选，用“、”分隔："+strings.Join(f.Options, "、"))
	case xiezuo.FieldUnit:
		parts = append(parts, "单位规范名称或简称")
	case xiezuo.FieldRegion:
		parts = append(parts, "协作地区，如 内蒙古武川县")
	case xiezuo.FieldTeam:
		parts = append(parts, "工作专班，如 教育帮扶专班")
	case xiezuo.FieldCreditCode:
		parts = append(parts, "18 位统一社会信用代码")
	case xiezuo.FieldPeriod:
		parts = append(parts, "如 2021-06、2021-H1 或 2021")
	case xiezuo.FieldLongText:
		parts = append(parts, fmt.Sprintf("最多 %d 字", xiezuo.MaxRegisterLongText))
	}
	if f.Help != "" {
		parts = append(parts, f.Help)
	}
	return "（" + strings.Join(parts, "；") + "）"
}

// registerSheet writes a register's workbook: the header, then the hints (template) or the
// entries (download), every cell but integers as text.
//
// The columns of a choice, a unit, a region and a work team offer their lists as a dropdown
// (data validation), read from a hidden sheet 选项 since a list may be long: a choice must be
// one of its options; a unit, region or team only warns, an import also reading short names.
func registerSheet(spec xiezuo.RegisterSpec, p *xiezuo.Plan, entries []xiezuo.RegisterEntry, template bool) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := spec.Title
	f.SetSheetName("Sheet1", sheet)
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true},
		Border: borders(), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF6"}}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: borders()})
	hint, _ := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Color: "777777", Size: 9}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	var headers []string
	for _, fl := range spec.Fields {
		headers = append(headers, registerHeader(spec, fl.Key))
	}
	if !template {
		for _, d := range spec.Derived {
			headers = append(headers, registerHeader(spec, d.Key))
		}
		headers = append(headers, colEntry)
	}
	for i, h := range headers {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(sheet, ref, h)
		f.SetCellStyle(sheet, ref, ref, head)
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, 16)
	}
	set := func(c, r int, v string, num bool) {
		ref, _ := excelize.CoordinatesToCellName(c, r)
		if num && v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				f.SetCellInt(sheet, ref, n)
				return
			}
			// An amount in 万元 (at most six decimals) is a number Excel can sum; the shortest
			// form of the float reads back as the same decimal.
			if x, err := strconv.ParseFloat(v, 64); err == nil && strconv.FormatFloat(x, 'f', -1, 64) == v {
				f.SetCellFloat(sheet, ref, x, -1, 64)
				return
			}
		}
		f.SetCellStr(sheet, ref, v)
		f.SetCellStyle(sheet, ref, ref, text)
	}
	if template {
		for i, fl := range spec.Fields {
			ref, _ := excelize.CoordinatesToCellName(i+1, 2)
			f.SetCellStr(sheet, ref, registerHint(fl))
			f.SetCellStyle(sheet, ref, ref, hint)
		}
	}
	for ri, e := range entries {
		row := ri + 2
		c := 1
		for _, fl := range spec.Fields {
			set(c, row, spec.Typed(e, fl.Key), fl.Kind == xiezuo.FieldInt || fl.Kind == xiezuo.FieldAmount)
			c++
		}
		for _, d := range spec.Derived {
			set(c, row, spec.Display(e, d.Key), true)
			c++
		}
		set(c, row, strconv.FormatInt(e.Entry, 10), true)
	}
	if err := registerDropdowns(f, sheet, spec, p); err != nil {
		return nil, fmt.Errorf("write register workbook: %w", err)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write register workbook: %w", err)
	}
	return buf.Bytes(), nil
}

// optionsSheet is the hidden sheet of a register workbook's dropdown lists.
const optionsSheet = "选项"

// registerFieldOptions are the dropdown list of a field and whether it is strict (a choice):
// nil when the field has none.
func registerFieldOptions(f xiezuo.RegisterField, p *xiezuo.Plan) ([]string, bool) {
	switch f.Kind {
	case xiezuo.FieldChoice:
		return f.Options, true
	case xiezuo.FieldUnit:
		units := xiezuo.CatalogueUnits()
		if p != nil {
			for _, pu := range p.Units {
				if pu.Kind != xiezuo.KindGroup {
					units = appendUnique(units, pu.Name)
				}
			}
		}
		return units, false
	case xiezuo.FieldRegion:
		if p != nil {
			return xiezuo.RegionNames(p), false
		}
	case xiezuo.FieldTeam:
		var teams []string
		if p != nil {
			for _, t := range p.Teams {
				teams = append(teams, t.Name)
			}
		}
		return teams, false
	}
	return nil, false
}

// registerDropdowns writes the lists of spec's fields in the hidden sheet and a dropdown on
// their columns, for the rows an import reads.
func registerDropdowns(f *excelize.File, sheet string, spec xiezuo.RegisterSpec, p *xiezuo.Plan) error {
	col := 0
	for i, fl := range spec.Fields {
		opts, strict := registerFieldOptions(fl, p)
		if len(opts) == 0 {
			continue
		}
		if col == 0 {
			if _, err := f.NewSheet(optionsSheet); err != nil {
				return err
			}
		}
		col++
		name, _ := excelize.ColumnNumberToName(col)
		head, _ := excelize.CoordinatesToCellName(col, 1)
		f.SetCellStr(optionsSheet, head, fl.Label)
		for j, o := range opts {
			ref, _ := excelize.CoordinatesToCellName(col, j+2)
			f.SetCellStr(optionsSheet, ref, o)
		}
		target, _ := excelize.ColumnNumberToName(i + 1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", target, target, maxRegisterImportRows+2)
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", optionsSheet, name, name, len(opts)+1))
		if strict {
			dv.SetError(excelize.DataValidationErrorStyleStop, fl.Label, "请从下拉列表中选择："+fl.Label)
		} else {
			dv.SetError(excelize.DataValidationErrorStyleWarning, fl.Label, "不在下拉列表中：请核对"+fl.Label+"（可填写规范名称或简称）")
		}
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if col > 0 {
		return f.SetSheetVisible(optionsSheet, false)
	}
	return nil
}

func (s *Server) sendWorkbook(w http.ResponseWriter, r *http.Request, data []byte, err error, filename string) {
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(filename+".xlsx"))
	w.Write(data)
}

// registerWorkbook downloads the entries listed.
func (s *Server) registerWorkbook(w http.ResponseWriter, r *http.Request, pd *planData, spec xiezuo.RegisterSpec, entries []xiezuo.RegisterEntry) {
	data, err := registerSheet(spec, pd.Plan, entries, false)
	s.sendWorkbook(w, r, data, err, pd.District+spec.Title+"台账")
}

// registerTemplate downloads the blank workbook of a register: the header and a line of hints.
func (s *Server) registerTemplate(w http.ResponseWriter, r *http.Request) {
	spec, err := registerSpec(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if !u.ReadsPlans() {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EFORBIDDEN, "%s", u.DistrictRefusal(u.District, "工作台账")))
		return
	}
	data, err := registerSheet(spec, s.templatePlan(r, u), nil, true)
	s.sendWorkbook(w, r, data, err, spec.Title+"台账导入模板")
}

// templatePlan is the plan whose units, regions and teams a template's dropdowns list: the
// district's (?district= for the city office) of ?year= or this year; nil when there is none
// (the template then lists the catalogue's units and the choices only).
func (s *Server) templatePlan(r *http.Request, u *xiezuo.User) *xiezuo.Plan {
	district := u.District
	if d := r.URL.Query().Get("district"); d != "" && u.CanReadDistrict(d) {
		district = d
	}
	year := s.todayDate().Year
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y > 2000 && y < 2100 {
		year = y
	}
	p, err := s.db.LoadPlan(r.Context(), district, year)
	if err != nil {
		return nil
	}
	return p
}

type registerImportData struct {
	planData
	Spec         xiezuo.RegisterSpec
	Action       string
	TemplateHref string
	ListHref     string
	File         string
	Reason       string // the reason of the file's corrections, typed on the form
	Error        string
	Problems     []string
	MaxRows      int
	MaxMB        int
}

// registerImportPage is the upload form of a register's workbook.
func (s *Server) registerImportPage(w http.ResponseWriter, r *http.Request) {
	if u := currentUser(r); !u.CanRecordRegisters(u.District) {
		s.fail(w, r, xiezuo.RegisterWriteRefusal(u, u.District, nil, xiezuo.RegisterSpec{}, xiezuo.RegisterEntry{}))
		return
	}
	pd, spec, ok := s.registerPlan(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "register_import", s.importData(pd, spec))
}

func (s *Server) importData(pd *planData, spec xiezuo.RegisterSpec) registerImportData {
	d := registerImportData{planData: *pd, Spec: spec, Action: registerHref(pd, spec.Kind, "import", nil),
		TemplateHref: registerHref(pd, spec.Kind, "template.xlsx", nil), ListHref: registerHref(pd, spec.Kind, "", nil),
		MaxRows: maxRegisterImportRows, MaxMB: maxRegisterImportBytes >> 20}
	d.Title = "导入" + spec.Title
	return d
}

// registerImport reads an uploaded workbook of a register: any bad row refuses the file whole,
// listing every problem at its row; otherwise every row is stored in one transaction.
func (s *Server) registerImport(w http.ResponseWriter, r *http.Request) {
	pd, spec, ok := s.registerPlan(w, r)
	if !ok {
		return
	}
	u := pd.User
	if !u.CanRecordRegisters(pd.District) {
		s.registerRefused(w, r, spec, xiezuo.RegisterWriteRefusal(u, pd.District, pd.Plan, spec, xiezuo.RegisterEntry{}))
		return
	}
	d := s.importData(pd, spec)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		status := http.StatusBadRequest
		d.Error = "请选择要导入的 Excel 文件（.xlsx）"
		if errors.As(err, &tooBig) {
			status, d.Error = http.StatusRequestEntityTooLarge, fmt.Sprintf("文件超过 %d MB，请拆分后分批导入", d.MaxMB)
		}
		s.render(w, r, status, "register_import", d)
		return
	}
	defer file.Close()
	d.File = hdr.Filename
	data, err := io.ReadAll(io.LimitReader(file, maxRegisterImportBytes+1))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(data) > maxRegisterImportBytes {
		d.Error = fmt.Sprintf("文件超过 %d MB，请拆分后分批导入", d.MaxMB)
		s.render(w, r, http.StatusRequestEntityTooLarge, "register_import", d)
		return
	}
	reason := strings.TrimSpace(r.FormValue("reason"))
	if n := utf8.RuneCountInString(reason); n > maxRegisterReason || xiezuo.HasControl(reason) {
		d.Error = fmt.Sprintf("更正原因最多 %d 个字，且不能含有控制字符", maxRegisterReason)
		s.render(w, r, http.StatusUnprocessableEntity, "register_import", d)
		return
	}
	d.Reason = reason
	stored, err := s.db.RegisterRows(r.Context(), pd.District, time.Time{}, spec.Kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, problems, err := readRegisterWorkbook(data, spec, pd.Plan, u, pd.District, s.todayDate(), stored, reason)
	entries := res.Entries
	switch {
	case err != nil && xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		d.Error = xiezuo.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "register_import", d)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	case len(problems) > 0:
		d.Error = fmt.Sprintf("文件中有 %d 处问题，整个文件未导入（没有保存任何一行）：请改正后重新上传", len(problems))
		d.Problems = problems
		s.render(w, r, http.StatusUnprocessableEntity, "register_import", d)
		return
	}
	if _, err := s.db.WriteRegisterEntries(r.Context(), pd.District, entries); err != nil {
		if code := xiezuo.ErrorCode(err); code == xiezuo.ECONFLICT || code == xiezuo.ENOTFOUND { // another write came between
			d.Error = xiezuo.ErrorMessage(err) + "；整个文件未导入，请重新上传"
			s.render(w, r, http.StatusConflict, "register_import", d)
			return
		}
		s.fail(w, r, err)
		return
	}
	q := url.Values{"year": {strconv.Itoa(pd.Year)}, "district": {pd.District}}
	http.Redirect(w, r, "/registers/"+string(spec.Kind)+"?"+s.flash(q, "已导入："+res.Text(), "ok"), http.StatusSeeOther)
}

// readRegisterWorkbook reads the first sheet of a register's workbook: the header row (the
// first of the first five rows naming at least one field, by label, label with its unit, or
// key), then every row, each checked by xiezuo.CheckEntry and by who may record it. A row of
// the template's hints and blank rows are passed over. problems name their row
// (「第5行“会议日期”：…」); err is a workbook that cannot be read at all (EINVALID).
func readRegisterWorkbook(data []byte, spec xiezuo.RegisterSpec, p *xiezuo.Plan, u *xiezuo.User, district string, today xiezuo.Date,
	stored []xiezuo.RegisterEntry, reason string) (registerImportResult, []string, error) {
	var res registerImportResult
	entries, problems, err := readRegisterRows(data, spec, p, u, district, today, stored, reason, &res)
	res.Entries = entries
	return res, problems, err
}

// registerImportResult is what a workbook does: the rows to store (new entries and
// corrections) and the counts of new, corrected and unchanged rows.
type registerImportResult struct {
	Entries              []xiezuo.RegisterEntry
	New, Corrected, Same int
}

// Text is the counts as the office reads them: 新增 2 条、更正 1 条、未变 5 条.
func (r registerImportResult) Text() string {
	return fmt.Sprintf("新增 %d 条、更正 %d 条、未变 %d 条", r.New, r.Corrected, r.Same)
}

func readRegisterRows(data []byte, spec xiezuo.RegisterSpec, p *xiezuo.Plan, u *xiezuo.User, district string, today xiezuo.Date,
	stored []xiezuo.RegisterEntry, reason string, res *registerImportResult) ([]xiezuo.RegisterEntry, []string, error) {
	latest := xiezuo.LatestRows(stored)
	standing := xiezuo.EntriesAt(stored, time.Time{}) // updated by the file's rows, for the natural keys
	numbered := map[int64]int{}                       // 编号 → the row naming it
	entryCol := -1
	tmp, err := os.MkdirTemp("", "xiezuo-register-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{TmpDir: tmp, UnzipSizeLimit: maxRegisterUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "无法打开工作簿：文件已损坏或不是 .xlsx 格式（.xls 等旧格式请另存为 .xlsx）")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作簿中没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "无法读取工作表“%s”", sheets[0])
	}
	defer rows.Close()
	byHeader := map[string]string{}
	for _, fl := range spec.Fields {
		byHeader[fl.Key] = fl.Key
		byHeader[fl.Label] = fl.Key
		byHeader[registerHeader(spec, fl.Key)] = fl.Key
	}
	passed := map[string]bool{colEntry: true}
	for _, d := range spec.Derived {
		passed[d.Label], passed[registerHeader(spec, d.Key)], passed[d.Key] = true, true, true
	}
	dateKeys := map[string]bool{}
	for _, fl := range spec.Fields {
		dateKeys[fl.Key] = fl.Kind == xiezuo.FieldDate
	}
	hints := map[string]string{}
	for _, fl := range spec.Fields {
		hints[fl.Key] = registerHint(fl)
	}
	var (
		cols     []string // field key by column; "" for a column passed over
		entries  []xiezuo.RegisterEntry
		problems []string
		n        int
		data_    int
	)
	for rows.Next() {
		n++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "第%d行无法读取", n)
		}
		if cols == nil {
			found := 0
			for _, c := range cells {
				if _, ok := byHeader[strings.TrimSpace(c)]; ok {
					found++
				}
			}
			if found == 0 {
				if n >= 5 {
					return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "前 5 行中没有表头：第一行应为“%s”台账的字段名称，如 %s；请下载导入模板填写", spec.Title, spec.Fields[0].Label)
				}
				continue
			}
			cols = make([]string, len(cells))
			seen := map[string]bool{}
			for i, c := range cells {
				c = strings.TrimSpace(c)
				key, ok := byHeader[c]
				if c == colEntry {
					entryCol = i
				}
				switch {
				case c == "" || passed[c]:
				case !ok:
					problems = append(problems, fmt.Sprintf("第%d行：列“%s”不是“%s”台账的字段", n, c, spec.Title))
				case seen[key]:
					problems = append(problems, fmt.Sprintf("第%d行：列“%s”出现了两次", n, c))
				default:
					cols[i], seen[key] = key, true
				}
			}
			for _, fl := range spec.Fields {
				if fl.Required && !seen[fl.Key] && !(fl.Key == spec.UnitKey && !u.Has(xiezuo.RoleOffice)) {
					problems = append(problems, fmt.Sprintf("第%d行：缺少必填的列“%s”", n, fl.Label))
				}
			}
			if len(problems) > 0 {
				return nil, problems, nil
			}
			continue
		}
		raw := map[string]string{}
		blank, hint := true, true
		for i, c := range cells {
			if i >= len(cols) || cols[i] == "" {
				continue
			}
			if strings.TrimSpace(c) != "" {
				blank = false
				if c != hints[cols[i]] {
					hint = false
				}
			}
			if dateKeys[cols[i]] && strings.TrimSpace(c) != "" { // a serial only from a numeric or date cell
				ref, _ := excelize.CoordinatesToCellName(i+1, n)
				switch typ, _ := f.GetCellType(sheets[0], ref); typ {
				case excelize.CellTypeUnset, excelize.CellTypeNumber, excelize.CellTypeDate:
					if d, ok := xiezuo.ExcelSerialDate(c); ok {
						c = d.String()
					}
				}
			}
			raw[cols[i]] = c
		}
		if blank || hint {
			continue
		}
		data_++
		if data_ > maxRegisterImportRows {
			return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "文件超过 %d 行，请拆分后分批导入", maxRegisterImportRows)
		}
		if spec.UnitKey != "" && strings.TrimSpace(raw[spec.UnitKey]) == "" && !u.Has(xiezuo.RoleOffice) {
			raw[spec.UnitKey] = u.Unit
		}
		e, probs := xiezuo.CheckEntry(spec, p, raw, today)
		for _, pr := range probs {
			if strings.HasPrefix(pr.Message, "“") {
				problems = append(problems, fmt.Sprintf("第%d行%s", n, pr.Message))
			} else {
				problems = append(problems, fmt.Sprintf("第%d行“%s”：%s", n, pr.Label, pr.Message))
			}
		}
		if len(probs) > 0 {
			continue
		}
		if err := xiezuo.RegisterWriteRefusal(u, district, p, spec, e); err != nil {
			problems = append(problems, fmt.Sprintf("第%d行：%s", n, xiezuo.ErrorMessage(err)))
			continue
		}
		var id int64
		if entryCol >= 0 && entryCol < len(cells) {
			var msg string
			if id, msg = xiezuo.ParseEntryNumber(cells[entryCol]); msg != "" {
				problems = append(problems, fmt.Sprintf("第%d行%s", n, msg))
				continue
			}
		}
		if first, ok := numbered[id]; ok && id != 0 {
			problems = append(problems, fmt.Sprintf("第%d行“编号”：第 %d 号记录在第%d行已经出现，一条记录只能有一行", n, id, first))
			continue
		}
		numbered[id] = n
		e, act, msg := xiezuo.RegisterImportRow(spec, latest, id, e, reason)
		if msg != "" {
			problems = append(problems, fmt.Sprintf("第%d行%s", n, msg))
			continue
		}
		if act == xiezuo.ImportCorrect { // a correction is asked of the entry as it stood too
			if err := xiezuo.RegisterWriteRefusal(u, district, p, spec, latest[id]); err != nil {
				problems = append(problems, fmt.Sprintf("第%d行（第 %d 号记录）：%s", n, id, xiezuo.ErrorMessage(err)))
				continue
			}
		}
		probe := e
		if act == xiezuo.ImportNew {
			probe.Entry = -int64(n) // not any stored entry, nor another row's
		}
		if err := xiezuo.RegisterDuplicate(spec, standing, probe); err != nil {
			problems = append(problems, fmt.Sprintf("第%d行：%s", n, xiezuo.ErrorMessage(err)))
			continue
		}
		if j := slices.IndexFunc(standing, func(o xiezuo.RegisterEntry) bool { return o.Entry == probe.Entry }); j >= 0 {
			standing[j] = probe
		} else {
			standing = append(standing, probe)
		}
		switch act {
		case xiezuo.ImportSame:
			res.Same++
			continue
		case xiezuo.ImportCorrect:
			res.Corrected++
		default:
			res.New++
		}
		entries = append(entries, e)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作表读取出错：文件可能已损坏")
	}
	if cols == nil {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "工作表是空的：第一行应为“%s”台账的字段名称，请下载导入模板填写", spec.Title)
	}
	if len(problems) == 0 && len(entries) == 0 && res.Same == 0 {
		return nil, nil, xiezuo.Errorf(xiezuo.EINVALID, "文件中没有数据行：请在表头下逐行填写")
	}
	return entries, problems, nil
}
