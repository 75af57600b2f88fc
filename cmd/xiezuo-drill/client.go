package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"xiezuo/internal/loadclient"
)

// api is a client of /api/v1 with a token.
type api struct {
	base, token string
	hc          *http.Client
}

func newAPI(base, token string) *api {
	return &api{base: base, token: token, hc: &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
}

func (a *api) getJSON(ctx context.Context, path string, v any) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", a.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s = %d: %.200s", path, resp.StatusCode, b)
	}
	return json.Unmarshal(b, v)
}

// post sends a JSON write with its Idempotency-Key; err is set when no answer came.
func (a *api) post(ctx context.Context, path, key string, body any) (int, []byte, error) {
	bb, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(ctx, "POST", a.base+path, bytes.NewReader(bb))
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := a.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, b, nil
}

// ledger holds every keyed write of a run: acknowledged (the client read a 2xx) or pending
// (sent, no answer heard), to be retried with the same key.
type ledger struct {
	mu      sync.Mutex
	acked   map[string]bool
	pending map[string]pend // key → what to send again
	bad     []string        // answers that are neither 2xx nor a clear Chinese error
}

func newLedger() *ledger {
	return &ledger{acked: map[string]bool{}, pending: map[string]pend{}}
}

type pend struct {
	worker int
	body   any
}

func (l *ledger) record(key string, status int, body []byte, err error) {
	l.recordBy(key, pend{}, status, body, err)
}

func (l *ledger) recordBy(key string, p pend, status int, body []byte, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil:
		l.pending[key] = p
	case status/100 == 2:
		l.acked[key] = true
		delete(l.pending, key)
	default:
		if !clearError(status, body) {
			l.bad = append(l.bad, fmt.Sprintf("%d %.160s", status, body))
		}
	}
}

// clearError reports whether a refused write was answered as the contract says: a JSON error
// with a Chinese message, never a 500.
func clearError(status int, body []byte) bool {
	if status >= 500 && status != http.StatusServiceUnavailable {
		return false
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
		return false
	}
	for _, r := range e.Error.Message {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// writer is one kind of keyed API write.
type writer struct {
	name string
	path func(t *target, worker int) string
	body func(key string, reportID int64) any
}

// A unit reports once a month on a duty: each worker writes on a duty of its own (the first is
// the probe's), and the office returns each report acknowledged, so that the next submission
// is a new version of it.
var reportWriter = writer{
	name: "reports",
	path: func(t *target, worker int) string {
		return "/api/v1/duties/" + url.PathEscape(t.duties[1+worker%(len(t.duties)-1)]) + "/reports"
	},
	body: func(key string, rid int64) any {
		m := map[string]any{"text": key, "percent": 50}
		if rid > 0 {
			m["report_id"] = rid
		}
		return m
	},
}

var txWriter = writer{
	name: "transactions",
	path: func(t *target, _ int) string { return "/api/v1/projects/" + t.project + "/transactions" },
	body: func(key string, _ int64) any {
		return map[string]any{"kind": "allocation", "source": "district", "amount_yuan": "0.01", "date": "2021-06-01", "note": key}
	},
}

var reportIDRe = regexp.MustCompile(`report_id=(\d+)`)

// after returns an acknowledged report (the office's review), so that its duty takes the next
// submission as a new version of it; it answers the report id the next submission names. A
// refusal naming the month's report (one report a month on a duty) gives that id, and a
// report still waiting for review is returned first.
func (w writer) after(ctx context.Context, t *target, base, key string, status int, body []byte, rid int64) (int64, error) {
	if w.name != "reports" {
		return 0, nil
	}
	var id int64
	switch {
	case status/100 == 2:
		var rc struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(body, &rc); err != nil {
			return 0, err
		}
		id = rc.ID
	case status == http.StatusConflict:
		m := reportIDRe.FindSubmatch(body)
		switch {
		case m != nil:
			fmt.Sscan(string(m[1]), &id)
			if !bytes.Contains(body, []byte("已报送")) {
				return id, nil
			}
		case rid > 0 && bytes.Contains(body, []byte("等待审核")):
			id = rid // the report named is waiting for review: return it first
		default:
			return rid, nil
		}
		key = fmt.Sprintf("fix-%d-%s", time.Now().UnixNano(), key)
	default:
		return rid, nil
	}
	o := newAPI(base, t.officeToken)
	var st int
	var b []byte
	for {
		var err error
		st, b, err = o.post(ctx, fmt.Sprintf("/api/v1/reports/%d/review", id), "return-"+key, map[string]any{"decision": "return", "comment": "演练：退回"})
		if err != nil {
			return 0, err
		}
		// The office's token shares the API's limit (1,000 requests in 5 s a user) with the
		// money writers: a 429 is a clear refusal, and the review is sent again a moment later.
		if st != http.StatusTooManyRequests {
			break
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	if st/100 != 2 && st != http.StatusConflict {
		return 0, fmt.Errorf("return report %d = %d: %.200s", id, st, b)
	}
	return id, nil
}

func (w writer) token(t *target) string {
	if w.name == "transactions" {
		return t.officeToken
	}
	return t.reportToken
}

// load sends writes of w with new keys from workers goroutines until ctx ends.
func (w writer) load(ctx context.Context, t *target, base, prefix string, workers int, l *ledger) {
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := newAPI(base, w.token(t))
			var rid int64
			for n := 0; ctx.Err() == nil; n++ {
				key := fmt.Sprintf("%s-%d-%d", prefix, i, n)
				body := w.body(key, rid)
				st, b, err := a.post(ctx, w.path(t, i), key, body)
				l.recordBy(key, pend{i, body}, st, b, err)
				if err != nil {
					return // the server is gone: the key waits for the retry
				}
				if rid, err = w.after(ctx, t, base, key, st, b, rid); err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
}

// retry sends every pending write again with its key, until each is answered.
func (w writer) retry(ctx context.Context, t *target, base string, l *ledger) error {
	l.mu.Lock()
	keys := make(map[string]pend, len(l.pending))
	for k, p := range l.pending {
		keys[k] = p
	}
	l.mu.Unlock()
	a := newAPI(base, w.token(t))
	for k, p := range keys {
		for try := 0; ; try++ {
			st, b, err := a.post(ctx, w.path(t, p.worker), k, p.body)
			if err == nil {
				l.recordBy(k, p, st, b, nil)
				if _, err := w.after(ctx, t, base, k, st, b, 0); err != nil {
					return err
				}
				break
			}
			if try == 50 || ctx.Err() != nil {
				return fmt.Errorf("retry %s: %v", k, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}

// counts reads how many times each drill key of w is stored.
func (w writer) counts(ctx context.Context, t *target, prefix string) (map[string]int, error) {
	q := `SELECT text, COUNT(*) FROM report_versions WHERE text LIKE $1 GROUP BY text`
	if w.name == "transactions" {
		q = `SELECT note, COUNT(*) FROM fund_transactions WHERE note LIKE $1 GROUP BY note`
	}
	rows, err := t.sql.QueryContext(ctx, q, prefix+"%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		m[k] = n
	}
	return m, rows.Err()
}

// check counts the acknowledged writes lost and the writes stored more than once.
func (w writer) check(ctx context.Context, t *target, prefix string, l *ledger) (lost, dups int, err error) {
	m, err := w.counts(ctx, t, prefix)
	if err != nil {
		return 0, 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.acked {
		if m[k] == 0 {
			lost++
		}
	}
	for _, n := range m {
		if n > 1 {
			dups += n - 1
		}
	}
	return lost, dups, nil
}

// web is a signed-in browser session (the office), for the upload and download pages.
type web struct {
	base string
	hc   *http.Client
	csrf string
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func signIn(base, user string) (*web, error) {
	hc, err := loadclient.SignIn(base, &http.Transport{DisableKeepAlives: true}, user, "Xiezuo@2021")
	if err != nil {
		return nil, err
	}
	hc.Timeout = 30 * time.Second
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &web{base: base, hc: hc}, nil
}

var planQuery = "?year=2021&district=" + url.QueryEscape(district)

func (w *web) get(ctx context.Context, path string) (int, []byte, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", w.base+path, nil)
	resp, err := w.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func (w *web) loadCSRF(ctx context.Context) error {
	st, b, err := w.get(ctx, "/labour/jobs/import"+planQuery)
	if err != nil {
		return err
	}
	m := csrfRe.FindSubmatch(b)
	if st != 200 || m == nil {
		return fmt.Errorf("labour import page = %d, no form: %.200s", st, b)
	}
	w.csrf = string(m[1])
	return nil
}

var (
	previewToken  = regexp.MustCompile(`name="token" value="([0-9a-f]+)"`)
	previewCols   = regexp.MustCompile(`name="columns" value="(\d+)"`)
	previewHeader = regexp.MustCompile(`name="header_rows" value="(\d+)"`)
	previewSelect = regexp.MustCompile(`(?s)<select name="col_(\d+)"[^>]*>(.*?)</select>`)
	selectedOpt   = regexp.MustCompile(`<option value="([a-z_]*)" selected>`)
	importPath    = regexp.MustCompile(`^/labour/imports/(\d+)`)
)

// postFile posts data as the form's file, as an upload page does, and returns the answer with
// its body read.
func (w *web) postFile(ctx context.Context, path, name string, data []byte) (*http.Response, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", w.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequestWithContext(ctx, "POST", w.base+path+planQuery, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := w.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, b, err
}

// importJobs uploads a jobs' list and confirms it as the pages do; it returns the import's id
// once the server took it (303 to its progress page).
func (w *web) importJobs(ctx context.Context, name string, data []byte) (int64, error) {
	resp, b, err := w.postFile(ctx, "/labour/jobs/import", name, data)
	if err != nil {
		return 0, err
	}
	tok, cols, hdr := previewToken.FindSubmatch(b), previewCols.FindSubmatch(b), previewHeader.FindSubmatch(b)
	if resp.StatusCode != 200 || tok == nil || cols == nil || hdr == nil {
		return 0, &refused{resp.StatusCode, fmt.Sprintf("upload = %d: %.200s", resp.StatusCode, b)}
	}
	form := url.Values{"csrf": {w.csrf}, "token": {string(tok[1])}, "columns": {string(cols[1])}, "header_rows": {string(hdr[1])}, "mode": {"refuse"}}
	for _, m := range previewSelect.FindAllSubmatch(b, -1) {
		v := ""
		if s := selectedOpt.FindSubmatch(m[2]); s != nil {
			v = string(s[1])
		}
		form.Set("col_"+string(m[1]), v)
	}
	req, _ := http.NewRequestWithContext(ctx, "POST", w.base+"/labour/jobs/confirm"+planQuery, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = w.hc.Do(req)
	if err != nil {
		return 0, err
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil {
		return 0, &refused{resp.StatusCode, fmt.Sprintf("confirm = %d: %.200s", resp.StatusCode, b)}
	}
	m := importPath.FindStringSubmatch(loc.Path)
	if m == nil {
		return 0, &refused{resp.StatusCode, "confirm went to " + loc.Path}
	}
	var id int64
	fmt.Sscan(m[1], &id)
	return id, nil
}

// importDone waits until the import's progress page no longer reloads itself (the import ended).
func (w *web) importDone(ctx context.Context, id int64) error {
	for ctx.Err() == nil {
		st, b, err := w.get(ctx, fmt.Sprintf("/labour/imports/%d%s", id, planQuery))
		if err != nil {
			return err
		}
		if st != 200 {
			return &refused{st, fmt.Sprintf("progress = %d", st)}
		}
		if !bytes.Contains(b, []byte(`http-equiv="refresh"`)) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return ctx.Err()
}

// refused is an answer the server gave (as opposed to no answer).
type refused struct {
	status int
	msg    string
}

func (r *refused) Error() string { return r.msg }

// jobsCSV is a jobs' list of n rows under one employer name (the natural key of its jobs).
func jobsCSV(employer string, n int) []byte {
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码,招聘岗位,招聘人数,工作地点,薪资待遇,技能要求,到岗时间,截止日期,联系人,联系电话\n")
	for i := range n {
		fmt.Fprintf(&b, "%s,,岗位%03d,2,110114,6000-8000,电工,2021-08-01,2021-12-31,刘经理,13800000001\n", employer, i)
	}
	return []byte(b.String())
}

var alertRe = regexp.MustCompile(`role="alert">([^<]+)<`)

// importRegister uploads a register's workbook as its import page does. It returns nil once
// the server answered that every row was added (303 to the register's list, its message
// 已导入：新增 rows 条); a *refused for any other answer; another error when none came.
func (w *web) importRegister(ctx context.Context, kind, name string, data []byte, rows int) error {
	resp, b, err := w.postFile(ctx, "/registers/"+kind+"/import", name, data)
	if err != nil {
		return err
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode == http.StatusSeeOther && loc != nil && loc.Path == "/registers/"+kind &&
		strings.HasPrefix(loc.Query().Get("msg"), fmt.Sprintf("已导入：新增 %d 条、", rows)) {
		return nil
	}
	msg := fmt.Sprintf("register import = %d %s", resp.StatusCode, resp.Header.Get("Location"))
	if m := alertRe.FindSubmatch(b); m != nil {
		msg += ": " + string(m[1])
	}
	return &refused{resp.StatusCode, msg}
}

// registerWorkbook is a workbook of the policies register (政策文件, the columns of its
// template that must be filled) with rows rows, each titled by its marker (uploadMarker).
func registerWorkbook(upload string, rows int) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	cells := [][]any{{"文件名称", "印发日期", "印发机关", "起草单位"}}
	for i := range rows {
		cells = append(cells, []any{uploadMarker(upload, i), "2021-06-30", "门头沟区人民政府", "区财政局"})
	}
	for i, r := range cells {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// uploadMarker is the text that names row i of an upload, unique to both.
func uploadMarker(upload string, i int) string { return fmt.Sprintf("%s-%02d", upload, i) }
