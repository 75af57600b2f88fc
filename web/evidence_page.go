package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"xiezuo"
	"xiezuo/evidence"
)

// The files on the duty page: each version of a report lists the files sent with it (a photo
// shown small, with when it was taken; never where), and the form that continues a draft or a
// returned report offers the files of the version it continues, to send again with the new
// one (a version holds what it was sent with, so a resubmission does not lose its photos).

// evidenceView is a file as the page shows it.
type evidenceView struct {
	ID      int64
	Name    string
	Label   string // the type detected, in words
	Size    string
	TakenAt string // 2021-09-10 14:32, for a photo whose camera recorded it
	Image   bool   // shown as a picture
}

// keepView is a file of the version a new one continues, checked to be sent again.
type keepView struct {
	evidenceView
	Checked bool
}

func evidenceViewOf(e xiezuo.Evidence) evidenceView {
	k, _ := evidence.KindOf(e.MIME)
	return evidenceView{ID: e.ID, Name: e.Name, Label: k.Label, Size: sizeText(e.Size), TakenAt: fmtTime(e.TakenAt), Image: k.Image()}
}

// sizeText writes a file's size as people read it: 820 KB, 3.2 MB.
func sizeText(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt((n+1023)/1024, 10) + " KB"
	}
	return xiezuo.MB(n)
}

// dutyEvidence puts on each version of the page's reports the files sent with it, and says
// what the form takes.
func (s *Server) dutyEvidence(r *http.Request, dc dutyContext, d *dutyPageData) error {
	l := s.cfg.EvidenceLimits
	d.EvidenceHint = fmt.Sprintf("照片、PDF、Word、Excel，按文件内容识别类型；每个不超过 %s，合计不超过 %s，最多 %d 个", xiezuo.MB(l.File), xiezuo.MB(l.Report), l.Files)
	if len(d.Reports) == 0 {
		return nil
	}
	es, err := s.db.DutyEvidence(r.Context(), dc.Key)
	if err != nil {
		return err
	}
	for i := range d.Reports {
		rv := &d.Reports[i]
		for j := range rv.History {
			h := &rv.History[j]
			if h.Version == 0 {
				continue
			}
			for _, e := range es {
				if e.ReportID == rv.ID && e.Version == h.Version {
					h.Files = append(h.Files, evidenceViewOf(e))
				}
			}
		}
	}
	return nil
}

// continuedFiles returns the files of the latest version of report id when it is the user's
// unit's report on the duty (nothing otherwise: storage refuses another unit's report, and its
// files are not shown here).
func (s *Server) continuedFiles(r *http.Request, dc dutyContext, id int64) ([]xiezuo.Evidence, error) {
	if id <= 0 {
		return nil, nil
	}
	rep, err := s.db.Report(r.Context(), id)
	if xiezuo.ErrorCode(err) == xiezuo.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rep.Duty != dc.Key || rep.Unit != currentUser(r).Unit || len(rep.Versions) == 0 {
		return nil, nil
	}
	es, err := s.db.ReportEvidence(r.Context(), id)
	if err != nil {
		return nil, err
	}
	last := rep.Versions[len(rep.Versions)-1].Version
	var out []xiezuo.Evidence
	for _, e := range es {
		if e.Version == last {
			out = append(out, e)
		}
	}
	return out, nil
}

// keepOptions offers on a new form the files of the version it continues, all checked.
func (s *Server) keepOptions(r *http.Request, form *reportFormView, dc dutyContext, open *xiezuo.Report) error {
	if open == nil {
		return nil
	}
	es, err := s.continuedFiles(r, dc, open.ID)
	if err != nil {
		return err
	}
	for _, e := range es {
		form.Keep = append(form.Keep, keepView{evidenceViewOf(e), true})
	}
	return nil
}

// keptEvidence reads which files of the continued version the form sends again (its "keep"
// boxes), sets the form's boxes as they were, and returns those files as rows of the new
// version (the same stored content, nothing copied on disk).
func (s *Server) keptEvidence(r *http.Request, dc dutyContext, form *reportFormView) ([]xiezuo.Evidence, error) {
	es, err := s.continuedFiles(r, dc, form.ReportID)
	if err != nil {
		return nil, err
	}
	var kept []xiezuo.Evidence
	for _, e := range es {
		checked := slices.Contains(r.Form["keep"], strconv.FormatInt(e.ID, 10))
		form.Keep = append(form.Keep, keepView{evidenceViewOf(e), checked})
		if checked {
			e.ID = 0
			kept = append(kept, e)
		}
	}
	return kept, nil
}
