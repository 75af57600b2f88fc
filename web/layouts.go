package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/xlsx"
)

// The tables upper platforms ask for (上级平台报表格式, xiezuo.PlatformLayout): the office uploads
// a platform's template (POST /layouts/upload, kept in uploads until saved), the mapping page
// shows its first rows and proposes the header rows, the first data row and a field per column
// (GET /layouts/new), the office corrects and names it and saves a version (POST /layouts);
// GET /layouts/{id}/export fills it with a plan year's data as of a day. Office only: a layout
// belongs to the office's district.

// layoutUploadLimit bounds the body of a template's upload: the template and the form around it.
const layoutUploadLimit = xiezuo.MaxLayoutTemplate + 64<<10

type layoutsData struct {
	base
	Layouts []savedLayout
	Kinds   []xiezuo.LayoutKind
	Error   string
	Name    string
	Kind    xiezuo.LayoutKind
}

// layoutsPage lists the district's layouts (the latest version of each name) and takes a new
// template.
func (s *Server) layoutsPage(w http.ResponseWriter, r *http.Request) {
	s.renderLayouts(w, r, http.StatusOK, "", "", xiezuo.LayoutProjects)
}

func (s *Server) renderLayouts(w http.ResponseWriter, r *http.Request, status int, msg, name string, kind xiezuo.LayoutKind) {
	d := layoutsData{base: s.baseFor(r, "layouts"), Kinds: xiezuo.LayoutKinds, Error: msg, Name: name, Kind: kind}
	d.Title = "上级平台报表格式"
	list, err := s.db.Layouts(r.Context(), d.User.District)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Layouts, err = s.namedLayouts(r, list); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "layouts", d)
}

// savedLayout is a version of a layout as pages list it, with who saved it named as the rest
// of the application names who did something: 姓名（单位）, never the sign-in name.
type savedLayout struct {
	xiezuo.PlatformLayout
	Who string
}

// namedLayouts names who saved each of ls (one query).
func (s *Server) namedLayouts(r *http.Request, ls []xiezuo.PlatformLayout) ([]savedLayout, error) {
	names := make([]string, 0, len(ls))
	for _, l := range ls {
		names = append(names, l.By)
	}
	who, err := s.lookupPeople(r, names...)
	if err != nil {
		return nil, err
	}
	out := make([]savedLayout, 0, len(ls))
	for _, l := range ls {
		out = append(out, savedLayout{PlatformLayout: l, Who: who.label(l.By, "")})
	}
	return out, nil
}

// layoutUpload reads an uploaded template, keeps it in uploads and opens the mapping page.
func (s *Server) layoutUpload(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	name := strings.TrimSpace(r.FormValue("name"))
	kind := xiezuo.LayoutKind(r.FormValue("kind"))
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderLayouts(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("模板文件超过 %d MB：模板只需表头和几行，请删去数据行后再上传", xiezuo.MaxLayoutTemplate>>20), name, kind)
			return
		}
		s.renderLayouts(w, r, http.StatusBadRequest, "请选择上级平台下发的模板工作簿（.xlsx）", name, kind)
		return
	}
	defer f.Close()
	data, err := readLimited(f, xiezuo.MaxLayoutTemplate)
	if err != nil {
		s.renderLayouts(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("模板文件超过 %d MB：模板只需表头和几行，请删去数据行后再上传", xiezuo.MaxLayoutTemplate>>20), name, kind)
		return
	}
	file := filepath.Base(hdr.Filename)
	if !strings.EqualFold(filepath.Ext(file), ".xlsx") {
		s.renderLayouts(w, r, http.StatusBadRequest, "模板“"+file+"”不是 .xlsx 工作簿：请在 Excel 或 WPS 中另存为 .xlsx 后上传", name, kind)
		return
	}
	if _, err := xlsx.ReadLayoutTemplate(data, xiezuo.LayoutProjects, "", 0, 0, 0); err != nil {
		s.renderLayouts(w, r, statusOf(err), "模板“"+file+"”无法使用："+xiezuo.ErrorMessage(err), name, kind)
		return
	}
	id, err := s.db.SaveUpload(r.Context(), u.ID, file, data, s.cfg.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{"upload": {strconv.FormatInt(id, 10)}, "name": {name}, "kind": {string(kind)}}
	http.Redirect(w, r, "/layouts/new?"+q.Encode(), http.StatusSeeOther)
}

// readLimited reads at most limit bytes of r, and fails beyond.
func readLimited(r io.Reader, limit int) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, xiezuo.Errorf(xiezuo.ETOOLARGE, "文件太大")
	}
	return data, nil
}

// layoutMapData is the mapping page: the template's first rows, the rows proposed or chosen,
// and a select per column and per title cell.
type layoutMapData struct {
	base
	Upload   int64 // the template is an upload waiting to be saved
	From     int64 // or the template of a stored layout, saved again as a new version
	FileName string
	Name     string
	Kind     xiezuo.LayoutKind
	Kinds    []xiezuo.LayoutKind
	Info     xlsx.TemplateInfo
	Preview  []previewRow
	Columns  []mapColumn
	Cells    []mapCell
	Consts   []xiezuo.LayoutField
	Error    string
}

type previewRow struct {
	N     int
	Role  string // 标题, 表头, 数据, 合计, or ""
	Cells []previewCell
}

// previewCell is a cell of the preview; a merged range is one cell spanning its rows and
// columns, and the cells it covers are left out.
type previewCell struct {
	Text       string
	Rows, Cols int
}

type mapColumn struct {
	xiezuo.LayoutColumn
	Letter  string
	Options []xiezuo.LayoutField
}

type mapCell struct {
	Ref, Text, Field string
}

// layoutSource reads the template the request names: ?upload= (the user's own upload) or
// ?from= (a stored layout of the user's district).
func (s *Server) layoutSource(r *http.Request, v func(string) string) (d layoutMapData, data []byte, err error) {
	u := currentUser(r)
	if id, perr := strconv.ParseInt(v("upload"), 10, 64); perr == nil && id > 0 {
		d.Upload = id
		d.FileName, data, err = s.db.Upload(r.Context(), id, u.ID)
		return d, data, err
	}
	if id, perr := strconv.ParseInt(v("from"), 10, 64); perr == nil && id > 0 {
		l, err := s.ownLayout(r, id)
		if err != nil {
			return d, nil, err
		}
		d.From, d.FileName, d.Name, d.Kind = id, l.FileName, l.Name, l.Kind
		return d, l.Template, nil
	}
	return d, nil, xiezuo.Errorf(xiezuo.EINVALID, "请先上传模板工作簿")
}

// ownLayout reads a stored layout of the user's district; another district's is not found.
// layoutOfPath is the layout the path's {id} names, of the caller's district; it answers the
// request itself (404, or the failure) when there is none.
func (s *Server) layoutOfPath(w http.ResponseWriter, r *http.Request) (xiezuo.PlatformLayout, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, "没有这个报表格式")
		return xiezuo.PlatformLayout{}, false
	}
	l, err := s.ownLayout(r, id)
	if err != nil {
		s.fail(w, r, err)
		return l, false
	}
	return l, true
}

func (s *Server) ownLayout(r *http.Request, id int64) (xiezuo.PlatformLayout, error) {
	l, err := s.db.Layout(r.Context(), id)
	if err != nil {
		return l, err
	}
	if u := currentUser(r); !u.CanWriteDistrict(l.District) {
		return xiezuo.PlatformLayout{}, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报表格式", id)
	}
	return l, nil
}

func atoiForm(v string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 1000 {
		return 0
	}
	return n
}

// layoutNewPage is the mapping page of an upload (or of a stored layout's template, ?from=):
// proposed rows and fields, or, after 重新识别, the rows the office gave.
func (s *Server) layoutNewPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d, data, err := s.layoutSource(r, q.Get)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if n := strings.TrimSpace(q.Get("name")); n != "" {
		d.Name = n
	}
	if k := xiezuo.LayoutKind(q.Get("kind")); k != "" {
		d.Kind = k
	}
	var stored *xiezuo.PlatformLayout
	if d.From != 0 && q.Get("header_first") == "" {
		l, err := s.ownLayout(r, d.From)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		stored = &l
	}
	s.renderMapping(w, r, http.StatusOK, d, data, q, stored, "")
}

// renderMapping reads the template with the rows v gives (or proposes them) and shows the
// mapping page; stored, when given, supplies the fields chosen before (a new version of it).
func (s *Server) renderMapping(w http.ResponseWriter, r *http.Request, status int, d layoutMapData, data []byte, v url.Values, stored *xiezuo.PlatformLayout, msg string) {
	d.base = s.baseFor(r, "layouts")
	d.Title = "上级平台报表格式：对应字段"
	d.Kinds, d.Error = xiezuo.LayoutKinds, msg
	if !validKind(d.Kind) {
		d.Kind = xiezuo.LayoutProjects
	}
	sheet, hf, hl, dr := v.Get("sheet"), atoiForm(v.Get("header_first")), atoiForm(v.Get("header_last")), atoiForm(v.Get("data_row"))
	if stored != nil {
		sheet, hf, hl, dr = stored.Sheet, stored.HeaderFirst, stored.HeaderLast, stored.DataRow
	}
	info, err := xlsx.ReadLayoutTemplate(data, d.Kind, sheet, hf, hl, dr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if tr := v.Get("total_row"); tr != "" {
		info.TotalRow = atoiForm(tr)
	}
	if stored != nil {
		info.TotalRow = stored.TotalRow
	}
	d.Info = info
	covered := map[[2]int]bool{}
	span := map[[2]int]xlsx.Merge{}
	for _, m := range info.Merges {
		span[[2]int{m.Row, m.Col}] = m
		for r := m.Row; r < m.Row+m.Rows; r++ {
			for c := m.Col; c < m.Col+m.Cols; c++ {
				if r != m.Row || c != m.Col {
					covered[[2]int{r, c}] = true
				}
			}
		}
	}
	for i, row := range info.Rows {
		n := i + 1
		role := ""
		switch {
		case n < info.HeaderFirst:
			role = "标题"
		case n <= info.HeaderLast:
			role = "表头"
		case n == info.DataRow:
			role = "数据"
		case n == info.TotalRow:
			role = "合计"
		}
		var cells []previewCell
		for c := 1; c <= info.MaxCol; c++ {
			if covered[[2]int{n, c}] {
				continue
			}
			pc := previewCell{Rows: 1, Cols: 1}
			if c <= len(row) {
				pc.Text = row[c-1]
			}
			if m, ok := span[[2]int{n, c}]; ok {
				pc.Rows, pc.Cols = m.Rows, m.Cols
			}
			cells = append(cells, pc)
		}
		d.Preview = append(d.Preview, previewRow{N: n, Role: role, Cells: cells})
	}
	options := xiezuo.LayoutFieldsFor(d.Kind)
	chosen := map[int]string{}
	if stored != nil {
		for _, c := range stored.Columns {
			chosen[c.Col] = c.Field
		}
	}
	for _, c := range info.Columns {
		if stored != nil {
			c.Field = chosen[c.Col]
		} else if f, ok := v["col_"+strconv.Itoa(c.Col)]; ok && r.Method == http.MethodPost {
			c.Field = f[0]
		}
		d.Columns = append(d.Columns, mapColumn{LayoutColumn: c, Letter: xiezuo.ColumnName(c.Col), Options: options})
	}
	proposed := map[string]string{}
	for _, c := range xiezuo.ProposeCells(info.Title) {
		proposed[c.Ref] = c.Field
	}
	if stored != nil {
		proposed = map[string]string{}
		for _, c := range stored.Cells {
			proposed[c.Ref] = c.Field
		}
	}
	for _, c := range titleCells(info) {
		field := proposed[c.Ref]
		if f, ok := v["cell_"+c.Ref]; ok && r.Method == http.MethodPost {
			field = f[0]
		}
		d.Cells = append(d.Cells, mapCell{Ref: c.Ref, Text: c.Text, Field: field})
	}
	for _, f := range xiezuo.LayoutFields {
		if f.Constant {
			d.Consts = append(d.Consts, f)
		}
	}
	s.render(w, r, status, "layouts_new", d)
}

func validKind(k xiezuo.LayoutKind) bool {
	for _, x := range xiezuo.LayoutKinds {
		if k == x {
			return true
		}
	}
	return false
}

// titleCells are the template's cells above the header, in reading order.
func titleCells(info xlsx.TemplateInfo) []xiezuo.LayoutCell {
	var out []xiezuo.LayoutCell
	for r := 1; r < info.HeaderFirst && r <= len(info.Rows); r++ {
		for c, v := range info.Rows[r-1] {
			if strings.TrimSpace(v) != "" {
				out = append(out, xiezuo.LayoutCell{Ref: xiezuo.ColumnName(c+1) + strconv.Itoa(r), Text: v})
			}
		}
	}
	return out
}

// layoutSave stores the mapping as a new version of the layout's name; a layout that fails
// validation is shown again with the office's choices and every problem named.
func (s *Server) layoutSave(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "表单无法读取")
		return
	}
	v := r.PostForm
	d, data, err := s.layoutSource(r, v.Get)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Name = strings.TrimSpace(v.Get("name"))
	d.Kind = xiezuo.LayoutKind(v.Get("kind"))
	if v.Get("action") == "reread" {
		// 重新识别: the rows or the kind changed; the fields are proposed again.
		q := url.Values{"name": {d.Name}, "kind": {string(d.Kind)}, "sheet": {v.Get("sheet")}, "header_first": {v.Get("header_first")},
			"header_last": {v.Get("header_last")}, "data_row": {v.Get("data_row")}, "total_row": {v.Get("total_row")}}
		if d.Upload != 0 {
			q.Set("upload", strconv.FormatInt(d.Upload, 10))
		} else {
			q.Set("from", strconv.FormatInt(d.From, 10))
		}
		http.Redirect(w, r, "/layouts/new?"+q.Encode(), http.StatusSeeOther)
		return
	}
	info, err := xlsx.ReadLayoutTemplate(data, xiezuo.LayoutKind(v.Get("kind")), v.Get("sheet"), atoiForm(v.Get("header_first")), atoiForm(v.Get("header_last")), atoiForm(v.Get("data_row")))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := xiezuo.PlatformLayout{District: u.District, Name: d.Name, Kind: d.Kind, FileName: d.FileName, Template: data, Sheet: info.Sheet,
		HeaderFirst: info.HeaderFirst, HeaderLast: info.HeaderLast, DataRow: info.DataRow, TotalRow: atoiForm(v.Get("total_row"))}
	if v.Get("data_row") == "" || v.Get("data_row") == "0" {
		l.DataRow = 0 // said in words by Validate: no data row
	}
	for _, c := range info.Columns {
		c.Field = strings.TrimSpace(v.Get("col_" + strconv.Itoa(c.Col)))
		l.Columns = append(l.Columns, c)
	}
	for _, c := range titleCells(info) {
		if f := strings.TrimSpace(v.Get("cell_" + c.Ref)); f != "" {
			c.Field = f
			l.Cells = append(l.Cells, c)
		}
	}
	if err := s.db.SaveLayout(r.Context(), &l); err != nil {
		if xiezuo.ErrorCode(err) == xiezuo.EINVALID {
			s.renderMapping(w, r, http.StatusBadRequest, d, data, v, nil, "未保存："+xiezuo.ErrorMessage(err))
			return
		}
		s.fail(w, r, err)
		return
	}
	if d.Upload != 0 {
		if err := s.db.DeleteUpload(r.Context(), d.Upload); err != nil {
			s.log.Warn("delete layout upload", "err", err)
		}
	}
	msg := fmt.Sprintf("已保存报表格式“%s”第%d版", l.Name, l.Version)
	http.Redirect(w, r, "/layouts/"+strconv.FormatInt(l.ID, 10)+"?"+s.flash(nil, msg, "ok"), http.StatusSeeOther)
}

type layoutData struct {
	base
	Layout   savedLayout
	Columns  []layoutColumnView
	Cells    []layoutColumnView
	Versions []savedLayout
	Today    string
}

type layoutColumnView struct {
	Where, Header, Field string
}

// layoutPage shows one version of a layout: its rows and columns, its versions, and the form
// that exports it for a plan year as of a day.
func (s *Server) layoutPage(w http.ResponseWriter, r *http.Request) {
	l, ok := s.layoutOfPath(w, r)
	if !ok {
		return
	}
	d := layoutData{base: s.baseFor(r, "layouts"), Layout: savedLayout{PlatformLayout: l}, Today: xiezuo.DateOf(s.today()).String()}
	d.Title = "报表格式：" + l.Name
	for _, c := range l.Columns {
		name := "（不填）"
		if f, ok := xiezuo.LookupLayoutField(c.Field); ok {
			name = f.Label
		}
		d.Columns = append(d.Columns, layoutColumnView{Where: xiezuo.ColumnName(c.Col), Header: strings.ReplaceAll(c.Header, "\n", " / "), Field: name})
	}
	for _, c := range l.Cells {
		// A cell naming several title fields (填报单位…填报日期) is filled with each of them.
		var labels []string
		for _, k := range xiezuo.CellFields(c) {
			f, _ := xiezuo.LookupLayoutField(k)
			labels = append(labels, f.Label)
		}
		d.Cells = append(d.Cells, layoutColumnView{Where: c.Ref, Header: c.Text, Field: strings.Join(labels, "、")})
	}
	versions, err := s.db.LayoutVersions(r.Context(), l.District, l.Name)
	if err == nil {
		d.Versions, err = s.namedLayouts(r, append(versions, l))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Layout, d.Versions = d.Versions[len(d.Versions)-1], d.Versions[:len(d.Versions)-1]
	s.render(w, r, http.StatusOK, "layouts_one", d)
}

// layoutExport fills a layout with the plan of ?year= of the layout's district as of ?as_of=
// (default today) and sends the workbook.
func (s *Server) layoutExport(w http.ResponseWriter, r *http.Request) {
	l, ok := s.layoutOfPath(w, r)
	if !ok {
		return
	}
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		s.errorPage(w, r, http.StatusBadRequest, "请选择要填报的年度（如 2021）")
		return
	}
	asOf, err := s.asOfDate(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, version, err := s.plans.getVersion(r.Context(), l.District, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := xiezuo.LayoutData{Plan: p, Reporter: xiezuo.OfficeName(p), AsOf: asOf, Today: xiezuo.DateOf(s.today())}
	switch l.Kind {
	case xiezuo.LayoutProjects, xiezuo.LayoutRegions:
		if data.Live, err = s.db.PlanLiveFigures(r.Context(), l.District, year, asOf); err != nil {
			s.fail(w, r, err)
			return
		}
	case xiezuo.LayoutTasks:
		b, _, err := s.boardAt(r, p, version, xiezuo.SuperviseFilter{AsOf: asOf})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data.TaskStatus = map[int]string{}
		for _, t := range p.Tasks {
			if st, ok := b.Duty(xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: t.ID}); ok {
				data.TaskStatus[t.Number] = st.State.Text()
			}
		}
	}
	var buf bytes.Buffer
	if err := xlsx.FillLayoutTemplate(&buf, l, xiezuo.FillLayout(l, data)); err != nil {
		if xiezuo.ErrorCode(err) != xiezuo.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.serverError(w, r, err)
		return
	}
	name := xlsx.LayoutFileName(l, l.District, year, asOf)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Write(buf.Bytes())
}
