package web

import (
	"net/http"
	"net/url"
	"testing"

	"xiezuo/gen"
)

// BenchmarkPages serves the list pages of a generated plan of 100 projects of the office's own
// district, signed in, through
// the whole stack (session, plan cache, rendering) over a real SQLite file.
func BenchmarkPages(b *testing.B) {
	e := newEnvTB(b)
	p := gen.Plan(gen.Options{Seed: 7, District: "门头沟区", Year: 2022, Projects: 100})
	content := gen.Markdown(p)
	p.Source = gen.SourceOf(p, content)
	if _, err := e.db.ImportPlan(b.Context(), p, content); err != nil {
		b.Fatal(err)
	}
	c := e.signIn("office")
	q := "?" + url.Values{"district": {"门头沟区"}, "year": {"2022"}}.Encode()
	for _, path := range []string{"/projects", "/tasks", "/plan", "/plan/coverage", "/units/" + url.PathEscape("区财政局"), "/", "/api/v1/plans/" + url.PathEscape("门头沟区") + "/2022/projects"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				r := c.get(path + q)
				if r.StatusCode != http.StatusOK {
					b.Fatalf("GET %s = %d", path, r.StatusCode)
				}
			}
		})
	}
}
