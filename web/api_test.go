package web

import (
	"net/http"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for in, want := range map[string]bool{"gzip": true, "gzip, deflate, br": true, "br, GZIP": true, "gzip;q=0": false, "gzip; q=0, identity": false, "gzip;q=0.5": true, "": false, "identity": false} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", in)
		if got := acceptsGzip(r); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", in, got, want)
		}
	}
}
