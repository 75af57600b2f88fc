package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"time"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
)

// maxUpload bounds the body of an upload: the largest document plandoc reads (a province's
// project table of tens of thousands of rows is a few megabytes) and the form around it.
const maxUpload = plandoc.MaxDocumentBytes + 64<<10

// importParses is how many documents an instance reads at once, and importWait how long an
// upload waits for its turn. Reading a document within plandoc's bounds takes up to about a
// hundred megabytes and a core for seconds; one at a time keeps the other core, and the pages
// of everyone else, free.
const (
	importParses = 1
	importWait   = 20 * time.Second
)

// errBusy is the answer to an upload that waited its turn in vain.
var errBusy = xiezuo.Errorf(xiezuo.ECONFLICT, "系统正在检查其他人上传的文件（同时只检查 %d 份），请稍候一分钟再上传", importParses)

// parseDocument reads a document when its turn comes: at most importParses at once, each
// waiting at most importWait. It stops when the request is cancelled (the client has gone).
func (s *Server) parseDocument(ctx context.Context, name string, data []byte) (*plandoc.Result, error) {
	wait := time.NewTimer(s.wait)
	defer wait.Stop()
	select {
	case s.parses <- struct{}{}:
	case <-wait.C:
		return nil, errBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.parses }()
	return plandoc.ParseContext(ctx, name, data)
}

// readUpload reads an uploaded file, at most the largest document plandoc reads.
func readUpload(f io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(f, plandoc.MaxDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > plandoc.MaxDocumentBytes {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "文件超过 %d MB，请拆分后上传", plandoc.MaxDocumentBytes>>20)
	}
	return data, nil
}

type importData struct {
	base
	File     string
	Summary  *xiezuo.Summary
	Changes  []xiezuo.Change
	Added    []addedCount
	First    bool
	Upload   string // id of the stored upload to confirm
	Version  string // version of the stored plan the differences were made against; 0 when none
	Error    string
	Imported bool
	// ErrorsTotal and WarningsTotal count every problem found, listed or not.
	ErrorsTotal, WarningsTotal int
	// ChangesTotal counts the changes found; ChangesOmitted those beyond the ones listed.
	ChangesTotal, ChangesOmitted int
	// Partial: the document holds some rows of the project table, which it updates and adds
	// to; it deletes none of the others.
	Partial bool
	// Removed lists the facts the import deletes, shown first and confirmed apart; Removals
	// counts them, RemovedCounts by kind, RemovedContacts the contacts that go with them.
	Removed         []removedRow
	Removals        int
	RemovedCounts   []addedCount
	RemovedContacts int
}

// removedRow is a fact an import deletes, with the contacts attached to it.
type removedRow struct {
	xiezuo.Change
	Contacts int
}

// maxChangesListed bounds the changes an import page lists.
const maxChangesListed = 500

type addedCount struct {
	Entity string
	N      int
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	d := importData{base: s.baseFor(r, "import")}
	d.Title = "导入计划"
	s.render(w, r, http.StatusOK, "import", d)
}

// importUpload checks an uploaded plan and shows the result: every error at its line, or the
// differences from the stored plan, to be confirmed before anything is written.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := importData{base: s.baseFor(r, "import")}
	d.Title = "导入计划"
	f, hdr, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			d.Error = fmt.Sprintf("文件超过 %d MB，请拆分后上传", plandoc.MaxDocumentBytes>>20)
		} else {
			d.Error = "请选择要上传的计划文件（Word、带文字的 PDF、.xlsx、.csv 或 .md/.txt 文本）"
		}
		s.render(w, r, http.StatusBadRequest, "import", d)
		return
	}
	defer f.Close()
	if hdr.Size > plandoc.MaxDocumentBytes {
		d.Error = fmt.Sprintf("文件超过 %d MB，请拆分后上传", plandoc.MaxDocumentBytes>>20)
		s.render(w, r, http.StatusRequestEntityTooLarge, "import", d)
		return
	}
	name := filepath.Base(hdr.Filename)
	d.File = name
	res, err := s.parseUpload(ctx, name, f)
	switch {
	case ctx.Err() != nil:
		s.log.Info("import: client gone before the document was read", "bytes", hdr.Size)
		return
	case errors.Is(err, errBusy):
		d.Error = xiezuo.ErrorMessage(err)
		w.Header().Set("Retry-After", "60")
		s.render(w, r, http.StatusServiceUnavailable, "import", d)
		return
	case err != nil:
		d.Error = xiezuo.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "import", d)
		return
	}
	data := res.data
	sum := res.Summary()
	d.Summary = &sum
	d.ErrorsTotal = len(sum.Errors) + sum.ErrorsOmitted
	d.WarningsTotal = len(sum.Warnings) + sum.WarningsOmitted
	if !res.OK() {
		s.render(w, r, http.StatusUnprocessableEntity, "import", d)
		return
	}
	if err := currentUser(r).CheckImport(res.Plan.District); err != nil {
		s.refuseImport(r, name, res.Plan, err)
		d.Error = xiezuo.ErrorMessage(err)
		s.render(w, r, http.StatusForbidden, "import", d)
		return
	}
	pv, err := s.db.PreviewImport(ctx, res.Plan)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.First = pv.Old == nil
	d.Version = strconv.FormatInt(pv.Version, 10)
	d.Partial = pv.Coverage == xiezuo.CoversSomeProjects
	d.Changes = pv.Changes
	d.Removals = pv.Removals()
	for _, c := range pv.Changes {
		if c.Kind == xiezuo.ChangeRemoved {
			d.Removed = append(d.Removed, removedRow{Change: c, Contacts: pv.Contacts[c.Key]})
			d.RemovedContacts += pv.Contacts[c.Key]
		}
	}
	d.RemovedCounts = countKind(d.Changes, xiezuo.ChangeRemoved)
	d.Added = countKind(d.Changes, xiezuo.ChangeAdded)
	changes := len(d.Changes)
	d.ChangesTotal = changes
	d.Changes, d.ChangesOmitted = listedChanges(d.Changes)
	if changes == 0 {
		s.render(w, r, http.StatusOK, "import", d)
		return
	}
	id, err := s.db.SaveUpload(ctx, currentUser(r).ID, name, data, s.cfg.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Upload = strconv.FormatInt(id, 10)
	s.render(w, r, http.StatusOK, "import", d)
}

// parsed is a read upload with its bytes.
type parsed struct {
	*plandoc.Result
	data []byte
}

// parseUpload reads an uploaded file and its document when its turn comes.
func (s *Server) parseUpload(ctx context.Context, name string, f io.Reader) (parsed, error) {
	data, err := readUpload(f)
	if err != nil {
		return parsed{}, err
	}
	res, err := s.parseDocument(ctx, name, data)
	return parsed{res, data}, err
}

// listedChanges keeps the changes a page lists: those other than additions (counted apart, by
// kind) and removals (listed apart, first), at most maxChangesListed of them, and the rest
// counted in a last line.
func listedChanges(changes []xiezuo.Change) (listed []xiezuo.Change, omitted int) {
	var out []xiezuo.Change
	n := 0
	for _, c := range changes {
		if c.Kind == xiezuo.ChangeAdded || c.Kind == xiezuo.ChangeRemoved {
			out = append(out, c)
			continue
		}
		n++
		if n <= maxChangesListed {
			out = append(out, c)
		}
	}
	return out, max(0, n-maxChangesListed)
}

// countKind counts the changes of a kind by entity, in the order of their first change.
func countKind(changes []xiezuo.Change, kind string) []addedCount {
	var out []addedCount
	idx := map[string]int{}
	for _, c := range changes {
		if c.Kind != kind {
			continue
		}
		i, ok := idx[c.Entity]
		if !ok {
			i = len(out)
			idx[c.Entity] = i
			out = append(out, addedCount{Entity: c.Entity})
		}
		out[i].N++
	}
	return out
}

// importConfirm imports the upload the office has checked and confirmed: all or nothing, and
// audited in the same transaction.
func (s *Server) importConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(r)
	id, err := strconv.ParseInt(r.PostFormValue("upload"), 10, 64)
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "没有要导入的文件，请重新上传"))
		return
	}
	name, data, err := s.db.Upload(ctx, id, u.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.parseDocument(ctx, name, data)
	if ctx.Err() != nil {
		s.log.Info("import: client gone before the document was read", "upload", id)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !res.OK() {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "文件有 %d 个错误，未导入", res.ErrorCount()))
		return
	}
	if err := u.CheckImport(res.Plan.District); err != nil {
		s.refuseImport(r, name, res.Plan, err)
		s.fail(w, r, err)
		return
	}
	// The office confirmed the differences against one version of the plan: if another import
	// came in between, those are not the differences this import would make. The import checks
	// it under its lock.
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "页面已过期，请重新上传"))
		return
	}
	// Deletions are confirmed apart, by their count: without the box ticked, none is made.
	removals := 0
	if v := r.PostFormValue("removals"); v != "" {
		removals, err = strconv.Atoi(v)
	}
	if err != nil || removals < 0 {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "页面已过期，请重新上传"))
		return
	}
	if removals > 0 && r.PostFormValue("confirm_delete") != strconv.Itoa(removals) {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "这次导入会删除 %d 项：请返回，勾选“确认删除”后再导入。本次没有导入任何内容", removals))
		return
	}
	changes, _, err := s.db.ImportPlanAt(ctx, res.Plan, data, version, removals)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.plans.forget()
	s.facts.forget() // a re-import may delete what facts were attached to
	if err := s.db.DeleteUpload(ctx, id); err != nil {
		s.log.Error("delete upload", "id", id, "err", err)
	}
	msg := fmt.Sprintf("已导入%d年%s的计划，%d 处变化", res.Plan.Year, res.Plan.District, len(changes))
	q := url.Values{"year": {strconv.Itoa(res.Plan.Year)}, "district": {res.Plan.District}}
	s.flash(q, msg, "ok")
	http.Redirect(w, r, "/?"+q.Encode(), http.StatusSeeOther)
}

// refuseImport audits an import refused because the plan is of a district the importer may not
// write.
func (s *Server) refuseImport(r *http.Request, file string, p *xiezuo.Plan, err error) {
	s.audit(r.Context(), sqldb.AuditPlanImport, "plan", fmt.Sprintf("%s/%d", p.District, p.Year),
		fmt.Sprintf("%d年%s计划（%s）", p.Year, p.District, file), sqldb.AuditFailure, xiezuo.ErrorMessage(err))
}
