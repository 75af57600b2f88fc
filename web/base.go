package web

import (
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"xiezuo"
	"xiezuo/sqldb"
)

// base is what every page's layout needs.
type base struct {
	Title     string
	Nav       string // key of the current menu entry
	User      *xiezuo.User
	CSRF      string
	Path      string
	Year      int
	District  string
	Years     []int
	Districts []string
	Flash     string
	FlashKind string // ok, warn or error
}

func (b base) pageTitle() string { return b.Title }

// menuItem is one entry of the top menu.
type menuItem struct {
	Key, Label, Href string
}

// Menu lists the entries the user may use.
func (b base) Menu() []menuItem {
	if b.User == nil {
		return nil
	}
	q := "?" + url.Values{"year": {strconv.Itoa(b.Year)}, "district": {b.District}}.Encode()
	items := []menuItem{
		{"home", "首页", "/" + q},
		{"plan", "工作要点", "/plan" + q},
		{"tasks", "任务清单", "/tasks" + q},
		{"projects", "项目计划表", "/projects" + q},
		{"teams", "工作专班", "/teams" + q},
		{"units", "单位", "/units" + q},
		{"regions", "协作地区", "/regions" + q},
		{"search", "搜索", "/search" + q},
	}
	if b.User.CanEditPlan() {
		items = append(items, menuItem{"import", "导入计划", "/import" + q})
	}
	if b.User.CanManageUsers() {
		items = append(items, menuItem{"users", "用户管理", "/admin/users"})
	}
	if b.User.CanManageUsers() || b.User.CanApproveAccounts() {
		items = append(items, menuItem{"requests", "账号申请", "/admin/requests"})
	}
	if b.User.CanSetPolicy() {
		items = append(items, menuItem{"security", "安全策略", "/admin/security"}, menuItem{"tokens", "API 令牌管理", "/admin/tokens"})
	}
	if b.User.CanReadAudit() {
		items = append(items, menuItem{"audit", "审计日志", "/admin/audit"})
	}
	return items
}

// baseFor fills the layout's data for a request: the user, the CSRF token, and the plan chosen
// by ?year= and ?district= (default: the user's district and its latest year).
func (s *Server) baseFor(r *http.Request, nav string) base {
	b := base{Nav: nav, Path: r.URL.Path}
	if sess := sessionFrom(r); sess != nil {
		b.User, b.CSRF = sess.user, sess.csrf
	}
	if b.User == nil || !sessionComplete(r) {
		return b
	}
	all, err := s.plans.plans(r.Context())
	if err != nil {
		s.log.Error("list plans", "err", err)
	}
	// Only the districts the user may read are offered, and one asked for that it may not
	// read is not chosen: a district's accounts read their district, the city office all.
	var plans []sqldb.PlanInfo
	for _, p := range all {
		if b.User.CanReadDistrict(p.District) {
			plans = append(plans, p)
		}
	}
	asked := r.URL.Query().Get("district")
	if !b.User.CanReadDistrict(asked) {
		asked = ""
	}
	b.District, b.Year = choosePlan(plans, b.User.District, asked, r.URL.Query().Get("year"))
	for _, p := range plans {
		if !slices.Contains(b.Districts, p.District) {
			b.Districts = append(b.Districts, p.District)
		}
		if p.District == b.District {
			b.Years = append(b.Years, p.Year)
		}
	}
	b.Flash, b.FlashKind = s.flashFrom(r)
	return b
}

// choosePlan picks the district and year to show.
func choosePlan(plans []sqldb.PlanInfo, home, district, year string) (string, int) {
	if district == "" {
		district = home
	}
	y, _ := strconv.Atoi(year)
	latest := 0
	found := false
	for _, p := range plans {
		if p.District != district {
			continue
		}
		found = true
		if p.Year == y {
			return district, y
		}
		latest = max(latest, p.Year)
	}
	if !found && len(plans) > 0 && district == home {
		// The user's own district has no plan yet: show the first that exists.
		district = plans[0].District
		for _, p := range plans {
			if p.District == district {
				latest = max(latest, p.Year)
			}
		}
	}
	if y != 0 && latest == 0 {
		return district, y
	}
	return district, latest
}

// queryWith returns the query string of the current filters with one value changed, for links.
func queryWith(v url.Values, key, value string) string {
	q := url.Values{}
	for k, vs := range v {
		q[k] = append([]string(nil), vs...)
	}
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	return "?" + q.Encode()
}

// flash sets in q the message the next page shows, signed with the key of personal data's blind
// indexes, so a link from elsewhere cannot make the application show words of its choosing;
// it returns q encoded.
func (s *Server) flash(q url.Values, msg, kind string) string {
	if q == nil {
		q = url.Values{}
	}
	q.Set("msg", msg)
	q.Set("kind", kind)
	q.Set("sig", s.flashSig(msg, kind))
	return q.Encode()
}

func (s *Server) flashSig(msg, kind string) string {
	return hex.EncodeToString(s.sealer.Index([]byte(kind+"\x00"+msg), "flash"))[:24]
}

// flashFrom is the message of the request, when its signature holds.
func (s *Server) flashFrom(r *http.Request) (msg, kind string) {
	q := r.URL.Query()
	msg, kind = q.Get("msg"), q.Get("kind")
	if msg == "" || !hmac.Equal([]byte(q.Get("sig")), []byte(s.flashSig(msg, kind))) {
		return "", ""
	}
	return msg, kind
}
