package divfile

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRoundTrip(t *testing.T) {
	b := NewBuilder()
	nodes := []Node{
		{0, 11, "北京市"}, {1, 1, "市辖区"}, {2, 1, "东城区"}, {3, 1, "东华门街道"}, {4, 1, "多福巷社区居委会"}, {4, 2, "银闸社区居委会"},
		{3, 2, "景山街道"},
		{0, 15, "内蒙古自治区"}, {1, 1, "呼和浩特市"}, {2, 25, "武川县"}, {3, 100, "可可以力更镇"}, {4, 3, "东官井社区居民委员会"}, {4, 201, "福如东村民委员会"},
		{0, 44, "广东省"},
	}
	for _, n := range nodes {
		if err := b.Add(n); err != nil {
			t.Fatalf("Add(%v) = %v", n, err)
		}
	}
	want := b.Table()
	var buf bytes.Buffer
	if err := Encode(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("Decode = %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode(Encode(t)) (-want +got):\n%s", diff)
	}
	if got.Name(4, 3) != "福如东村民委员会" || got.Name(0, 0) != "北京市" || got.Name(3, 1) != "景山街道" {
		t.Errorf("names: %q %q %q", got.Name(4, 3), got.Name(0, 0), got.Name(3, 1))
	}
	// Every shorter stream is refused.
	for n := 0; n < buf.Len(); n += 7 {
		if _, err := Decode(bytes.NewReader(buf.Bytes()[:n])); err == nil {
			t.Fatalf("Decode of %d of %d bytes succeeded", n, buf.Len())
		} else if n > 20 && !errors.Is(err, ErrFormat) {
			t.Fatalf("Decode of %d bytes: %v, want ErrFormat", n, err)
		}
	}
}

func TestBuilderRefuses(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
	}{
		{"orphan", []Node{{0, 11, "北京市"}, {2, 1, "东城区"}}},
		{"suffix too large", []Node{{0, 100, "X"}}},
		{"siblings out of order", []Node{{0, 11, "北京市"}, {1, 2, "A"}, {1, 1, "B"}}},
		{"same suffix", []Node{{0, 11, "北京市"}, {0, 11, "北京市"}}},
		{"empty name", []Node{{0, 11, ""}}},
	}
	for _, tt := range tests {
		b := NewBuilder()
		var err error
		for _, n := range tt.nodes {
			if err = b.Add(n); err != nil {
				break
			}
		}
		if err == nil {
			t.Errorf("%s: Add accepted every node", tt.name)
		}
	}
}
