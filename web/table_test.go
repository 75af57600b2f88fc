package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestListPagesKeepTheirOwnTables requests every list page in turn on one server: each shows its
// own table, not one kept for another page.
func TestListPagesKeepTheirOwnTables(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("office")
	q := "?year=2021&district=" + url.QueryEscape("门头沟区")
	pages := []struct{ path, heading, cell string }{
		{"/teams", "工作专班", "干部人才专班"},
		{"/units", "单位", "区科技和信息化局"},
		{"/regions", "协作地区", "南水北调对口协作"},
		{"/tasks", "任务清单", "研究部署"},
		{"/projects", "项目计划表", "武川县稳定就业补贴项目"},
	}
	for round := range 2 {
		for _, p := range pages {
			r := c.get(p.path + q)
			if r.StatusCode != http.StatusOK || !strings.Contains(r.body, "<h1>"+p.heading) || !strings.Contains(r.body, p.cell) {
				t.Errorf("round %d: GET %s = %d, heading %q present %v, %q present %v", round, p.path, r.StatusCode,
					p.heading, strings.Contains(r.body, "<h1>"+p.heading), p.cell, strings.Contains(r.body, p.cell))
			}
		}
	}
}
