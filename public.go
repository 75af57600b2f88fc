package xiezuo

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Public notice (公告公示): the office publishes a project, or withdraws it, and anyone may read
// what a published project is, where, for how much, for whom and who carries it out, without
// signing in. A publication is a dated row (Publication), never overwritten: whether a project
// is published, and since when, is derived from the rows as of any moment. What a notice shows
// is one function (PublicNotice) that pages and workbooks all call; it shows no personal data:
// never the persons in charge, never a contact, and any phone or ID number that slipped into
// a text is struck out.

// SettingComplaintPhone is the plan setting that holds the office's phone for complaints
// (监督举报电话), shown on every public notice of the plan. It is the office's number, not a
// person's.
const SettingComplaintPhone = "complaint_phone"

// CanPublish reports whether the user may publish or withdraw the projects of district's plans
// and set the plan settings of the notices: the office of that district only.
func (u *User) CanPublish(district string) bool {
	return u.CanWriteDistrict(district) && u.Has(RoleOffice)
}

// PublicationState is where a project's publication stands at a moment.
type PublicationState struct {
	Published bool
	// Since is when the current state began (the latest row on or before the moment); zero
	// when the project was never published by then.
	Since time.Time
	// First is when the project was first published; zero when never by then.
	First time.Time
	// Withdrawn is the latest withdrawal on or before the moment; zero when none.
	Withdrawn time.Time
}

// PublicationAt is the state the publications of one project (in the order they were written)
// leave it in at the moment at: the latest row on or before at decides.
func PublicationAt(pubs []Publication, at time.Time) PublicationState {
	var s PublicationState
	for _, p := range pubs {
		if p.At.After(at) {
			continue
		}
		if p.Published == s.Published && !s.Since.IsZero() {
			continue // a repeat says nothing new
		}
		s.Published, s.Since = p.Published, p.At
		if p.Published && s.First.IsZero() {
			s.First = p.At
		}
		if !p.Published {
			s.Withdrawn = p.At
		}
	}
	return s
}

// PublishedAt reports whether the publications of one project leave it published at at.
func PublishedAt(pubs []Publication, at time.Time) bool {
	return PublicationAt(pubs, at).Published
}

// PublicationChange says whether the project named may be published (publish) or withdrawn
// at now given its publications: nil, or ECONFLICT with the reason (it already stands so).
func PublicationChange(name string, pubs []Publication, publish bool, now time.Time) error {
	st := PublicationAt(pubs, now)
	switch {
	case publish && st.Published:
		return Errorf(ECONFLICT, "项目“%s”已于 %s 公示，无需重复公示", name, st.Since.In(Beijing).Format("2006-01-02 15:04"))
	case !publish && !st.Published:
		return Errorf(ECONFLICT, "项目“%s”未在公示中，无需撤回", name)
	}
	return nil
}

// CheckPlanSetting checks the value of a setting the office sets on its plan of year: the
// complaint phone is a phone number of 7 to 20 digits (with -, spaces, parentheses, a leading
// +, 转 and an extension allowed); the industrial projects' start day a day of the plan's
// year or the next (ParseIndustrialStartBy); other values at most 200 characters.
func CheckPlanSetting(name, value string, year int) error {
	if strings.TrimSpace(name) == "" {
		return Errorf(EINVALID, "设置项的名称不能为空")
	}
	if utf8.RuneCountInString(value) > 200 {
		return Errorf(EINVALID, "设置“%s”的值过长（不超过 200 个字）", name)
	}
	if name == SettingIndustrialStartBy {
		_, err := ParseIndustrialStartBy(value, year)
		return err
	}
	if name != SettingComplaintPhone {
		return nil
	}
	v := strings.TrimSpace(value)
	if v == "" {
		return nil // no phone: the notices say none is set
	}
	if !rePhone.MatchString(v) {
		return Errorf(EINVALID, "监督举报电话“%s”不是电话号码，应如 010-69842345 或 12345", v)
	}
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 5 || digits > 20 {
		return Errorf(EINVALID, "监督举报电话“%s”应有 5 到 20 位数字", v)
	}
	return nil
}

var rePhone = regexp.MustCompile(`^\+?[0-9(（][0-9 ()\-（）]*(?:转[0-9]+)?$`)

// Disclosure is what the public notice of one project shows (公示内容): all of it is public.
type Disclosure struct {
	ProjectID int64
	Name      string
	Region    string // 协作地区
	Category  string
	Nature    string
	Villages  []string // the villages it reaches by name, as recorded by then; none when not recorded
	Content   string   // 建设规模和建设内容
	FundUse   string
	// DistrictFund is the plan's district fund (fen); Disbursed what was disbursed by then
	// (fen), Valid only when the project's money ledger holds a disbursement by then.
	DistrictFund Num
	Disbursed    Num
	// VillageCount is the number of distinct villages recorded by then, else the plan's
	// figure; People the plan's beneficiary people.
	VillageCount Num
	People       Num
	Employed     Num
	Implementer  string
	Period       string // 实施期限, as the plan writes it
	Benefit      string
	// ComplaintPhone is the office's phone for complaints ("" when none is set).
	ComplaintPhone string
	// Published is when the project was published (the current publication).
	Published time.Time
}

// PublicNotice builds the notice of project p as of the moment at: the plan's public columns
// (never Managers), the villages recorded for it (facts in the order written; a removal drops
// a village again), the money disbursed by at's day (the sum of its disbursements, reversals
// included), the office's complaint phone and the publication's date. Every text goes through
// StripPersonal.
func PublicNotice(p Project, villages []ProjectVillage, txs []FundTx, phone string, st PublicationState, at time.Time) Disclosure {
	n := Disclosure{
		ProjectID:      p.ID,
		Name:           StripPersonal(p.Name),
		Region:         StripPersonal(p.Region),
		Category:       StripPersonal(p.Category),
		Nature:         StripPersonal(p.Nature),
		Content:        StripPersonal(p.Content),
		FundUse:        StripPersonal(p.FundUse),
		DistrictFund:   p.DistrictFund,
		VillageCount:   p.Villages,
		People:         p.People,
		Employed:       p.Employed,
		Implementer:    StripPersonal(p.Implementer),
		Period:         StripPersonal(p.Period.Text),
		Benefit:        StripPersonal(p.Benefit),
		ComplaintPhone: strings.TrimSpace(phone),
		Published:      st.Since,
	}
	type key struct{ code, name string }
	var order []key
	kept := map[key]string{}
	for _, v := range villages {
		if v.ProjectID != p.ID || v.At.After(at) {
			continue
		}
		k := key{v.Code, ""}
		if v.Code == "" {
			k.name = v.Name
		}
		if v.Removed {
			delete(kept, k)
			continue
		}
		if _, ok := kept[k]; !ok {
			order = append(order, k)
		}
		kept[k] = v.Name
	}
	for _, k := range order {
		if name, ok := kept[k]; ok && !slices.Contains(n.Villages, name) {
			n.Villages = append(n.Villages, StripPersonal(name))
		}
	}
	if len(kept) > 0 {
		n.VillageCount = Num{V: int64(len(kept)), Valid: true}
	}
	day := DateOf(at.In(Beijing))
	for _, tx := range txs {
		if tx.ProjectID != p.ID || tx.Kind != FundDisbursement || DaysBetween(tx.On, day) < 0 {
			continue
		}
		n.Disbursed.V += tx.Amount
		n.Disbursed.Valid = true
	}
	return n
}

// Personal numbers a text may hold by mistake: mobile phones (with or without +86 and
// separators) and ID numbers (15 or 18 characters, or 18 grouped 6-8-4), in ASCII or in the
// full-width digits a Chinese input method types, grouped by spaces, hyphens or dots.
var (
	reMobile = regexp.MustCompile(`(?:[+＋]?(?:86|８６)` + sepRE + `)?[1１][3-9３-９]` + digitRE + `(?:` + sepRE + digitRE + `){8}`)
	reIDNum  = regexp.MustCompile(digitRE + `{6}` + sepRE + digitRE + `{8}` + sepRE + digitRE + `{3}[0-9０-９XxＸｘ]|` + digitRE + `{15}`)
)

const (
	digitRE = `[0-9０-９]`
	sepRE   = `[ .\-　－．]?`
)

// StripPersonal strikes out of a public text whatever looks like a mobile phone or an ID
// number (the plan's texts are public, but a person's number typed into one must not reach
// the public page).
func StripPersonal(s string) string {
	if !strings.ContainsAny(s, "0123456789０１２３４５６７８９") {
		return s
	}
	s = reIDNum.ReplaceAllString(s, "［号码已隐去］")
	return reMobile.ReplaceAllString(s, "［号码已隐去］")
}
