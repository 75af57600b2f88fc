package web

import (
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	FlashKind string    // ok, warn or error
	FlashHref string    // a page the message points to (导入计划 for a year without a plan), or none
	FlashLink string    // the words of that link
	Unread    int       // the user's unread reminders, shown beside their name
	PrintHead printHead // what a printed page says above its content (print.go)
	menu      []menuItem
}

func (b base) pageTitle() string { return b.Title }

// menuItem is one entry of the top menu.
type menuItem struct {
	Key, Label, Href string
}

// menuEntry is an entry of the top menu before it is shown: the route it opens, from which the
// menu takes both its link and who sees it (canUse), so the menu never restates an access rule.
// A plan page is a route any signed-in user may open, whose page then shows a user who reads
// no plan (the administrators, 三员分立) only 没有可查看的计划 (currentPlan, by
// xiezuo.User.ReadsPlans): the menu leaves those out for such a user by the same rule.
type menuEntry struct {
	key, label string
	route      string // a pattern of the route table, "GET /path"
	plan       bool   // a plan page: the link carries the chosen year and district
	landing    bool   // shown even to a user who reads no plan (the home page), without the plan
}

// menu is the top menu, in order.
var menu = []menuEntry{
	{"home", "首页", "GET /{$}", true, true},
	{"cadre", "前方填报", "GET /cadre", true, false},
	{"todo", "待办", "GET /todo", true, false},
	{"calendar", "日历", "GET /calendar", true, false},
	{"supervision", "督查督办", "GET /supervision", true, false},
	{"watch", "重点监测", "GET /watch", true, false},
	{"dashboard", "领导驾驶舱", "GET /dashboard", true, false},
	{"scorecard", "考核", "GET /scorecard", true, false},
	{"indicators", "考核指标", "GET /indicators", true, false},
	{"cityscore", "全市考核", "GET /scorecard/city", false, false},
	{"drafts", "总结与自评", "GET /drafts", true, false},
	{"plan", "工作要点", "GET /plan", true, false},
	{"tasks", "任务清单", "GET /tasks", true, false},
	{"projects", "项目计划表", "GET /projects", true, false},
	{"funds", "资金", "GET /funds", true, false},
	{"cityfunds", "全市资金", "GET /funds/city", false, false},
	{"teams", "工作专班", "GET /teams", true, false},
	{"units", "单位", "GET /units", true, false},
	{"regions", "协作地区", "GET /regions", true, false},
	{"assets", "帮扶资产", "GET /assets", true, false},
	{"registers", "工作台账", "GET /registers", true, false},
	{"labour", "劳务协作", "GET /labour", true, false},
	{"search", "搜索", "GET /search", true, false},
	{"notices", "督办", "GET /notices", true, false},
	{"periods", "封存", "GET /periods", true, false},
	{"publication", "公告公示", "GET /publication", true, false},
	{"import", "导入计划", "GET /import", true, false},
	{"layouts", "上级报表", "GET /layouts", true, false},
	{"users", "用户管理", "GET /admin/users", false, false},
	{"requests", "账号申请", "GET /admin/requests", false, false},
	{"smtp", "提醒邮件服务器", "GET /reminders/smtp", false, false},
	{"security", "安全策略", "GET /admin/security", false, false},
	{"tokens", "API 令牌管理", "GET /admin/tokens", false, false},
	{"audit", "审计日志", "GET /admin/audit", false, false},
}

// Menu lists the entries the user may use.
func (b base) Menu() []menuItem { return b.menu }

// menuFor is the menu u sees: the entries whose route it may use.
func (s *Server) menuFor(u *xiezuo.User, year int, district string) []menuItem {
	if u == nil {
		return nil
	}
	q := "?" + url.Values{"year": {strconv.Itoa(year)}, "district": {district}}.Encode()
	var items []menuItem
	reads := u.ReadsPlans()
	for _, e := range menu {
		if !s.canUse(u, e.route) || (e.plan && !reads && !e.landing) {
			continue
		}
		if e.key == "labour" && !s.labourMenu(u, year, district) {
			continue
		}
		_, path, _ := strings.Cut(e.route, " ")
		path = strings.TrimSuffix(path, "{$}")
		if e.plan && reads {
			path += q
		}
		items = append(items, menuItem{e.key, e.label, path})
	}
	return items
}

// baseFor fills the layout's data for a request: the user, the CSRF token, the menu, and the plan
// chosen by ?year= and ?district= (default: the user's district and the year of today, see
// choosePlan).
func (s *Server) baseFor(r *http.Request, nav string) base {
	b := base{Nav: nav, Path: r.URL.Path}
	if sess := sessionFrom(r); sess != nil {
		b.User, b.CSRF = sess.user, sess.csrf
	}
	if b.User != nil && sessionComplete(r) {
		s.choosePlanFor(r, &b)
		b.Flash, b.FlashKind = s.flashFrom(r)
		b.Unread = s.unread(r, b.User)
		if q := r.URL.Query(); b.Flash == "" && b.Year != 0 && r.Method == http.MethodGet {
			// A plan asked for and not shown is said, never swapped silently.
			if d := q.Get("district"); d != "" && d != b.District {
				b.Flash, b.FlashKind = "没有可查看的"+d+"的计划，显示的是"+b.District+"的计划", "warn"
			} else if y := q.Get("year"); y != "" && y != strconv.Itoa(b.Year) {
				b.Flash, b.FlashKind = "没有"+y+"年的计划，显示的是"+strconv.Itoa(b.Year)+"年的计划", "warn"
				if s.canUse(b.User, "GET /import") {
					b.FlashHref, b.FlashLink = "/import", "导入计划"
				}
			}
		}
	}
	b.menu = s.menuFor(b.User, b.Year, b.District)
	b.PrintHead = printHeadFor(r.URL.Query(), s.today())
	return b
}

// choosePlanFor sets in b the districts and years b.User may read and the plan the request asks for.
func (s *Server) choosePlanFor(r *http.Request, b *base) {
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
	b.District, b.Year = choosePlan(plans, b.User.District, asked, r.URL.Query().Get("year"), s.today().Year())
	for _, p := range plans {
		if !slices.Contains(b.Districts, p.District) {
			b.Districts = append(b.Districts, p.District)
		}
		if p.District == b.District {
			b.Years = append(b.Years, p.Year)
		}
	}
}

// choosePlan picks the district and year to show: the district asked for (else home, else,
// when home has no plan, the first district that has one) and, of its years, the one asked
// for when it has a plan of it, else the default (defaultYear of thisYear, the year of today).
func choosePlan(plans []sqldb.PlanInfo, home, district, year string, thisYear int) (string, int) {
	if district == "" {
		district = home
	}
	y, _ := strconv.Atoi(year)
	years := func(d string) []int {
		var out []int
		for _, p := range plans {
			if p.District == d {
				out = append(out, p.Year)
			}
		}
		return out
	}
	have := years(district)
	if len(have) == 0 && len(plans) > 0 && district == home {
		// The user's own district has no plan yet: show the first that exists.
		district = plans[0].District
		have = years(district)
	}
	if slices.Contains(have, y) {
		return district, y
	}
	if y != 0 && len(have) == 0 {
		return district, y
	}
	return district, defaultYear(have, thisYear)
}

// defaultYear is the plan year shown when none is asked for: the year of today (thisYear) when
// there is its plan, else the latest year before it, else the earliest year (all are later); 0
// when there is none. A plan imported ahead for next year is not shown before its year begins.
func defaultYear(years []int, thisYear int) int {
	best := 0
	for _, y := range years {
		if y <= thisYear && y > best {
			best = y
		}
	}
	if best != 0 || len(years) == 0 {
		return best
	}
	return slices.Min(years)
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
