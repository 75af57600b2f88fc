package xiezuo

import (
	"fmt"
	"strconv"
	"strings"
)

// Kinds of Change.
const (
	ChangeAdded   = "added"
	ChangeChanged = "changed"
	ChangeRemoved = "removed"
)

// Entities a Change names, in the order Diff reports them.
const (
	EntityNotice    = "通知"
	EntitySection   = "部分"
	EntityWorkPoint = "工作要点"
	EntityWorkTeam  = "工作专班"
	EntityTask      = "任务"
	EntityRegion    = "协作地区"
	EntityProject   = "项目"
	EntitySubtotal  = "小计"
)

// EmptyValue is how a change shows an unknown number or an empty text.
const EmptyValue = "（空）"

// Change is one difference between two versions of a plan: a fact added, changed or removed.
type Change struct {
	Kind   string        `json:"kind"`   // ChangeAdded, ChangeChanged or ChangeRemoved
	Entity string        `json:"entity"` // one of the Entity constants, e.g. 项目
	Key    string        `json:"key"`    // natural key as people name the fact, e.g. 内蒙古武川县/武川县稳定就业补贴项目 or 第3条
	Fields []FieldChange `json:"fields,omitempty"`
	// OldKey is the key the fact had before, when the import renamed it and kept its identity
	// (see RenamedProjects); "" otherwise.
	OldKey string `json:"old_key,omitempty"`
}

// FieldChange is one column of a changed fact, with its values as shown to people: money in
// 万元, an unknown number or an empty text as EmptyValue.
type FieldChange struct {
	Field string `json:"field"` // column name as the document writes it, e.g. 区级帮扶资金
	Old   string `json:"old"`
	New   string `json:"new"`
	Unit  string `json:"unit,omitempty"` // unit of both values, e.g. 万元; "" when none
}

// String writes the change in Chinese, e.g.
// 修改 项目「内蒙古武川县/武川县稳定就业补贴项目」：区级帮扶资金 112 → 120 万元.
func (c Change) String() string {
	verb := c.Kind
	switch c.Kind {
	case ChangeAdded:
		verb = "新增"
	case ChangeChanged:
		verb = "修改"
	case ChangeRemoved:
		verb = "删除"
	}
	s := verb + " " + c.Entity + "「" + c.Key + "」"
	if len(c.Fields) == 0 {
		return s
	}
	parts := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		parts[i] = f.Field + " " + showShort(f.Old) + " → " + showShort(f.New)
		if f.Unit != "" && (f.Old != EmptyValue || f.New != EmptyValue) {
			parts[i] += " " + f.Unit
		}
	}
	return s + "：" + strings.Join(parts, "；")
}

// showShort keeps a long text readable on one line.
func showShort(s string) string {
	const max = 40
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// Diff lists what changed from old to new, comparing content and not provenance: a fact whose
// line moved is not a change. Facts are matched by natural key (see Keys); a nil old means
// everything is added, a nil new that everything is removed. The order is deterministic: by
// entity in the order of the Entity constants, then added and changed facts in new's order,
// then removed ones in old's order.
func Diff(old, new *Plan) []Change {
	if old == nil && new == nil {
		return nil
	}
	var o, n Plan
	if old != nil {
		o = *old
	}
	if new != nil {
		n = *new
	}
	var changes []Change
	changes = append(changes, diffNotice(old, new)...)
	changes = append(changes, diffList(EntitySection, o.Sections, n.Sections, sectionFields, nil)...)
	changes = append(changes, diffList(EntityWorkPoint, o.Points, n.Points, workPointFields, nil)...)
	changes = append(changes, diffList(EntityWorkTeam, o.Teams, n.Teams, workTeamFields, nil)...)
	changes = append(changes, diffList(EntityTask, o.Tasks, n.Tasks, taskFields, nil)...)
	changes = append(changes, diffList(EntityRegion, o.Regions, n.Regions, regionFields, nil)...)
	changes = append(changes, diffList(EntityProject, o.Projects, n.Projects, projectFields,
		RenamedProjects(o.Projects, n.Projects))...)
	changes = append(changes, diffList(EntitySubtotal, o.Subtotals, n.Subtotals, subtotalFields, nil)...)
	return changes
}

// diffField is one compared column of a fact, as shown.
type diffField struct {
	name  string
	value string
	unit  string
}

func compareFields(old, new []diffField) []FieldChange {
	var fc []FieldChange
	for i := range new {
		if old[i].value != new[i].value {
			fc = append(fc, FieldChange{Field: new[i].name, Old: old[i].value, New: new[i].value, Unit: new[i].unit})
		}
	}
	return fc
}

func diffNotice(old, new *Plan) []Change {
	switch {
	case old == nil:
		return []Change{{Kind: ChangeAdded, Entity: EntityNotice, Key: noticeKey(new)}}
	case new == nil:
		return []Change{{Kind: ChangeRemoved, Entity: EntityNotice, Key: noticeKey(old)}}
	}
	if fc := compareFields(noticeFields(old), noticeFields(new)); len(fc) > 0 {
		return []Change{{Kind: ChangeChanged, Entity: EntityNotice, Key: noticeKey(new), Fields: fc}}
	}
	return nil
}

func noticeKey(p *Plan) string { return fmt.Sprintf("%s%d年", p.District, p.Year) }

func noticeFields(p *Plan) []diffField {
	return []diffField{
		{name: "区", value: showText(p.District)},
		{name: "年度", value: strconv.Itoa(p.Year)},
		{name: "标题", value: showText(p.Title)},
		{name: "发文单位", value: showText(p.Office)},
		{name: "发文日期", value: showText(p.IssuedOn.String())},
		{name: "通知正文", value: showText(p.Notice)},
	}
}

// keyed is a fact with a natural key. The key of one fact may be shared by others of the same
// list; Keys tells them apart by their order.
type keyed interface {
	naturalKey() string
	name() string
}

// Keys returns the natural key of each fact of a list as Diff writes it in Change.Key: a
// section or work point by number (第3条), a work team or partner region by name, a task by
// work item and category, a project by region and name, a subtotal by level, region and
// category. The second and later facts with the same key get （第N个）, so keys are unique
// within the list. Storage uses the same keys to keep the identity of unchanged facts.
func Keys[T keyed](items []T) []string {
	keys := make([]string, len(items))
	seen := make(map[string]int, len(items))
	for i, it := range items {
		k := it.naturalKey()
		seen[k]++
		if n := seen[k]; n > 1 {
			k = fmt.Sprintf("%s（第%d个）", k, n)
		}
		keys[i] = k
	}
	return keys
}

func (s Section) naturalKey() string       { return fmt.Sprintf("第%d部分", s.Number) }
func (w WorkPoint) naturalKey() string     { return fmt.Sprintf("第%d条", w.Number) }
func (w WorkTeam) naturalKey() string      { return w.Name }
func (t Task) naturalKey() string          { return t.WorkItem + "/" + t.Category }
func (p Project) naturalKey() string       { return p.Region + "/" + p.Name }
func (r PartnerRegion) naturalKey() string { return r.Name }

// name is what a fact is called, the part of its key a rename changes.
func (s Section) name() string       { return s.Title }
func (w WorkPoint) name() string     { return w.Title }
func (w WorkTeam) name() string      { return w.Name }
func (t Task) name() string          { return t.WorkItem }
func (p Project) name() string       { return p.Name }
func (r PartnerRegion) name() string { return r.Name }
func (s Subtotal) name() string      { return s.Label }

func (s Subtotal) naturalKey() string {
	switch s.Level {
	case LevelTotal:
		return "合计"
	case LevelRegion:
		return s.Region
	case LevelCategory:
		return s.Region + "/" + s.Category
	}
	return string(s.Level) + ":" + s.Region + "/" + s.Category
}

// RenamedName is the field a rename changes, as Change.Fields names it.
const RenamedName = "名称"

// diffList compares two lists by natural key; renames (new index → old index) pair facts whose
// keys differ: such a fact is changed, its name first among its fields, not removed and added.
func diffList[T keyed](entity string, old, new []T, fields func(T) []diffField, renames map[int]int) []Change {
	oldKeys, newKeys := Keys(old), Keys(new)
	renamedFrom := map[string]string{}
	for i, j := range renames {
		renamedFrom[newKeys[i]] = oldKeys[j]
		oldKeys[j] = newKeys[i]
	}
	oldIndex := make(map[string]int, len(old))
	for i, k := range oldKeys {
		oldIndex[k] = i
	}
	var changes []Change
	kept := make(map[string]bool, len(new))
	for i, k := range newKeys {
		j, ok := oldIndex[k]
		if !ok {
			changes = append(changes, Change{Kind: ChangeAdded, Entity: entity, Key: k})
			continue
		}
		kept[k] = true
		fc := compareFields(fields(old[j]), fields(new[i]))
		from, renamed := renamedFrom[k]
		if renamed {
			fc = append([]FieldChange{{Field: RenamedName, Old: old[j].name(), New: new[i].name()}}, fc...)
		}
		if len(fc) > 0 {
			changes = append(changes, Change{Kind: ChangeChanged, Entity: entity, Key: k, Fields: fc, OldKey: from})
		}
	}
	for _, k := range oldKeys {
		if !kept[k] {
			changes = append(changes, Change{Kind: ChangeRemoved, Entity: entity, Key: k})
		}
	}
	return changes
}

func sectionFields(s Section) []diffField {
	return []diffField{{name: "标题", value: showText(s.Title)}}
}

func workPointFields(w WorkPoint) []diffField {
	section := EmptyValue
	if w.Section != 0 {
		section = Section{Number: w.Section}.naturalKey()
	}
	return []diffField{
		{name: "所属部分", value: section},
		{name: "标题", value: showText(w.Title)},
		{name: "内容", value: showText(w.Text)},
		{name: "责任单位", value: showResponsibilities(w.Units, w.UnitsOpen)},
	}
}

func workTeamFields(w WorkTeam) []diffField {
	return []diffField{
		{name: "序号", value: strconv.Itoa(w.Number)},
		{name: "说明", value: showText(w.Note)},
		{name: "牵头部门", value: showText(strings.Join(w.Leads, "、"))},
	}
}

func taskFields(t Task) []diffField {
	reqs := make([]string, len(t.Requirements))
	for i, r := range t.Requirements {
		reqs[i] = fmt.Sprintf("%d. %s", r.Number, r.Text)
	}
	dates := make([]string, len(t.Deadline.Dates))
	for i, d := range t.Deadline.Dates {
		dates[i] = d.String()
	}
	return []diffField{
		{name: "序号", value: strconv.Itoa(t.Number)},
		{name: "任务内容", value: showText(t.Content)},
		{name: "具体要求", value: showText(strings.Join(reqs, "；"))},
		{name: "责任部门", value: showResponsibilities(t.Units, t.UnitsOpen)},
		{name: "完成时限", value: showText(t.Deadline.Text)},
		{name: "完成日期", value: showText(strings.Join(dates, "、"))},
	}
}

func regionFields(r PartnerRegion) []diffField {
	return []diffField{{name: "协作关系", value: showText(r.Relation)}}
}

func projectFields(p Project) []diffField {
	return []diffField{
		{name: "类别", value: showText(p.Category)},
		{name: "类别序号", value: strconv.Itoa(p.CategoryNumber)},
		{name: "序号", value: strconv.Itoa(p.Number)},
		{name: "建设性质", value: showText(p.Nature)},
		{name: "建设规模和建设内容", value: showText(p.Content)},
		{name: "项目总投资", value: showWan(p.TotalInvestment), unit: "万元"},
		{name: "区级帮扶资金", value: showWan(p.DistrictFund), unit: "万元"},
		{name: "帮扶资金主要用途", value: showText(p.FundUse)},
		{name: "受益脱贫村", value: showCount(p.Villages), unit: "个"},
		{name: "受益脱贫人口", value: showCount(p.People), unit: "人"},
		{name: "吸纳脱贫人口", value: showCount(p.Employed), unit: "人"},
		{name: "项目实施单位", value: showText(p.Implementer)},
		{name: "项目负责人", value: showText(p.Managers)},
		{name: "开工竣工时间", value: showText(p.Period.Text)},
		{name: "计划开工", value: showText(p.Period.Start.String())},
		{name: "计划竣工", value: showText(p.Period.Finish.String())},
		{name: "项目效益", value: showText(p.Benefit)},
		{name: "项目牵头单位", value: showUnit(p.LeadUnit, p.LeadUnitWritten)},
	}
}

// subtotalFields leave out the label as written: (10个) and （10个） say the same, and what a label
// says (region, category, count) is compared field by field.
func subtotalFields(s Subtotal) []diffField {
	return []diffField{
		{name: "类别序号", value: strconv.Itoa(s.CategoryNumber)},
		{name: "项目个数", value: showCount(s.Count), unit: "个"},
		{name: "项目总投资", value: showWan(s.TotalInvestment), unit: "万元"},
		{name: "区级帮扶资金", value: showWan(s.DistrictFund), unit: "万元"},
		{name: "受益脱贫村", value: showCount(s.Villages), unit: "个"},
		{name: "受益脱贫人口", value: showCount(s.People), unit: "人"},
		{name: "吸纳脱贫人口", value: showCount(s.Employed), unit: "人"},
	}
}

func showText(s string) string {
	if s == "" {
		return EmptyValue
	}
	return s
}

func showWan(n Num) string {
	if !n.Valid {
		return EmptyValue
	}
	return FormatWan(n.V)
}

func showCount(n Num) string {
	if !n.Valid {
		return EmptyValue
	}
	return strconv.FormatInt(n.V, 10)
}

// showUnit shows a unit by the name the document wrote, with its canonical name when that
// differs: 区科信局（即区科技和信息化局）.
func showUnit(canonical, written string) string {
	if written == canonical {
		return showText(canonical)
	}
	return written + "（即" + canonical + "）"
}

// showResponsibilities shows responsible units in order, each with its role unless it is a
// cooperating unit by position (the usual case), and 等 when the list is open.
func showResponsibilities(rs []Responsibility, open bool) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(showUnit(r.Unit, r.Written))
		switch {
		case r.Role == RoleLead && r.Stated:
			b.WriteString("（写明牵头）")
		case r.Role == RoleLead:
			b.WriteString("（牵头）")
		case r.Role == RoleCooperating && r.Stated:
			b.WriteString("（写明配合）")
		case r.Role == RoleCooperating:
		default:
			b.WriteString("（" + string(r.Role) + "）")
		}
	}
	if open {
		b.WriteString("等")
	}
	return showText(b.String())
}

// RenameNote says, for a fact the import renamed and kept, that what is attached to it stays:
// 项目“旧名”改名为“新名”，联系人等关联信息保留. It is "" for any other change.
func (c Change) RenameNote() string {
	if c.OldKey == "" || len(c.Fields) == 0 || c.Fields[0].Field != RenamedName {
		return ""
	}
	return c.Entity + "“" + c.Fields[0].Old + "”改名为“" + c.Fields[0].New + "”，联系人等关联信息保留"
}
