package web

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// upload is a file a test sends.
type upload struct {
	name string
	data []byte
}

// postFiles sends files as the evidence field of a multipart form, with the session's CSRF
// token and the headers given.
func (c *client) postFiles(path string, files []upload, header map[string]string) response {
	c.e.t.Helper()
	return c.postFormFiles(path, nil, files, header)
}

// postFormFiles sends a multipart form as a browser does: the CSRF token and fields first, then
// the files of the evidence field.
func (c *client) postFormFiles(path string, fields url.Values, files []upload, header map[string]string) response {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", c.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="evidence"; filename="%s"`, f.name))
		h.Set("Content-Type", "application/octet-stream")
		w, _ := mw.CreatePart(h)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.url(path), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// photoWithEXIF is a real 8×8 JPEG with an APP1 Exif segment giving its capture time (and a GPS
// pointer, which nothing shows).
func photoWithEXIF(t testing.TB, taken string) []byte {
	t.Helper()
	return exifJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), taken)
}

// exifJPEG encodes pic as a JPEG with an Exif segment giving taken as its capture time.
func exifJPEG(t testing.TB, pic image.Image, taken string) []byte {
	t.Helper()
	var img bytes.Buffer
	if err := jpeg.Encode(&img, pic, nil); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	// IFD0: the Exif pointer and a GPS pointer.
	tiff = le.AppendUint16(tiff, 2)
	tiff = append(tiff, entry(0x8769, 4, 1, 8+2+2*12+4)...)
	tiff = append(tiff, entry(0x8825, 4, 1, 0)...)
	tiff = le.AppendUint32(tiff, 0)
	// Exif IFD: DateTimeOriginal, its value after the directory.
	valueAt := uint32(len(tiff) + 2 + 12 + 4)
	tiff = le.AppendUint16(tiff, 1)
	tiff = append(tiff, entry(0x9003, 2, 20, valueAt)...)
	tiff = le.AppendUint32(tiff, 0)
	tiff = append(tiff, append([]byte(taken), 0)...)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	data := img.Bytes()
	out := append([]byte{}, data[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

func entry(tag, typ uint16, count, value uint32) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, tag)
	b = le.AppendUint16(b, typ)
	b = le.AppendUint32(b, count)
	return le.AppendUint32(b, value)
}

func tinyDocx(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	return b.Bytes()
}

// storedFiles lists the files of the evidence store (not its temporary files).
func storedFiles(t testing.TB, e *env) []string {
	t.Helper()
	var out []string
	dir := e.srv.evidence.Dir()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if rel, _ := filepath.Rel(dir, p); err == nil && !d.IsDir() && !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			out = append(out, filepath.Base(p))
		}
		return err
	})
	return out
}

// addUnitUser adds an account of a member unit that leads no work team (区科信局), signed in
// as username.
func addUnitUser(t testing.TB, e *env, username, unit string) {
	t.Helper()
	u := xiezuo.User{Username: username, Name: "赵科信", District: "门头沟区", Unit: unit, Roles: []string{xiezuo.RoleUnit}, PasswordAt: *e.clock}
	if err := e.db.CreateUser(t.Context(), &u, testHash); err != nil {
		t.Fatal(err)
	}
	e.users[username] = &u
}

// unitReport stores a submitted report of username's unit on the first duty it leads, and
// returns its id.
func unitReport(t testing.TB, e *env, username string) (int64, xiezuo.DutyKey) {
	t.Helper()
	ctx := t.Context()
	u := e.users[username]
	p, _, err := e.srv.plans.getVersion(ctx, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.srv.facts.get(ctx, e.db, "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, wp := range p.Points {
		key := xiezuo.DutyKey{Kind: xiezuo.DutyPoint, ID: wp.ID}
		if xiezuo.ReportRole(p, key, u, f.groups) != xiezuo.DutyLead {
			continue
		}
		actx := sqldb.WithFactTime(sqldb.WithActor(ctx, sqldb.Actor{UserID: u.ID, Username: u.Username, Unit: u.Unit}), *e.clock)
		rep, err := e.db.SubmitReport(actx, sqldb.ReportWrite{Duty: key, Unit: u.Unit, State: xiezuo.ReportSubmitted,
			Values: xiezuo.ReportValues{Text: "已召开联席会议。"}})
		if err != nil {
			t.Fatal(err)
		}
		return rep.ID, key
	}
	t.Fatalf("%s leads no work point", username)
	return 0, xiezuo.DutyKey{}
}

type evidenceAnswer struct {
	Evidence []apiEvidence `json:"evidence"`
}

// TestEvidenceAPI: a unit sends files to its waiting report; each is typed by its content and
// stored once; the report's readers get them back, with the right headers, and nobody else;
// bad files are refused with a message naming them and change nothing.
func TestEvidenceAPI(t *testing.T) {
	e := newEnv(t)
	id, _ := unitReport(t, e, "caizheng")
	path := fmt.Sprintf("/api/v1/reports/%d/evidence", id)
	c := e.signIn("caizheng")
	photo := photoWithEXIF(t, "2021:09:10 14:32:00")
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")

	resp := c.postFiles(path, []upload{{"现场.jpg", photo}, {"会议纪要.jpg", pdf}, {"台账.doc", tinyDocx(t)}}, map[string]string{"Idempotency-Key": "k1"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST %s = %d: %s", path, resp.StatusCode, excerpt(resp.body))
	}
	var got evidenceAnswer
	if err := json.Unmarshal([]byte(resp.body), &got); err != nil || len(got.Evidence) != 3 {
		t.Fatalf("answer %s: %v", resp.body, err)
	}
	ph, doc, docx := got.Evidence[0], got.Evidence[1], got.Evidence[2]
	if ph.Type != "image/jpeg" || ph.TakenAt == nil || *ph.TakenAt != "2021-09-10T14:32:00+08:00" || ph.Size != int64(len(photo)) {
		t.Errorf("photo = %+v; want image/jpeg taken 2021-09-10T14:32:00+08:00", ph)
	}
	if doc.Type != "application/pdf" || doc.Name != "会议纪要.jpg" || doc.TakenAt != nil {
		t.Errorf("PDF named .jpg = %+v; want application/pdf under its name", doc)
	}
	if docx.Label != "Word 文档" {
		t.Errorf("docx named .doc = %+v; want Word 文档", docx)
	}
	again := c.postFiles(path, []upload{{"现场.jpg", photo}, {"会议纪要.jpg", pdf}, {"台账.doc", tinyDocx(t)}}, map[string]string{"Idempotency-Key": "k1"})
	var replay evidenceAnswer
	json.Unmarshal([]byte(again.body), &replay)
	if again.StatusCode != http.StatusOK || len(replay.Evidence) != 3 || replay.Evidence[0].ID != ph.ID {
		t.Errorf("same key and files again = %d %s; want 200 with the first answer", again.StatusCode, excerpt(again.body))
	}
	if r := c.postFiles(path, []upload{{"另一张.jpg", photoWithEXIF(t, "2021:09:11 09:00:00")}}, map[string]string{"Idempotency-Key": "k1"}); r.StatusCode != http.StatusConflict {
		t.Errorf("same key, other file = %d %s; want 409", r.StatusCode, excerpt(r.body))
	}
	// The refused request's file was stored before its key was looked up: nothing refers to
	// it, and Store.Sweep removes it.
	stored := storedFiles(t, e)
	if len(stored) != 4 {
		t.Errorf("store holds %d files, want 3 and the refused request's", len(stored))
	}
	n, err := e.srv.evidence.Sweep(func(sum string) (bool, error) { return e.db.EvidenceInUse(t.Context(), sum) }, time.Now().Add(time.Minute))
	if err != nil || n != 1 || len(storedFiles(t, e)) != 3 {
		t.Errorf("Sweep = %d, %v, leaving %d files; want 1 removed, 3 left", n, err, len(storedFiles(t, e)))
	}
	rows := func() int {
		es, err := e.db.ReportEvidence(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	if n := rows(); n != 3 {
		t.Errorf("%d evidence rows, want 3", n)
	}

	// The report's answer lists the files with the version they were sent with.
	rep := c.get(fmt.Sprintf("/api/v1/reports/%d", id))
	var ar apiReport
	if err := json.Unmarshal([]byte(rep.body), &ar); err != nil || len(ar.Versions) != 1 || len(ar.Versions[0].Evidence) != 3 {
		t.Errorf("GET report = %d %s; want version 1 with 3 files", rep.StatusCode, excerpt(rep.body))
	}

	// Refusals: each names the file and the rule, and stores nothing.
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 21<<20)
	copy(big, photo)
	for _, tc := range []struct {
		name   string
		files  []upload
		status int
		msg    string
	}{
		{"an executable renamed .jpg", []upload{{"现场2.jpg", self[:64<<10]}}, http.StatusBadRequest, "文件“现场2.jpg”的内容不是图片、PDF、Word 或 Excel 文件"},
		{"a Windows program renamed .pdf", []upload{{"通知.pdf", append([]byte("MZ\x90\x00"), make([]byte, 4096)...)}}, http.StatusBadRequest, "文件“通知.pdf”的内容不是图片、PDF、Word 或 Excel 文件"},
		{"a file over 20 MB", []upload{{"大照片.jpg", big}}, http.StatusRequestEntityTooLarge, "文件“大照片.jpg”为 21 MB，超过每个文件 20 MB 的上限"},
		{"too many files with those held", func() []upload {
			var us []upload
			for i := range 18 {
				us = append(us, upload{fmt.Sprintf("p%d.jpg", i), photoWithEXIF(t, fmt.Sprintf("2021:09:%02d 10:00:00", i+1))})
			}
			return us
		}(), http.StatusRequestEntityTooLarge, "一次进展报告最多附 20 个文件，现为 21 个"},
		{"nothing sent", nil, http.StatusBadRequest, "请以 multipart/form-data 上传文件"},
	} {
		r := c.postFiles(path, tc.files, nil)
		if r.StatusCode != tc.status || !strings.Contains(r.body, tc.msg) {
			t.Errorf("%s: POST = %d %s; want %d %q", tc.name, r.StatusCode, excerpt(r.body), tc.status, tc.msg)
		}
		if n := rows(); n != 3 {
			t.Errorf("%s: %d evidence rows, want 3", tc.name, n)
		}
		if got := storedFiles(t, e); len(got) != 3 {
			t.Errorf("%s: store holds %d files, want 3", tc.name, len(got))
		}
	}
	// A body past the report's limit is cut off while it is read.
	huge := []upload{{"a.jpg", big}, {"b.jpg", big}, {"c.jpg", big}}
	if r := c.postFiles(path, huge, nil); r.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "不能超过 50 MB") {
		t.Errorf("63 MB body = %d %s; want 413 naming the 50 MB limit", r.StatusCode, excerpt(r.body))
	}

	// Another unit may neither add to the report nor read its files, nor know it is there (404);
	// a team lead reads only its teams' duties (renshe's team does not lead task 13: A-F3).
	addUnitUser(t, e, "kexin", "区科技和信息化局")
	other := e.signIn("kexin")
	if r := other.postFiles(path, []upload{{"x.jpg", photo}}, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("another unit's POST = %d %s; want 404", r.StatusCode, excerpt(r.body))
	}
	for _, tc := range []struct {
		who         string
		id          int64
		status      int
		contentType string
		disposition string
	}{
		{"caizheng", ph.ID, 200, "image/jpeg", `inline; filename*=utf-8''%E7%8E%B0%E5%9C%BA.jpg`},
		{"office", doc.ID, 200, "application/pdf", `inline; filename*=utf-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf`},
		{"leader", docx.ID, 200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", `attachment; filename*=utf-8''%E5%8F%B0%E8%B4%A6.docx`},
		{"renshe", ph.ID, 404, "", ""},
		{"kexin", ph.ID, 404, "", ""},
		{"wuchuan", ph.ID, 404, "", ""},
		{"caizheng", 999999, 404, "", ""},
	} {
		r := e.signIn(tc.who).get(fmt.Sprintf("/evidence/%d", tc.id))
		if r.StatusCode != tc.status {
			t.Errorf("GET /evidence/%d as %s = %d, want %d", tc.id, tc.who, r.StatusCode, tc.status)
			continue
		}
		if tc.status != 200 {
			if strings.Contains(r.body, "Exif") || strings.Contains(r.body, "%PDF") {
				t.Errorf("GET /evidence/%d as %s: the refusal holds the file", tc.id, tc.who)
			}
			continue
		}
		h := r.Header
		if h.Get("Content-Type") != tc.contentType || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Disposition") != tc.disposition {
			t.Errorf("GET /evidence/%d as %s: Content-Type %q, nosniff %q, Content-Disposition %q; want %q, nosniff, %q",
				tc.id, tc.who, h.Get("Content-Type"), h.Get("X-Content-Type-Options"), h.Get("Content-Disposition"), tc.contentType, tc.disposition)
		}
	}
	if r := c.get(fmt.Sprintf("/evidence/%d", ph.ID)); r.body != string(photo) {
		t.Errorf("GET /evidence/%d: %d bytes, want the %d bytes sent", ph.ID, len(r.body), len(photo))
	}
	// A script reads the files with its token, under the same rule.
	for who, want := range map[string]int{"caizheng": 200, "kexin": 404} {
		tok := "xz_test_evidence_token_" + who + "_0123456789"
		if _, err := e.db.CreateAPIToken(t.Context(), e.users[who].ID, "t", apiTokenHash(tok), *e.clock, e.clock.AddDate(0, 0, 30)); err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+ph.URL, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		r := e.anonymous().do(req)
		if r.StatusCode != want || (want == 200 && r.body != string(photo)) || (want != 200 && !strings.Contains(r.Header.Get("Content-Type"), "json")) {
			t.Errorf("GET %s with %s's token = %d (%s), want %d", ph.URL, who, r.StatusCode, r.Header.Get("Content-Type"), want)
		}
	}

	// Once the office decided on the version, files go with a new version.
	office := e.signIn("office")
	if r := office.postJSON(fmt.Sprintf("/api/v1/reports/%d/review", id), `{"decision": "accept"}`); r.StatusCode != http.StatusOK {
		t.Fatalf("review = %d %s", r.StatusCode, excerpt(r.body))
	}
	if r := c.postFiles(path, []upload{{"补充.jpg", photoWithEXIF(t, "2021:09:12 10:00:00")}}, nil); r.StatusCode != http.StatusConflict || !strings.Contains(r.body, "已通过审核") {
		t.Errorf("POST after acceptance = %d %s; want 409", r.StatusCode, excerpt(r.body))
	}
	if got := storedFiles(t, e); len(got) != 3 {
		t.Errorf("after the refusal the store holds %d files, want 3", len(got))
	}
}

// postJSON sends a JSON body with the session's CSRF token.
func (c *client) postJSON(path, body string) response {
	req, _ := http.NewRequest(http.MethodPost, c.e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	return c.do(req)
}

// TestEvidenceSameContentOnce: the same photo sent with two reports is one file on disk.
func TestEvidenceSameContentOnce(t *testing.T) {
	e := newEnv(t)
	a, _ := unitReport(t, e, "caizheng")
	b, _ := unitReport(t, e, "renshe")
	photo := photoWithEXIF(t, "2021:09:10 14:32:00")
	for user, id := range map[string]int64{"caizheng": a, "renshe": b} {
		if r := e.signIn(user).postFiles(fmt.Sprintf("/api/v1/reports/%d/evidence", id), []upload{{"合影.jpg", photo}}, nil); r.StatusCode != http.StatusCreated {
			t.Fatalf("POST as %s = %d %s", user, r.StatusCode, excerpt(r.body))
		}
	}
	if got := storedFiles(t, e); len(got) != 1 {
		t.Errorf("store holds %v, want one file", got)
	}
}

// TestEvidenceOnDutyPage walks the duty page's form: a unit reports with a photo (its capture
// time shown, never its location); bad files are refused with the form kept and nothing
// stored; the office returns the report; the form that continues it offers the photo again,
// and the resubmitted version carries it without a second copy on disk.
func TestEvidenceOnDutyPage(t *testing.T) {
	e := newEnv(t)
	key := dutyOf(t, e, xiezuo.DutyTask, 13)
	page := "/duties/" + key.String()
	c := e.signIn("caizheng")
	form := c.get(page)
	if !strings.Contains(form.body, `name="evidence"`) || !strings.Contains(form.body, `capture="environment"`) || !strings.Contains(form.body, "每个不超过 20 MB") {
		t.Fatalf("duty page has no evidence input with its limits: %s", excerpt(form.body))
	}
	photo := photoWithEXIF(t, "2021:08:20 09:05:00")
	versions := func() int { return countVersions(t, e, key) }

	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 21<<20)
	copy(big, photo)
	fields := url.Values{"text": {"已下达帮扶资金 500 万元。"}, "action": {"submit"}}
	for _, tc := range []struct {
		name   string
		files  []upload
		status int
		msg    string
	}{
		{"a program named .jpg", []upload{{"现场.jpg", self[:64<<10]}}, http.StatusUnprocessableEntity, "文件“现场.jpg”的内容不是图片、PDF、Word 或 Excel 文件"},
		{"a photo over 20 MB", []upload{{"大.jpg", big}}, http.StatusRequestEntityTooLarge, "超过每个文件 20 MB 的上限"},
	} {
		r := c.postFormFiles(page+"/reports", fields, tc.files, nil)
		if r.StatusCode != tc.status || !strings.Contains(r.body, tc.msg) || !strings.Contains(r.body, "已下达帮扶资金 500 万元。") {
			t.Errorf("%s: POST = %d, want %d with %q and the text kept: %s", tc.name, r.StatusCode, tc.status, tc.msg, excerpt(r.body))
		}
		if n := versions(); n != 0 {
			t.Errorf("%s: %d versions stored, want 0", tc.name, n)
		}
		if got := storedFiles(t, e); len(got) != 0 {
			t.Errorf("%s: store holds %v, want nothing", tc.name, got)
		}
	}

	// The form's files are read by the guard itself: without the page's CSRF token nothing is kept.
	token := c.csrf
	c.csrf = "forged"
	if r := c.postFormFiles(page+"/reports", fields, []upload{{"拨付现场.jpg", photo}}, nil); r.StatusCode != http.StatusForbidden || versions() != 0 || len(storedFiles(t, e)) != 0 {
		t.Errorf("POST with a forged CSRF token = %d, %d versions, %d files; want 403 and nothing", r.StatusCode, versions(), len(storedFiles(t, e)))
	}
	c.csrf = token
	// A NUL in a field of the multipart form is refused like in any form.
	nul := url.Values{"text": {"拨付\x00"}, "action": {"submit"}}
	if r := c.postFormFiles(page+"/reports", nul, []upload{{"拨付现场.jpg", photo}}, nil); r.StatusCode != http.StatusBadRequest || versions() != 0 {
		t.Errorf("POST with a NUL = %d, %d versions; want 400 and nothing", r.StatusCode, versions())
	}
	if r := c.postFormFiles(page+"/reports", fields, []upload{{"拨付现场.jpg", photo}}, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST with a photo = %d: %s", r.StatusCode, excerpt(r.body))
	}
	shown := c.get(page)
	for _, want := range []string{"拨付现场.jpg", "拍摄时间 2021-08-20 09:05", "JPEG 图片"} {
		if !strings.Contains(shown.body, want) {
			t.Errorf("duty page lacks %q", want)
		}
	}
	if strings.Contains(shown.body, "GPS") || strings.Contains(shown.body, "纬度") {
		t.Errorf("duty page shows the photo's location")
	}
	office := e.signIn("office")
	rep, err := e.db.DutyReports(t.Context(), key)
	if err != nil || len(rep) != 1 {
		t.Fatalf("DutyReports = %v, %v", rep, err)
	}
	if r := office.post(fmt.Sprintf("/reports/%d/review", rep[0].ID), url.Values{"version": {"1"}, "decision": {"return"}, "comment": {"请补充拨付凭证。"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("return = %d: %s", r.StatusCode, excerpt(r.body))
	}
	again := c.get(page)
	es, _ := e.db.ReportEvidence(t.Context(), rep[0].ID)
	keep := fmt.Sprintf(`name="keep" value="%d" checked`, es[0].ID)
	if !strings.Contains(again.body, keep) {
		t.Fatalf("the form continuing the returned report does not offer the photo again: %s", excerpt(again.body))
	}
	fields.Set("report_id", strconv.FormatInt(rep[0].ID, 10))
	fields.Set("keep", strconv.FormatInt(es[0].ID, 10))
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	if r := c.postFormFiles(page+"/reports", fields, []upload{{"拨付凭证.pdf", pdf}}, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d: %s", r.StatusCode, excerpt(r.body))
	}
	es, _ = e.db.ReportEvidence(t.Context(), rep[0].ID)
	var got []string
	for _, x := range es {
		got = append(got, fmt.Sprintf("v%d %s", x.Version, x.Name))
	}
	if want := []string{"v1 拨付现场.jpg", "v2 拨付现场.jpg", "v2 拨付凭证.pdf"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("evidence rows %v, want %v", got, want)
	}
	if files := storedFiles(t, e); len(files) != 2 {
		t.Errorf("store holds %d files, want 2 (the photo once)", len(files))
	}
}

// countVersions counts the stored versions of the reports on key.
func countVersions(t *testing.T, e *env, key xiezuo.DutyKey) int {
	t.Helper()
	reps, err := e.db.DutyReports(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range reps {
		n += len(r.Versions)
	}
	return n
}
