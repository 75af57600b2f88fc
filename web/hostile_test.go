package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"xiezuo/gen/hostile"
)

// TestImportHostileDocuments: the attack's documents get a clear answer from the import page.
func TestImportHostileDocuments(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	bomb, err := hostile.ZipBomb(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := hostile.ManyRows(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc    hostile.Doc
		status int
		want   string
	}{
		{bomb, http.StatusBadRequest, "工作簿解压后超过 64 MB 的上限"},
		{rows, http.StatusBadRequest, "工作表“项目计划表”有超过 80000 行"},
		{hostile.NUL(), http.StatusBadRequest, "控制字符 U&#43;0000（空字符）"},
		{hostile.MarkdownTable(3_000), http.StatusUnprocessableEntity, "另有 5800 个错误未列出（只列出前 200 个）"},
		{hostile.SixDigitSerials(10), http.StatusUnprocessableEntity, "序号“100001”不是合理的项目序号"},
	} {
		r := c.postMultipart("/import", "file", tc.doc.Name, tc.doc.Data)
		if r.StatusCode != tc.status || !strings.Contains(r.body, tc.want) {
			t.Errorf("upload %s = %d %s, want %d and %q", tc.doc.Name, r.StatusCode, excerpt(r.body), tc.status, tc.want)
		}
		if n := strings.Count(r.body, `<tr class="problem-error">`); n > 200 {
			t.Errorf("upload %s lists %d errors, want at most 200", tc.doc.Name, n)
		}
	}
}

// TestImportNothingRecognised: an empty file, or a CSV without any header the reader knows, gets
// its errors and no summary of nothing (「0年：工作要点 0 条…区级帮扶资金 0 万元」).
func TestImportNothingRecognised(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	for _, d := range []hostile.Doc{
		{Name: "计划.md", Data: nil},
		{Name: "计划.csv", Data: []byte("甲,乙,丙\n1,2,3\n")},
	} {
		r := c.postMultipart("/import", "file", d.Name, d.Data)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<tr class="problem-error">`) {
			t.Errorf("upload %s = %d %s, want 422 and its errors", d.Name, r.StatusCode, excerpt(r.body))
		}
		if strings.Contains(r.body, "工作要点 0 条") || strings.Contains(r.body, "0年") {
			t.Errorf("upload %s shows a summary of nothing: %s", d.Name, excerpt(r.body))
		}
	}
}

// TestImportWaitsItsTurn: while a document is being read, another upload waits, and is told to
// come back when its wait runs out; the other pages answer meanwhile.
func TestImportWaitsItsTurn(t *testing.T) {
	e := newEnv(t)
	e.srv.wait = 50 * time.Millisecond
	c := e.signIn("office")
	e.srv.parses <- struct{}{} // a read in progress
	r := c.postMultipart("/import", "file", "2021年门头沟区支援合作工作要点.md", []byte("2021年门头沟区支援合作工作要点\n"))
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(r.body, "系统正在检查其他人上传的文件") {
		t.Errorf("upload while another is read = %d %s, want 503 and a message to wait", r.StatusCode, excerpt(r.body))
	}
	if r := e.signIn("caizheng").get("/"); r.StatusCode != http.StatusOK {
		t.Errorf("GET / while a document is read = %d", r.StatusCode)
	}
	<-e.srv.parses
	r = c.postMultipart("/import", "file", "2021年门头沟区支援合作工作要点.md", []byte("2021年门头沟区支援合作工作要点\n"))
	if r.StatusCode == http.StatusServiceUnavailable {
		t.Errorf("upload after the read ended = %d %s", r.StatusCode, excerpt(r.body))
	}
}
