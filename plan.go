package xiezuo

// Stored facts carry the id the database gave them (WorkPoint.ID, Task.ID, Project.ID, …):
// later facts (contacts, reports) attach to that id, never to a name. Diff ignores ids: it
// compares what documents say.

// Pos is where a fact was read: the 1-based line of a text document, or the sheet and 1-based
// row of a workbook. It is the provenance the office shows for every duty.
type Pos struct {
	Line  int    `json:"line"`
	Sheet string `json:"sheet,omitempty"`
}

// Plan is one district's support-cooperation plan for one year: the notice, the work points
// in their sections, the work teams (附件1), the task list (附件2) and the project table (附件3).
type Plan struct {
	Year     int
	District string // assisting district as written in the document, e.g. 门头沟区
	Title    string // title of the work points, e.g. 2021年门头沟区支援合作工作要点
	Office   string // issuing office
	IssuedOn Date   // date of the notice; zero when not given
	Notice   string // text of the covering notice

	Source Source

	Sections  []Section
	Points    []WorkPoint
	Teams     []WorkTeam
	Tasks     []Task
	Projects  []Project
	Subtotals []Subtotal
	Regions   []PartnerRegion
	Units     []Unit
}

// Source names the document a plan was read from.
type Source struct {
	Name   string // file name as given
	SHA256 string // hex digest of its bytes
	Kind   string // "text", "xlsx" or "csv"
}

// Section is one numbered part of the work points (一、二、…).
type Section struct {
	Number int
	Title  string
	Pos    Pos
}

// Role is how a unit answers for a duty.
type Role string

// Roles of a responsible unit. Unless the text says 牵头/配合, the first named unit leads.
const (
	RoleLead        Role = "lead"
	RoleCooperating Role = "cooperating"
)

// Responsibility names one responsible unit of a work point or task, in document order.
type Responsibility struct {
	UnitID  int64  `json:"UnitID,omitempty"` // stored id of the unit; 0 when not read from the database
	Unit    string // canonical unit name
	Written string // name as written in the document
	Role    Role
	Stated  bool // the document said 牵头/配合 explicitly
}

// WorkPoint is one numbered point of the year's work (工作要点).
type WorkPoint struct {
	ID        int64 `json:"ID,omitempty"` // stored id; 0 when not read from the database
	Number    int
	Section   int // Section.Number it belongs to; 0 when the document has no sections
	Title     string
	Text      string
	Units     []Responsibility
	UnitsOpen bool // the list ended with 等: other units may take part
	Pos       Pos
	UnitsPos  Pos
}

// WorkTeam is a work team (工作专班) of 附件1 with its lead units.
type WorkTeam struct {
	ID     int64 `json:"ID,omitempty"` // stored id; 0 when not read from the database
	Number int
	Name   string
	Note   string // remark beside the lead units, e.g. 按部门职责分别牵头相关领域产业合作工作
	Leads  []string
	Pos    Pos
}

// Task is one row of the task list (任务清单).
type Task struct {
	ID           int64 `json:"ID,omitempty"` // stored id; 0 when not read from the database
	Number       int   // order in the list, from 1
	WorkItem     string
	Category     string
	Content      string
	Requirements []Requirement
	Units        []Responsibility
	UnitsOpen    bool
	Deadline     Deadline
	Pos          Pos
}

// Requirement is one numbered requirement of a task's content.
type Requirement struct {
	Number int
	Text   string
}

// Project is one row of the project table (附件3).
type Project struct {
	ID              int64 `json:"ID,omitempty"`         // stored id; 0 when not read from the database
	RegionID        int64 `json:"RegionID,omitempty"`   // stored id of the partner region; 0 when not read
	LeadUnitID      int64 `json:"LeadUnitID,omitempty"` // stored id of the lead unit; 0 when none or not read
	Region          string
	Category        string // category as written without its number and count, e.g. 产业合作类
	CategoryNumber  int
	Number          int // 序号 as written; numbering restarts per region
	Name            string
	Nature          string // 建设性质: 新建, 续建, …
	Content         string
	TotalInvestment Num // fen
	DistrictFund    Num // fen
	FundUse         string
	Villages        Num
	People          Num
	Employed        Num
	Implementer     string
	Managers        string
	Period          Period
	Benefit         string
	LeadUnit        string // canonical name
	LeadUnitWritten string
	Pos             Pos
}

// Level says which rows a subtotal row sums.
type Level string

// Subtotal levels.
const (
	LevelTotal    Level = "total"
	LevelRegion   Level = "region"
	LevelCategory Level = "category"
)

// Subtotal is a total, region or category row of the project table as the document states it.
// Villages are distinct counts, so a region's villages come from here, not from a sum.
type Subtotal struct {
	Level           Level
	Region          string
	Category        string
	CategoryNumber  int
	Label           string // as written
	Count           Num    // the (N个) of the label
	TotalInvestment Num
	DistrictFund    Num
	Villages        Num
	People          Num
	Employed        Num
	Pos             Pos
}

// Relations between the district and a partner region.
const (
	RelationEastWest       = "东西部协作"
	RelationPaired         = "对口支援"
	RelationWaterDiversion = "南水北调对口协作"
	RelationJingJi         = "京冀扶贫协作"
)

// PartnerRegion is a region the district assists (协作地区).
type PartnerRegion struct {
	ID       int64  `json:"ID,omitempty"` // stored id; 0 when not read from the database
	Name     string // as in its subtotal row, e.g. 内蒙古武川县
	Relation string // one of the Relation constants, or "" when the document does not say
}

// Unit kinds.
const (
	KindOffice     = "office"
	KindDepartment = "department"
	KindTown       = "town"
	KindCadre      = "cadre"
	KindPartner    = "partner"
	KindEnterprise = "enterprise"
	KindSocial     = "social"
	KindSchool     = "school"
	KindHospital   = "hospital"
	KindGroup      = "group" // a collective name: 各镇街, 领导小组各成员单位
)

// Unit is a responsible unit with its other names.
type Unit struct {
	ID      int64 `json:"ID,omitempty"` // stored id; 0 when not read from the database
	Name    string
	Kind    string
	Aliases []string
	Known   bool // in the catalogue of units; false means first seen in this document
}
