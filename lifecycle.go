package xiezuo

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

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

// Text is the status in Chinese, as pages show it.
func (s ProjectStatus) Text() string {
	switch s {
	case StatusPlanned:
		return "计划"
	case StatusStarted:
		return "已开工"
	case StatusCompleted:
		return "已完工"
	case StatusAccepted:
		return "已竣工验收"
	case StatusHandedOver:
		return "已移交资产"
	case StatusAftercare:
		return "后续管护中"
	case StatusEvaluated:
		return "已绩效评价"
	case StatusSuspended:
		return "暂停"
	case StatusCancelled:
		return "已取消"
	}
	return string(s)
}

// Text is the step's kind in Chinese, as pages and messages name it.
func (k StepKind) Text() string {
	switch k {
	case StepStart:
		return "开工"
	case StepComplete:
		return "完工"
	case StepAccept:
		return "竣工验收"
	case StepHandover:
		return "资产移交"
	case StepAftercare:
		return "进入后续管护"
	case StepEvaluate:
		return "绩效评价"
	case StepSuspend:
		return "暂停"
	case StepResume:
		return "恢复"
	case StepCancel:
		return "取消"
	case StepAdjust:
		return "调整"
	}
	return string(k)
}

// StepKinds are every step kind, in the order of a project's life.
var StepKinds = []StepKind{StepStart, StepComplete, StepAccept, StepHandover, StepAftercare, StepEvaluate,
	StepSuspend, StepResume, StepCancel, StepAdjust}

// ParseStepKind reads a step kind as the API and forms name it (start, complete …).
func ParseStepKind(s string) (StepKind, error) {
	k := StepKind(strings.TrimSpace(s))
	if slices.Contains(StepKinds, k) {
		return k, nil
	}
	return "", Errorf(EINVALID, "步骤“%s”无效，应为 start（开工）、complete（完工）、accept（竣工验收）、handover（资产移交）、aftercare（后续管护）、evaluate（绩效评价）、suspend（暂停）、resume（恢复）、cancel（取消）或 adjust（调整）", s)
}

// forward is the status each step of the project's life leads to, and the status it follows.
var forward = map[StepKind]struct{ from, to ProjectStatus }{
	StepStart:     {StatusPlanned, StatusStarted},
	StepComplete:  {StatusStarted, StatusCompleted},
	StepAccept:    {StatusCompleted, StatusAccepted},
	StepHandover:  {StatusAccepted, StatusHandedOver},
	StepAftercare: {StatusHandedOver, StatusAftercare},
	StepEvaluate:  {StatusAftercare, StatusEvaluated},
}

// StatusAt is the project's status at the end of day d, from its steps in the order they were
// recorded: planned when no step is dated by d; a suspension stops the project where it was
// and a resumption returns it there; a cancellation is final; an adjustment changes no status.
func StatusAt(steps []ProjectStep, d Date) ProjectStatus {
	status, before := StatusPlanned, StatusPlanned
	for _, s := range steps {
		if dateAfter(s.On, d) {
			continue
		}
		if status == StatusCancelled {
			break
		}
		switch s.Kind {
		case StepSuspend:
			if status != StatusSuspended {
				before, status = status, StatusSuspended
			}
		case StepResume:
			if status == StatusSuspended {
				status = before
			}
		case StepCancel:
			status = StatusCancelled
		case StepAdjust:
		default:
			if f, ok := forward[s.Kind]; ok && status != StatusSuspended {
				status = f.to
			}
		}
	}
	return status
}

// NextSteps are the steps that may follow a project in status s, the next step of its life
// first: only work under way is suspended (from 已开工: a planned project has nothing to stop,
// a completed one nothing left to build); a project is cancelled before it is completed (a
// suspended one too, since it was suspended while under way); a suspended project may only be
// resumed or cancelled, a cancelled one takes nothing; money and content are adjusted until the
// project is accepted.
func NextSteps(s ProjectStatus) []StepKind {
	var out []StepKind
	for _, k := range StepKinds[:6] {
		if forward[k].from == s {
			out = append(out, k)
		}
	}
	switch s {
	case StatusSuspended:
		return []StepKind{StepResume, StepCancel}
	case StatusCancelled:
		return nil
	case StatusPlanned:
		out = append(out, StepCancel, StepAdjust)
	case StatusStarted:
		out = append(out, StepSuspend, StepCancel, StepAdjust)
	case StatusCompleted, StatusAccepted:
		out = append(out, StepAdjust)
	}
	return out
}

// Longest texts of a step, in characters.
const (
	MaxStepNote     = 2000
	MaxStepReason   = 500
	MaxStepDocument = 100
	MaxStepContent  = 4000
)

// StepRefusal says why step next may not follow steps (the project's steps so far, in the
// order recorded) on day today, or nil when it may: an unknown kind, a missing date, a date
// after today or before the last step's, anything after a cancellation, a step on a suspended
// project other than resuming or cancelling it, a step out of order (完工 before 开工, 暂停
// before 开工 or after 完工, 取消 after 完工: NextSteps), a
// suspension or cancellation without its reason, an adjustment without its reason, approval
// document (批复文号) or any change, new figures on a step that is not an adjustment, control
// characters or texts too long: each EINVALID (the API's 422), naming what may come next. Whether an adjustment changes anything against the project's
// current figures is AdjustRefusal's.
func StepRefusal(steps []ProjectStep, next ProjectStep, today Date) error {
	if _, err := ParseStepKind(string(next.Kind)); err != nil {
		return err
	}
	for _, f := range []struct {
		name, text string
		max        int
	}{
		{"说明", next.Note, MaxStepNote}, {"原因", next.Reason, MaxStepReason},
		{"批复文号", next.Document, MaxStepDocument}, {"调整后的建设内容", next.NewContent, MaxStepContent},
	} {
		if HasControl(f.text) {
			return ErrControl()
		}
		if n := utf8.RuneCountInString(f.text); n > f.max {
			return Errorf(EINVALID, "%s最长 %d 个字，现为 %d 个字", f.name, f.max, n)
		}
	}
	kind := next.Kind.Text()
	switch {
	case next.On.IsZero():
		return Errorf(EINVALID, "请填写%s的日期", kind)
	case !today.IsZero() && dateAfter(next.On, today):
		return Errorf(EINVALID, "%s日期 %s 晚于今天（%s）：只能登记已经发生的事", kind, next.On, today)
	}
	status := StatusPlanned
	if len(steps) > 0 {
		last := steps[len(steps)-1]
		status = StatusAt(steps, last.On)
		if dateAfter(last.On, next.On) {
			return Errorf(EINVALID, "%s日期 %s 早于上一步骤（%s，%s）：步骤须按发生的先后登记", kind, next.On, last.Kind.Text(), last.On)
		}
	}
	switch status {
	case StatusCancelled:
		c := lastOf(steps, StepCancel)
		return Errorf(EINVALID, "项目已于 %s 取消（%s），不能再登记%s", c.On, c.Reason, kind)
	case StatusSuspended:
		if next.Kind != StepResume && next.Kind != StepCancel {
			s := lastOf(steps, StepSuspend)
			return Errorf(EINVALID, "项目已于 %s 暂停（%s），只能登记恢复或取消，不能登记%s", s.On, s.Reason, kind)
		}
	}
	if !slices.Contains(NextSteps(status), next.Kind) {
		return Errorf(EINVALID, "项目目前%s，不能登记%s；可登记的下一步：%s", statusPhrase(status), kind, stepList(NextSteps(status)))
	}
	reason, document := strings.TrimSpace(next.Reason), strings.TrimSpace(next.Document)
	changes := next.NewTotalInvestment.Valid || next.NewDistrictFund.Valid || strings.TrimSpace(next.NewContent) != ""
	switch {
	case (next.Kind == StepSuspend || next.Kind == StepCancel) && reason == "":
		return Errorf(EINVALID, "%s项目须写明原因", kind)
	case next.Kind != StepAdjust && changes:
		return Errorf(EINVALID, "只有“调整”步骤可以填写调整后的金额或建设内容")
	case next.Kind != StepAdjust:
		return nil
	case reason == "":
		return Errorf(EINVALID, "调整项目须写明调整原因")
	case document == "":
		return Errorf(EINVALID, "调整项目须填写批复文号（如 门协办〔2021〕5号）")
	case !changes:
		return Errorf(EINVALID, "调整没有任何变化：请填写调整后的总投资、区级帮扶资金或建设内容")
	case next.NewTotalInvestment.Valid && next.NewTotalInvestment.V < 0,
		next.NewDistrictFund.Valid && next.NewDistrictFund.V < 0:
		return Errorf(EINVALID, "调整后的金额不能为负数")
	}
	return nil
}

// AdjustRefusal says why adjustment next changes nothing of project p as its steps so far left
// it, or leaves the district's fund above the total investment; nil for any other step.
func AdjustRefusal(p Project, steps []ProjectStep, next ProjectStep) error {
	if next.Kind != StepAdjust {
		return nil
	}
	cur := AdjustedProject(p, steps, next.On)
	same := func(n, old Num) bool { return !n.Valid || (old.Valid && n.V == old.V) }
	if same(next.NewTotalInvestment, cur.TotalInvestment) && same(next.NewDistrictFund, cur.DistrictFund) &&
		(strings.TrimSpace(next.NewContent) == "" || strings.TrimSpace(next.NewContent) == strings.TrimSpace(cur.Content)) {
		return Errorf(EINVALID, "调整没有任何变化：填写的金额和建设内容与项目现在的相同")
	}
	after := AdjustedProject(p, append(slices.Clip(steps), next), next.On)
	if after.TotalInvestment.Valid && after.DistrictFund.Valid && after.DistrictFund.V > after.TotalInvestment.V {
		return Errorf(EINVALID, "调整后区级帮扶资金（%s万元）超过项目总投资（%s万元）",
			FormatWan(after.DistrictFund.V), FormatWan(after.TotalInvestment.V))
	}
	return nil
}

// AdjustedProject is project p with its figures as adjusted by the adjustment steps dated by d
// (the latest applies to each figure): total investment, district fund and content. The plan's
// original figures stay in the plan; pages show both.
func AdjustedProject(p Project, steps []ProjectStep, d Date) Project {
	for _, s := range steps {
		if s.Kind != StepAdjust || dateAfter(s.On, d) {
			continue
		}
		if s.NewTotalInvestment.Valid {
			p.TotalInvestment = s.NewTotalInvestment
		}
		if s.NewDistrictFund.Valid {
			p.DistrictFund = s.NewDistrictFund
		}
		if c := strings.TrimSpace(s.NewContent); c != "" {
			p.Content = c
		}
	}
	return p
}

// StepsBy are the steps dated by d: what a page as of d shows.
func StepsBy(steps []ProjectStep, d Date) []ProjectStep {
	var out []ProjectStep
	for _, s := range steps {
		if !dateAfter(s.On, d) {
			out = append(out, s)
		}
	}
	return out
}

// lastOf is the latest step of kind k.
func lastOf(steps []ProjectStep, k StepKind) ProjectStep {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Kind == k {
			return steps[i]
		}
	}
	return ProjectStep{}
}

// statusPhrase is "尚未开工" or "为“已完工”", as a message continues 项目目前….
func statusPhrase(s ProjectStatus) string {
	if s == StatusPlanned {
		return "尚未开工"
	}
	return "为“" + s.Text() + "”"
}

func stepList(ks []StepKind) string {
	if len(ks) == 0 {
		return "无"
	}
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.Text()
	}
	return strings.Join(names, "、")
}

// dateAfter reports whether a is a later day than b.
func dateAfter(a, b Date) bool {
	// Compared as numbers, as the strings YYYY-MM-DD would compare (the zero Date first),
	// without formatting: StatusAt runs it for every step of every project of a scorecard.
	return a.Year*10000+int(a.Month)*100+a.Day > b.Year*10000+int(b.Month)*100+b.Day
}
