package xiezuo

import "testing"

// TestSectionHeading checks that sections are numbered as documents number them.
func TestSectionHeading(t *testing.T) {
	tests := []struct {
		s    Section
		want string
	}{
		{Section{Number: 1, Title: "持续提高政治站位"}, "一、持续提高政治站位"},
		{Section{Number: 10, Title: "甲"}, "十、甲"},
		{Section{Number: 12, Title: "甲"}, "十二、甲"},
		{Section{Number: 20, Title: "甲"}, "二十、甲"},
		{Section{Number: 21, Title: "甲"}, "二十一、甲"},
		{Section{Number: 100, Title: "甲"}, "100、甲"},
		{Section{Title: "甲"}, "甲"},
	}
	for _, tt := range tests {
		if got := tt.s.Heading(); got != tt.want {
			t.Errorf("%+v.Heading() = %q, want %q", tt.s, got, tt.want)
		}
	}
}
