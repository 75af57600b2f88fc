package xiezuo

import (
	"strings"
	"testing"
)

func TestLabourRefusalWords(t *testing.T) {
	city := &User{Username: "city", Roles: []string{RoleCityOffice}}
	finance := &User{Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}}
	for _, tc := range []struct {
		name    string
		u       *User
		a       LabourAction
		want    []string
		wantNot []string
	}{
		{"city reads", city, LabourRead, nil, nil},
		{"city write", city, LabourWrite, []string{"可以查看各区的劳务协作清单", "不能修改"}, []string{"只能查看各区的计划"}},
		{"city reveal", city, LabourReveal, []string{"可以查看各区的劳务协作清单", "完整的身份证号"}, []string{"只能查看各区的计划"}},
		{"unit outside the team", finance, LabourRead, []string{"区领导", "市级办公室", "前方挂职干部"}, nil},
	} {
		got := LabourRefusal(tc.u, "门头沟区", nil, tc.a)
		if tc.want == nil && tc.wantNot == nil {
			if got != "" {
				t.Errorf("%s: refused %q", tc.name, got)
			}
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(got, w) {
				t.Errorf("%s: %q says %q", tc.name, got, w)
			}
		}
	}
}

func TestPoorLabel(t *testing.T) {
	for in, want := range map[string]string{"": "一般农户", PoorLifted: PoorLifted, PoorWatched: PoorWatched} {
		if got := PoorLabel(in); got != want {
			t.Errorf("PoorLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
