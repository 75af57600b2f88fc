package web

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"xiezuo"
)

// The body of a labour list's upload is read here, part by part, rather than by
// ParseMultipartForm (which spills a file past a megabyte to the system's temporary folder):
// the file goes straight, streamed, into a temporary file under the data folder's
// labour-uploads, where the preview keeps it by its token. Fields go to r.Form and r.PostForm
// as ParseMultipartForm would put them, so the CSRF and control-character checks read them
// alike. The whole body stays within the guard's http.MaxBytesReader limit.

// labourFileField is the form field of the list's file.
const labourFileField = "file"

// labourUploadFile is the file readLabourUpload read: its name as sent, its size and where it is.
type labourUploadFile struct {
	Name string
	Size int64
	Path string
}

type labourUploadKey struct{}

// readLabourUpload reads r's multipart body as described above and returns the request with
// the file in its context, and the function that removes the temporary file (when the handler
// has not moved it).
func (s *Server) readLabourUpload(r *http.Request) (*http.Request, func(), error) {
	var file *labourUploadFile
	cleanup := func() {
		if file != nil {
			os.Remove(file.Path)
		}
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return r, cleanup, xiezuo.Errorf(xiezuo.EINVALID, "表单格式有误（multipart），请刷新页面后重试")
	}
	values := url.Values{}
	valueBytes := int64(0)
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
		if p.FileName() == "" {
			b, err := io.ReadAll(io.LimitReader(p, maxForm-valueBytes+1))
			if err != nil {
				return r, cleanup, broken(err)
			}
			if valueBytes += int64(len(b)); valueBytes > maxForm {
				return r, cleanup, xiezuo.Errorf(xiezuo.ETOOLARGE, "表单内容（文件以外）超过 %s", xiezuo.MB(maxForm))
			}
			values.Add(p.FormName(), string(b))
			continue
		}
		if p.FormName() != labourFileField || file != nil {
			if _, err := io.Copy(io.Discard, p); err != nil { // one file, in one field
				return r, cleanup, broken(err)
			}
			continue
		}
		if err := os.MkdirAll(s.labourUploadDir(), 0o700); err != nil {
			return r, cleanup, err
		}
		f, err := os.CreateTemp(s.labourUploadDir(), "upload-*")
		if err != nil {
			return r, cleanup, err
		}
		file = &labourUploadFile{Name: filepath.Base(p.FileName()), Path: f.Name()}
		file.Size, err = io.Copy(f, p)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return r, cleanup, broken(err)
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
	return r.WithContext(context.WithValue(r.Context(), labourUploadKey{}, file)), cleanup, nil
}

// labourUploadOf is the file readLabourUpload read of r; nil when none was sent.
func labourUploadOf(r *http.Request) *labourUploadFile {
	f, _ := r.Context().Value(labourUploadKey{}).(*labourUploadFile)
	return f
}
