package xiezuo

import "time"

// A project's life after the plan (项目全周期): each step is a dated fact (project_steps), never
// overwritten; a project's status at any date is derived from its steps (StatusAt). A change of
// money or content after approval is an adjustment step with its reason, approval document and
// date, and the plan's original figures stay beside it.

// ProjectStatus is where a project stands.
type ProjectStatus string

// Project statuses, in the order of a project's life, then the states outside it.
const (
	StatusPlanned    ProjectStatus = "planned"     // 计划
	StatusStarted    ProjectStatus = "started"     // 已开工
	StatusCompleted  ProjectStatus = "completed"   // 已完工
	StatusAccepted   ProjectStatus = "accepted"    // 已竣工验收
	StatusHandedOver ProjectStatus = "handed_over" // 已移交资产
	StatusAftercare  ProjectStatus = "aftercare"   // 后续管护中
	StatusEvaluated  ProjectStatus = "evaluated"   // 已绩效评价
	StatusSuspended  ProjectStatus = "suspended"   // 暂停
	StatusCancelled  ProjectStatus = "cancelled"   // 已取消
)

// StepKind is what a step records.
type StepKind string

// Step kinds. Each of the first six moves a project one place along its life; suspend and
// resume stop and restart it where it was; cancel ends it; adjust changes its money or
// content and leaves its status as it was.
const (
	StepStart     StepKind = "start"     // 开工
	StepComplete  StepKind = "complete"  // 完工
	StepAccept    StepKind = "accept"    // 竣工验收
	StepHandover  StepKind = "handover"  // 资产移交
	StepAftercare StepKind = "aftercare" // 进入后续管护
	StepEvaluate  StepKind = "evaluate"  // 绩效评价
	StepSuspend   StepKind = "suspend"   // 暂停
	StepResume    StepKind = "resume"    // 恢复
	StepCancel    StepKind = "cancel"    // 取消
	StepAdjust    StepKind = "adjust"    // 调整（资金或内容）
)

// ProjectStep is one dated step of a project's life.
type ProjectStep struct {
	ID        int64
	ProjectID int64
	Kind      StepKind
	On        Date   // the day it happened (never after today)
	Note      string // what was done, in the recorder's words
	// An adjustment's reason and approval document (批复文号); a suspension's or a
	// cancellation's reason.
	Reason   string
	Document string
	// An adjustment's new figures; unset ones are unchanged.
	NewTotalInvestment Num // fen
	NewDistrictFund    Num // fen
	NewContent         string
	Evidence           []Evidence // files kept in the one evidence store (package evidence), by hash
	By                 string     // username of who recorded it
	At                 time.Time  // when it was recorded
}
