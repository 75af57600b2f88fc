package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"

	"xiezuo"
	"xiezuo/plandoc"
	"xiezuo/sqldb"
)

// maxUpload is the largest plan document accepted: a province's project table of tens of
// thousands of rows is a few megabytes.
const maxUpload = 32 << 20

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
}

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
			d.Error = fmt.Sprintf("文件超过 %d MB，请拆分后上传", maxUpload>>20)
		} else {
			d.Error = "请选择要上传的计划文件（.md、.txt、.xlsx 或 .csv）"
		}
		s.render(w, r, http.StatusBadRequest, "import", d)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		d.Error = "文件没有上传完整，请重试"
		s.render(w, r, http.StatusBadRequest, "import", d)
		return
	}
	name := filepath.Base(hdr.Filename)
	d.File = name
	res, err := plandoc.Parse(name, data)
	if err != nil {
		d.Error = xiezuo.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "import", d)
		return
	}
	sum := res.Summary()
	d.Summary = &sum
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
	old, err := s.db.LoadPlan(ctx, res.Plan.District, res.Plan.Year)
	switch {
	case err == nil:
		res.Plan.KeepMissingParts(old)
	case xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND:
		old, d.First = nil, true
	default:
		s.serverError(w, r, err)
		return
	}
	d.Version = "0"
	if old != nil {
		v, err := s.db.PlanVersion(ctx, res.Plan.District, res.Plan.Year)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d.Version = strconv.FormatInt(v, 10)
	}
	d.Changes = xiezuo.Diff(old, res.Plan)
	d.Added = countAdded(d.Changes)
	if len(d.Changes) == 0 {
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

func countAdded(changes []xiezuo.Change) []addedCount {
	var out []addedCount
	idx := map[string]int{}
	for _, c := range changes {
		if c.Kind != xiezuo.ChangeAdded {
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
	res, err := plandoc.Parse(name, data)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !res.OK() {
		s.fail(w, r, xiezuo.Errorf(xiezuo.EINVALID, "文件有 %d 个错误，未导入", len(res.Errors)))
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
	old, err := s.db.LoadPlan(ctx, res.Plan.District, res.Plan.Year)
	switch {
	case err == nil:
		res.Plan.KeepMissingParts(old)
	case xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND:
		s.serverError(w, r, err)
		return
	}
	changes, err := s.db.ImportPlanAt(ctx, res.Plan, data, version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.plans.forget()
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
