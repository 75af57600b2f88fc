package xiezuo

import "time"

// Money of a project is dated transactions (资金台账), never totals typed in: an allocation
// (下达), a disbursement (拨付) or an expenditure (支出), by funding source, dated no later than
// today; a correction is a reversing entry that names the entry it reverses, never an edit.
// Every cumulative amount and rate (拨付率, 支出率) is computed from the transactions as of a
// date, per project, category, region and year, through the one rollup at the root.

// FundKind is what a transaction records.
type FundKind string

// Transaction kinds (the API's "kind").
const (
	FundAllocation   FundKind = "allocation"   // 下达
	FundDisbursement FundKind = "disbursement" // 拨付
	FundExpenditure  FundKind = "expenditure"  // 支出
)

// FundSource is where money comes from (the API's "source").
type FundSource string

// Funding sources.
const (
	SourceDistrict   FundSource = "district"   // 区级帮扶资金
	SourceSocial     FundSource = "social"     // 社会帮扶资金
	SourceIntegrated FundSource = "integrated" // 整合资金
	SourceSelf       FundSource = "self"       // 自筹
)

// FundTx is one transaction of a project's money.
type FundTx struct {
	ID        int64
	ProjectID int64
	Kind      FundKind
	Source    FundSource
	Amount    int64 // fen; negative only in a reversal, which is the exact opposite of the entry it reverses
	On        Date  // the day of the transaction (never after today)
	Reverses  int64 // the id of the entry this one reverses; 0 for none
	Note      string
	By        string
	At        time.Time
}
