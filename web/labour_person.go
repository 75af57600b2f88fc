package web

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

// A person's page (劳务协作): the district's entries of the person, the matches with their
// confirmations, the placements with their history; the reveal of one personal field
// (audited by storage) and the placement form.

// placementForm is the placement form as typed, with a problem beside each field.
type placementForm struct {
	Employer, CreditCode, Post, Place, Start, End, Pay string
	Match, Job, Supersedes                             string
	Reason                                             string
	Withdraw                                           bool
	Problems                                           map[string]string
}

type placementView struct {
	xiezuo.Placement
	Kind                    string
	PlaceName, PlaceInput   string
	PayText                 string // 已填写（已隐藏）: the amount is sealed, as an income
	PaySealed               bool
	Standing, Stable, Ended bool
	SupersededBy            int64
}

type labourMatchView struct {
	sqldb.LabourMatch
	ConfirmAction string
	PlaceName     string // the job's place in words
	PlaceHref     string // 登记就业: the placement form prefilled, when both sides confirmed
	// A confirmation refused: what was typed and the problem beside its field (contact, how,
	// reason or note).
	Contact, How, Reason string
	Problems             map[string]string
}

// labourMatchesBlock is what the block labour-matches shows: proposals with their
// confirmations and the forms to confirm them.
type labourMatchesBlock struct {
	Matches              []labourMatchView
	ShowPerson, CanWrite bool
	CSRF, Next           string
	Year                 int
	District             string
}

// labourFieldView is an input of the placement form.
type labourFieldView struct {
	Key, Label, Input, Value, Problem string
	Required                          bool
}

// labourEntryView is a district's entry of a person, its other fields by their labels.
type labourEntryView struct {
	sqldb.LabourPersonRow
	Fields []labourKV
}

type labourKV struct{ Label, Value string }

// labourEntryFields are an entry's other fields (Details) by their labels, in the lists' order.
func labourEntryFields(details map[string]string) []labourKV {
	var out []labourKV
	seen := map[string]bool{}
	for _, l := range []xiezuo.LabourList{xiezuo.ListWorkers, xiezuo.ListWilling} {
		for _, f := range labourDetailKeys(l) {
			if v, ok := details[f.Key]; ok && v != "" && !seen[f.Key] {
				seen[f.Key] = true
				out = append(out, labourKV{f.Label, v})
			}
		}
	}
	return out
}

type labourPersonData struct {
	labourData
	View        sqldb.LabourPersonView
	Entries     []labourEntryView
	Name        string
	BirthText   string // 1982年; the whole date only after a reveal of the ID number
	Placements  []placementView
	Matches     []labourMatchView
	MatchBlock  labourMatchesBlock
	Fields      []labourFieldView
	Form        placementForm
	FormOpen    bool
	Revealed    string // the value revealed, shown once
	RevealLabel string
	Action      string // the placement form's action
	RevealPath  string
	Next        string
	pays        map[int64]int64 // the placements' pay (fen), opened: kept when a correction leaves it blank
}

var placeCode = regexp.MustCompile(`^(\d{6}|\d{9}|\d{12})$`)

// labourPerson loads the person of the path in the chosen district for action a.
func (s *Server) labourPerson(w http.ResponseWriter, r *http.Request, a xiezuo.LabourAction) (*labourPersonData, bool) {
	ld := s.labourPlan(w, r, a, "劳务协作人员")
	if ld == nil {
		return nil, false
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	v, err := s.db.LabourPerson(r.Context(), ld.District, id, ld.Regions)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	d := &labourPersonData{labourData: *ld, View: v, Name: ld.maskName(v.Name), BirthText: labourBirthYear(v.Birth)}
	d.Title = d.Name + " · 劳务协作"
	for _, e := range v.Entries {
		d.Entries = append(d.Entries, labourEntryView{e, labourEntryFields(e.Details)})
	}
	path := "/labour/people/" + strconv.FormatInt(id, 10)
	d.Action = ld.href(path+"/placements", nil)
	d.RevealPath = ld.href(path+"/reveal", nil)
	d.Next = path + ld.link(nil)
	if d.pays, err = s.db.PlacementPays(r.Context(), ld.District, id); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	today := s.todayDate()
	current := xiezuo.CurrentPlacements(v.Placements, today)
	by := map[int64]int64{}
	for _, p := range v.Placements {
		if p.Supersedes != 0 {
			by[p.Supersedes] = p.ID
		}
	}
	for _, p := range v.Placements {
		pv := placementView{Placement: p, Kind: xiezuo.PlacementKind(p.HomeCode, p.PlaceCode), SupersededBy: by[p.ID], PlaceName: labourPlaceName(p.PlaceCode), PlaceInput: labourPlaceInput(p.PlaceCode)}
		if d.pays[p.ID] > 0 {
			pv.PaySealed = true
			pv.PayText = "已填写（已隐藏）"
		}
		pv.Standing = slices.ContainsFunc(current, func(c xiezuo.Placement) bool { return c.ID == p.ID })
		pv.Stable = pv.Standing && p.StableAt(today)
		pv.Ended = !p.End.IsZero() && p.End.Before(today)
		d.Placements = append(d.Placements, pv)
	}
	for _, m := range v.Matches {
		m.Name = ld.maskName(m.Name)
		mv := labourMatchView{LabourMatch: m, PlaceName: labourPlaceName(m.PlaceCode), ConfirmAction: ld.href("/labour/matches/"+strconv.FormatInt(m.ID, 10)+"/confirm", nil)}
		if m.State == "双方已确认" {
			mv.PlaceHref = ld.href(path, withValue(nil, "match", strconv.FormatInt(m.ID, 10))) + "#placement-form"
		}
		d.Matches = append(d.Matches, mv)
	}
	users := labourMatchUsers(d.Matches)
	for i := range d.Placements {
		users = append(users, &d.Placements[i].RecordedBy)
	}
	if err := s.labourNameUsers(r, users...); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return d, true
}

// finish fills the blocks the page shows from the form and the matches.
func (d *labourPersonData) finish() *labourPersonData {
	d.MatchBlock = labourMatchesBlock{Matches: d.Matches, CanWrite: d.CanWrite, CSRF: d.CSRF, Next: d.Next, Year: d.Year, District: d.District}
	f := d.Form
	d.Fields = nil
	for _, x := range []struct {
		key, label, input, value string
		required                 bool
	}{
		{"employer", "就业单位", "text", f.Employer, true},
		{"credit_code", "统一社会信用代码", "text", f.CreditCode, false},
		{"post", "岗位（工种）", "text", f.Post, true},
		{"place", "工作地（如 北京市昌平区、武川县，或行政区划代码）", "text", f.Place, true},
		{"start", "开始日期", "date", f.Start, true},
		{"end", "结束日期（仍在岗请留空）", "date", f.End, false},
		{"pay", "月工资（元）", "text", f.Pay, false},
	} {
		v := labourFieldView{Key: x.key, Label: x.label, Input: x.input, Value: x.value, Problem: f.Problems[x.key], Required: x.required}
		if v.Input == "date" && v.Value != "" {
			if _, ok := xiezuo.ParseFieldDate(v.Value); !ok || len(v.Value) != 10 {
				v.Input = "text" // a date input cannot show what is not a date: show what was typed
			}
		}
		d.Fields = append(d.Fields, v)
	}
	return d
}

// labourPersonPage is a person's page; ?match=ID opens the placement form filled from a match
// both sides confirmed.
func (s *Server) labourPersonPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.labourPerson(w, r, xiezuo.LabourRead)
	if !ok {
		return
	}
	if mid := r.URL.Query().Get("match"); mid != "" && d.CanWrite {
		for _, m := range d.Matches {
			if strconv.FormatInt(m.ID, 10) == mid {
				d.Form = placementForm{Employer: m.Employer, Post: m.Post, Place: labourPlaceInput(m.PlaceCode), Match: mid, Job: strconv.FormatInt(m.JobID, 10),
					Start: s.todayDate().String()}
				d.FormOpen = true
			}
		}
	}
	s.render(w, r, http.StatusOK, "labour_person", d.finish())
}

// labourReveal shows one personal field of the person unmasked, on the page it answers (never
// in a link or a log); storage audits the reveal.
func (s *Server) labourReveal(w http.ResponseWriter, r *http.Request) {
	d, ok := s.labourPerson(w, r, xiezuo.LabourReveal)
	if !ok {
		return
	}
	field := r.PostFormValue("field")
	label := map[string]string{sqldb.RevealID: "身份证号", sqldb.RevealPhone: "手机号", sqldb.RevealIncome: "月收入"}[field]
	if label == "" {
		s.errorPage(w, r, http.StatusBadRequest, "请选择要查看的项目：身份证号、手机号或月收入")
		return
	}
	entry, _ := strconv.ParseInt(r.PostFormValue("entry"), 10, 64)
	if !slices.ContainsFunc(d.View.Entries, func(e sqldb.LabourPersonRow) bool { return e.EntryID == entry }) {
		if len(d.View.Entries) == 0 {
			s.errorPage(w, r, http.StatusNotFound, "本区清单中没有此人的记录")
			return
		}
		entry = d.View.Entries[0].EntryID
	}
	v, err := s.db.RevealLabour(r.Context(), d.District, entry, field)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if field == sqldb.RevealIncome && v != "" {
		v += " 元/月" // storage answers in yuan already (it read 7600 as fen and showed 76 元/月)
	}
	if v == "" {
		v = "（未填写）"
	}
	d.Revealed, d.RevealLabel = v, label
	if field == sqldb.RevealID && !d.View.Birth.IsZero() {
		d.BirthText = d.View.Birth.String()
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "labour_person", d.finish())
}

// checkPlacementForm reads the placement form into a placement, or the problems beside its
// fields.
func checkPlacementForm(f *placementForm, today xiezuo.Date, prev *xiezuo.Placement) xiezuo.Placement {
	f.Problems = map[string]string{}
	var p xiezuo.Placement
	if prev != nil {
		p = *prev
		p.ID, p.Supersedes, p.RecordedAt, p.RecordedBy = 0, prev.ID, prev.RecordedAt, ""
		if strings.TrimSpace(f.Reason) == "" {
			f.Problems["reason"] = "请填写结束、更正或撤销的原因"
		}
		p.Reason = strings.TrimSpace(f.Reason)
		p.Withdrawn = f.Withdraw
		if f.Withdraw {
			return p
		}
	}
	p.Employer = strings.TrimSpace(f.Employer)
	if p.Employer == "" {
		f.Problems["employer"] = "请填写就业单位"
	} else if len([]rune(p.Employer)) > 200 {
		f.Problems["employer"] = "就业单位最多 200 字"
	}
	p.CreditCode = strings.ToUpper(strings.TrimSpace(f.CreditCode))
	if p.CreditCode != "" && !xiezuo.ValidCreditCode(p.CreditCode) {
		f.Problems["credit_code"] = "统一社会信用代码应为 18 位且校验位正确，如 91350100M000100Y43；不知道可以不填"
	}
	p.Post = strings.TrimSpace(f.Post)
	if p.Post == "" {
		f.Problems["post"] = "请填写岗位（工种）"
	} else if len([]rune(p.Post)) > 100 {
		f.Problems["post"] = "岗位最多 100 字"
	}
	code, problem := labourResolvePlace(f.Place)
	p.PlaceCode = code
	if problem != "" {
		f.Problems["place"] = problem
	}
	start, ok := xiezuo.ParseFieldDate(f.Start)
	switch {
	case strings.TrimSpace(f.Start) == "":
		f.Problems["start"] = "请填写就业开始日期，如 2021-09-01"
	case !ok:
		f.Problems["start"] = "“" + f.Start + "”不是日期，请写成 2021-09-01"
	case today.Before(start):
		f.Problems["start"] = "开始日期不能晚于今天（" + today.String() + "）"
	}
	p.Start = start
	p.End = xiezuo.Date{}
	if strings.TrimSpace(f.End) != "" {
		end, ok := xiezuo.ParseFieldDate(f.End)
		switch {
		case !ok:
			f.Problems["end"] = "“" + f.End + "”不是日期，请写成 2021-12-31，仍在岗请留空"
		case !start.IsZero() && end.Before(start):
			f.Problems["end"] = "结束日期早于开始日期（" + start.String() + "）"
		}
		p.End = end
	}
	p.Pay = 0
	if pay := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f.Pay), "元")); pay != "" {
		fen, ok := xiezuo.ParseDecimal(pay, xiezuo.FenPerYuan)
		if !ok || fen < 0 || fen > 100_000_000 {
			f.Problems["pay"] = "月工资请填写元数，如 5500；不知道可以不填"
		}
		p.Pay = fen
	}
	return p
}

// labourPlacementSave records a placement (a new one, or the end, correction or withdrawal of
// a standing one with its reason): 422 with the messages beside the fields and what was typed.
func (s *Server) labourPlacementSave(w http.ResponseWriter, r *http.Request) {
	d, ok := s.labourPerson(w, r, xiezuo.LabourWrite)
	if !ok {
		return
	}
	f := placementForm{Employer: r.PostFormValue("employer"), CreditCode: r.PostFormValue("credit_code"), Post: r.PostFormValue("post"),
		Place: r.PostFormValue("place"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"), Pay: r.PostFormValue("pay"),
		Match: r.PostFormValue("match"), Job: r.PostFormValue("job"), Supersedes: r.PostFormValue("supersedes"),
		Reason: r.PostFormValue("reason"), Withdraw: r.PostFormValue("withdraw") != ""}
	var prev *xiezuo.Placement
	if f.Supersedes != "" {
		id, _ := strconv.ParseInt(f.Supersedes, 10, 64)
		i := slices.IndexFunc(d.View.Placements, func(p xiezuo.Placement) bool { return p.ID == id })
		if i < 0 {
			s.errorPage(w, r, http.StatusNotFound, "此人没有编号为“"+f.Supersedes+"”的就业记录")
			return
		}
		prev = &d.View.Placements[i]
	}
	p := checkPlacementForm(&f, s.todayDate(), prev)
	if prev != nil && strings.TrimSpace(f.Pay) == "" {
		p.Pay = d.pays[prev.ID] // a correction that leaves the pay blank keeps it
	}
	if prev == nil {
		p.District, p.PersonID, p.Source = d.District, d.View.PersonID, xiezuo.PlacementRecorded
		if m, err := strconv.ParseInt(f.Match, 10, 64); err == nil && m > 0 {
			if !slices.ContainsFunc(d.View.Matches, func(x sqldb.LabourMatch) bool { return x.ID == m }) {
				f.Problems["match"] = "此人没有编号为“" + f.Match + "”的人岗匹配"
			}
			p.MatchID, p.Source = m, xiezuo.PlacementFromMatch
			p.JobID, _ = strconv.ParseInt(f.Job, 10, 64)
		}
	}
	if len(f.Problems) > 0 {
		d.Form, d.FormOpen = f, true
		s.render(w, r, http.StatusUnprocessableEntity, "labour_person", d.finish())
		return
	}
	if _, err := s.db.RecordPlacement(r.Context(), p); err != nil {
		if code := xiezuo.ErrorCode(err); code == xiezuo.EINVALID || code == xiezuo.ECONFLICT {
			f.Problems["form"] = xiezuo.ErrorMessage(err)
			d.Form, d.FormOpen = f, true
			s.render(w, r, http.StatusUnprocessableEntity, "labour_person", d.finish())
			return
		}
		s.fail(w, r, err)
		return
	}
	msg := "已登记就业"
	if prev != nil {
		msg = "已记录就业情况的变更"
	}
	http.Redirect(w, r, "/labour/people/"+strconv.FormatInt(d.View.PersonID, 10)+"?"+s.flash(d.linkValues(), msg, "ok"), http.StatusSeeOther)
}

// linkValues is the chosen plan as query values.
func (d *labourData) linkValues() map[string][]string {
	return map[string][]string{"year": {strconv.Itoa(d.Year)}, "district": {d.District}}
}
