package xiezuo

import "time"

// What a project reaches and leaves, as dated facts beside the plan's planned figures: the
// villages it reaches (by their 12-digit codes in the register of package division, so that
// villages across projects are counted distinct), its results (villages reached, people
// reached, poor people employed, jobs created: planned against actual), the assets it leaves
// and whether the office publishes it (公告公示).

// ProjectVillage is a fact about one village a project reaches: added, or removed again.
type ProjectVillage struct {
	ID        int64
	ProjectID int64
	Code      string // 12-digit code of the register; "" for a name the register lacks (a warning, not an error)
	Name      string // as the register writes it, or as the user wrote it when not in the register
	Removed   bool   // a later fact removing the village from the project
	By        string
	At        time.Time
}

// ResultKind names a result figure of a project.
type ResultKind string

// Result figures (planned figures come from the plan's project row).
const (
	ResultVillages     ResultKind = "villages"      // 受益村（个）
	ResultPeople       ResultKind = "people"        // 受益人口（人）
	ResultPoorEmployed ResultKind = "poor_employed" // 带动脱贫人口就业（人）
	ResultJobs         ResultKind = "jobs"          // 新增就业岗位（个）
)

// ProjectResult is a result figure as known on a date; the latest on or before a date applies.
type ProjectResult struct {
	ID        int64
	ProjectID int64
	Kind      ResultKind
	Value     int64
	On        Date
	By        string
	At        time.Time
}

// Asset is what a project leaves behind (帮扶资产). A correction is a new row that supersedes
// the one it corrects (Supersedes); nothing is updated.
type Asset struct {
	ID         int64
	ProjectID  int64
	Kind       string // 经营性资产, 公益性资产, 到户类资产
	Name       string
	Value      Num    // fen
	Quantity   Num    // in Unit
	Unit       string // 个, 座, 亩, 台…
	Owner      string // 村委会, 村集体经济组织…
	HandoverOn Date
	Upkeep     string // who keeps it up (管护责任)
	Supersedes int64  // the row this one corrects; 0 for none
	By         string
	At         time.Time
}

// Publication is the office publishing a project on the public notice pages, or withdrawing it.
type Publication struct {
	ID        int64
	ProjectID int64
	Published bool // false: withdrawn
	By        string
	At        time.Time
}
