package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xiezuo"
	"xiezuo/labourio"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

// Importing a labour list (.xlsx or .csv as offices keep them): the upload is copied, streamed,
// into a file under the data folder and kept for its preview by a random token; the preview
// shows the first rows (personal data masked) and the proposed mapping of the columns
// (xiezuo.ProposeLabourMapping) as a choice per column with its doubts; the confirmation starts
// the import in the background (labourio.Import into storage's LabourImport, one transaction)
// and the progress page follows it (storage's LabourImportProgress: any instance answers) to
// its result, every bad row with its reason, and the bad rows' workbook.

// Bounds of a labour list's upload.
const (
	labourUploadMax   = 200 << 20
	labourUploadLimit = labourUploadMax + 64<<10
	labourTooLarge    = "文件超过 200 MB：请把清单拆成几个文件分别导入"
	// labourRuns is how many lists an instance imports at once; the others wait their turn.
	labourRuns = 1
	// labourUploadKeep is how long an upload waits for its confirmation: it is personal data
	// kept as sent, unencrypted (docs/security.md, "Personal data"), so not long.
	labourUploadKeep = 2 * time.Hour
	// labourPreviewRows is how many rows of the file the preview reads (the header found among
	// them) and labourSampleRows how many data rows it shows.
	labourPreviewRows = 20
	labourSampleRows  = 5
	// labourErrorsPerPage is how many bad rows the result lists on a page.
	labourErrorsPerPage = 100
)

// labourUploadDir is the folder uploads wait in: beside the evidence store under the data
// folder (data/labour-uploads), else under the system's temporary folder.
func (s *Server) labourUploadDir() string {
	if s.cfg.EvidenceDir != "" {
		return filepath.Join(filepath.Dir(s.cfg.EvidenceDir), "labour-uploads")
	}
	return filepath.Join(os.TempDir(), "xiezuo-labour-uploads")
}

// labourUpload is what is kept beside an upload for its confirmation.
type labourUpload struct {
	District string            `json:"district"`
	List     xiezuo.LabourList `json:"list"`
	Name     string            `json:"name"`
	Ext      string            `json:"ext"`
	UserID   int64             `json:"user_id"`
	At       time.Time         `json:"at"`
}

var uploadToken = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (s *Server) labourUploadPath(token, ext string) string {
	return filepath.Join(s.labourUploadDir(), token+ext)
}

// sweepLabourUploads removes the uploads nobody confirmed in time.
func (s *Server) sweepLabourUploads() {
	ents, err := os.ReadDir(s.labourUploadDir())
	if err != nil {
		return
	}
	for _, e := range ents {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > labourUploadKeep {
			os.Remove(filepath.Join(s.labourUploadDir(), e.Name()))
		}
	}
}

type labourImportData struct {
	labourData
	List         xiezuo.LabourList
	Action       string
	TemplateHref string
	ListHref     string
	Error        string
	MaxMB        int
	Imports      []labourImportRow
}

// labourListSub answers GET /labour/{list}/import (the upload form) and
// /labour/{list}/template.xlsx (one route: the path /labour/people/… and /labour/imports/…
// would otherwise overlap two patterns).
func (s *Server) labourListSub(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("page") {
	case "import":
		s.labourImportPage(w, r, http.StatusOK, "")
	case "template.xlsx":
		s.labourTemplate(w, r)
	default:
		s.errorPage(w, r, http.StatusNotFound, "找不到页面")
	}
}

func (s *Server) labourImportPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ld := s.labourPlan(w, r, xiezuo.LabourWrite, "导入劳务协作清单")
	if ld == nil {
		return
	}
	l, err := labourListOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := labourImportData{labourData: *ld, List: l, Error: msg, MaxMB: labourUploadMax >> 20}
	d.Title = "导入" + l.Title()
	base := "/labour/" + string(l)
	d.Action, d.TemplateHref, d.ListHref = ld.href(base+"/import", nil), ld.href(base+"/template.xlsx", nil), ld.href(base, nil)
	imps, err := s.db.LabourImports(r.Context(), ld.District, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, im := range imps {
		if im.List == l {
			d.Imports = append(d.Imports, labourImportRow{im, ld.href("/labour/imports/"+strconv.FormatInt(im.ID, 10), nil), im.List.Short()})
		}
	}
	s.render(w, r, status, "labour_import", d)
}

// labourTemplate sends the list's template workbook.
func (s *Server) labourTemplate(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourRead, "劳务协作")
	if ld == nil {
		return
	}
	l, err := labourListOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := labourio.Template(l)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendWorkbook(w, l.Title()+"导入模板.xlsx", b)
}

func sendWorkbook(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

type labourColumnView struct {
	Index   int
	Header  string
	Key     string
	Samples []string
}

type labourPreviewData struct {
	labourData
	List       xiezuo.LabourList
	File       string
	Token      string
	HeaderRows int
	Columns    []labourColumnView
	Fields     []xiezuo.LabourField
	Doubts     []string
	Error      string
	Mode       string
	Action     string
	Back       string
}

// labourUpload keeps an uploaded list under a token and shows its preview.
func (s *Server) labourUpload(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourWrite, "导入劳务协作清单")
	if ld == nil {
		return
	}
	l, err := labourListOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up := labourUploadOf(r)
	if up == nil || up.Size == 0 {
		s.labourImportPage(w, r, http.StatusBadRequest, "请选择要导入的清单文件（.xlsx 或 .csv）")
		return
	}
	name := up.Name
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".xlsx", ".csv":
	case ".xls", ".et", ".wps":
		s.labourImportPage(w, r, http.StatusBadRequest, name+"：请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
		return
	default:
		s.labourImportPage(w, r, http.StatusBadRequest, name+"：只能导入 .xlsx 或 .csv 文件")
		return
	}
	if up.Size > labourUploadMax {
		s.labourImportPage(w, r, http.StatusRequestEntityTooLarge, labourTooLarge)
		return
	}
	s.sweepLabourUploads()
	var raw [16]byte
	rand.Read(raw[:])
	token := hex.EncodeToString(raw[:])
	path := s.labourUploadPath(token, ext)
	// Kept under its token for the preview and the confirmation (the guard removes what it
	// read only when it is still where it was read to).
	if err := os.Rename(up.Path, path); err != nil {
		s.fail(w, r, err)
		return
	}
	meta := labourUpload{District: ld.District, List: l, Name: name, Ext: ext, UserID: ld.User.ID, At: time.Now().UTC()}
	mb, _ := json.Marshal(meta)
	if err := os.WriteFile(s.labourUploadPath(token, ".json"), mb, 0o600); err != nil {
		os.Remove(path)
		s.fail(w, r, err)
		return
	}
	top, err := labourio.Top(path, labourPreviewRows)
	if err != nil {
		s.removeLabourUpload(token, ext)
		s.labourImportPage(w, r, http.StatusBadRequest, name+"："+labourReadMessage(err))
		return
	}
	m, doubts := xiezuo.ProposeLabourMapping(l, top)
	d := s.labourPreview(ld, l, meta, token, top, m)
	d.Doubts, d.Mode = doubts, "refuse"
	s.render(w, r, http.StatusOK, "labour_preview", d)
}

// labourReadMessage is what the page says of a file the reader could not read.
func labourReadMessage(err error) string {
	if xiezuo.ErrorCode(err) != xiezuo.EINTERNAL {
		return xiezuo.ErrorMessage(err)
	}
	return "文件无法读取，请确认它是 Excel（.xlsx）或 CSV 文件，没有加密"
}

func (s *Server) removeLabourUpload(token, ext string) {
	os.Remove(s.labourUploadPath(token, ext))
	os.Remove(s.labourUploadPath(token, ".json"))
}

// labourPreview is the preview of an upload under mapping m: each column with its header, the
// field it is read as, and the first data rows' cells, masked where they look like an ID number
// or a phone.
func (s *Server) labourPreview(ld *labourData, l xiezuo.LabourList, meta labourUpload, token string, top [][]string, m xiezuo.LabourMapping) labourPreviewData {
	d := labourPreviewData{labourData: *ld, List: l, File: meta.Name, Token: token, HeaderRows: m.HeaderRows, Fields: xiezuo.LabourFields(l)}
	d.Title = "导入" + l.Title() + "：确认列的对应"
	d.Action = ld.href("/labour/"+string(l)+"/confirm", nil)
	d.Back = ld.href("/labour/"+string(l)+"/import", nil)
	n := len(m.Headers)
	for _, row := range top {
		n = max(n, len(row))
	}
	for i := 0; i < n && i < 500; i++ {
		c := labourColumnView{Index: i}
		if i < len(m.Headers) {
			c.Header = m.Headers[i]
		}
		if i < len(m.Columns) {
			c.Key = m.Columns[i]
		}
		for j := m.HeaderRows; j < len(top) && j < m.HeaderRows+labourSampleRows; j++ {
			v := ""
			if i < len(top[j]) {
				v = maskCell(top[j][i])
			}
			c.Samples = append(c.Samples, v)
		}
		d.Columns = append(d.Columns, c)
	}
	return d
}

var (
	looksID    = regexp.MustCompile(`^\s*\d{6}(\d{2})?\d{7}[\dxX]?\d{0,2}\s*$`)
	looksPhone = regexp.MustCompile(`^\s*(\+?86)?[\s-]*1\d{2}[\s-]?\d{4}[\s-]?\d{4}\s*$`)
)

// maskCell masks a preview's cell that looks like an ID number or a mobile phone number.
func maskCell(v string) string {
	switch {
	case looksPhone.MatchString(v):
		return vault.MaskPhone(strings.NewReplacer(" ", "", "-", "", "+86", "").Replace(strings.TrimSpace(v)))
	case looksID.MatchString(v):
		return vault.MaskID(strings.TrimSpace(v))
	}
	// Any other run of 7 digits or more (a phone or an ID number mistyped, 1381234560) is masked
	// but its last two digits: a mistyped number is still someone's.
	v = longDigits.ReplaceAllStringFunc(v, func(d string) string {
		return strings.Repeat("*", len(d)-2) + d[len(d)-2:]
	})
	if utf8.RuneCountInString(v) > 60 {
		return string([]rune(v)[:60]) + "…"
	}
	return v
}

var longDigits = regexp.MustCompile(`\d{7,}`)

// labourImportConfirm starts the import of a kept upload under the mapping confirmed, in the
// background, and sends to its progress page.
func (s *Server) labourImportConfirm(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourWrite, "导入劳务协作清单")
	if ld == nil {
		return
	}
	l, err := labourListOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token := r.PostFormValue("token")
	var meta labourUpload
	mb, err := os.ReadFile(s.labourUploadPath(token, ".json"))
	if !uploadToken.MatchString(token) || err != nil || json.Unmarshal(mb, &meta) != nil ||
		meta.District != ld.District || meta.List != l || meta.UserID != ld.User.ID {
		s.labourImportPage(w, r, http.StatusNotFound, "上传的文件已过期或不存在，请重新上传")
		return
	}
	path := s.labourUploadPath(token, meta.Ext)
	top, err := labourio.Top(path, labourPreviewRows)
	if err != nil {
		s.removeLabourUpload(token, meta.Ext)
		s.labourImportPage(w, r, http.StatusBadRequest, meta.Name+"："+labourReadMessage(err))
		return
	}
	proposed, _ := xiezuo.ProposeLabourMapping(l, top)
	m := xiezuo.LabourMapping{Headers: proposed.Headers}
	m.HeaderRows, err = strconv.Atoi(r.PostFormValue("header_rows"))
	if err != nil || m.HeaderRows < 0 || m.HeaderRows > labourPreviewRows {
		m.HeaderRows = proposed.HeaderRows
	}
	n, _ := strconv.Atoi(r.PostFormValue("columns"))
	for i := 0; i < n && i < 500; i++ {
		m.Columns = append(m.Columns, r.PostFormValue("col_"+strconv.Itoa(i)))
	}
	mode := r.PostFormValue("mode")
	if err := m.Check(l); err != nil || (mode != "refuse" && mode != "skip") {
		d := s.labourPreview(ld, l, meta, token, top, m)
		d.Mode = mode
		if err != nil {
			d.Error = xiezuo.ErrorMessage(err)
		} else {
			d.Error = "请选择有错误行时的处理方式：整体拒收，或只导入正确的行"
		}
		s.render(w, r, http.StatusUnprocessableEntity, "labour_preview", d)
		return
	}
	// One import at a time, and none waits inside a request: on SQLite an import holds the one
	// writer connection from its beginning, so a second one waiting there would hold every
	// other write of the application with it.
	select {
	case s.labour <- struct{}{}:
	default:
		d := s.labourPreview(ld, l, meta, token, top, m)
		d.Mode = mode
		d.Error = "另一份清单正在导入，请等它完成后再确认导入（本页保留，稍后可再次点击“确认导入”）"
		s.render(w, r, http.StatusConflict, "labour_preview", d)
		return
	}
	// The import outlives the request: its transaction (which database/sql rolls back when its
	// context ends) and the reading keep the actor, not the request's cancellation; a stopping
	// server waits for it (Finish) and cuts it when its time runs out.
	bg, release := s.bg.context(r.Context())
	imp, err := s.db.BeginLabourImport(bg, sqldb.LabourImportOptions{District: ld.District, List: l, FileName: meta.Name, Mapping: m, SkipBad: mode == "skip", FileChecked: true})
	if err != nil {
		release()
		<-s.labour
		s.fail(w, r, err)
		return
	}
	os.Remove(s.labourUploadPath(token, ".json")) // confirmed once
	check := xiezuo.LabourCheck{Today: s.todayDate(), Regions: ld.Plan.Regions, Scope: ld.Regions}
	check.Place, check.RegionOf = labourio.Places(ld.Plan.Regions)
	s.bg.run(bg, release, func(ctx context.Context) { s.runLabourImport(ctx, imp, path, l, m, check) })
	http.Redirect(w, r, "/labour/imports/"+strconv.FormatInt(imp.ID, 10)+ld.link(nil), http.StatusSeeOther)
}

// runLabourImport reads the file into the import and finishes it, waiting its turn; the file is
// removed when done. Failures are logged without personal data (the reader's messages are
// masked; the file's name and the import's id only).
func (s *Server) runLabourImport(ctx context.Context, imp *sqldb.LabourImport, path string, l xiezuo.LabourList, m xiezuo.LabourMapping, check xiezuo.LabourCheck) {
	defer os.Remove(path)
	ctx, cancel := context.WithTimeout(ctx, 6*time.Hour)
	defer cancel()
	defer func() { <-s.labour }() // taken by labourImportConfirm
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("labour import panicked", "import", imp.ID, "panic", fmt.Sprint(p))
			imp.Abort(ctx, "导入时发生系统错误，请联系系统管理员")
		}
	}()
	var sink labourio.Sink = imp
	if s.db.Embedded() {
		sink = &cappedSink{LabourImport: imp, max: maxEmbeddedImportRows}
	}
	res, err := labourio.Import(ctx, path, l, m, check, sink)
	if err != nil {
		msg := "导入时发生系统错误，请联系系统管理员"
		if code := xiezuo.ErrorCode(err); code != xiezuo.EINTERNAL {
			msg = xiezuo.ErrorMessage(err)
		}
		if s.stoppedImport(ctx) {
			msg = labourStoppedMessage
		}
		s.log.Error("labour import failed", "import", imp.ID, "list", l, "code", xiezuo.ErrorCode(err))
		imp.Abort(ctx, msg)
		return
	}
	if _, err := imp.Finish(ctx, res.Errors, res.BadWorkbook); err != nil {
		s.log.Error("labour import finish", "import", imp.ID, "list", l, "err", err)
		if s.stoppedImport(ctx) {
			// Cut while it committed: rolled back (or, if the commit won, left as done).
			if err := imp.EndStopped(ctx, labourStoppedMessage); err != nil {
				s.log.Error("labour import end", "import", imp.ID, "list", l, "err", err)
			}
		}
	}
}

// stoppedImport reports whether the import of ctx ended because a stopping server cut it: its
// own context ended by the cut, not an error of its own while the server stopped.
func (s *Server) stoppedImport(ctx context.Context) bool {
	return ctx.Err() != nil && s.bg.cutShort()
}

// labourStoppedMessage is what an import cut by a stopping server says.
const labourStoppedMessage = "系统停止时这份清单尚未导入完，已全部撤销（没有写入任何一行），请重新上传导入"

type labourStatusData struct {
	labourData
	Status     sqldb.LabourImportStatus
	ListTitle  string
	Running    bool
	Percent    int
	Rate       int // rows a second
	Errors     []xiezuo.LabourRowError
	ErrPage    int
	ErrPages   int
	PrevErrs   string
	NextErrs   string
	BadHref    string
	ListHref   string
	ImportHref string
}

// labourImportStatusPage follows an import: a progress bar while it runs (the page reloads
// itself each second, without script), then its result with every bad row.
func (s *Server) labourImportStatusPage(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourRead, "导入进度")
	if ld == nil {
		return
	}
	id, st, ok := s.labourImportOf(w, r, ld)
	if !ok {
		return
	}
	d := labourStatusData{labourData: *ld, Status: st, ListTitle: st.List.Title(), Running: st.State == "running"}
	d.Title = "导入" + st.List.Title()
	if st.RowsTotal > 0 {
		d.Percent = min(100, st.RowsRead*100/st.RowsTotal)
	}
	if secs := time.Since(st.StartedAt).Seconds(); d.Running && secs > 0 {
		d.Rate = int(float64(st.RowsRead) / secs)
	}
	d.ErrPage, _ = strconv.Atoi(r.URL.Query().Get("epage"))
	d.ErrPages = (len(st.Errors) + labourErrorsPerPage - 1) / labourErrorsPerPage
	d.ErrPage = max(1, min(d.ErrPage, d.ErrPages))
	if len(st.Errors) > 0 {
		lo := (d.ErrPage - 1) * labourErrorsPerPage
		d.Errors = st.Errors[lo:min(len(st.Errors), lo+labourErrorsPerPage)]
	}
	path := "/labour/imports/" + strconv.FormatInt(id, 10)
	if d.ErrPage > 1 {
		d.PrevErrs = ld.href(path, url.Values{"epage": {strconv.Itoa(d.ErrPage - 1)}})
	}
	if d.ErrPage < d.ErrPages {
		d.NextErrs = ld.href(path, url.Values{"epage": {strconv.Itoa(d.ErrPage + 1)}})
	}
	if st.HasBad && d.CanWrite && (ld.Regions == nil || labourImportBy(st.By, ld.User.Username)) {
		d.BadHref = ld.href(path+"/bad.xlsx", nil)
	}
	d.ListHref = ld.href("/labour/"+string(st.List), nil)
	d.ImportHref = ld.href("/labour/"+string(st.List)+"/import", nil)
	if err := s.labourNameUsers(r, &d.Status.By); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "labour_progress", d)
}

// labourBadRows sends the bad rows' workbook of an import, to correct and import again: it
// holds what the clerk typed, so only those who may write the lists download it.
func (s *Server) labourBadRows(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourWrite, "导入进度")
	if ld == nil {
		return
	}
	id, st, ok := s.labourImportOf(w, r, ld)
	if !ok {
		return
	}
	if ld.Regions != nil && !labourImportBy(st.By, ld.User.Username) {
		// A cadre sees the people of its own regions only; another's workbook holds anyone's.
		s.errorPage(w, r, http.StatusForbidden, "前方挂职干部只能下载自己导入的错误行工作簿；其中有其他协作地区人员的完整个人信息")
		return
	}
	b, err := s.db.LabourBadRows(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(b) == 0 {
		s.errorPage(w, r, http.StatusNotFound, "这次导入没有错误行")
		return
	}
	s.audit(r.Context(), sqldb.AuditLabourExport, "labour_import", strconv.FormatInt(id, 10), st.FileName, "success", "下载错误行工作簿（"+strconv.Itoa(st.Bad)+"行）")
	base := strings.TrimSuffix(st.FileName, filepath.Ext(st.FileName))
	sendWorkbook(w, base+"-错误行.xlsx", b)
}

// labourImportBy reports whether an import's By (username, then the unit in brackets) is the
// user's.
func labourImportBy(by, username string) bool {
	return username != "" && (by == username || strings.HasPrefix(by, username+"（"))
}

// maxEmbeddedImportRows bounds a list imported through the pages on the embedded database
// (SQLite), whose one writer connection an import holds from beginning to end: 200,000 rows
// take a few seconds. Larger lists go through the command (xiezuo labour import), or a city's
// PostgreSQL, where an import holds no other write.
var maxEmbeddedImportRows = 200_000

// cappedSink refuses rows beyond max, which makes labourio.Import stop with the message.
type cappedSink struct {
	*sqldb.LabourImport
	max, n int
}

func (c *cappedSink) Add(ctx context.Context, row int, rec xiezuo.LabourRecord) (string, error) {
	c.n++
	if c.n > c.max {
		return "", xiezuo.Errorf(xiezuo.EINVALID, "本系统使用内置数据库，网页上一次最多导入 %d 行，整个文件未导入；请把清单分成几个文件导入，或请系统管理员用命令 xiezuo labour import 导入", c.max)
	}
	return c.LabourImport.Add(ctx, row, rec)
}

// labourImportOf reads the import the path names, of the page's district; false when the page
// was answered (a bad id, another district's import).
func (s *Server) labourImportOf(w http.ResponseWriter, r *http.Request, ld *labourData) (int64, sqldb.LabourImportStatus, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return 0, sqldb.LabourImportStatus{}, false
	}
	st, err := s.db.LabourImportProgress(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return 0, st, false
	}
	if st.District != ld.District {
		s.errorPage(w, r, http.StatusNotFound, "本区没有这次导入")
		return 0, st, false
	}
	return id, st, true
}
