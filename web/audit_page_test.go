package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"xiezuo"
	"xiezuo/sqldb"
)

// The auditor searches by the words the page shows: 登录 finds the sign-ins.
func TestAuditPageSearchChineseAction(t *testing.T) {
	e := newEnv(t)
	e.signIn("office")
	c := e.signIn("auditor")
	page := c.get("/admin/audit?action=" + url.QueryEscape("登录"))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/audit?action=登录 = %d", page.StatusCode)
	}
	if n := strings.Count(page.body, `<td data-label="操作" class="nowrap">登录</td>`); n != 2 {
		t.Errorf("GET /admin/audit?action=登录 shows %d sign-ins, want 2:\n%s", n, page.body)
	}
	if strings.Contains(page.body, "退出登录</td>") || strings.Contains(page.body, "新建用户</td>") {
		t.Errorf("GET /admin/audit?action=登录 shows other actions")
	}
	// The codes still work.
	page = c.get("/admin/audit?action=auth.signin")
	if n := strings.Count(page.body, `class="nowrap">登录</td>`); n != 2 {
		t.Errorf("GET /admin/audit?action=auth.signin shows %d sign-ins, want 2", n)
	}
}

// The export is a workbook with Chinese headers and the rows of the current filter.
func TestAuditPageExport(t *testing.T) {
	e := newEnv(t)
	e.signIn("office")
	c := e.signIn("auditor")
	resp := c.get("/admin/audit?format=xlsx&action=" + url.QueryEscape("登录"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("GET /admin/audit?format=xlsx = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(resp.body)))
	if err != nil {
		t.Fatalf("excelize.OpenReader(export) = %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 { // title, header, two sign-ins
		t.Fatalf("export has %d rows, want 4: %q", len(rows), rows)
	}
	wantHeader := []string{"序号", "时间", "人员", "单位", "来源地址", "操作", "对象", "结果", "变更", "说明"}
	if strings.Join(rows[1], "|") != strings.Join(wantHeader, "|") {
		t.Errorf("export header = %q, want %q", rows[1], wantHeader)
	}
	for _, r := range rows[2:] {
		if len(r) < 8 || r[5] != "登录" || r[7] != "成功" {
			t.Errorf("export row = %q, want a successful 登录", r)
		}
	}
	if rows[2][2] != "auditor" || rows[3][2] != "office" {
		t.Errorf("export rows are by %s and %s, want auditor then office (newest first)", rows[2][2], rows[3][2])
	}
	// The export is itself audited.
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: "audit.export"})
	if err != nil || len(entries) != 1 || entries[0].Username != "auditor" {
		t.Errorf("audit.export entries = %v, %v; want one by auditor", entries, err)
	}
}

// A page read refused by the guard is an audit entry, at most one per user, path and minute.
func TestAuditRefusedRead(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("caizheng")
	for range 3 {
		if resp := c.get("/admin/audit"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("GET /admin/audit as caizheng = %d, want 403", resp.StatusCode)
		}
	}
	c.get("/admin/users")
	entries, _, err := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Username: "caizheng", Action: "access.denied"})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, x := range entries {
		if x.Outcome != sqldb.AuditFailure {
			t.Errorf("access.denied entry outcome = %s", x.Outcome)
		}
		paths = append(paths, x.ObjectID)
	}
	if strings.Join(paths, " ") != "GET /admin/users GET /admin/audit" {
		t.Errorf("refused reads audited = %q, want GET /admin/users, GET /admin/audit once each", paths)
	}
	*e.clock = e.clock.Add(61 * time.Second)
	c.get("/admin/audit")
	entries, _, _ = e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Username: "caizheng", Action: "access.denied"})
	if len(entries) != 3 {
		t.Errorf("after a minute, %d access.denied entries, want 3", len(entries))
	}
	// The auditor sees it with its Chinese label.
	page := e.signIn("auditor").get("/admin/audit?action=" + url.QueryEscape("拒绝访问"))
	if !strings.Contains(page.body, "GET /admin/audit") {
		t.Errorf("the audit page does not show the refused read:\n%s", page.body)
	}
}

// The auditor verifies the chain from the page: OK with the head, then the first broken entry.
func TestAuditPageVerify(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("auditor")
	resp := c.post("/admin/audit/verify", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /admin/audit/verify = %d: %s", resp.StatusCode, resp.body)
	}
	page := c.get(resp.Header.Get("Location"))
	// The counts agree: the entries checked, then this verification's own entry, the head.
	m := regexp.MustCompile(`已校验审计日志 (\d+) 条（全部记录，至第 (\d+) 条），哈希链完整；本次校验记为第 (\d+) 条。最新记录 ((\d+):[0-9a-f]{64})`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("the page after verifying says:\n%s", page.body)
	}
	if n, last, own := atoi(m[1]), atoi(m[2]), atoi(m[3]); n != last || own != last+1 || m[5] != m[3] {
		t.Errorf("verify message counts disagree: %q", m[0])
	}
	// With the head recorded, cutting the entries after it is caught.
	resp = c.post("/admin/audit/verify", url.Values{"head": {m[4]}})
	page = c.get(resp.Header.Get("Location"))
	if !strings.Contains(page.body, "哈希链完整") {
		t.Errorf("verify against the head just printed fails:\n%s", page.body)
	}
	// A head that is not the log's: the first broken entry is named, and the failure audited.
	resp = c.post("/admin/audit/verify", url.Values{"head": {"1:" + strings.Repeat("0", 64)}})
	page = c.get(resp.Header.Get("Location"))
	if !strings.Contains(page.body, "审计日志校验未通过：第 1 条的哈希与记录的最新记录") {
		t.Errorf("verify against another head says:\n%s", page.body)
	}
	// A head past the end: the entries after the log's end were deleted.
	resp = c.post("/admin/audit/verify", url.Values{"head": {"9999:" + strings.Repeat("0", 64)}})
	page = c.get(resp.Header.Get("Location"))
	if !strings.Contains(page.body, "记录的最新记录第 9999 条已不在日志中：日志末尾的记录被删除") || strings.Contains(page.body, "第 10000 条") {
		t.Errorf("verify against a head past the end says:\n%s", page.body)
	}
	entries, _, _ := e.db.SearchAudit(t.Context(), sqldb.AuditFilter{Action: "audit.verify"})
	if len(entries) != 4 || entries[0].Username != "auditor" || entries[0].Outcome != sqldb.AuditFailure {
		t.Errorf("audit.verify entries = %d, want 4 by auditor, the last failed", len(entries))
	}
	resp = c.post("/admin/audit/verify", url.Values{"head": {"12"}})
	if page = c.get(resp.Header.Get("Location")); !strings.Contains(page.body, "序号:哈希") {
		t.Errorf("verify with a malformed head says:\n%s", page.body)
	}
}

func TestChangeLines(t *testing.T) {
	tests := []struct {
		before, after string
		want          []string
	}{
		{"", "", nil},
		{`{"username":"zhang","name":"张三","roles":["unit","cadre"],"disabled":false}`,
			`{"username":"zhang","name":"张三丰","roles":["unit"],"disabled":true}`,
			[]string{"姓名：张三 → 张三丰", "角色：成员单位、前方挂职干部 → 成员单位", "停用：否 → 是"}},
		{"", `{"联系人":"王五","手机":"138****5678"}`, []string{"联系人：王五", "手机：138****5678"}},
		{`{"name":"a","phone":"1"}`, `{"name":"a"}`, []string{"手机：1 → （无）"}},
		{`{"name":"a"}`, `{"name":"a"}`, []string{"（无变化）"}},
		{`30`, `60`, []string{"取值：30 → 60"}},
		{"", `"总则"`, []string{"取值：总则"}},
		{"", `["新增项目 3 个","修改任务 1 项"]`, []string{"新增项目 3 个", "修改任务 1 项"}},
		// An import ended by the sweep, a restore, an incremental verify: words, not codes (walk review).
		{"", `{"list":"workers","state":"failed","by":"renshe","pay_kept":false}`,
			[]string{"清单：在京务工人员清单", "状态：失败", "导入人：renshe", "保留原月工资：否"}},
		{"", `{"sha256":"ab","forced":true,"signed":true,"schema":"0022_audit_ship.sql","backup_at":"2026-12-01T06:27:14Z"}`,
			[]string{"备份文件 SHA-256：ab", "覆盖已有数据（--force）：是", "备份已签名：是", "数据库结构版本：0022_audit_ship.sql", "备份时间：2026-12-01 14:27:14"}},
		{"", `{"from":"2576:ab","state":"done"}`, []string{"本次校验起点：2576:ab", "状态：已导入"}},
	}
	for _, tt := range tests {
		got := changeLines(tt.before, tt.after)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("changeLines(%s, %s) = %q, want %q", tt.before, tt.after, got, tt.want)
		}
	}
}

// The page shows changes as text, not JSON.
func TestAuditPageChangesAsText(t *testing.T) {
	e := newEnv(t)
	page := e.signIn("auditor").get("/admin/audit?action=" + url.QueryEscape("新建用户"))
	if !strings.Contains(page.body, "登录名：office<br>姓名：王办公") || strings.Contains(page.body, `{&#34;username`) {
		t.Errorf("the audit page does not show the new user as text:\n%s", page.body)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// The office reads the entries of its own district's users only: not another district's
// office, nor the names typed at failed sign-ins; the auditor reads them all.
func TestAuditPageOfficeSeesItsDistrict(t *testing.T) {
	e := newEnv(t)
	dc := xiezuo.User{Username: "dcoffice", Name: "东办公", District: "东城区", Unit: "领导小组办公室", Roles: []string{xiezuo.RoleOffice}}
	if err := e.db.CreateUser(t.Context(), &dc, testHash); err != nil {
		t.Fatal(err)
	}
	ctx := sqldb.WithActor(t.Context(), sqldb.Actor{UserID: dc.ID, Username: dc.Username, Unit: dc.Unit})
	if err := e.db.AppendAudit(ctx, sqldb.AuditEntry{Action: sqldb.AuditReveal, ObjectType: "person", ObjectLabel: "东城区的某人"}); err != nil {
		t.Fatal(err)
	}
	e.anonymous().signInForm("Mistyped#Secret9", testPassword)
	e.signIn("office").get("/")
	for _, tt := range []struct {
		user        string
		sees, hides []string
	}{
		{"office", []string{"登录"}, []string{"东城区的某人", "dcoffice", "Mistyped#Secret9"}},
		{"auditor", []string{"东城区的某人", "dcoffice", "Mistyped#Secret9"}, nil},
	} {
		c := e.signIn(tt.user)
		for _, path := range []string{"/admin/audit", "/admin/audit?format=xlsx"} {
			body := c.get(path).body
			if strings.HasSuffix(path, "xlsx") {
				body = xlsxText(t, body)
			}
			for _, s := range tt.sees {
				if !strings.Contains(body, s) {
					t.Errorf("%s: %s does not show %q", tt.user, path, s)
				}
			}
			for _, s := range tt.hides {
				if strings.Contains(body, s) {
					t.Errorf("%s: %s shows %q", tt.user, path, s)
				}
			}
		}
	}
}

// xlsxText is the text of a workbook's first sheet, one line per row, cells joined by tabs.
func xlsxText(t *testing.T, body string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("excelize.OpenReader = %v", err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range rows {
		lines = append(lines, strings.Join(r, "\t"))
	}
	return strings.Join(lines, "\n")
}
