package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

type auditData struct {
	base
	Entries []auditRow
	Total   int
	Filter  auditFilterForm
	Prev    string
	Next    string
	XLSX    string
	Head    string // the head last verified, offered for the next verification
	Scope   string // whose entries the page shows, when not everybody's
}

// auditRow is an entry as the page shows it: its changes as lines of text.
type auditRow struct {
	sqldb.AuditEntry
	Changes []string
}

type auditFilterForm struct {
	User, Unit, Object, Action, From, To string
}

const (
	auditPageSize = 100
	// auditExportMax bounds a workbook: a filter that selects more is narrowed by date.
	auditExportMax = 50_000
)

// auditFilter reads the page's filter from the query: the action as a code (auth.signin) or
// as the page shows it (登录).
func auditFilter(r *http.Request) (sqldb.AuditFilter, auditFilterForm, error) {
	q := r.URL.Query()
	form := auditFilterForm{q.Get("user"), q.Get("unit"), q.Get("object"), strings.TrimSpace(q.Get("action")), q.Get("from"), q.Get("to")}
	f := sqldb.AuditFilter{Username: form.User, Unit: form.Unit, ObjectType: form.Object, Actions: actionCodes(form.Action)}
	if form.From != "" {
		t, err := time.ParseInLocation(time.DateOnly, form.From, shanghai)
		if err != nil {
			return f, form, xiezuo.Errorf(xiezuo.EINVALID, "起始日期应写作 2021-06-01")
		}
		f.From = t
	}
	if form.To != "" {
		t, err := time.ParseInLocation(time.DateOnly, form.To, shanghai)
		if err != nil {
			return f, form, xiezuo.Errorf(xiezuo.EINVALID, "截止日期应写作 2021-06-30")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	return f, form, nil
}

// actionCodes turns what the auditor typed as the action into the codes it names: a code as
// it is; a label of actionNames (登录) into its code; else the codes whose labels contain it
// (口令 finds 设置动态口令 and 动态口令验证). Nothing typed selects every action; words that
// name no action select none.
func actionCodes(s string) []string {
	if s == "" {
		return nil
	}
	if _, ok := actionNames[s]; ok || strings.Contains(s, ".") {
		return []string{s}
	}
	var exact, partial []string
	for code, label := range actionNames {
		words := append([]string{label}, actionSynonyms[code]...)
		switch {
		case slices.Contains(words, s):
			exact = append(exact, code)
		case slices.ContainsFunc(words, func(w string) bool { return strings.Contains(w, s) }):
			partial = append(partial, code)
		}
	}
	codes := exact
	if len(codes) == 0 {
		codes = partial
	}
	if len(codes) == 0 {
		return []string{s} // matches nothing, and says so
	}
	slices.Sort(codes)
	return codes
}

// actionSynonyms are the words other pages use for an action whose label in the log differs:
// the users page resets a password (设置密码), unlocks (解除锁定), the unit page shows a full
// phone number (查看个人信息).
var actionSynonyms = map[string][]string{
	"user.password":   {"重置密码", "修改密码"},
	"user.unlock":     {"解锁"},
	"personal.reveal": {"查看完整手机号", "查看完整手机号码", "查看手机号", "查看完整身份证号"},
	"apitoken.revoke": {"撤销 API 令牌", "撤销令牌"},
}

// auditRowFor is an entry as the page and the workbook show it: setting keys by their names,
// role codes by the roles' names.
func auditRowFor(e sqldb.AuditEntry) auditRow {
	if e.Action == sqldb.AuditSettingSet {
		if name, ok := settingNames[e.ObjectID]; ok {
			e.ObjectLabel = name
		}
		if e.ObjectID == setMFARoles {
			return auditRow{e, []string{"取值：" + roleText(e.Before) + " → " + roleText(e.After)}}
		}
	}
	return auditRow{e, changeLines(e.Before, e.After)}
}

// settingNames are the security policy's settings as the security page names them.
var settingNames = map[string]string{
	setMaxFailures: "锁定前允许连续输错次数",
	setLockMinutes: "锁定时长（分钟）",
	setMaxAgeDays:  "密码有效期（天）",
	setIdleMinutes: "无操作自动退出（分钟）",
	setMFARoles:    "须用动态口令登录的角色",
}

// roleText writes roles, given as a JSON list or a JSON string of codes separated by commas,
// by their names.
func roleText(j string) string {
	if j == "" {
		return "（无）"
	}
	var codes []string
	var list string
	if json.Unmarshal([]byte(j), &codes) != nil {
		if json.Unmarshal([]byte(j), &list) != nil {
			return j
		}
		codes = strings.FieldsFunc(list, func(r rune) bool { return r == ',' })
	}
	if len(codes) == 0 {
		return "（无）"
	}
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = c
		if n, ok := xiezuo.RoleNames[strings.TrimSpace(c)]; ok {
			names[i] = n
		}
	}
	return strings.Join(names, "、")
}

// auditPage searches the audit log by person, unit, action, object and date; with
// ?format=xlsx it downloads what the filter selects as a workbook.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	f, form, err := auditFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d, all := currentUser(r).AuditDistrict(); !all {
		f.District = d
		if d == "" {
			f.District = "\x00" // a user of no district reads nothing: "" would select all
		}
	}
	if wantsXLSX(r) {
		s.auditExport(w, r, f, form)
		return
	}
	q := r.URL.Query()
	d := auditData{base: s.baseFor(r, "audit"), Filter: form, Head: q.Get("head")}
	if f.District != "" {
		d.Scope = "只显示" + currentUser(r).District + "用户的操作；其他区和未登录者（如登录失败）的记录由审计管理员查阅。"
	}
	d.Title = "审计日志"
	page, _ := strconv.Atoi(q.Get("page"))
	page = min(max(page, 0), 10_000) // a million entries back is as far as paging goes
	f.Limit, f.Offset = auditPageSize, page*auditPageSize
	entries, total, err := s.db.SearchAudit(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, e := range entries {
		d.Entries = append(d.Entries, auditRowFor(e))
	}
	d.Total = total
	filter := keepParams(q, "user", "unit", "object", "action", "from", "to")
	d.XLSX = r.URL.Path + queryWith(filter, "format", "xlsx")
	if page > 0 {
		d.Prev = queryWith(filter, "page", strconv.Itoa(page-1))
	}
	if f.Offset+len(entries) < total {
		d.Next = queryWith(filter, "page", strconv.Itoa(page+1))
	}
	s.render(w, r, http.StatusOK, "audit", d)
}

// auditExport sends the entries f selects, newest first, as a workbook with the page's
// columns; the export is audited.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, f sqldb.AuditFilter, form auditFilterForm) {
	t := table{Title: "审计日志", Columns: []column{{Header: "序号", Num: true}, {Header: "时间"}, {Header: "人员"}, {Header: "单位"},
		{Header: "来源地址"}, {Header: "操作"}, {Header: "对象"}, {Header: "结果"}, {Header: "变更"}, {Header: "说明"}}}
	f.Limit = 1000
	total := 0
	for f.Offset < auditExportMax {
		entries, n, err := s.db.SearchAudit(r.Context(), f)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		total = n
		for _, entry := range entries {
			e := auditRowFor(entry)
			outcome := "成功"
			if e.Outcome == sqldb.AuditFailure {
				outcome = "失败"
			}
			t.Rows = append(t.Rows, tableRow{Cells: []cell{
				numCell(strconv.FormatInt(e.Seq, 10)), textCell(e.At.In(shanghai).Format("2006-01-02 15:04:05")),
				textCell(e.Username), textCell(e.Unit), textCell(e.IP), textCell(actionName(e.Action)),
				textCell(e.ObjectLabel), textCell(outcome), textCell(strings.Join(e.Changes, "\n")),
				textCell(e.Detail),
			}})
		}
		f.Offset += len(entries)
		if len(entries) == 0 || f.Offset >= n {
			break
		}
	}
	if total > len(t.Rows) {
		t.Note = fmt.Sprintf("共 %d 条，只导出最新的 %d 条；请按日期分段导出。", total, len(t.Rows))
	}
	s.audit(r.Context(), sqldb.AuditExport, "audit_log", "", "审计日志", sqldb.AuditSuccess,
		fmt.Sprintf("导出 %d 条；查询条件：%s", len(t.Rows), describeAuditFilter(form)))
	s.writeXLSX(w, r, t, "审计日志")
}

// describeAuditFilter writes the conditions of a search for the audit log.
func describeAuditFilter(f auditFilterForm) string {
	var parts []string
	for _, c := range []struct{ name, value string }{
		{"人员", f.User}, {"单位", f.Unit}, {"对象类型", f.Object}, {"操作", f.Action}, {"起始日期", f.From}, {"截止日期", f.To},
	} {
		if c.value != "" {
			parts = append(parts, c.name+" "+c.value)
		}
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "，")
}

// auditVerify verifies the chain, against the head the auditor recorded when given, and
// shows the outcome on the page: OK with the head to record, or the first broken entry. The
// verification is audited.
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	var want sqldb.AuditMark
	if h := strings.TrimSpace(r.PostFormValue("head")); h != "" {
		m, err := sqldb.ParseAuditMark(h)
		if err != nil {
			http.Redirect(w, r, "/admin/audit?"+s.flash(nil, xiezuo.ErrorMessage(err), "warn"), http.StatusSeeOther)
			return
		}
		want = m
	}
	verify := s.db.VerifyAuditIncremental
	if r.PostFormValue("full") != "" {
		verify = s.db.VerifyAudit
	}
	v, err := verify(r.Context(), want)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	head, err := s.db.AuditVerified(r.Context(), v, want)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !v.OK() {
		msg := fmt.Sprintf("审计日志校验未通过：%s。", v.Problem)
		http.Redirect(w, r, "/admin/audit?"+s.flash(nil, msg, "error"), http.StatusSeeOther)
		return
	}
	from := "全部记录"
	if v.From.Seq > 0 {
		from = fmt.Sprintf("自上次校验的第 %d 条起", v.From.Seq)
	}
	msg := fmt.Sprintf("已校验审计日志 %d 条（%s，至第 %d 条），哈希链完整；本次校验记为第 %d 条。最新记录 %s（即本次校验的记录），请记在数据库之外，下次校验时填入比对。",
		v.Checked, from, v.Head.Seq, head.Seq, head)
	q := s.flash(nil, msg, "ok")
	http.Redirect(w, r, "/admin/audit?"+q+"&head="+head.String(), http.StatusSeeOther)
}

// keepParams keeps the named parameters of q.
func keepParams(q map[string][]string, keys ...string) map[string][]string {
	out := map[string][]string{}
	for _, k := range keys {
		if v, ok := q[k]; ok && len(v) > 0 && v[0] != "" {
			out[k] = v
		}
	}
	return out
}

// fieldNames are the fields of audited records as people read them.
var fieldNames = map[string]string{
	"username": "登录名", "name": "姓名", "district": "区", "unit": "单位", "roles": "角色", "regions": "协作地区",
	"phone": "手机", "disabled": "停用", "must_change": "须修改密码", "before": "清理日期之前", "deleted": "删除条数",
	"through": "删除至第几条", "through_at": "删除的最后一条时间", "hash": "哈希", "checked": "校验条数",
	"first_bad": "第一条有误的记录", "head": "最新记录", "expected": "比对的最新记录",
	// 劳务协作: imports, matching runs, confirmations, placements, unmasked exports.
	"list": "清单", "file": "文件", "state": "状态", "rows": "行数", "added": "新增", "updated": "更新", "unchanged": "未变",
	"bad": "错误行", "run": "匹配批次", "proposals": "推荐条数", "kind": "确认方", "note": "说明", "job": "岗位编号",
	"person": "人员编号", "match": "人岗匹配编号", "employer": "就业单位", "post": "岗位", "place": "工作地", "start": "开始日期",
	"end": "结束日期", "poor": "人员类别", "supersedes": "更正第几条", "withdrawn": "撤销", "reason": "原因",
	"pay_given": "填写了月工资", "region": "协作地区", "town": "乡镇", "skill": "技能", "status": "状态",
	"pay_kept": "保留原月工资", "by": "导入人",
	// 审计日志的校验与数据库的恢复 (issue 13).
	"from": "本次校验起点", "full": "全部校验", "sha256": "备份文件 SHA-256", "forced": "覆盖已有数据（--force）",
	"signed": "备份已签名", "schema": "数据库结构版本", "backup_at": "备份时间", "backup_head": "备份时审计日志的最新记录",
	"audit_rows": "备份中的审计记录条数", "tables": "表数", "evidence": "佐证材料文件数",
}

// stateNames are the states of a labour import as the import pages say them.
var stateNames = map[string]string{"running": "正在导入", "done": "已导入", "refused": "未导入（有错误行）", "failed": "失败"}

// fieldText is how the audit page shows the value of field k: states, lists and times in words
// people read; anything else as jsonText does.
func fieldText(k string) func(json.RawMessage) string {
	return func(v json.RawMessage) string {
		var str string
		if json.Unmarshal(v, &str) != nil {
			return jsonText(v)
		}
		switch k {
		case "state":
			if n := stateNames[str]; n != "" {
				return n
			}
		case "list":
			if l, ok := xiezuo.ParseLabourList(str); ok {
				return l.Title()
			}
		case "backup_at", "at":
			if t, err := time.Parse(time.RFC3339Nano, str); err == nil {
				return t.In(shanghai).Format("2006-01-02 15:04:05")
			}
		}
		return jsonText(v)
	}
}

// changeLines writes an entry's before and after as lines 「字段：旧值 → 新值」: for records
// (JSON objects) one line per field that changed, or per field when there is only one side;
// otherwise one line with the values. JSON that is neither is shown as it is.
func changeLines(before, after string) []string {
	if before == "" && after == "" {
		return nil
	}
	bk, bm, bok := jsonObject(before)
	ak, am, aok := jsonObject(after)
	if (bok || before == "") && (aok || after == "") {
		keys := append(bk, ak...)
		var lines []string
		seen := map[string]bool{}
		for _, k := range keys {
			if seen[k] {
				continue
			}
			seen[k] = true
			name := fieldNames[k]
			if name == "" {
				name = k
			}
			old, hadOld := bm[k]
			cur, hasCur := am[k]
			text := fieldText(k)
			if k == "roles" {
				text = func(v json.RawMessage) string {
					if len(v) == 0 || string(v) == "null" {
						return "—"
					}
					return roleText(string(v))
				}
			}
			switch {
			case before == "":
				lines = append(lines, name+"："+text(cur))
			case after == "":
				lines = append(lines, name+"："+text(old)+" → （无）")
			case !hadOld:
				lines = append(lines, name+"：（无） → "+text(cur))
			case !hasCur:
				lines = append(lines, name+"："+text(old)+" → （无）")
			case !bytes.Equal(old, cur):
				lines = append(lines, name+"："+text(old)+" → "+text(cur))
			}
		}
		if len(lines) == 0 {
			lines = append(lines, "（无变化）")
		}
		return lines
	}
	var list []json.RawMessage
	if before == "" && json.Unmarshal([]byte(after), &list) == nil {
		var lines []string
		for _, v := range list {
			lines = append(lines, jsonText(v))
		}
		return lines
	}
	switch {
	case before == "":
		return []string{"取值：" + jsonText(json.RawMessage(after))}
	case after == "":
		return []string{"取值：" + jsonText(json.RawMessage(before)) + " → （无）"}
	}
	return []string{"取值：" + jsonText(json.RawMessage(before)) + " → " + jsonText(json.RawMessage(after))}
}

// jsonObject reads a JSON object keeping the order of its keys.
func jsonObject(s string) ([]string, map[string]json.RawMessage, bool) {
	if !strings.HasPrefix(strings.TrimSpace(s), "{") {
		return nil, nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &m) != nil {
		return nil, nil, false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.Token() // {
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if k, ok := tok.(string); ok {
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return keys, m, true
}

// jsonText writes a JSON value as text: strings as they are, lists joined with 、, true and
// false as 是 and 否, null and nothing as —.
func jsonText(v json.RawMessage) string {
	var x any
	if len(v) == 0 || json.Unmarshal(v, &x) != nil {
		return string(v)
	}
	return valueText(x)
}

func valueText(x any) string {
	switch x := x.(type) {
	case nil:
		return "—"
	case string:
		if x == "" {
			return "（空）"
		}
		return x
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, v := range x {
			parts[i] = valueText(v)
		}
		if len(parts) == 0 {
			return "（无）"
		}
		return strings.Join(parts, "、")
	}
	b, _ := json.Marshal(x)
	return string(b)
}

// refusals remembers which refused requests were audited in the last minute, so that a
// crawler walking pages it may not read writes one entry per user, path and minute, not one
// per request.
type refusals struct {
	mu   sync.Mutex
	seen map[string]time.Time // user id, method and path → when last audited
}

// first reports whether key was not audited in the minute before now, and records it.
func (rf *refusals) first(key string, now time.Time) bool {
	rf.mu.Lock()
	defer rf.mu.Unlock()
	if rf.seen == nil {
		rf.seen = map[string]time.Time{}
	}
	if at, ok := rf.seen[key]; ok && now.Sub(at) < time.Minute {
		return false
	}
	if len(rf.seen) > 10_000 { // forget the old ones rather than grow without bound
		for k, at := range rf.seen {
			if now.Sub(at) >= time.Minute {
				delete(rf.seen, k)
			}
		}
	}
	rf.seen[key] = now
	return true
}

// auditRefused audits a request the guard refused for the user's role.
func (s *Server) auditRefused(r *http.Request, u *xiezuo.User) {
	what := r.Method + " " + r.URL.Path
	if !s.refused.first(strconv.FormatInt(u.ID, 10)+" "+what, s.cfg.Now()) {
		return
	}
	s.audit(r.Context(), sqldb.AuditDenied, "page", what, what, sqldb.AuditFailure, "角色无权访问（403）")
}
