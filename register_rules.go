package xiezuo

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// RegisterFilter chooses entries of a register: the one filter of the list page, its workbook
// and the API (copying ProjectFilter). The zero filter keeps every entry as it stands today.
type RegisterFilter struct {
	Unit   string // the responsible unit, canonical name
	Region string // the partner region
	Team   string // the work team
	From   Date   // entries dated on or after (zero: no bound)
	To     Date   // entries dated on or before (zero: no bound)
	Text   string // a word any value holds
	AsOf   Date   // the entries as they stood at the end of that day (zero: now)
}

// registerFilterFields are the text parameters of the filter, in the order Values writes them,
// with the names a clerk sees in messages.
var registerFilterFields = []struct {
	key, label string
	field      func(*RegisterFilter) *string
}{
	{"unit", "单位", func(f *RegisterFilter) *string { return &f.Unit }},
	{"region", "协作地区", func(f *RegisterFilter) *string { return &f.Region }},
	{"team", "工作专班", func(f *RegisterFilter) *string { return &f.Team }},
	{"q", "关键词", func(f *RegisterFilter) *string { return &f.Text }},
}

// ParseRegisterFilter reads a filter from a query: unit, region, team, from, to (dates), q (a
// word) and as_of (a date not after today). A value too long, holding control characters, or a
// date that is not one is refused (EINVALID) with a message for the user; an empty value is no
// filter. Other parameters are left to the caller.
func ParseRegisterFilter(q url.Values, today Date) (RegisterFilter, error) {
	var f RegisterFilter
	for _, fl := range registerFilterFields {
		v := strings.TrimSpace(q.Get(fl.key))
		if v == "" {
			continue
		}
		if !utf8.ValidString(v) || HasControl(v) {
			return RegisterFilter{}, Errorf(EINVALID, "筛选条件“%s”含有无法识别的字符", fl.label)
		}
		if n := utf8.RuneCountInString(v); n > maxFilterChars {
			return RegisterFilter{}, Errorf(EINVALID, "筛选条件“%s”太长（%d 个字），最多 %d 个字", fl.label, n, maxFilterChars)
		}
		*fl.field(&f) = v
	}
	if u, ok := LookupUnit(f.Unit); ok && f.Unit != "" {
		f.Unit = u.Name
	}
	for _, d := range []struct {
		key, label string
		to         *Date
	}{{"from", "起始日期", &f.From}, {"to", "截止日期", &f.To}, {"as_of", "查看日期", &f.AsOf}} {
		v := strings.TrimSpace(q.Get(d.key))
		if v == "" {
			continue
		}
		day, ok := ParseFieldDate(v)
		if !ok || day.Year < 1900 {
			return RegisterFilter{}, Errorf(EINVALID, "筛选条件“%s”：%s 不是日期，应如 %d-06-30", d.label, v, today.Year)
		}
		*d.to = day
	}
	if !f.AsOf.IsZero() && dateAfter(f.AsOf, today) {
		return RegisterFilter{}, Errorf(EINVALID, "查看日期 %s 晚于今天（%s）", f.AsOf, today)
	}
	if !f.From.IsZero() && !f.To.IsZero() && dateAfter(f.From, f.To) {
		return RegisterFilter{}, Errorf(EINVALID, "起始日期 %s 晚于截止日期 %s", f.From, f.To)
	}
	return f, nil
}

// Values is the filter as a query, canonical: two filters that differ have different Values.
func (f RegisterFilter) Values() url.Values {
	q := url.Values{}
	for _, fl := range registerFilterFields {
		if v := *fl.field(&f); v != "" {
			q.Set(fl.key, v)
		}
	}
	for k, d := range map[string]Date{"from": f.From, "to": f.To, "as_of": f.AsOf} {
		if !d.IsZero() {
			q.Set(k, d.String())
		}
	}
	return q
}

// String names the filter as a clerk reads it: 单位：区教委，2021-01-01 至 2021-12-31.
func (f RegisterFilter) String() string {
	var parts []string
	for _, fl := range registerFilterFields {
		if v := *fl.field(&f); v != "" {
			parts = append(parts, fl.label+"："+v)
		}
	}
	switch {
	case !f.From.IsZero() && !f.To.IsZero():
		parts = append(parts, f.From.String()+" 至 "+f.To.String())
	case !f.From.IsZero():
		parts = append(parts, f.From.String()+" 起")
	case !f.To.IsZero():
		parts = append(parts, "截至 "+f.To.String())
	}
	if !f.AsOf.IsZero() {
		parts = append(parts, "按 "+f.AsOf.String()+" 的登记情况")
	}
	return strings.Join(parts, "，")
}

// Match reports whether the filter keeps the entry (AsOf is applied to the rows before, by
// EntriesAt).
func (f RegisterFilter) Match(e RegisterEntry) bool {
	if (f.Unit != "" && e.Unit != f.Unit) || (f.Region != "" && e.Region != f.Region) || (f.Team != "" && e.Team != f.Team) {
		return false
	}
	if (!f.From.IsZero() && dateAfter(f.From, e.On)) || (!f.To.IsZero() && dateAfter(e.On, f.To)) {
		return false
	}
	if f.Text != "" {
		for _, v := range e.Values {
			if strings.Contains(strings.ToLower(v), strings.ToLower(f.Text)) {
				return true
			}
		}
		return false
	}
	return true
}

// Filter is the entries the filter keeps, in their order.
func (f RegisterFilter) Filter(entries []RegisterEntry) []RegisterEntry {
	var out []RegisterEntry
	for _, e := range entries {
		if f.Match(e) {
			out = append(out, e)
		}
	}
	return out
}

// SortRegisterByDate orders entries by their date (On), newest first; entries of one day by
// their 编号, the latest recorded first: the order of a list page and its workbook.
func SortRegisterByDate(entries []RegisterEntry) {
	slices.SortStableFunc(entries, func(a, b RegisterEntry) int {
		if c := strings.Compare(b.On.String(), a.On.String()); c != 0 {
			return c
		}
		return cmp.Compare(b.Entry, a.Entry)
	})
}

// RegisterSum is the total of one number field (or derived field) over a list of entries: the
// sum over the entries that reported it, and how many did not (a blank is never counted as 0).
type RegisterSum struct {
	Key, Label, Unit string
	Amount           bool  // in fen, shown in 万元
	Sum              int64 // over the entries that reported it
	Reported         int   // entries that reported it
	Missing          int   // entries that did not (未报)
}

// Text is the sum with its unit and what is missing: 「12.5万元（未报 2 条）」; 「未报」 when
// no entry reported it.
func (s RegisterSum) Text() string {
	if s.Reported == 0 {
		switch s.Missing {
		case 0:
			return "—"
		case 1:
			return "未报"
		}
		return fmt.Sprintf("未报（%d 条均未填写）", s.Missing)
	}
	v := fmt.Sprint(s.Sum)
	if s.Amount {
		v = FormatWan(s.Sum)
	}
	v += s.Unit
	if s.Missing > 0 {
		v += fmt.Sprintf("（未报 %d 条）", s.Missing)
	}
	return v
}

// RegisterRollup is a list of entries counted and summed.
type RegisterRollup struct {
	Count int
	Sums  []RegisterSum // every int and amount field, then every derived field, in spec order
}

// RollupRegister counts the entries and sums each number field and derived field of spec.
func RollupRegister(spec RegisterSpec, entries []RegisterEntry) RegisterRollup {
	out := RegisterRollup{Count: len(entries)}
	var keys []string
	for _, f := range spec.Fields {
		if f.Kind == FieldInt || f.Kind == FieldAmount {
			keys = append(keys, f.Key)
		}
	}
	for _, d := range spec.Derived {
		keys = append(keys, d.Key)
	}
	for _, k := range keys {
		s := RegisterSum{Key: k, Label: spec.LabelOf(k), Unit: spec.UnitOf(k), Amount: spec.IsAmount(k)}
		for _, e := range entries {
			if n := spec.Value(e, k); n.Valid {
				s.Sum += n.V
				s.Reported++
			} else {
				s.Missing++
			}
		}
		out.Sums = append(out.Sums, s)
	}
	return out
}

// CanReadRegisters reports whether u may read district d's registers: every signed-in user
// of the district who reads plans, and the city office.
func (u *User) CanReadRegisters(d string) bool { return u.CanReadDistrict(d) }

// CanRecordRegisters reports whether u may record some entries in district d's registers: the
// office, units (and team leads) for their own unit, cadres for their regions; leaders, the
// city office and the administrators read only.
func (u *User) CanRecordRegisters(d string) bool {
	return u.CanWriteDistrict(d) && u.HasAny(RoleOffice, RoleUnit, RoleTeamLead, RoleCadre)
}

// RegisterWriteRefusal says why u may not record (or correct, or withdraw) entry e of spec's
// register in district d under plan p, in words a clerk understands (EFORBIDDEN), or nil when
// it may: the office records and corrects anything of its district, any unit, region and work
// team; a unit's users (成员单位, 专班牵头部门) the entries whose responsible unit is their own
// and, when their unit leads work teams of the plan, only for those teams (RegisterTeamsOf); a
// cadre (前方挂职干部) the entries of its regions (the region is then required) recorded under its
// own unit. A correction is asked of both the entry as it stood and as corrected.
// RegisterRefusalField says which field a refusal is about.
func RegisterWriteRefusal(u *User, d string, p *Plan, spec RegisterSpec, e RegisterEntry) error {
	_, err := registerRefusal(u, d, p, spec, e)
	return err
}

// RegisterRefusalField is the key of the field RegisterWriteRefusal's refusal is about (the
// unit, the region or the work team), so that a form shows it beside that field with what was
// typed; "" when there is no refusal or it is about the user (a role that only reads, another
// district, a register without a region for a cadre).
func RegisterRefusalField(u *User, d string, p *Plan, spec RegisterSpec, e RegisterEntry) string {
	key, _ := registerRefusal(u, d, p, spec, e)
	return key
}

// RegisterTeamsOf are the work teams of plan p that u may name in an entry: nil for any (the
// office; a user whose unit leads no team of the plan), else the teams its unit leads (专班牵头
// 部门 fill their own teams' quotas of articles and cases, not another team's).
func RegisterTeamsOf(u *User, p *Plan) []string {
	if u.Has(RoleOffice) || p == nil {
		return nil
	}
	var out []string
	for _, t := range p.Teams {
		if u.Unit != "" && slices.Contains(t.Leads, u.Unit) {
			out = append(out, t.Name)
		}
	}
	return out
}

// isCadreOnly reports whether u records as a cadre only (not also for a unit).
func isCadreOnly(u *User) bool { return u.Has(RoleCadre) && !u.HasAny(RoleUnit, RoleTeamLead) }

func registerRefusal(u *User, d string, p *Plan, spec RegisterSpec, e RegisterEntry) (string, error) {
	switch {
	case !u.CanRecordRegisters(d):
		if u.CanWriteDistrict(d) && u.Has(RoleLeader) {
			return "", Errorf(EFORBIDDEN, "区领导只查看本区（%s）的工作台账，不能登记或修改", d)
		}
		return "", Errorf(EFORBIDDEN, "%s", u.DistrictRefusal(d, "工作台账"))
	case u.Has(RoleOffice):
		return "", nil
	}
	if isCadreOnly(u) {
		regions := strings.Join(u.Regions, "、")
		if regions == "" {
			regions = "（未绑定地区）"
		}
		switch {
		case spec.RegionKey == "":
			return "", Errorf(EFORBIDDEN, "“%s”台账没有协作地区：前方挂职干部只能登记本人负责地区（%s）的记录，这类记录请由相关单位或领导小组办公室登记", spec.Title, regions)
		case e.Region == "":
			return spec.RegionKey, Errorf(EFORBIDDEN, "这条“%s”记录没有填写“%s”：前方挂职干部登记的记录须选择您负责的地区（%s）",
				spec.Title, spec.LabelOf(spec.RegionKey), regions)
		case !slices.Contains(u.Regions, e.Region):
			return spec.RegionKey, Errorf(EFORBIDDEN, "这条“%s”记录的%s是%s，您负责的地区是%s：前方挂职干部只能登记本地区的记录",
				spec.Title, spec.LabelOf(spec.RegionKey), e.Region, regions)
		case spec.UnitKey != "" && e.Unit != u.Unit:
			return spec.UnitKey, Errorf(EFORBIDDEN, "这条“%s”记录的%s是%s：前方挂职干部登记的记录，%s应为%s",
				spec.Title, spec.LabelOf(spec.UnitKey), orUnfilled(e.Unit), spec.LabelOf(spec.UnitKey), u.Unit)
		}
		return registerTeamRefusal(u, p, spec, e)
	}
	if e.Unit == "" || e.Unit != u.Unit {
		label := spec.LabelOf(spec.UnitKey)
		return spec.UnitKey, Errorf(EFORBIDDEN, "这条“%s”记录的%s是%s：%s只能登记和修改本单位的记录，其他单位的记录请由该单位或领导小组办公室登记",
			spec.Title, label, orUnfilled(e.Unit), u.Unit)
	}
	return registerTeamRefusal(u, p, spec, e)
}

// registerTeamRefusal refuses an entry naming a work team u may not fill (RegisterTeamsOf).
func registerTeamRefusal(u *User, p *Plan, spec RegisterSpec, e RegisterEntry) (string, error) {
	teams := RegisterTeamsOf(u, p)
	if spec.TeamKey == "" || e.Team == "" || teams == nil || slices.Contains(teams, e.Team) {
		return "", nil
	}
	return spec.TeamKey, Errorf(EFORBIDDEN, "这条“%s”记录的%s是%s：%s牵头的是%s，只能为本单位牵头的专班登记，其他专班的记录请由其牵头单位或领导小组办公室登记",
		spec.Title, spec.LabelOf(spec.TeamKey), e.Team, u.Unit, strings.Join(teams, "、"))
}

func orUnfilled(s string) string {
	if s == "" {
		return "（未填写）"
	}
	return s
}

// RotationWarning is a seconded person whose term ends soon (or has ended) with no successor.
type RotationWarning struct {
	Entry   int64
	Name    string
	Kind    string // 人员类别
	Region  string
	End     Date // 期满日期
	Overdue bool // the term has ended and no 实际离岗日期 is recorded
	Text    string
}

// DefaultRotationDays is how far ahead rotation warnings look.
const DefaultRotationDays = 60

// RotationWarnings lists the seconded people (选派到协作地区, personnel register entries as they
// stand) whose 期满日期 is within days of today (DefaultRotationDays when days ≤ 0), or past
// without a 实际离岗日期, and who have no successor: another person sent to the same region in
// the same 人员类别, starting no later than 30 days after the end and serving past it (工作要点4:
// 压茬轮换、防止断档). In the order of the end dates.
func RotationWarnings(entries []RegisterEntry, today Date, days int) []RotationWarning {
	if days <= 0 {
		days = DefaultRotationDays
	}
	var out []RotationWarning
	for _, e := range entries {
		if e.Kind != RegPersonnel || e.Values["direction"] != "选派到协作地区" || e.Values["left"] != "" {
			continue
		}
		end, err := ParseDate(e.Values["to"])
		if err != nil {
			continue
		}
		left := DaysBetween(today, end)
		if left > days {
			continue
		}
		succeeded := slices.ContainsFunc(entries, func(o RegisterEntry) bool {
			if o.Entry == e.Entry || o.Kind != RegPersonnel || o.Values["direction"] != "选派到协作地区" ||
				o.Values["region"] != e.Values["region"] || o.Values["kind"] != e.Values["kind"] {
				return false
			}
			from, err1 := ParseDate(o.Values["from"])
			to, err2 := ParseDate(o.Values["to"])
			return err1 == nil && err2 == nil && DaysBetween(end, from) <= 30 && dateAfter(to, end)
		})
		if succeeded {
			continue
		}
		w := RotationWarning{Entry: e.Entry, Name: e.Values["name"], Kind: e.Values["kind"], Region: e.Values["region"], End: end, Overdue: left < 0}
		who := fmt.Sprintf("%s（%s，%s）", w.Name, w.Kind, w.Region)
		switch {
		case w.Overdue:
			w.Text = fmt.Sprintf("%s挂职已于 %s 期满，未登记实际离岗日期，也没有接替人员：请登记离岗日期或续任，并安排压茬轮换，防止断档", who, end)
		case left == 0:
			w.Text = fmt.Sprintf("%s挂职今天（%s）期满，尚无接替人员：请及早安排压茬轮换，防止断档", who, end)
		default:
			w.Text = fmt.Sprintf("%s挂职将于 %s 期满（还有 %d 天），尚无接替人员：请及早安排压茬轮换，防止断档", who, end, left)
		}
		out = append(out, w)
	}
	slices.SortStableFunc(out, func(a, b RotationWarning) int { return strings.Compare(a.End.String(), b.End.String()) })
	return out
}
