package xiezuo

import "time"

// The assessment (考核): indicators kept as data per plan year, each a requirement of the task
// list with its target and a formula over the registers, projects, money and reports, and the
// scorecard that measures every indicator as of a date. (Contract of issue 10; the formula
// language is in indicator_formula.go, the scoring in indicator.go.)

// The assessment dimensions, in the order of the national assessment.
var Dimensions = []string{"组织领导", "巩固拓展脱贫攻坚成果", "加强区域协作", "助推乡村振兴", "创新创优", "信息宣传"}

// Indicator is one measured requirement of a plan year. It is data: the office edits targets and
// adds indicators for a year on a page; the shipped set of 2021 covers every quantified
// requirement of the 2021 task list.
type Indicator struct {
	Code        string   `json:"code"`            // stable within the year, e.g. "zzld-01"
	Name        string   `json:"name"`            // 区委书记或区长上半年研究部署会议
	Dimension   string   `json:"dimension"`       // one of Dimensions
	Requirement string   `json:"requirement"`     // the requirement as the task list writes it
	WorkItem    string   `json:"work_item"`       // the task it measures: 工作事项 …
	Category    string   `json:"category"`        // … and 任务类别, e.g. 组织领导 / 研究部署
	Clause      int      `json:"clause"`          // the numbered clause of the task's content; 0 for the whole
	Formula     string   `json:"formula"`         // e.g. count(meetings where kind = "联席会议")
	Compare     string   `json:"compare"`         // ">=" (at least the target) or "<=" (at most)
	Target      *float64 `json:"target"`          // in Unit; nil: the office has not set one (grey)
	TargetPrior bool     `json:"target_prior"`    // the target is the formula's value in the year before (不低于上年); Target, if set, the year before's figure as the office typed it, used when that year is not stored
	Unit        string   `json:"unit"`            // 次, 个, 篇, 人, 人次, 万元, %
	From        string   `json:"from"`            // the period counted: first day (YYYY-MM-DD); "" the plan year's 1 January
	Due         string   `json:"due"`             // last day counted and the day by which the target is due (YYYY-MM-DD)
	Per         string   `json:"per"`             // "" the district as a whole; "team", "unit" or "region": the target holds for each
	Units       []string `json:"units"`           // responsible units (per "unit": the units measured)
	Missing     string   `json:"missing"`         // how a value nothing was reported for counts: "zero", "fail" or "pass"
	Evidence    string   `json:"evidence"`        // what it cites, in words (会议纪要、签到表…)
	Label       string   `json:"label,omitempty"` // what it counts, short, for "what is missing": 典型案例, 信息; "" the name
}

// ScoreBy is the grouping of a scorecard.
type ScoreBy string

const (
	ByDimension ScoreBy = "dimension"
	ByTeam      ScoreBy = "team"
	ByUnit      ScoreBy = "unit"
	ByRegion    ScoreBy = "region"
)

// ScoreLight is an indicator's light: green (met), yellow (not yet met, due later), red (due
// and not met), grey (nothing reported, or no target).
type ScoreLight string

const (
	ScoreGreen  ScoreLight = "green"
	ScoreYellow ScoreLight = "yellow"
	ScoreRed    ScoreLight = "red"
	ScoreGrey   ScoreLight = "grey"
)

// Measure is a number that may be unknown (nothing reported): JSON writes it as a number or null.
type Measure struct {
	V     float64
	Valid bool
}

// EvidenceRef is one fact an indicator's value counts, for the click-through.
type EvidenceRef struct {
	Kind  string `json:"kind"`  // a RegisterKind, "project", "fund", "report" or "placement"
	ID    int64  `json:"id"`    // the entry, project, transaction, report or placement id
	Title string `json:"title"` // what the list shows
	On    string `json:"on"`    // its date, YYYY-MM-DD
	// Project is the project a "fund" transaction belongs to (its page shows the money); 0 when
	// not known.
	Project int64 `json:"project,omitempty"`
	// Duty is the duty a "report" was written on (point-12, task-3, project-45: its page shows
	// the report); "" when not known.
	Duty string `json:"duty,omitempty"`
	// Person is the person a "placement" is of (the person's page /labour/people/{id} shows
	// it); 0 when not known.
	Person int64 `json:"person,omitempty"`
}

// IndicatorScore is an indicator measured as of a date, for the district or for one group.
type IndicatorScore struct {
	Indicator Indicator
	Group     string           // by team, unit or region: the group's name; "" for the district
	Value     Measure          // in the indicator's unit; not valid when nothing was reported
	Target    Measure          // TargetPrior resolved; not valid when there is none
	Light     ScoreLight       //
	Trend     Measure          // the value 30 days before the date asked
	Missing   []string         // what is still missing, in words: 区教委：典型案例 0 / 1 个
	Parts     []IndicatorScore // a Per indicator's value for each team, unit or region
	Evidence  []EvidenceRef    // the facts counted, at most ScoreEvidenceCap
	// EvidenceMore is how many more facts were counted than Evidence lists.
	EvidenceMore int
	// Note explains a row that is not lit on its own (a district-wide indicator's value in one
	// region of a scorecard by region).
	Note string
}

// ScoreGroup is a heading of a scorecard (a dimension, team, unit or region) with its rows.
type ScoreGroup struct {
	Name string
	Rows []IndicatorScore
}

// Scorecard is a plan year's indicators measured as of a date.
type Scorecard struct {
	District string
	Year     int
	AsOf     Date
	By       ScoreBy
	Groups   []ScoreGroup
}

// ScoreData is what a scorecard measures: the plan and the facts beside it as of a moment.
type ScoreData struct {
	Plan    *Plan
	Prior   *ScoreData      // the year before, when stored (TargetPrior), else nil
	Entries []RegisterEntry // the district's register entries as they stood at At (EntriesAt)
	Steps   map[int64][]ProjectStep
	Funds   map[int64][]FundTx
	Results map[int64][]ProjectResult
	At      time.Time
	// Placements are the district's placement rows (就业, issue 12) recorded up to At, every
	// row of each chain (corrections, ends and withdrawals included): the source "placements"
	// reads them as they stood at At (PlacementsAt), the trend as they stood on its day.
	Placements []Placement
	// Rows are the register rows recorded up to At (corrections and withdrawals included), when
	// the caller has them: the trend then reads the entries, steps, money and results as they
	// stood at the end of its own day (what that day's scorecard showed). Nil: the trend reads
	// Entries and the rest as of At, dated by the trend day only.
	Rows []RegisterEntry
}
