package xiezuo

import (
	"strconv"
	"time"
)

// The work registers (工作台账): the facts the assessment counts (meetings, visits, agreements,
// pairings, seconded people, trainings, articles, media reports, purchases, donations, firms,
// parks and workshops, demonstration villages, problems to rectify), kept by a district in one
// shape. A register is described by its RegisterSpec (its fields, their kinds and units); an
// entry is a RegisterEntry holding its values as typed text by field key. Every form, list,
// workbook, API answer and indicator reads the spec, so a register is added by adding a spec,
// not code. Entries are dated facts never overwritten: a correction or a withdrawal is a new
// row of the same entry (Entry), the latest row at a moment applying.

// RegisterKind names a register; it is also the path segment of its pages and API.
type RegisterKind string

// The registers.
const (
	RegMeeting     RegisterKind = "meetings"      // 会议
	RegVisit       RegisterKind = "visits"        // 调研互访
	RegAgreement   RegisterKind = "agreements"    // 协议
	RegPolicy      RegisterKind = "policies"      // 政策文件
	RegPairing     RegisterKind = "pairings"      // 结对帮扶
	RegPersonnel   RegisterKind = "personnel"     // 干部人才（选派与来京）
	RegTraining    RegisterKind = "trainings"     // 培训
	RegArticle     RegisterKind = "articles"      // 信息、典型案例、工作总结
	RegMedia       RegisterKind = "media"         // 媒体报道
	RegPurchase    RegisterKind = "purchases"     // 消费帮扶采购
	RegDonation    RegisterKind = "donations"     // 社会帮扶捐赠
	RegFirm        RegisterKind = "firms"         // 引导企业投资
	RegPark        RegisterKind = "parks"         // 共建产业园区、帮扶车间
	RegDemoVillage RegisterKind = "demo-villages" // 乡村振兴示范村
	RegProblem     RegisterKind = "problems"      // 问题整改
)

// FieldKind is how a register field is typed, checked and stored.
//
// Field kinds. Values are stored as text in a normal form: FieldDate as 2006-01-02, FieldInt as
// a decimal integer, FieldAmount in fen (typed in 万元 on forms and workbooks, at most 6
// decimals), FieldChoice as one of the options, FieldChoices as options joined by "、",
// FieldUnit as the canonical unit name of the plan's units, FieldRegion as a partner region of
// the plan, FieldTeam as a work team's name, FieldCreditCode as an 18-character 统一社会信用代码
// (uppercase) valid by its check character, FieldPeriod as a ReportPeriod (2021-06, 2021-H1,
// 2021), FieldText and FieldLongText as text without control characters (200 and 4000
// characters at most). A field not reported is absent: never stored as 0 or "".
type FieldKind string

const (
	FieldText       FieldKind = "text"
	FieldLongText   FieldKind = "longtext"
	FieldDate       FieldKind = "date"
	FieldInt        FieldKind = "int"
	FieldAmount     FieldKind = "amount"
	FieldChoice     FieldKind = "choice"
	FieldChoices    FieldKind = "choices"
	FieldUnit       FieldKind = "unit"
	FieldRegion     FieldKind = "region"
	FieldTeam       FieldKind = "team"
	FieldCreditCode FieldKind = "credit_code"
	FieldPeriod     FieldKind = "period"
)

// RegisterField is one field of a register.
type RegisterField struct {
	Key      string    // the API's and the formulas' name, e.g. "date", "partner_832"
	Label    string    // the form's and the workbook's header, e.g. 会议日期
	Kind     FieldKind //
	Required bool      //
	Options  []string  // FieldChoice and FieldChoices
	Unit     string    // shown beside a number: 人, 人次, 个, 万元 (an amount's unit is always 万元)
	Help     string    // a short hint under the input
	Future   bool      // a date that may be after today (a term's end, a deadline); others may not
}

// DerivedField is a figure computed from an entry's fields, never typed: the sum of Sum, not
// reported when none of them is.
type DerivedField struct {
	Key, Label, Unit string
	Sum              []string
}

// RegisterSpec describes a register.
type RegisterSpec struct {
	Kind    RegisterKind
	Title   string // 会议
	Group   string // the menu's heading it sits under
	Fields  []RegisterField
	Derived []DerivedField
	// Which fields give the entry's date (its period), its responsible unit, its partner
	// region and its work team, when it has one; "" when none.
	DateKey, UnitKey, RegionKey, TeamKey string
	// ListKeys are the columns of the list page besides the date and unit.
	ListKeys []string
}

// RegisterEntry is one row of a register as stored: the latest row of an entry at a moment is
// the entry then; a withdrawn row ends it.
type RegisterEntry struct {
	ID        int64             // this row
	Entry     int64             // the entry: the id of its first row
	District  string            //
	Kind      RegisterKind      //
	Values    map[string]string // by field key, in the normal form of its kind; absent when not reported
	On        Date              // the fact's date (Values[spec.DateKey]); a period's last day for FieldPeriod
	Unit      string            // Values[spec.UnitKey], or the recording user's unit
	Region    string            // Values[spec.RegionKey]
	Team      string            // Values[spec.TeamKey]
	Withdrawn bool              // this row withdraws the entry (Reason says why)
	Reason    string            // why a correction or withdrawal was made
	By        string            // username
	ByUnit    string            // the recording user's unit
	At        time.Time         // when recorded
}

// Text is a field's stored text ("" when not reported).
func (e RegisterEntry) Text(key string) string { return e.Values[key] }

// Num is an integer or amount field (amounts in fen), not valid when not reported.
func (e RegisterEntry) Num(key string) Num {
	s, ok := e.Values[key]
	if !ok {
		return Num{}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return Num{}
	}
	return Known(v)
}

// EntriesAt is the entries as they stood at a moment: of the rows recorded up to it, the latest
// row of each entry, leaving out entries whose latest row withdraws them; in the order the
// entries were first recorded.
func EntriesAt(rows []RegisterEntry, at time.Time) []RegisterEntry {
	latest := map[int64]int{} // entry → index in out
	var out []RegisterEntry
	for _, r := range rows {
		if !at.IsZero() && r.At.After(at) {
			continue
		}
		key := r.Entry
		if key == 0 {
			key = r.ID
		}
		if i, ok := latest[key]; ok {
			if r.ID > out[i].ID {
				out[i] = r
			}
			continue
		}
		latest[key] = len(out)
		out = append(out, r)
	}
	kept := out[:0]
	for _, r := range out {
		if !r.Withdrawn {
			kept = append(kept, r)
		}
	}
	return kept
}
