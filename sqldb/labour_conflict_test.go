package sqldb

import "testing"

func TestConflictMessage(t *testing.T) {
	tests := []struct {
		stored, name, want string
	}{
		{"张三丰", "李四光", "第7行“姓名”：该身份证号已登记的姓名为“张**”，与本行“李**”不一致，请核对身份证号和姓名"},
		{"张三", "张三丰", "第7行“姓名”：该身份证号已登记的姓名为“张*”，与本行“张**”不一致，请核对身份证号和姓名"},
		{"张三丰", "张山峰", "第7行“姓名”：该身份证号已登记在另一个姓名下（“张**”：首字和字数与本行相同，其余的字不同），请核对身份证号和姓名"},
		// One character, or not text: the masks hide everything, so say no more than that they differ.
		{"张", "李", "第7行“姓名”：该身份证号已登记在另一个姓名下，与本行的姓名不一致，请核对身份证号和姓名"},
		{"\xff\xfe", "\xfe\xff", "第7行“姓名”：该身份证号已登记在另一个姓名下，与本行的姓名不一致，请核对身份证号和姓名"},
	}
	for _, tt := range tests {
		if got := conflictMessage(7, tt.stored, tt.name); got != tt.want {
			t.Errorf("conflictMessage(%q, %q) =\n%s\nwant\n%s", tt.stored, tt.name, got, tt.want)
		}
	}
}
