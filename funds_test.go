package xiezuo

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckFundTx(t *testing.T) {
	const wan = FenPerWan
	today := day("2021-09-15")
	tx := func(id int64, k FundKind, s FundSource, amount int64, on string, reverses int64) FundTx {
		return FundTx{ID: id, ProjectID: 7, Kind: k, Source: s, Amount: amount, On: day(on), Reverses: reverses}
	}
	ledger := []FundTx{
		tx(1, FundAllocation, SourceDistrict, 100*wan, "2021-06-01", 0),
		tx(2, FundDisbursement, SourceDistrict, 60*wan, "2021-07-01", 0),
		tx(3, FundExpenditure, SourceDistrict, 50*wan, "2021-08-01", 0),
		tx(4, FundAllocation, SourceSocial, 10*wan, "2021-06-01", 0),
		tx(5, FundAllocation, SourceSocial, 5*wan, "2021-06-02", 0),
		tx(6, FundAllocation, SourceSocial, -5*wan, "2021-06-03", 5), // reverses 5
	}
	tests := []struct {
		name    string
		t       FundTx
		code    string // "" for accepted
		wantMsg string
	}{
		{"allocation", tx(0, FundAllocation, SourceDistrict, 1, "2021-09-15", 0), "", ""},
		{"disbursement within allocation", tx(0, FundDisbursement, SourceDistrict, 40*wan, "2021-09-01", 0), "", ""},
		{"disbursement past allocation", tx(0, FundDisbursement, SourceDistrict, 40*wan+1, "2021-09-01", 0), EINVALID, "累计拨付 100.000001 万元将超过累计下达 100 万元"},
		{"disbursement of another source", tx(0, FundDisbursement, SourceIntegrated, 1, "2021-09-01", 0), EINVALID, "整合资金拨付 0.01 元后，截至 2021-09-01 累计拨付"},
		{"expenditure within disbursement", tx(0, FundExpenditure, SourceDistrict, 10*wan, "2021-08-15", 0), "", ""},
		{"expenditure past disbursement", tx(0, FundExpenditure, SourceDistrict, 10*wan+1, "2021-08-15", 0), EINVALID, "累计支出 60.000001 万元将超过累计拨付 60 万元"},
		// Backdated: on 2021-06-15 nothing was disbursed yet, so spending then is refused even
		// though by today enough was.
		{"backdated expenditure before its disbursement", tx(0, FundExpenditure, SourceDistrict, 1*wan, "2021-06-15", 0), EINVALID, "截至 2021-06-15 累计支出 1 万元将超过累计拨付 0 万元"},
		// A backdated allocation reversal would leave the later disbursement uncovered.
		{"reversal breaking a later state", tx(0, FundAllocation, SourceDistrict, -100*wan, "2021-06-10", 1), EINVALID, "截至 2021-07-01 累计拨付 60 万元将超过累计下达 0 万元"},
		{"reversal of disbursement breaking spending", tx(0, FundDisbursement, SourceDistrict, -60*wan, "2021-09-01", 2), EINVALID, "累计支出 50 万元将超过累计拨付 0 万元"},
		{"exact reversal", tx(0, FundExpenditure, SourceDistrict, -50*wan, "2021-09-01", 3), "", ""},
		{"reversal on the same day", tx(0, FundExpenditure, SourceDistrict, -50*wan, "2021-08-01", 3), "", ""},
		{"reversal before its entry", tx(0, FundExpenditure, SourceDistrict, -50*wan, "2021-07-31", 3), EINVALID, "早于被冲销记录 3 的日期 2021-08-01"},
		{"reversal with the wrong amount", tx(0, FundExpenditure, SourceDistrict, -40*wan, "2021-09-01", 3), EINVALID, "应与记录 3 完全相反"},
		{"reversal with a positive amount", tx(0, FundExpenditure, SourceDistrict, 50*wan, "2021-09-01", 3), EINVALID, "应与记录 3 完全相反"},
		{"reversal of another kind", tx(0, FundDisbursement, SourceDistrict, -50*wan, "2021-09-01", 3), EINVALID, "应与记录 3 完全相反"},
		{"reversal of another source", tx(0, FundExpenditure, SourceSocial, -50*wan, "2021-09-01", 3), EINVALID, "应与记录 3 完全相反"},
		{"reversal of an unknown entry", tx(0, FundExpenditure, SourceDistrict, -50*wan, "2021-09-01", 99), EINVALID, "没有编号为 99 的资金记录"},
		{"entry reversed twice", tx(0, FundAllocation, SourceSocial, -5*wan, "2021-09-01", 5), ECONFLICT, "记录 5 已于 2021-06-03 被记录 6 冲销"},
		{"reversal of a reversal", tx(0, FundAllocation, SourceSocial, 5*wan, "2021-09-01", 6), EINVALID, "本身是对记录 5 的冲销"},
		{"future date", tx(0, FundAllocation, SourceDistrict, wan, "2021-09-16", 0), EINVALID, "日期 2021-09-16 晚于今天（2021-09-15）"},
		{"no date", FundTx{ProjectID: 7, Kind: FundAllocation, Source: SourceDistrict, Amount: wan}, EINVALID, "请填写日期"},
		{"zero amount", tx(0, FundAllocation, SourceDistrict, 0, "2021-09-01", 0), EINVALID, "金额不能为 0"},
		{"negative amount", tx(0, FundAllocation, SourceDistrict, -1*FenPerYuan, "2021-09-01", 0), EINVALID, "金额 -1 元为负数"},
		{"too large", tx(0, FundAllocation, SourceDistrict, MaxFundYuan*FenPerYuan+1, "2021-09-01", 0), EINVALID, "超过上限"},
		{"unknown kind", tx(0, "refund", SourceDistrict, wan, "2021-09-01", 0), EINVALID, "资金类别“refund”无效"},
		{"unknown source", tx(0, FundAllocation, "bank", wan, "2021-09-01", 0), EINVALID, "资金来源“bank”无效"},
	}
	for _, tt := range tests {
		err := CheckFundTx(ledger, tt.t, today)
		if tt.code == "" {
			if err != nil {
				t.Errorf("%s: CheckFundTx = %v, want nil", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.wantMsg) {
			t.Errorf("%s: CheckFundTx = %v (%s), want %s containing %q", tt.name, err, ErrorCode(err), tt.code, tt.wantMsg)
		}
	}
	// Another project's entry cannot be reversed.
	other := append([]FundTx{{ID: 50, ProjectID: 8, Kind: FundAllocation, Source: SourceDistrict, Amount: wan, On: day("2021-06-01")}}, ledger...)
	if err := CheckFundTx(other, tx(0, FundAllocation, SourceDistrict, -wan, "2021-09-01", 50), today); ErrorCode(err) != EINVALID {
		t.Errorf("CheckFundTx(reversal of another project's entry) = %v, want EINVALID", err)
	}
}

// TestCheckFundTxReversalMessage: a refused reversal says which entry it reverses (冲销第N号记录),
// never describes itself as a new positive entry; a refused entry keeps its own words.
func TestCheckFundTxReversalMessage(t *testing.T) {
	const wan = FenPerWan
	today := day("2021-09-15")
	ledger := []FundTx{
		{ID: 1, ProjectID: 7, Kind: FundAllocation, Source: SourceDistrict, Amount: 48 * wan, On: day("2021-06-01")},
		{ID: 2, ProjectID: 7, Kind: FundDisbursement, Source: SourceDistrict, Amount: 30 * wan, On: day("2021-07-01")},
		{ID: 3, ProjectID: 7, Kind: FundExpenditure, Source: SourceDistrict, Amount: 20 * wan, On: day("2021-08-01")},
	}
	tests := []struct {
		name string
		t    FundTx
		want string
	}{
		{"reversal of the allocation", FundTx{ProjectID: 7, Kind: FundAllocation, Source: SourceDistrict, Amount: -48 * wan, On: day("2021-09-01"), Reverses: 1},
			"冲销第 1 号记录（区级帮扶资金下达 480000 元）后，截至 2021-09-01 累计拨付 30 万元将超过累计下达 0 万元：请先冲销相应的拨付，或核对冲销日期"},
		{"reversal of the disbursement", FundTx{ProjectID: 7, Kind: FundDisbursement, Source: SourceDistrict, Amount: -30 * wan, On: day("2021-09-01"), Reverses: 2},
			"冲销第 2 号记录（区级帮扶资金拨付 300000 元）后，截至 2021-09-01 累计支出 20 万元将超过累计拨付 0 万元：请先冲销相应的支出，或核对冲销日期"},
		{"a disbursement", FundTx{ProjectID: 7, Kind: FundDisbursement, Source: SourceDistrict, Amount: 20 * wan, On: day("2021-09-01")},
			"区级帮扶资金拨付 200000 元后，截至 2021-09-01 累计拨付 50 万元将超过累计下达 48 万元：请先由领导小组办公室登记下达，或核对金额和日期"},
		{"an expenditure", FundTx{ProjectID: 7, Kind: FundExpenditure, Source: SourceDistrict, Amount: 11 * wan, On: day("2021-09-01")},
			"区级帮扶资金支出 110000 元后，截至 2021-09-01 累计支出 31 万元将超过累计拨付 30 万元：请先登记拨付，或核对金额和日期"},
	}
	for _, tt := range tests {
		err := CheckFundTx(ledger, tt.t, today)
		if got := ErrorMessage(err); got != tt.want || ErrorCode(err) != EINVALID {
			t.Errorf("%s: CheckFundTx = %q (%s), want EINVALID %q", tt.name, got, ErrorCode(err), tt.want)
		}
	}
}

func TestFundsAt(t *testing.T) {
	txs := []FundTx{
		{ID: 1, Kind: FundAllocation, Source: SourceDistrict, Amount: 300, On: day("2021-06-01")},
		{ID: 2, Kind: FundDisbursement, Source: SourceDistrict, Amount: 100, On: day("2021-07-01")},
		{ID: 3, Kind: FundAllocation, Source: SourceSelf, Amount: 50, On: day("2021-07-01")},
		{ID: 4, Kind: FundExpenditure, Source: SourceDistrict, Amount: 40, On: day("2021-08-01")},
		{ID: 5, Kind: FundExpenditure, Source: SourceDistrict, Amount: -40, On: day("2021-08-20"), Reverses: 4},
	}
	tests := []struct {
		on   string
		want FundTotals
	}{
		{"2021-05-31", FundTotals{}},
		{"2021-06-01", FundTotals{FundFigures: FundFigures{300, 0, 0}, Sources: [4]FundFigures{{300, 0, 0}}}},
		{"2021-07-01", FundTotals{FundFigures: FundFigures{350, 100, 0}, Sources: [4]FundFigures{{300, 100, 0}, {}, {}, {50, 0, 0}}}},
		{"2021-08-19", FundTotals{FundFigures: FundFigures{350, 100, 40}, Sources: [4]FundFigures{{300, 100, 40}, {}, {}, {50, 0, 0}}}},
		{"2021-08-20", FundTotals{FundFigures: FundFigures{350, 100, 0}, Sources: [4]FundFigures{{300, 100, 0}, {}, {}, {50, 0, 0}}}},
		{"", FundTotals{FundFigures: FundFigures{350, 100, 0}, Sources: [4]FundFigures{{300, 100, 0}, {}, {}, {50, 0, 0}}}},
	}
	for _, tt := range tests {
		var d Date
		if tt.on != "" {
			d = day(tt.on)
		}
		if diff := cmp.Diff(tt.want, FundsAt(txs, d)); diff != "" {
			t.Errorf("FundsAt(%s) (-want +got):\n%s", tt.on, diff)
		}
	}
	if got := FundsAt(txs, day("2021-07-01")).Source(SourceSelf); got != (FundFigures{50, 0, 0}) {
		t.Errorf("Source(self) = %+v, want {50 0 0}", got)
	}
}

func TestRatio(t *testing.T) {
	tests := []struct {
		r                       Ratio
		bp                      Num
		percent, fraction, json string
	}{
		{Ratio{0, 0}, Num{}, "", "", "null"},
		{Ratio{5, 0}, Num{}, "", "", "null"},
		{Ratio{0, 7}, Known(0), "0%", "0", "0"},
		{Ratio{1, 3}, Known(3333), "33.33%", "0.3333", "0.3333"},
		{Ratio{2, 3}, Known(6667), "66.67%", "0.6667", "0.6667"},
		{Ratio{1, 20000}, Known(1), "0.01%", "0.0001", "0.0001"},
		{Ratio{600000, 1000000}, Known(6000), "60%", "0.6", "0.6"},
		{Ratio{7, 7}, Known(10000), "100%", "1", "1"},
	}
	for _, tt := range tests {
		b, _ := tt.r.MarshalJSON()
		if got := tt.r.BasisPoints(); got != tt.bp || tt.r.Percent() != tt.percent || tt.r.Fraction() != tt.fraction || string(b) != tt.json {
			t.Errorf("Ratio%v = %v, %q, %q, %s, want %v, %q, %q, %s", tt.r, got, tt.r.Percent(), tt.r.Fraction(), b, tt.bp, tt.percent, tt.fraction, tt.json)
		}
	}
	f := FundFigures{Allocated: 0, Disbursed: 0, Spent: 0}
	if f.DisbursementRate().Valid() || f.SpendingRate().Valid() {
		t.Errorf("rates of nothing = %v, %v, want unknown", f.DisbursementRate(), f.SpendingRate())
	}
}

func TestRollupFunds(t *testing.T) {
	mk := func(id int64, region, cat string, n int, fund int64) Project {
		return Project{ID: id, Region: region, Category: cat, CategoryNumber: n, DistrictFund: Known(fund), Nature: "新建"}
	}
	p2021 := &Plan{Year: 2021, Projects: []Project{mk(1, "甲县", "产业", 1, 100), mk(2, "甲县", "就业", 2, 50), mk(3, "乙县", "产业", 1, 70)}}
	p2022 := &Plan{Year: 2022, Projects: []Project{mk(4, "乙县", "产业", 1, 80), mk(5, "丙县", "产业", 1, 10)}}
	on := func(s string) Date { return day(s) }
	txs := map[int64][]FundTx{
		1: {{ID: 1, Kind: FundAllocation, Source: SourceDistrict, Amount: 100, On: on("2021-06-01")}, {ID: 2, Kind: FundDisbursement, Source: SourceDistrict, Amount: 80, On: on("2021-07-01")}},
		3: {{ID: 3, Kind: FundAllocation, Source: SourceSocial, Amount: 70, On: on("2021-06-01")}, {ID: 4, Kind: FundDisbursement, Source: SourceSocial, Amount: 70, On: on("2021-08-01")}, {ID: 5, Kind: FundExpenditure, Source: SourceSocial, Amount: 35, On: on("2021-09-01")}},
		4: {{ID: 6, Kind: FundAllocation, Source: SourceDistrict, Amount: 80, On: on("2022-06-01")}},
	}
	ft := RollupFunds(p2021, ProjectFilter{}, txs, on("2021-07-31"))
	if got, want := ft.Total.FundFigures, (FundFigures{170, 80, 0}); got != want {
		t.Errorf("RollupFunds(2021, 07-31).Total = %+v, want %+v", got, want)
	}
	if ft.Years != nil || len(ft.Regions) != 2 || len(ft.Rows) != 3 || ft.Total.Projects != 3 || ft.Total.Planned.V != 220 {
		t.Errorf("RollupFunds(2021) = %d years, %d regions, %d rows, %d projects, planned %d; want 0, 2, 3, 3, 220", len(ft.Years), len(ft.Regions), len(ft.Rows), ft.Total.Projects, ft.Total.Planned.V)
	}
	jia := ft.Regions[0]
	if jia.Region != "甲县" || len(jia.Categories) != 2 || jia.FundFigures != (FundFigures{100, 80, 0}) || jia.DisbursementRate().Percent() != "80%" || jia.SpendingRate().Percent() != "0%" {
		t.Errorf("甲县 = %+v, rates %s %s", jia, jia.DisbursementRate().Percent(), jia.SpendingRate().Percent())
	}
	if c := jia.Categories[1]; c.Label() != "2. 就业（1个）" || c.DisbursementRate().Valid() {
		t.Errorf("甲县 就业 = %s, rate %v; want 2. 就业（1个） and no rate", c.Label(), c.DisbursementRate())
	}
	// Later, with a filter, over two years.
	ft = RollupFundsYears([]*Plan{p2021, p2022}, ProjectFilter{Region: "乙县"}, txs, Date{})
	if len(ft.Years) != 2 || ft.Years[0].FundFigures != (FundFigures{70, 70, 35}) || ft.Years[1].FundFigures != (FundFigures{80, 0, 0}) {
		t.Errorf("RollupFundsYears(乙县).Years = %+v", ft.Years)
	}
	if len(ft.Regions) != 1 || len(ft.Regions[0].Categories) != 1 || ft.Regions[0].Categories[0].Projects != 2 || ft.Total.FundFigures != (FundFigures{150, 70, 35}) {
		t.Errorf("RollupFundsYears(乙县) = %+v", ft.Regions)
	}
	if got := ft.Total.Source(SourceSocial); got != (FundFigures{70, 70, 35}) {
		t.Errorf("RollupFundsYears(乙县).Total.Source(social) = %+v", got)
	}
	if ft.Years[1].Label() != "2022年（1个）" || ft.Total.Label() != "合计（2个）" {
		t.Errorf("labels = %s, %s", ft.Years[1].Label(), ft.Total.Label())
	}
}

func TestFundTexts(t *testing.T) {
	var got []string
	for _, k := range FundKinds {
		got = append(got, k.Text())
	}
	for _, s := range FundSources {
		got = append(got, s.Text())
	}
	want := []string{"下达", "拨付", "支出", "区级帮扶资金", "社会帮扶资金", "整合资金", "自筹"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}

func TestFundTxsBy(t *testing.T) {
	txs := []FundTx{{ID: 1, On: Date{2021, 7, 1}}, {ID: 2, On: Date{2021, 8, 10}}, {ID: 3, On: Date{2021, 7, 15}}}
	for _, tt := range []struct {
		d    Date
		want []int64
	}{
		{Date{}, []int64{1, 2, 3}},
		{Date{2021, 6, 30}, nil},
		{Date{2021, 7, 15}, []int64{1, 3}},
		{Date{2021, 8, 10}, []int64{1, 2, 3}},
	} {
		var got []int64
		for _, tx := range FundTxsBy(txs, tt.d) {
			got = append(got, tx.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("FundTxsBy(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}
