package web

import (
	"bytes"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"xiezuo"
	"xiezuo/sample"
	"xiezuo/sqldb"
	"xiezuo/xlsx"
)

// previewForm reads the hidden fields of an import preview.
func previewForm(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, name := range []string{"upload", "version", "removals"} {
		m := regexp.MustCompile(`name="` + name + `" value="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("import preview has no %s: %s", name, excerpt(body))
		}
		v.Set(name, m[1])
	}
	return v
}

// saveProjectContact gives a stored project of the 2021 plan a contact.
func saveProjectContact(t *testing.T, e *env, region, name string) {
	t.Helper()
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Projects {
		if x.Region == region && x.Name == name {
			err := e.db.SaveContact(t.Context(), sqldb.Contact{District: "门头沟区", Subject: sqldb.ProjectSubject(x.ID), Label: name, Name: "王五", Phone: "13812341234"})
			if err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no project %s/%s", region, name)
}

// TestFilteredDownloadReimport: the project table downloaded filtered to 神农架林区 and imported
// back deletes nothing: neither the other regions' projects, nor their subtotals, nor a
// contact; an edit of one of its rows is the one change.
func TestFilteredDownloadReimport(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	var other xiezuo.Project
	for _, x := range p.Projects {
		if x.Region != "神农架林区" {
			other = x
			break
		}
	}
	saveProjectContact(t, e, other.Region, other.Name)
	r := c.get("/projects?year=2021&district=" + url.QueryEscape("门头沟区") + "&region=" + url.QueryEscape("神农架林区") + "&format=xlsx")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("filtered download = %d", r.StatusCode)
	}
	page := c.postMultipart("/import", "file", "神农架林区.xlsx", []byte(r.body))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("upload of the filtered download = %d %s", page.StatusCode, excerpt(page.body))
	}
	if strings.Contains(page.body, "删除") && !strings.Contains(page.body, "不删除其他项目") || strings.Contains(page.body, `name="confirm_delete"`) {
		t.Errorf("re-import of a filtered download proposes deletions: %s", excerpt(page.body))
	}
	if !strings.Contains(page.body, "与已导入的计划完全一致") && !strings.Contains(page.body, "不删除其他项目") {
		t.Errorf("re-import of a filtered download: %s", excerpt(page.body))
	}
}

// TestWholeTableDeletionConfirmedApart: a whole project table that leaves a project out shows
// its deletion first, in red, with its contact, and makes it only once confirmed apart.
func TestWholeTableDeletionConfirmedApart(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	gone := p.Projects[1]
	saveProjectContact(t, e, gone.Region, gone.Name)
	doc := p.WithoutIDs()
	doc.Projects = append(doc.Projects[:1:1], doc.Projects[2:]...)
	doc.Subtotals = nil
	var buf bytes.Buffer
	if err := xlsx.WriteProjects(&buf, doc); err != nil {
		t.Fatal(err)
	}
	page := c.postMultipart("/import", "file", "projects.xlsx", buf.Bytes())
	for _, want := range []string{`class="msg error"`, "将删除 1 个项目", "连同已登记的 1 个项目联系人", gone.Name, `name="confirm_delete"`, "确认删除 1 个项目"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("preview of a deletion lacks %q: %s", want, excerpt(page.body))
		}
	}
	if i, j := strings.Index(page.body, "将删除"), strings.Index(page.body, "修改 "); j >= 0 && i > j {
		t.Errorf("the deletion is not shown first")
	}
	form := previewForm(t, page.body)
	if r := c.post("/import/confirm", form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("confirm without confirming the deletion = %d, want 400", r.StatusCode)
	}
	if after, _ := e.db.LoadPlan(t.Context(), "门头沟区", 2021); len(after.Projects) != len(p.Projects) {
		t.Fatalf("a deletion not confirmed was made")
	}
	form.Set("confirm_delete", form.Get("removals"))
	if r := c.post("/import/confirm", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm with the deletion confirmed = %d %s", r.StatusCode, excerpt(r.body))
	}
	after, _ := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if len(after.Projects) != len(p.Projects)-1 {
		t.Errorf("projects after the confirmed deletion = %d, want %d", len(after.Projects), len(p.Projects)-1)
	}
}

// TestImportPreviewSaysRenamed: a re-import that renames a project says the project keeps what
// is attached to it.
func TestImportPreviewSaysRenamed(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	p, err := e.db.LoadPlan(t.Context(), "门头沟区", 2021)
	if err != nil {
		t.Fatal(err)
	}
	doc := p.WithoutIDs()
	old := doc.Projects[2].Name
	doc.Projects[2].Name = old + "（二期）"
	var buf bytes.Buffer
	if err := xlsx.WriteProjects(&buf, doc); err != nil {
		t.Fatal(err)
	}
	page := c.postMultipart("/import", "file", "projects.xlsx", buf.Bytes())
	want := "项目“" + old + "”改名为“" + old + "（二期）”，联系人等关联信息保留"
	if !strings.Contains(page.body, want) {
		t.Errorf("preview of a rename lacks %q: %s", want, excerpt(page.body))
	}
}

// TestImportConfirmChecksTheVersion: a confirmation made against a plan that changed since is
// refused with 409.
func TestImportConfirmChecksTheVersion(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	changed := strings.Replace(string(sample.Plan2021), "2021年6月-2021年9月", "2021年6月-2021年8月", 1)
	page := c.postMultipart("/import", "file", "plan.md", []byte(changed))
	m := regexp.MustCompile(`name="upload" value="(\d+)"`).FindStringSubmatch(page.body)
	v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page.body)
	if m == nil || v == nil {
		t.Fatalf("import preview has no upload or version: %s", excerpt(page.body))
	}
	if r := c.post("/import/confirm", url.Values{"upload": {m[1]}, "version": {v[1] + "9"}}); r.StatusCode != http.StatusConflict {
		t.Errorf("confirm against another version = %d, want 409", r.StatusCode)
	}
	if r := c.post("/import/confirm", url.Values{"upload": {m[1]}, "version": {v[1]}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("confirm = %d %s", r.StatusCode, excerpt(r.body))
	}
}

// TestUploadLeavesNoTemporaryFiles: a large upload spills to temporary files, removed when the
// request ends; someone not signed in gets no file written at all.
func TestUploadLeavesNoTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	e := newEnv(t)
	// 9 MB within the reader's bounds (lines of at most 20,000 characters, 200,000 lines).
	big := append(append([]byte{}, sample.Plan2021...), bytes.Repeat([]byte(strings.Repeat(" ", 1000)+"\n"), 9<<10)...)
	if r := e.anonymous().postMultipart("/import", "file", "big.md", big); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous upload = %d", r.StatusCode)
	}
	c := e.signIn("office")
	if r := c.postMultipart("/import", "file", "big.md", big); r.StatusCode != http.StatusOK {
		t.Errorf("office upload of 9 MB = %d %s", r.StatusCode, excerpt(r.body))
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "multipart-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left after the uploads: %v", left)
	}
}
