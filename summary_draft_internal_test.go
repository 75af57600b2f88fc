package xiezuo

import "testing"

// TestFreshSentences: a report's 「6月进展：」 is dropped, and a sentence quoted before (the same
// canned sentence under many units) is not quoted again.
func TestFreshSentences(t *testing.T) {
	said := map[string]bool{}
	steps := []struct{ in, want string }{
		{"6月进展：本月推进较慢，主要受雨季影响。已制定赶工计划。", "推进较慢，主要受雨季影响。已制定赶工计划。"},
		{"7月进展：本月推进较慢，主要受雨季影响。", ""},
		{"本月推进较慢，主要受雨季影响。新签协议2份。", "新签协议2份。"},
		// The unit's answer to a review is not the summary's business.
		{"已核实更正：形象进度按实际完成工作量计算，附相关凭证。组织实地调研一次。", "组织实地调研一次。"},
		{"已按要求补充：本月召开推进会一次。", "召开推进会一次。"},
	}
	for _, s := range steps {
		if got := freshSentences(s.in, said, true); got != s.want {
			t.Errorf("freshSentences(%q) = %q, want %q", s.in, got, s.want)
		}
	}
}
