package web

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"xiezuo"
	"xiezuo/evidence"
	"xiezuo/sqldb"
)

// Evidence files (证明材料) of reports: the duty page's form and POST /api/v1/reports/{id}/evidence
// send them as multipart files named "evidence". The guard reads the body within the report's
// limit (evidenceBody), each file into a temporary file counted while it is read
// (readEvidenceForm), so an upload holds little memory and nothing past a limit is kept;
// keepEvidence then checks the limits of each file and of the version (xiezuo.EvidenceLimits),
// tells each file's type by its content and stores it (evidence.Store) before anything is
// written to the database. A refusal writes no row; files stored for a
// submission that then fails are kept by nothing and are removed by Store.Sweep.

// evidenceField is the name of the form's and the API's file field.
const evidenceField = "evidence"

// evidenceRoutes are the routes whose body may carry evidence files: the guard lets their body
// reach the report's limit.
var evidenceRoutes = map[string]bool{
	"POST /duties/{id}/reports":          true,
	"POST /api/v1/reports/{id}/evidence": true,
	"POST /projects/{id}/steps":          true, // a project's step with its photos (project_life.go)
}

// evidenceBody is the largest body of a route that carries evidence: the files of one version
// and the form's other fields.
func (s *Server) evidenceBody() int64 { return s.cfg.EvidenceLimits.Report + maxForm }

// evidenceTooLarge is the refusal of a body over evidenceBody, which the guard answers with 413.
func (s *Server) evidenceTooLarge() string {
	l := s.cfg.EvidenceLimits
	return fmt.Sprintf("一次进展报告的附件合计不能超过 %s（每个文件不超过 %s，最多 %d 个文件）", xiezuo.MB(l.Report), xiezuo.MB(l.File), l.Files)
}

// keepEvidence checks the request's evidence files (read by readEvidenceForm) against the
// limits, counted with have (the files the version already holds), and stores each one by its
// content: what storage then writes with the version (sqldb.ReportWrite.Evidence) or adds to it
// (AttachEvidence). A file over a limit is ETOOLARGE, a file that is not a photo, PDF, Word or
// Excel document EINVALID, naming the file; nothing is stored then but the files checked before
// it, which nothing refers to.
func (s *Server) keepEvidence(r *http.Request, have []xiezuo.Evidence) ([]xiezuo.Evidence, error) {
	form := evidenceFormOf(r)
	if !hasEvidence(r) {
		return nil, nil
	}
	if form.refused != nil {
		return nil, form.refused
	}
	if s.evidence == nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "本系统未配置证明材料的存储位置（serve --evidence-dir），暂不能上传文件")
	}
	names, sizes := make([]string, len(form.files)), make([]int64, len(form.files))
	for i, f := range form.files {
		names[i], sizes[i] = f.Name, f.Size
	}
	if err := s.cfg.EvidenceLimits.Check(have, names, sizes); err != nil {
		return nil, err
	}
	out := make([]xiezuo.Evidence, 0, len(form.files))
	for _, f := range form.files {
		e, err := s.evidence.KeepTemp(f.Name, f.file, f.Size, f.sum)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// evidenceReport loads the report a file of version belongs to, with its district, when u may
// read that version (xiezuo.VisibleReport: a draft's files are the reporting unit's);
// otherwise the file is not found, so that its id tells nothing.
func (s *Server) evidenceReport(r *http.Request, reportID int64, version int) (xiezuo.Report, string, error) {
	notFound := xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个文件，或您无权查看")
	rep, err := s.db.Report(r.Context(), reportID)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		return rep, "", notFound
	}
	if err != nil {
		return rep, "", err
	}
	dc, err := s.loadDuty(r, rep.Duty.String())
	if code := xiezuo.ErrorCode(err); code == xiezuo.EFORBIDDEN || code == xiezuo.ENOTFOUND {
		return rep, "", notFound
	}
	if err != nil {
		return rep, "", err
	}
	vis, ok := xiezuo.VisibleReport(currentUser(r), dc.Plan, dc.Groups, &rep)
	if !ok || !slices.ContainsFunc(vis.Versions, func(v xiezuo.ReportVersion) bool { return v.Version == version }) {
		return rep, "", notFound
	}
	return vis, dc.District, nil
}

// evidenceFile serves a stored file to those who may read its report: with the type detected
// from its content (never sniffed again by the browser: nosniff), shown in the browser when it
// is a picture or a PDF and downloaded otherwise, under its name with the extension of its type.
func (s *Server) evidenceFile(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound, "没有这个文件，或您无权查看")
		return
	}
	e, err := s.db.EvidenceFile(r.Context(), id)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		s.errorPage(w, r, http.StatusNotFound, "没有这个文件，或您无权查看")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, _, err := s.evidenceReport(r, e.ReportID, e.Version); err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveEvidence(w, r, e)
}

// serveEvidence serves stored file e to a reader the caller has checked: with the type
// detected from its content, inline for pictures and PDF, under a restrictive CSP.
func (s *Server) serveEvidence(w http.ResponseWriter, r *http.Request, e xiezuo.Evidence) {
	if s.evidence == nil {
		s.errorPage(w, r, http.StatusNotFound, "本系统未配置证明材料的存储位置，无法读取文件")
		return
	}
	f, err := s.evidence.Open(e.SHA256)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	k, _ := evidence.KindOf(e.MIME)
	disposition := "attachment"
	if k.Inline() {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", e.MIME)
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": evidence.DownloadName(e.Name, e.MIME)}))
	h.Set("X-Content-Type-Options", "nosniff")
	// The content never changes (it is named by its hash), but who may read it can: a private
	// copy, checked again after five minutes.
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("ETag", `"`+e.SHA256+`"`)
	// Nothing a stored file holds runs as this site's page (HTML and SVG are refused on upload;
	// this stands in case): a picture may only be shown, a PDF only given to the browser's
	// viewer, and anything downloaded is sandboxed should a browser open it.
	switch {
	case k.Image():
		h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
	case k == evidence.PDF:
		h.Set("Content-Security-Policy", "default-src 'none'; object-src 'self'; img-src 'self'; style-src 'unsafe-inline'")
	default:
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	}
	http.ServeContent(w, r, "", e.At, f)
}

// apiEvidence is an evidence file as the API shows it.
type apiEvidence struct {
	ID      int64   `json:"id"`
	Version int     `json:"version"` // the report version it was sent with
	Name    string  `json:"name"`    // as uploaded
	Type    string  `json:"type"`    // the media type detected from the content
	Label   string  `json:"label"`   // the type in words
	Size    int64   `json:"size"`    // bytes
	SHA256  string  `json:"sha256"`
	TakenAt *string `json:"taken_at"` // a photo's capture time as the camera gave it (RFC 3339, in China's time); null when unknown
	By      string  `json:"by"`
	At      string  `json:"at"`  // when it was sent (RFC 3339, UTC, as the report's times)
	URL     string  `json:"url"` // where the API serves the file to those who may read the report
}

func toAPIEvidence(es []xiezuo.Evidence) []apiEvidence {
	out := make([]apiEvidence, 0, len(es))
	for _, e := range es {
		k, _ := evidence.KindOf(e.MIME)
		a := apiEvidence{ID: e.ID, Version: e.Version, Name: e.Name, Type: e.MIME, Label: k.Label, Size: e.Size,
			SHA256: e.SHA256, By: e.By, At: apiTime(e.At), URL: "/api/v1/evidence/" + strconv.FormatInt(e.ID, 10)}
		if !e.TakenAt.IsZero() {
			t := e.TakenAt.In(shanghai).Format(time.RFC3339)
			a.TakenAt = &t
		}
		out = append(out, a)
	}
	return out
}

// apiReportEvidence adds the request's files to the waiting version of report {id} of the
// caller's unit: 201 with the files added; the same Idempotency-Key and files again answer 200
// with the first answer. The files are checked and stored first, then written with their audit
// entry in one transaction.
func (s *Server) apiReportEvidence(w http.ResponseWriter, r *http.Request) {
	rep, dc, err := s.readableReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	if err := u.CanAttach(dc.Plan, dc.Groups, &rep, latest); err != nil { // the report as it stands, whatever the application's today
		s.fail(w, r, err)
		return
	}
	if !hasEvidence(r) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "请以 multipart/form-data 上传文件，字段名为 %s", evidenceField))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if err := sqldb.CheckIdemKey(key); err != nil {
		s.fail(w, r, err)
		return
	}
	have, err := s.db.ReportEvidence(r.Context(), rep.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	latest := rep.Versions[len(rep.Versions)-1].Version
	var same []xiezuo.Evidence
	for _, e := range have {
		if e.Version == latest {
			same = append(same, e)
		}
	}
	files, err := s.keepEvidence(r, same)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The key is bound to the report and to each file's name and content.
	var sent [][2]string
	for _, f := range files {
		sent = append(sent, [2]string{f.Name, f.SHA256})
	}
	idem := sqldb.Idem{UserID: u.ID, Key: key, RequestHash: requestHash(r, sent)}
	added, replayed, err := s.db.AttachEvidenceOnce(r.Context(), rep.ID, files, s.cfg.EvidenceLimits, idem)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"evidence": toAPIEvidence(added)})
}

// withEvidence puts each file of es with the version of out it was sent with.
func withEvidence(out *apiReport, es []xiezuo.Evidence) {
	for i := range out.Versions {
		v := &out.Versions[i]
		v.Evidence = []apiEvidence{}
		for _, e := range es {
			if e.ReportID == out.ID && e.Version == v.Version {
				v.Evidence = append(v.Evidence, toAPIEvidence([]xiezuo.Evidence{e})...)
			}
		}
	}
}

// sweepEvidence removes, at most once a day per instance, the stored files no report refers to
// that are older than a day (a submission refused after its files were stored), and temporary
// files a crash left. Several instances sweeping one store at once is harmless: each file is
// checked against the database, and a file about to be used is kept (evidence.Store.Sweep).
func (s *Server) sweepEvidence(ctx context.Context) error {
	now := time.Now() // files carry the machine's time, whatever the application's today
	last := s.swept.Load()
	if s.evidence == nil || now.Unix()-last < 24*3600 || !s.swept.CompareAndSwap(last, now.Unix()) {
		return nil
	}
	n, err := s.evidence.Sweep(func(sum string) (bool, error) { return s.db.EvidenceInUse(ctx, sum) }, now.Add(-24*time.Hour))
	if n > 0 {
		s.log.Info("evidence sweep", "removed", n)
	}
	if err != nil {
		return fmt.Errorf("sweep evidence: %w", err)
	}
	return nil
}
