package web

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"xiezuo"
)

// printHead is what a printed page says above its content (layout.html, shown only in print by
// static/print.css): beside the page's title and plan, the filter in words, the day the figures
// are as of, and the day it was printed. Everything is from the request and the server's today
// (--today), never from the page's content, so it is the same for every page.
type printHead struct {
	Filter  string // 协作地区：神农架林区，状态：逾期未报; "" for none
	AsOf    string // YYYY-MM-DD: ?as_of= when it is a date, else today
	Printed string // YYYY-MM-DD: today
}

// printFilterKeys are the query keys pages filter by, in the order the print head names them,
// with the words a clerk reads; a key not listed (year, district, as_of, view, format, paging) is
// not a filter, or is said elsewhere.
var printFilterKeys = []struct {
	key, label string
	values     map[string]string // codes shown in words; a value not listed is shown as given
}{
	{"region", "协作地区", nil},
	{"category", "类别", nil},
	{"lead", "牵头单位", nil},
	{"lead_unit", "牵头单位", nil},
	{"nature", "建设性质", nil},
	{"team", "工作专班", nil},
	{"unit", "单位", nil},
	{"dimension", "考核维度", nil},
	{"kind", "种类", nil},
	{"state", "状态", map[string]string{"issued": "待签收", "signed": "办理中", "answered": "已反馈", "returned": "退回补充", "done": "已办结", "closed": "已销号",
		"submitted": "待审核", "accepted": "已通过", "pending": "待发送", "sent": "已发送", "failed": "发送失败"}},
	{"light", "灯色", map[string]string{"green": "绿灯（正常）", "yellow": "黄灯（临期）", "red": "红灯（逾期）", "open": "无期限", "done": "已销号"}},
	{"escalated", "升级", map[string]string{"team": "已逾期升级", "leaders": "领导关注"}},
	{"month", "月份", nil},
	{"period", "期间", map[string]string{"h1": "上半年", "year": "全年"}},
	{"from", "起", nil},
	{"to", "止", nil},
	{"q", "关键词", nil},
}

// maxPrintValue bounds one value the print head repeats from the address.
const maxPrintValue = 40

// printFilter names the filters of q in words, e.g. 协作地区：神农架林区，状态：已反馈. Values that
// are not text a person typed or chose (control characters, invalid UTF-8) are left out, long
// ones cut.
func printFilter(q url.Values) string {
	var parts []string
	seen := map[string]bool{}
	for _, k := range printFilterKeys {
		v := strings.TrimSpace(q.Get(k.key))
		if v == "" || seen[k.label] || !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
			continue
		}
		seen[k.label] = true
		if w, ok := k.values[v]; ok {
			v = w
		}
		if r := []rune(v); len(r) > maxPrintValue {
			v = string(r[:maxPrintValue]) + "…"
		}
		parts = append(parts, k.label+"："+v)
	}
	return strings.Join(parts, "，")
}

// printHeadFor is the print head of a request on day today.
func printHeadFor(q url.Values, today time.Time) printHead {
	h := printHead{Filter: printFilter(q), Printed: today.Format("2006-01-02")}
	h.AsOf = h.Printed
	if d, err := xiezuo.ParseDate(q.Get("as_of")); err == nil && !d.IsZero() {
		h.AsOf = d.String()
	}
	return h
}
