package xiezuo

import "testing"

func TestProblemPlace(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Line: 3}, ""},
		{Problem{Line: 3, Sheet: "项目表"}, ""},
		{Problem{Line: 3, Page: 2}, "第2页"},
		{Problem{Line: 3, Where: "附件2 表格第5行"}, "附件2 表格第5行"},
		{Problem{Line: 3, Where: "附件2 表格第5行", Page: 4}, "附件2 表格第5行，第4页"},
		{Problem{Line: 3, Where: "第4页第2段", Page: 4}, "第4页第2段"},
		{Problem{Line: 3, Where: "第14页表格第2行", Page: 4}, "第14页表格第2行，第4页"},
	}
	for _, tt := range tests {
		if got := tt.p.Place(); got != tt.want {
			t.Errorf("%+v.Place() = %q, want %q", tt.p, got, tt.want)
		}
	}
}
