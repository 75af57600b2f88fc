package web

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPrintHead(t *testing.T) {
	today := time.Date(2021, 9, 15, 10, 0, 0, 0, shanghai)
	long := strings.Repeat("长", 50)
	tests := []struct {
		query        string
		filter, asOf string
	}{
		{"", "", "2021-09-15"},
		{"year=2021&district=门头沟区&view=print&format=&page=2", "", "2021-09-15"},
		{"region=神农架林区&nature=新建", "协作地区：神农架林区，建设性质：新建", "2021-09-15"},
		{"state=answered&escalated=leaders&unit=区财政局", "单位：区财政局，状态：已反馈，升级：领导关注", "2021-09-15"},
		{"state=whatever", "状态：whatever", "2021-09-15"},
		{"lead=区商务局&lead_unit=区商务局", "牵头单位：区商务局", "2021-09-15"},
		{"as_of=2021-08-31&light=red", "灯色：红灯（逾期）", "2021-08-31"},
		{"as_of=2021-13-01", "", "2021-09-15"},
		{"region=%01x", "", "2021-09-15"},
		{"q=" + long, "关键词：" + strings.Repeat("长", maxPrintValue) + "…", "2021-09-15"},
		{"by=team&sheets=all", "", "2021-09-15"},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		h := printHeadFor(q, today)
		if h.Filter != tt.filter || h.AsOf != tt.asOf || h.Printed != "2021-09-15" {
			t.Errorf("printHeadFor(%q) = %+v, want filter %q as of %s", tt.query, h, tt.filter, tt.asOf)
		}
	}
}
