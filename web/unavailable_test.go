package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"xiezuo"
)

// TestUnavailableAnswer: a write refused for a full disk (EUNAVAILABLE) is answered 503 with
// its Chinese message, as JSON on the API: never a 500.
func TestUnavailableAnswer(t *testing.T) {
	err := xiezuo.Errorf(xiezuo.EUNAVAILABLE, "保存失败：服务器的磁盘空间已满")
	if got := statusOf(err); got != http.StatusServiceUnavailable {
		t.Errorf("statusOf(EUNAVAILABLE) = %d, want 503", got)
	}
	if got := codeOf(http.StatusServiceUnavailable); got != xiezuo.EUNAVAILABLE {
		t.Errorf("codeOf(503) = %q, want %q", got, xiezuo.EUNAVAILABLE)
	}
	s := &Server{}
	w := httptest.NewRecorder()
	s.fail(w, httptest.NewRequest("POST", "/api/v1/duties/point-1/reports", nil), err)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), `"unavailable"`) || !strings.Contains(w.Body.String(), "磁盘空间已满") {
		t.Errorf("fail(EUNAVAILABLE) on the API = %d %s, want 503 with the message", w.Code, w.Body)
	}
}
