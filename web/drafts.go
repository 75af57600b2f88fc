package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"xiezuo"
	"xiezuo/gongwen"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// The drafts of the work summary and the self-assessment (总结与自评, GET /drafts, office only):
// the draft generated from the data as of a day, or a saved version, shown as editable blocks
// (a textarea per heading and paragraph; tables and charts shown as generated, not edited);
// POST /drafts saves the edits as a new version; ?format=docx|pdf (and xlsx|zip for the
// assessment) downloads it. The drafts themselves are built at the root (xiezuo.BuildDraft).

// maxDraftText bounds one edited block, in characters.
const maxDraftText = 5000

// draftsData is the drafts page.
type draftsData struct {
	planData
	Kind           xiezuo.DraftKind
	Period         xiezuo.DraftPeriod
	AsOf, Today    string
	Version        int // the saved version shown; 0 for a fresh draft
	VersionBy      string
	VersionAt      string
	DocTitle       string
	Blocks         []draftBlockView
	Versions       []draftVersionView
	Sum            string // the base document's fingerprint: a save against a changed base is refused
	Self           string // this draft's query (kind, period, as_of, version)
	Fresh          string // the query of a fresh draft of the same kind and period
	Exports        []draftLink
	Choices        []draftLink
	PlaceholderTip string
	Placeholders   int // 【待办公室填写】 left in the draft: a warning before download
}

// draftBlockView is one block of the draft as the page shows it.
type draftBlockView struct {
	Index   int
	Kind    string // h1, h2, p, table, chart
	Number  string // 一、 （一）: the number the writer will give a heading
	Text    string
	Rows    int // a textarea's height
	Table   *gongwen.Table
	SVG     template.HTML
	Caption string
}

// draftVersionView is a saved version in the list.
type draftVersionView struct {
	Version  int
	By, At   string
	AsOf     string
	Href     string
	Selected bool
}

// draftLink is a link with its words.
type draftLink struct {
	Label, Href string
	Selected    bool
}

// draftQuery reads draft (the kind: summary or assessment; "kind" is the flash message's), period, as_of and version from a request (query or form).
type draftQuery struct {
	Kind    xiezuo.DraftKind
	Period  xiezuo.DraftPeriod
	AsOf    xiezuo.Date // as asked; zero for the period's end
	Version int
}

func (s *Server) draftQueryOf(r *http.Request) (draftQuery, error) {
	var q draftQuery
	var err error
	kind := r.FormValue("draft")
	if kind == "" {
		kind = string(xiezuo.DraftSummary)
	}
	if q.Kind, err = xiezuo.ParseDraftKind(kind); err != nil {
		return q, err
	}
	period := r.FormValue("period")
	if q.Kind == xiezuo.DraftAssessment {
		period = string(xiezuo.DraftYear)
	} else if period == "" {
		period = string(xiezuo.DraftH1)
	}
	if q.Period, err = xiezuo.ParseDraftPeriod(period); err != nil {
		return q, err
	}
	if v := r.FormValue("as_of"); v != "" {
		if q.AsOf, err = xiezuo.ParseDate(v); err != nil {
			return q, xiezuo.Errorf(xiezuo.EINVALID, "截至日期（参数 as_of）“%s”不是日期，应如 2021-06-30", v)
		}
	}
	if v := r.FormValue("version"); v != "" && v != "0" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return q, xiezuo.Errorf(xiezuo.EINVALID, "版本（参数 version）“%s”不对，应为 1、2 这样的版本号", v)
		}
		q.Version = n
	}
	return q, nil
}

// values is the query naming the draft.
func (q draftQuery) values(pd *planData) url.Values {
	v := url.Values{"year": {strconv.Itoa(pd.Year)}, "district": {pd.District}, "draft": {string(q.Kind)}}
	if q.Kind == xiezuo.DraftSummary {
		v.Set("period", string(q.Period))
	}
	if !q.AsOf.IsZero() {
		v.Set("as_of", q.AsOf.String())
	}
	if q.Version > 0 {
		v.Set("version", strconv.Itoa(q.Version))
	}
	return v
}

func draftKey(pd *planData, q draftQuery) sqldb.DraftKey {
	return sqldb.DraftKey{District: pd.District, Year: pd.Year, Kind: q.Kind, Period: q.Period}
}

// draftFacts loads the facts of the plan year as they stood at the end of day, as the draft
// says (「数据截至…当日结束」) and as /funds sums the ledger: entries dated on the day itself
// count even when they were recorded later in the day than the application's clock (the demo's
// --today clock runs behind facts recorded at 10:00 of the day).
func (s *Server) draftFacts(ctx context.Context, district string, year int, day xiezuo.Date) (xiezuo.DraftFacts, error) {
	return s.db.DraftFacts(ctx, district, year, xiezuo.EndOfDay(day))
}

// draftDoc is the draft q asks for: the saved version, or one generated from the data as of its
// day; with the day it is as of.
func (s *Server) draftDoc(ctx context.Context, pd *planData, q draftQuery) (gongwen.Document, xiezuo.Date, *sqldb.DraftVersion, error) {
	if q.Version > 0 {
		v, err := s.db.DraftVersionOf(ctx, draftKey(pd, q), q.Version)
		if err != nil {
			return gongwen.Document{}, xiezuo.Date{}, nil, err
		}
		return v.Document, v.AsOf, &v, nil
	}
	day, err := xiezuo.DraftDay(pd.Year, q.Period, q.AsOf, xiezuo.DayOf(s.today()))
	if err != nil {
		return gongwen.Document{}, day, nil, err
	}
	f, err := s.draftFacts(ctx, pd.District, pd.Year, day)
	if err != nil {
		return gongwen.Document{}, day, nil, err
	}
	return xiezuo.BuildDraft(f, q.Kind, q.Period, day), day, nil, nil
}

// docSum fingerprints a document: a save names the base it edited.
func docSum(doc gongwen.Document) string {
	b, _ := json.Marshal(doc)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// draftsPage shows a draft, or sends it (?format=docx|pdf, xlsx|zip for the assessment).
func (s *Server) draftsPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "drafts", "总结与自评")
	if pd == nil {
		return
	}
	q, err := s.draftQueryOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format := r.URL.Query().Get("format"); format != "" {
		s.draftExport(w, r, pd, q, format)
		return
	}
	vs, err := s.db.DraftVersions(r.Context(), draftKey(pd, q))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A tab opens the latest saved version, so that the office finds its edits again; a fresh
	// draft is asked for by 「按最新数据重新生成」 (fresh=1) or a chosen as-of day.
	if q.Version == 0 && q.AsOf.IsZero() && r.URL.Query().Get("fresh") == "" && len(vs) > 0 {
		q.Version = vs[0].Version // newest first
	}
	doc, day, saved, err := s.draftDoc(r.Context(), pd, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := draftsData{planData: *pd, Kind: q.Kind, Period: q.Period, AsOf: day.String(), Today: xiezuo.DayOf(s.today()).String(),
		DocTitle: doc.Title, Sum: docSum(doc), Version: q.Version, PlaceholderTip: xiezuo.NextStepsPlaceholder,
		Placeholders: xiezuo.DraftPlaceholders(doc)}
	d.Title = "总结与自评：" + doc.Title
	d.PrintHead.AsOf = day.String() // the draft's own day (a saved version's), not today
	// The filter is the draft's period, not the address's other keys (kind is the flash message's).
	d.PrintHead.Filter = "期间：" + q.Period.Name()
	if saved != nil {
		d.VersionBy, d.VersionAt = saved.By, saved.At.In(xiezuo.Beijing).Format("2006-01-02 15:04")
	}
	self := q.values(pd)
	d.Self = "?" + self.Encode()
	fresh := draftQuery{Kind: q.Kind, Period: q.Period, AsOf: q.AsOf}
	if saved != nil {
		fresh.AsOf = xiezuo.Date{}
	}
	fv := fresh.values(pd)
	fv.Set("fresh", "1")
	d.Fresh = "/drafts?" + fv.Encode()
	for _, c := range []struct {
		label string
		q     draftQuery
	}{
		{"上半年工作总结", draftQuery{Kind: xiezuo.DraftSummary, Period: xiezuo.DraftH1}},
		{"全年工作总结", draftQuery{Kind: xiezuo.DraftSummary, Period: xiezuo.DraftYear}},
		{"考核自评", draftQuery{Kind: xiezuo.DraftAssessment, Period: xiezuo.DraftYear}},
	} {
		d.Choices = append(d.Choices, draftLink{c.label, "/drafts?" + c.q.values(pd).Encode(), c.q.Kind == q.Kind && c.q.Period == q.Period})
	}
	formats := []struct{ label, f string }{{"下载 Word（.docx）", "docx"}, {"下载 PDF", "pdf"}}
	if q.Kind == xiezuo.DraftAssessment {
		formats = append(formats, struct{ label, f string }{"下载自评表（.xlsx）", "xlsx"}, struct{ label, f string }{"下载佐证材料包（.zip）", "zip"})
	}
	for _, f := range formats {
		v := q.values(pd)
		v.Set("format", f.f)
		if q.Version == 0 {
			v.Set("as_of", day.String())
		}
		d.Exports = append(d.Exports, draftLink{Label: f.label, Href: "/drafts?" + v.Encode()})
	}
	var users []string
	for _, v := range vs {
		users = append(users, v.By)
	}
	who, err := s.db.Writers(r.Context(), users)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := func(u string) string {
		if n, ok := who[u]; ok {
			return n
		}
		return u
	}
	if saved != nil {
		d.VersionBy = name(saved.By)
	}
	for _, v := range vs {
		vq := draftQuery{Kind: q.Kind, Period: q.Period, Version: v.Version}
		d.Versions = append(d.Versions, draftVersionView{Version: v.Version, By: name(v.By), At: v.At.In(xiezuo.Beijing).Format("2006-01-02 15:04"),
			AsOf: v.AsOf.String(), Href: "/drafts?" + vq.values(pd).Encode(), Selected: v.Version == q.Version})
	}
	d.Blocks = draftBlocks(doc)
	s.render(w, r, http.StatusOK, "drafts", d)
}

// draftBlocks lays out a document's blocks for the page, numbering the headings as the writer
// will (一、 per level 1, （一） within it).
func draftBlocks(doc gongwen.Document) []draftBlockView {
	var out []draftBlockView
	h1, h2 := 0, 0
	for i, b := range doc.Blocks {
		v := draftBlockView{Index: i, Text: b.Text}
		switch b.Kind {
		case gongwen.Heading1:
			h1, h2 = h1+1, 0
			v.Kind, v.Number, v.Rows = "h1", xiezuo.ChineseNumeral(h1)+"、", 1
		case gongwen.Heading2, gongwen.Heading3, gongwen.Heading4:
			h2++
			v.Kind, v.Number, v.Rows = "h2", "（"+xiezuo.ChineseNumeral(h2)+"）", 1
		case gongwen.Paragraph:
			v.Kind = "p"
			v.Rows = max(2, min(12, utf8.RuneCountInString(b.Text)/60+1))
		case gongwen.TableBlock:
			v.Kind, v.Table = "table", b.Table
		case gongwen.ChartBlock:
			v.Kind = "chart"
			switch {
			case b.Bars != nil:
				v.SVG, v.Caption = svg(b.Bars.SVG()), b.Bars.Title
			case b.Line != nil:
				v.SVG, v.Caption = svg(b.Line.SVG()), b.Line.Title
			case b.Donut != nil:
				v.SVG, v.Caption = svg(b.Donut.SVG()), b.Donut.Title
			}
		default:
			continue
		}
		if b.Number != "" {
			v.Number = b.Number
		}
		out = append(out, v)
	}
	return out
}

// editable reports whether a block's text is edited on the page.
func editable(k gongwen.BlockKind) bool {
	return k == gongwen.Paragraph || k == gongwen.Heading1 || k == gongwen.Heading2 || k == gongwen.Heading3 || k == gongwen.Heading4
}

// ApplyDraftEdits puts the texts typed for the editable blocks of base (by block index: b0, b1 …)
// into a copy of it; a block left empty is dropped. Tables and charts stay as generated.
func applyDraftEdits(base gongwen.Document, text func(i int) (string, bool)) (gongwen.Document, error) {
	out := base
	out.Blocks = nil
	for i, b := range base.Blocks {
		if !editable(b.Kind) {
			out.Blocks = append(out.Blocks, b)
			continue
		}
		t, ok := text(i)
		if !ok {
			out.Blocks = append(out.Blocks, b)
			continue
		}
		t = strings.TrimSpace(strings.ReplaceAll(t, "\r\n", "\n"))
		if n := utf8.RuneCountInString(t); n > maxDraftText {
			return out, xiezuo.Errorf(xiezuo.EINVALID, "第 %d 段有 %d 字，每段最多 %d 字，请分成几段", i+1, n, maxDraftText)
		}
		if strings.ContainsFunc(t, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }) {
			return out, xiezuo.Errorf(xiezuo.EINVALID, "第 %d 段含有不可见的控制字符，请删去后再保存", i+1)
		}
		if t == "" {
			continue
		}
		if b.Kind != gongwen.Paragraph {
			t = strings.Join(strings.Fields(t), " ")
		}
		b.Text = t
		out.Blocks = append(out.Blocks, b)
	}
	return out, nil
}

// draftSave saves the edited draft as a new version and shows it.
func (s *Server) draftSave(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "drafts", "总结与自评")
	if pd == nil {
		return
	}
	u := currentUser(r)
	if !u.CanWriteDistrict(pd.District) {
		s.audit(r.Context(), "draft.save", "draft", pd.District, pd.District, "failure", "无权修改其他区县")
		s.errorPage(w, r, http.StatusForbidden, u.DistrictRefusal(pd.District, "材料"))
		return
	}
	q, err := s.draftQueryOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base, day, _, err := s.draftDoc(r.Context(), pd, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.PostFormValue("sum") != docSum(base) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ECONFLICT, "打开此稿后数据或版本已有变化，表格和图已不同：请点“按最新数据重新生成”或重新打开该版本后再修改保存（未保存）"))
		return
	}
	doc, err := applyDraftEdits(base, func(i int) (string, bool) {
		v, ok := r.PostForm["b"+strconv.Itoa(i)]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.db.SaveDraft(r.Context(), draftKey(pd, q), day, doc, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := draftQuery{Kind: q.Kind, Period: q.Period, Version: v.Version}
	vals := next.values(pd)
	http.Redirect(w, r, "/drafts?"+s.flash(vals, fmt.Sprintf("已保存为第 %d 版（%s保存，数据截至%s）", v.Version, xiezuo.DraftChineseDate(xiezuo.DayOf(v.At)), xiezuo.DraftChineseDate(day)), "ok"), http.StatusSeeOther)
}

// attachment sets the headers of a download named name (RFC 5987: the Chinese name in
// filename*, an ASCII stand-in in filename).
func attachment(w http.ResponseWriter, contentType, name, ext string) {
	w.Header().Set("Content-Type", contentType)
	// The plain filename is the Chinese name too (names are cleaned of quotes and backslashes):
	// a client that ignores filename* saves the same name, not a placeholder.
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name+ext, url.PathEscape(name+ext)))
}

// draftExport sends the draft as format.
func (s *Server) draftExport(w http.ResponseWriter, r *http.Request, pd *planData, q draftQuery, format string) {
	switch format {
	case "docx", "pdf":
	case "xlsx", "zip":
		if q.Kind != xiezuo.DraftAssessment {
			s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "工作总结只能下载 Word（format=docx）或 PDF（format=pdf）；自评表和佐证材料包在考核自评下载"))
			return
		}
	default:
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "下载格式（参数 format）“%s”不对：应为 docx、pdf，考核自评还可为 xlsx、zip", format))
		return
	}
	doc, day, _, err := s.draftDoc(r.Context(), pd, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := xiezuo.DraftFileName(doc, q.Version)
	if format == "docx" || format == "pdf" {
		var font *gongwen.Font
		if format == "pdf" {
			f, err := gongwen.FindFont()
			if err != nil {
				s.log.Warn("no CJK font for the PDF", "err", err)
				s.errorPage(w, r, http.StatusServiceUnavailable, "暂时无法生成 PDF：服务器上没有可用的中文 TrueType 字体（如 fonts-lxgw-wenkai），请联系系统管理员安装。可先下载 Word 版本。")
				return
			}
			font = &f
		}
		var buf bytes.Buffer
		if err := writeDraft(&buf, doc, font); err != nil {
			s.serverError(w, r, err)
			return
		}
		ct := "application/pdf"
		if format == "docx" {
			ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		}
		attachment(w, ct, name, "."+format)
		w.Write(buf.Bytes())
		return
	}
	f, err := s.draftFacts(r.Context(), pd.District, pd.Year, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	card := xiezuo.AssessmentCard(f, day)
	rows := xiezuo.AssessmentRows(card)
	title := xiezuo.AssessmentTitle(pd.District, pd.Year) + "（截至" + xiezuo.DraftChineseDate(day) + "）"
	if format == "xlsx" {
		var buf bytes.Buffer
		href := func(_ xiezuo.AssessmentRow, e xiezuo.EvidenceRef) string {
			return planHref(evidenceHref(e), pd.Year, pd.District)
		}
		if err := xlsx.WriteAssessment(&buf, title, rows, href); err != nil {
			s.serverError(w, r, err)
			return
		}
		attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+"_自评表", ".xlsx")
		w.Write(buf.Bytes())
		return
	}
	attachment(w, "application/zip", name+"_佐证材料", ".zip")
	who, err := s.db.Writers(r.Context(), xiezuo.EntryRecorders(f.Score))
	if err != nil {
		s.log.Error("evidence bundle: who recorded", "err", err) // the headers are sent
		return
	}
	files := func(e xiezuo.EvidenceRef) ([]xlsx.BundleFile, error) {
		return s.bundleFiles(r.Context(), f.Score, e, who)
	}
	if err := xlsx.WriteEvidenceBundle(w, title, rows, files, xlsx.DefaultBundleLimits, s.cfg.Now()); err != nil {
		// The headers are sent: the download breaks off, and the log says why.
		s.log.Error("evidence bundle", "err", err)
	}
}

// bundleFiles are the bundle's files of an evidence item: a report's stored files, or a text
// describing a register entry, project or money entry.
func (s *Server) bundleFiles(ctx context.Context, d xiezuo.ScoreData, e xiezuo.EvidenceRef, who map[string]string) ([]xlsx.BundleFile, error) {
	if e.Kind == "report" {
		if s.evidence == nil {
			return nil, nil
		}
		es, err := s.db.ReportEvidence(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		var out []xlsx.BundleFile
		for _, ev := range es {
			sum := ev.SHA256
			out = append(out, xlsx.BundleFile{Name: ev.Name, Open: func() (io.ReadCloser, error) { return s.evidence.Open(sum) }})
		}
		return out, nil
	}
	return describedFiles(xiezuo.DescribeEvidence(d, e, who)), nil
}

// describedFiles are the texts of items as bundle files.
func describedFiles(items []xiezuo.EvidenceItem) []xlsx.BundleFile {
	var out []xlsx.BundleFile
	for _, it := range items {
		text := it.Text
		out = append(out, xlsx.BundleFile{Name: it.Name, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader(text)), nil
		}})
	}
	return out
}

// writeDraft writes doc as PDF in font, or as Word when font is nil: the one place the drafts'
// pages call package gongwen's writer.
func writeDraft(w io.Writer, doc gongwen.Document, font *gongwen.Font) error {
	if font != nil {
		return gongwen.WritePDF(w, doc, *font)
	}
	return gongwen.WriteDOCX(w, doc)
}
