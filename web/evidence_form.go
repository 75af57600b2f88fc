package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"

	"xiezuo"
)

// The body of a route that carries evidence is read here, part by part, rather than by
// ParseMultipartForm: each file of the evidence field goes to a temporary file and is counted
// while it is read, so a file past the per-file limit (or past the version's count or total) is
// not kept: the rest of it is read and dropped, never buffered, and the refusal naming it waits
// for the handler, which shows the form again with what was typed. The whole body stays within
// http.MaxBytesReader's limit (the guard's). Fields go to r.Form and r.PostForm as
// ParseMultipartForm would put them, so the CSRF and control-character checks read them alike.

// evidenceUpload is a file of the request's evidence field, read into a temporary file.
type evidenceUpload struct {
	Name string
	Size int64 // bytes sent, counted to the end even when the file was dropped
	file *os.File
	sum  string // the SHA-256 of what file holds, computed while it was read
}

// evidenceForm is what readEvidenceForm read of the files.
type evidenceForm struct {
	files   []evidenceUpload
	refused error // the first limit a file passed (ETOOLARGE), answered by the handler
}

type evidenceFormKey struct{}

// maxFormParts bounds the parts of a form: its fields and its files.
const maxFormParts = 1000

// readEvidenceForm reads r's multipart body as described above and returns the request with
// the files in its context, and the function that removes their temporary files.
func (s *Server) readEvidenceForm(r *http.Request) (*http.Request, func(), error) {
	form := &evidenceForm{}
	cleanup := func() {
		for _, f := range form.files {
			if f.file != nil {
				f.file.Close()
				os.Remove(f.file.Name())
			}
		}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return r, cleanup, xiezuo.Errorf(xiezuo.EINVALID, "表单格式有误（multipart），请刷新页面后重试")
	}
	l := s.cfg.EvidenceLimits
	values := url.Values{}
	valueBytes, total := int64(0), int64(0)
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return r, cleanup, broken(err)
		}
		if parts >= maxFormParts {
			return r, cleanup, xiezuo.Errorf(xiezuo.ETOOLARGE, "表单的项目超过 %d 个", maxFormParts)
		}
		name := p.FormName()
		if p.FileName() == "" {
			// A field: within maxForm in all, as any other form.
			b, err := io.ReadAll(io.LimitReader(p, maxForm-valueBytes+1))
			if err != nil {
				return r, cleanup, broken(err)
			}
			if name == evidenceField {
				// A file part without a name: nothing chosen (a browser's empty file input), or
				// a client that left the name out, which is said as such.
				if len(b) > 0 && form.refused == nil {
					form.refused = xiezuo.Errorf(xiezuo.EINVALID, "上传的文件文件名为空，请给文件命名（如 现场照片.jpg）后重新上传")
				}
				continue
			}
			if valueBytes += int64(len(b)); valueBytes > maxForm {
				return r, cleanup, xiezuo.Errorf(xiezuo.ETOOLARGE, "表单内容（文件以外）超过 %s", xiezuo.MB(maxForm))
			}
			values.Add(name, string(b))
			continue
		}
		if name != evidenceField {
			if _, err := io.Copy(io.Discard, p); err != nil { // no other field takes files
				return r, cleanup, broken(err)
			}
			continue
		}
		up := evidenceUpload{Name: xiezuo.EvidenceName(p.FileName())}
		keep := form.refused == nil && len(form.files) < l.Files
		if keep && s.evidence == nil {
			form.refused = xiezuo.Errorf(xiezuo.EINVALID, "本系统未配置证明材料的存储位置（serve --evidence-dir），暂不能上传文件")
			keep = false
		}
		if keep {
			// In the store's folder, so that keeping it is a rename (evidence.Store.KeepTemp).
			if up.file, err = s.evidence.TempFile(); err != nil {
				return r, cleanup, err
			}
			form.files = append(form.files, up)
			h := sha256.New()
			n, err := io.Copy(io.MultiWriter(up.file, h), io.LimitReader(p, l.File+1))
			up.Size, up.sum = n, hex.EncodeToString(h.Sum(nil))
			if err != nil {
				return r, cleanup, broken(err)
			}
			form.files[len(form.files)-1].sum = up.sum
		}
		// What is past the limits is counted, not kept.
		rest, err := io.Copy(io.Discard, p)
		if err != nil {
			return r, cleanup, broken(err)
		}
		up.Size += rest
		total += up.Size
		if keep {
			form.files[len(form.files)-1].Size = up.Size
		}
		if form.refused == nil {
			switch {
			case up.Size > l.File:
				form.refused = l.Check(nil, []string{up.Name}, []int64{up.Size})
			case !keep:
				form.refused = xiezuo.Errorf(xiezuo.ETOOLARGE, "一次进展报告最多附 %d 个文件", l.Files)
			case total > l.Report:
				form.refused = xiezuo.Errorf(xiezuo.ETOOLARGE, "一次进展报告的附件合计不能超过 %s", xiezuo.MB(l.Report))
			}
		}
	}
	r.PostForm = values
	r.Form = url.Values{}
	for k, vs := range r.URL.Query() {
		r.Form[k] = append(r.Form[k], vs...)
	}
	for k, vs := range values {
		r.Form[k] = append(r.Form[k], vs...)
	}
	r.MultipartForm = &multipart.Form{Value: values, File: map[string][]*multipart.FileHeader{}}
	return r.WithContext(context.WithValue(r.Context(), evidenceFormKey{}, form)), cleanup, nil
}

// broken is the refusal of a body that ends before its multipart form does (a dropped
// connection, a client's bug): said as such, not as a wrong content type. A body past the
// size limit keeps its own error, which the guard answers with 413.
func broken(err error) error {
	var tooBig *http.MaxBytesError
	var known *xiezuo.Error
	if errors.As(err, &tooBig) || errors.As(err, &known) {
		return err
	}
	return xiezuo.Errorf(xiezuo.EINVALID, "上传中断或格式不正确，请重新上传")
}

// evidenceFormOf returns what readEvidenceForm read of r's files; nil when it read none.
func evidenceFormOf(r *http.Request) *evidenceForm {
	f, _ := r.Context().Value(evidenceFormKey{}).(*evidenceForm)
	return f
}

// hasEvidence reports whether r sent files in its evidence field.
func hasEvidence(r *http.Request) bool {
	f := evidenceFormOf(r)
	return f != nil && (len(f.files) > 0 || f.refused != nil)
}
