package xiezuo

import (
	"time"
)

// Labour cooperation (劳务协作, work point 7 of the 2021 plan): the three lists (三张清单) of a
// district — employers' job demand (用工需求), people of the partner regions working in Beijing
// (在京务工人员) and people there willing to work away (有意愿外出务工人员) — the matching of
// people to jobs (人岗匹配) and the placements (就业) the indicators count.
//
// A person is one person across districts and lists, known by the blind index of the ID
// number (storage never holds the number in plain text); what a district's list says of the
// person (phone, home, skills, wishes, where they work) is that district's entry. Placements
// and the confirmations of a match are dated facts, never overwritten.
//
// The rules are here, as pure functions: the lists' columns and how offices word their headers
// (labour_columns.go), the check of a row (labour_check.go), who may read, write and reveal
// (labour_rules.go), matching (labour_match.go) and how placements count (labour_placement.go).

// LabourList names one of the three lists.
type LabourList string

// The three lists; the values are stable (URLs, the command line, storage).
const (
	ListJobs    LabourList = "jobs"    // 在京单位用工需求清单
	ListWorkers LabourList = "workers" // 在京务工人员清单
	ListWilling LabourList = "willing" // 协作地区有意愿外出务工人员清单
)

// LabourLists are the lists in the order pages show them.
var LabourLists = []LabourList{ListJobs, ListWorkers, ListWilling}

// ParseLabourList reads a list's key.
func ParseLabourList(s string) (LabourList, bool) {
	for _, l := range LabourLists {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// Title is the list's name as the plan writes it.
func (l LabourList) Title() string {
	switch l {
	case ListJobs:
		return "在京单位用工需求清单"
	case ListWorkers:
		return "在京务工人员清单"
	case ListWilling:
		return "有意愿外出务工人员清单"
	}
	return string(l)
}

// Short is the list's short name for menus and tabs.
func (l LabourList) Short() string {
	switch l {
	case ListJobs:
		return "用工需求"
	case ListWorkers:
		return "在京务工人员"
	case ListWilling:
		return "有意愿外出务工人员"
	}
	return string(l)
}

// OfPeople reports whether the list is of people (workers, willing) rather than of jobs.
func (l LabourList) OfPeople() bool { return l == ListWorkers || l == ListWilling }

// Poor flags of a person (人员类别), as stored. "" is neither (一般农户) or not said.
const (
	PoorLifted  = "脱贫人口" // 脱贫人口 (建档立卡), the 脱贫劳动力 the indicators count
	PoorWatched = "监测对象" // 防止返贫监测对象 (边缘易致贫、脱贫不稳定、突发严重困难)
)

// LabourPerson is a checked row of the workers' or the willing list: what one district's list
// says of a person. Amounts are fen per month; a zero Date or 0 amount is not reported.
// IDNumber and Phone are plain only in memory, between the check and the sealer.
type LabourPerson struct {
	IDNumber  string // 18 characters, normal form (uppercase X)
	Name      string
	Sex       string // 男 or 女, from the ID number
	Birth     Date   // from the ID number
	Phone     string // 11 digits, "" when not given
	HomeCode  string // the most precise division code of the home (户籍地): 6, 9 or 12 digits; "" unknown
	HomeName  string // the home as the division register names it (武川县可可以力更镇东官井村), "" unknown
	Region    string // the partner region the home lies in (内蒙古武川县), "" when none of the plan's
	Poor      string // PoorLifted, PoorWatched or ""
	Skills    []string
	Education string

	// The workers' list (在京务工人员).
	Employer     string // 务工单位
	EmployerCode string // its 统一社会信用代码, "" when not given
	WorkPlace    string // division code of where they work, "" unknown
	Post         string // 从事工种/岗位
	Income       int64  // 月收入, fen; personal data, sealed at rest
	Since        Date   // 务工开始日期

	// The willing list (有意愿外出务工人员).
	WishPlace string // 意向务工地: 北京, 省内, 省外, 不限, or a place's name
	WishPost  string // 意向工种
	WishPay   int64  // 期望月薪, fen
	Available Date   // 可到岗日期
}

// LabourJob is a checked row of the job-demand list (用工需求). Amounts are fen per month.
type LabourJob struct {
	Employer     string
	CreditCode   string // 统一社会信用代码, checked by ValidCreditCode; "" when not given
	Post         string
	Wanted       int    // 需求人数
	PlaceCode    string // division code of the place of work
	PlaceName    string
	PayMin       int64 // 0: not said
	PayMax       int64 // 0: not said
	Skills       []string
	Education    string // least education asked, "" none
	Start        Date   // 到岗日期 (from)
	End          Date   // 招聘截止日期
	Contact      string // the employer's contact person
	ContactPhone string // personal data, sealed at rest
	Board        string // 食宿: 包吃住, 包住, 包吃, 不提供, ""
	Note         string
}

// JobKey is the natural key of a job within a district's list: the employer (its credit code
// when given, else its name), the post and the place. Re-importing a list updates the job of
// the same key.
func (j LabourJob) JobKey() string {
	who := j.CreditCode
	if who == "" {
		who = j.Employer
	}
	return who + "\x1f" + j.Post + "\x1f" + j.PlaceCode
}

// LabourRecord is one checked row: Person for the lists of people, Job for the jobs' list.
type LabourRecord struct {
	Person *LabourPerson
	Job    *LabourJob
}

// LabourRowError is a bad row of an imported file: its 1-based row in the file and why, in
// words a clerk understands, naming the column (「第12行“身份证号”：校验位应为X」). A message
// never holds a whole ID number or phone number (they are masked).
type LabourRowError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

// Placement (就业) is a dated fact: a person at work from Start (till End when it ended or is
// planned to end), recorded once and never changed. A correction or the end of a placement is
// a new Placement that Supersedes the one before; a withdrawal is one with Withdrawn set.
// Pay is fen per month (0 not said), sealed at rest.
type Placement struct {
	ID         int64
	District   string
	PersonID   int64
	JobID      int64 // 0: not from the job list
	MatchID    int64 // 0: not from a match
	Employer   string
	CreditCode string
	Post       string
	PlaceCode  string // division code of the place of work
	Start      Date
	End        Date // zero: open
	Pay        int64
	// What the person was when placed (the indicators count these as of the placement).
	Poor     string // PoorLifted, PoorWatched or ""
	HomeCode string
	Region   string // partner region of the person's home
	Source   string // PlacementFromMatch or PlacementRecorded
	// Name is the person's name as read for the indicators' evidence: masked (张*), never
	// stored with the placement.
	Name string

	Supersedes int64
	Withdrawn  bool
	Reason     string // of a correction, an end or a withdrawal
	RecordedAt time.Time
	RecordedBy string // 姓名（单位）
}

// Where a placement comes from.
const (
	PlacementFromMatch = "match"  // a confirmed match of the person to a job of the list
	PlacementRecorded  = "record" // recorded on the person's page (found work another way)
)

// LabourSource is the indicators' source of placements (indicator formulas name it:
// count(placements where poor = "是")).
const LabourSource = "placements"
