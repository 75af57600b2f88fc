package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"xiezuo"
)

//go:embed templates/*.html templates/blocks/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets serves the static files under content-hashed paths (/static/app.3f2a9c1b.css), so they
// can be cached for a year and a new build is fetched at once.
type assets struct {
	byPath map[string]asset // hashed path → file
	hashed map[string]string
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{byPath: map[string]asset{}, hashed: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		hashed := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml", ".ico": "image/x-icon"}[ext]
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byPath[hashed] = asset{body: body, contentType: ct}
		a.hashed[name] = hashed
		return nil
	})
	return a, err
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

// shanghai is the time zone pages show times in; times are stored in UTC.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// templates holds one parsed template set per page, each the layout plus the page, parsed once
// at start.
type templates map[string]*template.Template

func loadTemplates(a *assets) (templates, error) {
	funcs := template.FuncMap{
		"static": func(name string) string { return a.hashed[name] },
		"wan": func(n xiezuo.Num) string {
			if !n.Valid {
				return ""
			}
			return xiezuo.FormatWan(n.V)
		},
		"count": func(n xiezuo.Num) string {
			if !n.Valid {
				return ""
			}
			return fmt.Sprint(n.V)
		},
		"yuanwan":   func(y xiezuo.Yuan) string { return xiezuo.FormatWan(y.V) },
		"time":      func(t time.Time) string { return fmtTime(t) },
		"date":      func(d xiezuo.Date) string { return d.String() },
		"poorLabel": xiezuo.PoorLabel,
		"roleName":  func(r string) string { return xiezuo.RoleNames[r] },
		"has":       func(list []string, v string) bool { return slices.Contains(list, v) },
		"catalogue": xiezuo.CatalogueUnits,
		"relation": func(s string) string {
			if s == "" {
				return "（未注明）"
			}
			return s
		},
		"add":         func(a, b int) int { return a + b },
		"minutes":     func(d time.Duration) int { return int(d.Minutes()) },
		"days":        func(d time.Duration) int { return int(d.Hours() / 24) },
		"in":          func(v string, list []string) bool { return slices.Contains(list, v) },
		"actionName":  actionName,
		"objectTypes": func() []auditObjectType { return auditObjectTypes },
		"where":       func(p xiezuo.Pos) string { return where(p) },
		"query":       queryWith,
	}
	// Every page has the layout and the blocks (templates/blocks: sections a page shows, each
	// in a file of its own so that a capability adds its section without editing the page's
	// file, e.g. the watched rules' lights on the home page, a project's villages and assets,
	// its public notice).
	layout, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/blocks/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	pages, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := templates{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" {
			continue
		}
		clone, err := layout.Clone()
		if err != nil {
			return nil, err
		}
		if t[name], err = clone.ParseFS(templateFS, p); err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
	}
	return t, nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}

func where(p xiezuo.Pos) string {
	switch {
	case p.Line == 0:
		return ""
	case p.Sheet != "":
		return fmt.Sprintf("工作表“%s”第%d行", p.Sheet, p.Line)
	}
	return fmt.Sprintf("第%d行", p.Line)
}

// render writes a page. Rendering goes to a buffer first, so a template error becomes a clean
// error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	s.write(w, r, status, page, func(t *template.Template, buf *bytes.Buffer) error {
		return t.ExecuteTemplate(buf, "layout", data)
	})
}

// write renders a page with fill into a pooled buffer and sends it; a failure sends an error
// page instead.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, page string, fill func(*template.Template, *bytes.Buffer) error) {
	t, ok := s.tmpl[page]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no template %q", page))
		return
	}
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 4<<20 {
			buffers.Put(buf)
		}
	}()
	if err := fill(t, buf); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// buffers are reused between renderings: a list page is a few hundred kilobytes, and a busy
// instance would otherwise allocate one per request.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderContent renders only the "content" of a page, for the fragment cache; the title comes
// from the data's base.
func (s *Server) renderContent(page string, data any) (string, []byte, error) {
	t, ok := s.tmpl[page]
	if !ok {
		return "", nil, fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", data); err != nil {
		return "", nil, fmt.Errorf("render %s: %w", page, err)
	}
	title := ""
	if b, ok := data.(interface{ pageTitle() string }); ok {
		title = b.pageTitle()
	}
	return title, buf.Bytes(), nil
}

// auditObjectType is a kind of object the audit log records, as the audit page's filter offers it.
type auditObjectType struct{ Code, Name string }

// auditObjectTypes are the audit log's object types, in the order the filter lists them: every
// type the code writes (TestAuditNamesCoverCodes fails on one missing).
var auditObjectTypes = []auditObjectType{
	{"plan", "计划"}, {"point", "工作要点"}, {"task", "任务"}, {"project", "项目"},
	{"fund_transaction", "资金记录"}, {"fund_transactions", "资金记录（批量导入）"},
	{"report", "进展报告"}, {"notice", "督办单"}, {"period", "报送周期（封存）"}, {"exception", "封存期修改申请"},
	{"duty", "事项交办"}, {"group", "领导小组成员单位"}, {"coverage", "任务对应"}, {"cadence", "报送频次"},
	{"unit", "单位（提醒渠道）"}, {"contact", "联系人"}, {"reminder_outbox", "提醒发送"}, {"job", "定时任务"},
	{"user", "用户"}, {"account_request", "账号申请"}, {"session", "会话"}, {"setting", "设置"},
	{"audit_log", "审计日志"}, {"database", "数据库"}, {"page", "页面"}, {"register", "工作台账"}, {"indicator", "考核指标"},
	{"draft", "工作总结和考核自评稿"},

	{"layout", "上级平台报表格式"},

	{"labour_import", "劳务协作清单导入"}, {"labour_list", "劳务协作清单"}, {"labour_person", "劳务协作人员"},
	{"labour_match_run", "人岗匹配（一次匹配）"}, {"labour_match", "人岗匹配"}, {"labour_placement", "就业登记"},
}

// actionName is an audit action as people read it: its label, or its code when it has none.
func actionName(a string) string {
	if n, ok := actionNames[a]; ok {
		return n
	}
	return a
}

// actionNames are the audit log's actions as people read them.
var actionNames = map[string]string{
	"plan.import": "导入计划", "layout.save": "保存上级平台报表格式", "user.add": "新建用户", "user.update": "修改用户", "user.password": "设置密码",
	"user.totp": "设置动态口令", "user.unlock": "解除锁定", "auth.signin": "登录", "auth.totp": "动态口令验证",
	"session.create": "建立会话", "session.second_factor": "完成第二重鉴别", "session.delete": "退出登录",
	"session.revoke_user": "结束用户全部会话", "session.expire": "清除过期会话", "apitoken.create": "新建 API 令牌",
	"apitoken.revoke": "吊销 API 令牌", "setting.set": "修改安全策略", "audit.prune": "清理审计日志",
	"personal.reveal": "查看个人信息", "contact.save": "修改联系人", "group.members": "修改领导小组成员单位", "duty.assign": "交办", "coverage.link": "更正任务对应", "supervise.cadence": "修改报送频次", "audit.verify": "校验审计日志", "backup.restore": "从备份恢复数据库", "audit.search": "查询审计日志",
	"audit.key": "启用审计密钥", "audit.export": "导出审计日志", "access.denied": "拒绝访问",
	"account.request": "账号申请", "account.decide": "批准或驳回账号申请", "account.half": "查看密码后半段",
	"fund.add": "登记资金记录", "fund.reverse": "冲销资金记录", "fund.import": "导入资金记录",
	"project.step": "登记项目进展步骤", "report.evidence": "上传证明材料", "report.save": "保存或报送进展", "report.review": "审核进展报告", "duty.close": "事项销号或重新打开",
	"period.freeze": "封存报送周期", "period.unfreeze": "解除封存", "exception.request": "申请修改封存数据", "exception.decide": "审批封存期修改申请",
	"reminder.channel": "设置提醒渠道", "reminder.smtp": "设置提醒邮件服务器", "reminder.run": "生成每日督办提醒", "reminder.delivery": "发送提醒", "reminder.retry": "重新发送提醒", "reminder.read": "提醒标为已读",
	"notice.issue": "下发督办单", "notice.sign": "签收督办单", "notice.answer": "反馈督办单", "notice.return": "退回督办单反馈",
	"notice.finish": "办结督办单", "notice.close": "督办单销号", "notice.escalate": "督办单升级提醒",
	"project.village.add": "登记项目受益村", "project.village.remove": "移除项目受益村", "project.result.add": "报送项目成效数据",
	"project.asset.add": "登记帮扶资产", "project.asset.correct": "更正帮扶资产",
	"labour.import": "导入劳务协作清单", "labour.reveal": "查看劳务人员个人信息", "labour.export": "导出劳务协作清单（含个人信息或错误行）",
	"labour.match": "人岗匹配", "labour.confirm": "确认或放弃人岗匹配", "labour.placement": "登记就业",
	"register.add": "登记工作台账", "register.correct": "更正工作台账记录", "register.withdraw": "撤销工作台账记录", "register.import": "导入工作台账",
	"project.publish": "公示项目", "project.withdraw": "撤回项目公示", "plan.setting": "修改计划设置",
	"indicator.save": "保存考核指标", "indicator.withdraw": "撤销考核指标", "indicator.copy": "沿用上年考核指标",
	"draft.save": "保存工作总结或考核自评稿",
}

// renderParts writes a page whose content was rendered before: the layout's head and foot
// around body, or around the content of gz when body is nil.
func (s *Server) renderParts(w http.ResponseWriter, r *http.Request, page string, b base, body, gz []byte) {
	s.write(w, r, http.StatusOK, page, func(t *template.Template, buf *bytes.Buffer) error {
		if err := t.ExecuteTemplate(buf, "head", b); err != nil {
			return err
		}
		if body != nil {
			buf.Write(body)
		} else if err := gunzipInto(buf, gz); err != nil {
			return fmt.Errorf("from the cache: %w", err)
		}
		return t.ExecuteTemplate(buf, "foot", b)
	})
}
