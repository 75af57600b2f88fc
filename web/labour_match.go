package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

// Matching people to jobs (人岗匹配): a run proposes jobs to the people of the district's lists
// by xiezuo.MatchLabour, with the reasons in words; the office and the employer's contact
// confirm each proposal (or it is declined with a reason), dated facts kept by storage; a match
// both confirmed opens the placement form on the person's page, prefilled.

// matchesPerPerson is how many jobs a run proposes to a person at most.
const matchesPerPerson = 3

// labourMatchStates are the states a proposal can be in, for the filter.
var labourMatchStates = []string{labourMatchPending, "待确认", "办公室已确认", "用工单位已确认", "双方已确认", "已放弃", "已就业"}

// labourMatchPending is the page's first view: the proposals still to be worked — 待确认, one
// side confirmed, both confirmed and not yet placed — so that one confirmed by the office
// stays on the page for the employer's confirmation; not the declined nor the placed.
const labourMatchPending = "待处理"

// labourMatchIn reports whether a proposal in state st is shown under the filter's state.
func labourMatchIn(filter, st string) bool {
	switch filter {
	case "":
		return true
	case labourMatchPending:
		return st != "已放弃" && st != "已就业"
	}
	return st == filter
}

type labourMatchData struct {
	labourData
	State                    string
	States                   []string
	Matches                  []labourMatchView
	MatchBlock               labourMatchesBlock
	Run                      string
	Next                     string
	Refused                  bool // a confirmation refused: the page shows that match alone
	Counts                   []labourStateCount
	Total                    int // every proposal the user sees
	Page, Pages              int
	Prev, NextPage, LastHref string
}

// labourMatchesPerPage is how many proposals a page of /labour/match shows.
const labourMatchesPerPage = 50

// labourStateCount is a state of the filter with the proposals in it.
type labourStateCount struct {
	State, Label, Href string
	N                  int
	On                 bool
}

// labourMatchPage lists the district's proposals (newest run first) of one state, 待处理
// (labourMatchPending) unless another is asked (state= empty: all), 50 a page, with the count
// of each state.
func (s *Server) labourMatchPage(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourRead, "人岗匹配")
	if ld == nil {
		return
	}
	d := labourMatchData{labourData: *ld, States: labourMatchStates, Run: ld.href("/labour/match", nil), State: labourMatchPending}
	q := r.URL.Query()
	if q.Has("state") {
		d.State = ""
		if st := q.Get("state"); slices.Contains(labourMatchStates, st) {
			d.State = st
		}
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(1, page)
	stateQ := url.Values{"state": {d.State}}
	ms, err := s.db.LabourMatches(r.Context(), ld.District, "", 0, labourMatchesAll)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sees := map[int64]bool{}
	counts := map[string]int{}
	var chosen []sqldb.LabourMatch
	for _, m := range ms {
		if ld.Regions != nil {
			ok, known := sees[m.PersonID]
			if !known {
				ok = s.labourSees(r, ld, m.PersonID)
				sees[m.PersonID] = ok
			}
			if !ok {
				continue
			}
		}
		counts[m.State]++
		if labourMatchIn(labourMatchPending, m.State) {
			counts[labourMatchPending]++
		}
		d.Total++
		if labourMatchIn(d.State, m.State) {
			chosen = append(chosen, m)
		}
	}
	for _, st := range append([]string{""}, labourMatchStates...) {
		label, n := st, counts[st]
		if st == "" {
			label, n = "全部", d.Total
		}
		d.Counts = append(d.Counts, labourStateCount{State: st, Label: label, N: n, On: st == d.State,
			Href: ld.href("/labour/match", url.Values{"state": {st}})})
	}
	d.Pages = (len(chosen) + labourMatchesPerPage - 1) / labourMatchesPerPage
	d.Page = page
	if d.Pages > 0 && page > d.Pages {
		d.LastHref = ld.href("/labour/match", withValue(stateQ, "page", strconv.Itoa(d.Pages)))
	}
	lo := min(len(chosen), (page-1)*labourMatchesPerPage)
	hi := min(len(chosen), lo+labourMatchesPerPage)
	if page > 1 && d.LastHref == "" {
		d.Prev = ld.href("/labour/match", withValue(stateQ, "page", strconv.Itoa(page-1)))
	}
	if page < d.Pages {
		d.NextPage = ld.href("/labour/match", withValue(stateQ, "page", strconv.Itoa(page+1)))
	}
	d.Next = "/labour/match" + ld.link(withValue(stateQ, "page", strconv.Itoa(page)))
	for _, m := range chosen[lo:hi] {
		m.Name = ld.maskName(m.Name)
		mv := labourMatchView{LabourMatch: m, PlaceName: labourPlaceName(m.PlaceCode), ConfirmAction: ld.href("/labour/matches/"+strconv.FormatInt(m.ID, 10)+"/confirm", nil)}
		if m.State == "双方已确认" {
			mv.PlaceHref = ld.href("/labour/people/"+strconv.FormatInt(m.PersonID, 10), withValue(nil, "match", strconv.FormatInt(m.ID, 10))) + "#placement-form"
		}
		d.Matches = append(d.Matches, mv)
	}
	if err := s.labourNameUsers(r, labourMatchUsers(d.Matches)...); err != nil {
		s.fail(w, r, err)
		return
	}
	d.MatchBlock = labourMatchesBlock{Matches: d.Matches, ShowPerson: true, CanWrite: d.CanWrite, CSRF: d.CSRF, Next: d.Next, Year: d.Year, District: d.District}
	s.render(w, r, http.StatusOK, "labour_match", d)
}

// labourSees reports whether the person is in the user's regions (a cadre's scope).
func (s *Server) labourSees(r *http.Request, ld *labourData, personID int64) bool {
	_, err := s.db.LabourPerson(r.Context(), ld.District, personID, ld.Regions)
	return err == nil
}

// labourMatchRun runs matching over the district's people not at work and its open jobs, and
// stores the proposals.
func (s *Server) labourMatchRun(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourWrite, "人岗匹配")
	if ld == nil {
		return
	}
	ctx := r.Context()
	today := s.todayDate()
	people, jobs, err := s.db.LabourMatchInput(ctx, ld.District, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ld.Regions != nil { // a cadre matches the people of its own regions only
		mine := people[:0]
		for _, p := range people {
			if slices.Contains(ld.Regions, p.Region) {
				mine = append(mine, p)
			}
		}
		people = mine
	}
	ps := xiezuo.MatchLabour(people, jobs, today, matchesPerPerson)
	msg := "没有可以匹配的人员和岗位：有意愿外出务工的人员都已就业，或岗位都已招满、已过截止日期"
	if len(ps) > 0 {
		if _, err := s.db.SaveLabourMatches(ctx, ld.District, ps); err != nil {
			s.fail(w, r, err)
			return
		}
		persons := map[int64]bool{}
		for _, p := range ps {
			persons[p.PersonID] = true
		}
		msg = labourMatchRunMessage(len(persons), len(ps))
	} else if len(people) > 0 && len(jobs) > 0 {
		msg = "匹配完成：" + strconv.Itoa(len(people)) + " 人与 " + strconv.Itoa(len(jobs)) + " 个岗位在技能、工作地、薪酬或日期上都不相符，没有推荐"
	}
	http.Redirect(w, r, "/labour/match?"+s.flash(ld.linkValues(), msg, "ok"), http.StatusSeeOther)
}

// labourMatchConfirm records the office's or the employer's confirmation of a proposal, or its
// decline with a reason.
func (s *Server) labourMatchConfirm(w http.ResponseWriter, r *http.Request) {
	ld := s.labourPlan(w, r, xiezuo.LabourWrite, "人岗匹配")
	if ld == nil {
		return
	}
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kind := r.PostFormValue("kind")
	var note string
	// refuse shows the match again with the problem beside its field and what was typed (422).
	refuse := func(field, msg string) {
		s.labourMatchRefused(w, r, ld, id, labourMatchView{Contact: r.PostFormValue("contact"), How: r.PostFormValue("how"),
			Reason: r.PostFormValue("reason"), Problems: map[string]string{field: msg}})
	}
	switch kind {
	case "office":
		note = strings.TrimSpace(r.PostFormValue("note"))
	case "employer":
		contact, how := strings.TrimSpace(r.PostFormValue("contact")), strings.TrimSpace(r.PostFormValue("how"))
		if contact == "" {
			refuse("contact", "请填写用工单位联系人的姓名")
			return
		}
		if how == "" {
			refuse("how", "请填写确认方式（电话、微信、书面等）")
			return
		}
		note = contact + "（" + how + "）"
	case "decline":
		note = strings.TrimSpace(r.PostFormValue("reason"))
		if note == "" {
			refuse("reason", "请填写放弃的原因（如本人不愿意、单位已招满）")
			return
		}
	default:
		s.errorPage(w, r, http.StatusBadRequest, "请选择确认方：办公室确认、用工单位确认，或放弃")
		return
	}
	if len([]rune(note)) > 500 {
		refuse(map[string]string{"employer": "contact", "decline": "reason", "office": "note"}[kind], "说明最多 500 字")
		return
	}
	if ld.Regions != nil {
		ms, err := s.db.LabourMatches(r.Context(), ld.District, "", 0, labourMatchesAll)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var person int64
		for _, m := range ms {
			if m.ID == id {
				person = m.PersonID
			}
		}
		if person == 0 || !s.labourSees(r, ld, person) {
			s.errorPage(w, r, http.StatusNotFound, "找不到这条人岗匹配")
			return
		}
	}
	m, err := s.db.ConfirmLabourMatch(r.Context(), ld.District, id, kind, note)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := map[string]string{"office": "已记录办公室确认", "employer": "已记录用工单位确认", "decline": "已放弃这条匹配"}[kind]
	if m.State == "双方已确认" {
		msg += "；双方均已确认，可以登记就业"
	}
	next := safeNext(r.PostFormValue("next"))
	if next == "" || !strings.HasPrefix(next, "/labour") {
		next = "/labour/match" + ld.link(nil)
	}
	path, query, _ := strings.Cut(next, "?")
	q, _ := url.ParseQuery(query)
	for _, k := range []string{"msg", "kind", "sig"} {
		q.Del(k)
	}
	http.Redirect(w, r, path+"?"+s.flash(q, msg, "ok"), http.StatusSeeOther)
}

// labourMatchRunMessage is the words of a run that proposed: proposals, not jobs (a job is
// proposed to many people).
func labourMatchRunMessage(persons, proposals int) string {
	return "匹配完成：为 " + strconv.Itoa(persons) + " 人提出 " + strconv.Itoa(proposals) + " 条推荐，请逐条确认"
}

// labourMatchRefused answers a refused confirmation with 422: the match page showing that match
// alone, its form open with the problem beside the field and what was typed.
func (s *Server) labourMatchRefused(w http.ResponseWriter, r *http.Request, ld *labourData, id int64, typed labourMatchView) {
	ms, err := s.db.LabourMatches(r.Context(), ld.District, "", 0, labourMatchesAll)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(ms, func(m sqldb.LabourMatch) bool { return m.ID == id })
	if i < 0 || (ld.Regions != nil && !s.labourSees(r, ld, ms[i].PersonID)) {
		s.errorPage(w, r, http.StatusNotFound, "找不到这条人岗匹配")
		return
	}
	m := ms[i]
	m.Name = ld.maskName(m.Name)
	typed.LabourMatch = m
	typed.PlaceName = labourPlaceName(m.PlaceCode)
	typed.ConfirmAction = ld.href("/labour/matches/"+strconv.FormatInt(m.ID, 10)+"/confirm", nil)
	d := labourMatchData{labourData: *ld, States: labourMatchStates, Run: ld.href("/labour/match", nil), Refused: true}
	d.Next = safeNext(r.PostFormValue("next"))
	if d.Next == "" || !strings.HasPrefix(d.Next, "/labour") {
		d.Next = "/labour/match" + ld.link(nil)
	}
	d.Matches = []labourMatchView{typed}
	if err := s.labourNameUsers(r, labourMatchUsers(d.Matches)...); err != nil {
		s.fail(w, r, err)
		return
	}
	d.MatchBlock = labourMatchesBlock{Matches: d.Matches, ShowPerson: true, CanWrite: d.CanWrite, CSRF: d.CSRF, Next: d.Next, Year: d.Year, District: d.District}
	s.render(w, r, http.StatusUnprocessableEntity, "labour_match", d)
}

// labourMatchesAll asks storage for every proposal of a district (it reads them all and cuts
// at the limit, 200 when 0).
const labourMatchesAll = 1 << 30
