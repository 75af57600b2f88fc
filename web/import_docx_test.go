package web

import (
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestImportWordShowsWhere: a broken Word plan uploaded on the import page lists its problems
// with where the clerk finds each in the Word document, under the line.
func TestImportWordShowsWhere(t *testing.T) {
	data, err := os.ReadFile("../plandoc/testdata/docx/2021-mentougou-broken.docx")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)
	c := e.signIn("office")
	r := c.postMultipart("/import", "file", "2021年门头沟区支援合作工作要点.docx", data)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("upload of a broken Word plan = %d, want 422: %s", r.StatusCode, excerpt(r.body))
	}
	for _, want := range []string{"<small>附件3 表格第2行</small>", "<small>附件2 表格第4行</small>", "区协作推进局"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("import page lacks %q: %s", want, excerpt(r.body))
		}
	}
}
