package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// The supervision pages (督查督办: /supervision, /todo, /calendar) and the API's list of a caller's
// duties. Each reads the plan's facts (reports, reviews, closures, the office's cadence) and asks
// xiezuo.Supervise for the board as of the day the request names; nothing here restates a rule.

// boardFacts are what a board is laid out from beside the plan.
type boardFacts struct {
	groups   xiezuo.Groups
	cadence  xiezuo.Cadence
	reports  []xiezuo.Report
	closures []xiezuo.Closure
}

// loadBoard reads the facts of district's plan of year and lays out its board as of asOf.
func (s *Server) loadBoard(r *http.Request, p *xiezuo.Plan, asOf time.Time) (xiezuo.Board, boardFacts, error) {
	ctx := r.Context()
	var f boardFacts
	pf, err := s.facts.get(ctx, s.db, p.District, p.Year)
	if err != nil {
		return xiezuo.Board{}, f, err
	}
	f.groups = pf.groups
	if f.cadence, err = s.db.Cadence(ctx, p.District); err != nil {
		return xiezuo.Board{}, f, err
	}
	if f.reports, err = s.db.PlanReports(ctx, p.District, p.Year); err != nil {
		return xiezuo.Board{}, f, err
	}
	if f.closures, err = s.db.PlanClosures(ctx, p.District, p.Year); err != nil {
		return xiezuo.Board{}, f, err
	}
	return xiezuo.Supervise(p, f.groups, f.cadence, f.reports, f.closures, asOf), f, nil
}

// boardCache keeps the boards laid out as of today, each with its facts, under what it was laid
// out from (the plan's version, the groups, sqldb's SuperviseVersion of the reports, reviews,
// closures and cadence) and the day: the pages that show today's lights (tasks, units, teams,
// home, supervision, to-do, the API's duties) then cost one query. It is a copy of the database
// checked on every use; another instance's writes change the version it is checked against, so it
// holds nothing another instance needs.
type boardCache struct {
	mu sync.Mutex
	m  map[string]*cachedBoard
}

type cachedBoard struct {
	board xiezuo.Board
	facts boardFacts
}

// maxBoards bounds the cache: a board is a few hundred statuses.
const maxBoards = 32

// boardToday is the board of plan p (stored as version) as of now, with its facts, and the key
// of the facts it was laid out from, for the cache keys of pages that show it.
func (s *Server) boardToday(r *http.Request, p *xiezuo.Plan, version int64) (*cachedBoard, string, error) {
	pf, err := s.facts.get(r.Context(), s.db, p.District, p.Year)
	if err != nil {
		return nil, "", err
	}
	v, err := s.db.SuperviseVersion(r.Context(), p.District)
	if err != nil {
		return nil, "", err
	}
	now := s.today()
	factsKey := pf.key + "s" + v + ";"
	key := strings.Join([]string{p.District, strconv.Itoa(p.Year), strconv.FormatInt(version, 10), factsKey, xiezuo.DayOf(now).String()}, "\x00")
	s.boards.mu.Lock()
	c, ok := s.boards.m[key]
	s.boards.mu.Unlock()
	if ok {
		return c, factsKey, nil
	}
	b, f, err := s.loadBoard(r, p, now)
	if err != nil {
		return nil, "", err
	}
	c = &cachedBoard{b, f}
	s.boards.mu.Lock()
	if s.boards.m == nil || len(s.boards.m) >= maxBoards {
		s.boards.m = map[string]*cachedBoard{}
	}
	s.boards.m[key] = c
	s.boards.mu.Unlock()
	return c, factsKey, nil
}

// todayBoard is the board of pd's plan as of now. It marks pd's cache key with the facts it
// used, so that a cached page showing its lights is rebuilt when they change.
func (s *Server) todayBoard(r *http.Request, pd *planData) (*xiezuo.Board, error) {
	if _, err := s.groups(r, pd); err != nil {
		return nil, err
	}
	c, key, err := s.boardToday(r, pd.Plan, pd.version)
	if err != nil {
		return nil, err
	}
	pd.facts += key
	return &c.board, nil
}

// boardAt is the board of plan p as of the filter's day: today's from the cache, a past day's
// laid out anew.
func (s *Server) boardAt(r *http.Request, p *xiezuo.Plan, version int64, f xiezuo.SuperviseFilter) (*xiezuo.Board, boardFacts, error) {
	if f.AsOf.IsZero() || f.AsOf == xiezuo.DayOf(s.today()) {
		c, _, err := s.boardToday(r, p, version)
		if err != nil {
			return nil, boardFacts{}, err
		}
		return &c.board, c.facts, nil
	}
	b, facts, err := s.loadBoard(r, p, f.At(s.today()))
	return &b, facts, err
}

// stateView is a duty's light as the plan's pages (tasks, units, teams, home) show it.
func stateView(st xiezuo.DutyState) lightView {
	return lightView{Class: dutyLightClasses[st.Light.Color], Text: st.Text()}
}

// taskLight is the light of task t on board b: the duty as the office follows it, or unit's part
// of it when unit is given.
func taskLight(b *xiezuo.Board, t xiezuo.Task, unit string) (xiezuo.DutyState, lightView) {
	return partLight(b, xiezuo.DutyKey{Kind: xiezuo.DutyTask, ID: t.ID}, unit)
}

// partLight is the light of duty k on board b: the duty as the office follows it, or unit's
// part of it when unit is given and has one.
func partLight(b *xiezuo.Board, k xiezuo.DutyKey, unit string) (xiezuo.DutyState, lightView) {
	st, ok := b.Duty(k)
	if unit != "" {
		if i := slices.IndexFunc(b.Parts, func(p xiezuo.DutyStatus) bool { return p.Duty.Key == k && p.Unit == unit }); i >= 0 {
			st, ok = b.Parts[i], true
		}
	}
	if !ok {
		return xiezuo.DutyState{}, lightView{Class: "muted", Text: "无报送日期"}
	}
	return st.State, stateView(st.State)
}

// superviseFilter reads the request's filter; the as-of day may not be after today.
func (s *Server) superviseFilter(r *http.Request) (xiezuo.SuperviseFilter, error) {
	return xiezuo.ParseSuperviseFilter(r.URL.Query(), xiezuo.DayOf(s.today()))
}

// filteredBoard decodes the request's supervision filter and lays out the plan's board as of its
// day; on a bad filter or a failure it has answered the request and ok is false.
func (s *Server) filteredBoard(w http.ResponseWriter, r *http.Request, pd *planData) (f xiezuo.SuperviseFilter, b *xiezuo.Board, facts boardFacts, ok bool) {
	f, err := s.superviseFilter(r)
	if err == nil {
		b, facts, err = s.boardAt(r, pd.Plan, pd.version, f)
	}
	if err != nil {
		s.fail(w, r, err)
		return f, nil, boardFacts{}, false
	}
	return f, b, facts, true
}

// dutyLightView is a duty's light as pages show it: its colour's class, a word (never colour
// alone) and what it refers to.
type dutyLightView struct {
	Name  string // green, yellow, red, open, done
	Class string
	Word  string
	Text  string
}

var dutyLightClasses = map[xiezuo.LightColor]string{
	xiezuo.LightOpen: "muted", xiezuo.LightGreen: "light-green", xiezuo.LightYellow: "light-yellow",
	xiezuo.LightRed: "light-red", xiezuo.LightDone: "light-done",
}

func lightViewOf(st xiezuo.DutyState) dutyLightView {
	c := st.Light.Color
	return dutyLightView{Name: c.String(), Class: dutyLightClasses[c], Word: c.Word(), Text: st.Text()}
}

// dutyHref is the page of a duty: its reports (the report page).
func dutyHref(d *planData, k xiezuo.DutyKey) string { return "/duties/" + k.String() + d.q() }

// dutyRow is one duty on a supervision page.
type dutyRow struct {
	Key    string
	Kind   string // 工作要点, 任务, 项目
	Title  string
	Href   string
	Unit   string // whose part, on a unit's own list
	Role   string // the user's role there: 牵头, 配合, 各成员单位, 前方挂职干部（项目所在地区）
	Leads  string // the lead units
	Region string
	Due    string
	Light  dutyLightView
	Tally  xiezuo.Tally
	Last   *lastView
	// Notices is the number of supervision notices (督办单) not yet done (未办结) on the duty on
	// the day shown, NoticeStates how many are in each state (待签收 1、办理中 1); Issue is the
	// office's link to issue one on it.
	Notices      int
	NoticeStates string
	Issue        string
}

// lastView is a duty's latest report as a list shows it.
type lastView struct {
	ID    int64
	State string
	Class string
	When  string
	Unit  string
}

func rowOf(d *planData, st xiezuo.DutyStatus) dutyRow {
	row := dutyRow{Key: st.Duty.Key.String(), Kind: st.Duty.Key.Kind.Noun(), Title: st.Duty.Title, Href: dutyHref(d, st.Duty.Key),
		Unit: st.Unit, Leads: strings.Join(st.Leads, "、"), Region: st.Duty.Region(), Due: dueText(st.Due, d.Year),
		Light: lightViewOf(st.State), Tally: st.Tally}
	if st.Role != xiezuo.DutyNone { // a unit's part, or a cadre's region's project (Board.Mine)
		row.Role = st.Role.String()
		if st.ToUnit != "" {
			row.Role += "，报" + st.ToUnit
		}
	}
	if l := st.Last; l != nil {
		lv := &lastView{ID: l.ID, State: l.State.Text(), When: fmtTime(l.At), Unit: l.Unit}
		switch l.State {
		case xiezuo.ReportAccepted:
			lv.Class = "light-green"
		case xiezuo.ReportReturned:
			lv.Class = "light-red"
		}
		if !l.SubmittedAt.IsZero() {
			lv.When = fmtTime(l.SubmittedAt)
		}
		row.Last = lv
	}
	return row
}

// dueText writes due dates shortly: 6月30日、12月31日, or 每月25日（6月至12月） for a monthly
// cadence, with years only when they are not the plan's.
func dueText(ds []xiezuo.Date, year int) string {
	md := func(d xiezuo.Date) string {
		if d.Year != year {
			return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
		}
		return fmt.Sprintf("%d月%d日", int(d.Month), d.Day)
	}
	month := func(d xiezuo.Date) string {
		if d.Year != year {
			return fmt.Sprintf("%d年%d月", d.Year, int(d.Month))
		}
		return fmt.Sprintf("%d月", int(d.Month))
	}
	monthly := len(ds) >= 3
	for i := 1; i < len(ds) && monthly; i++ {
		prev := xiezuo.YearMonth{Year: ds[i-1].Year, Month: int(ds[i-1].Month)}
		monthly = ds[i].Day == ds[0].Day && prev.AddMonths(1) == (xiezuo.YearMonth{Year: ds[i].Year, Month: int(ds[i].Month)})
	}
	if monthly {
		return fmt.Sprintf("每月%d日（%s至%s）", ds[0].Day, month(ds[0]), month(ds[len(ds)-1]))
	}
	var parts []string
	for _, d := range ds {
		parts = append(parts, md(d))
	}
	if len(parts) == 0 {
		return "无"
	}
	return strings.Join(parts, "、")
}

// superviseData is the supervision page.
type superviseData struct {
	planData
	Filter     xiezuo.SuperviseFilter
	AsOf       string // the day shown, YYYY-MM-DD
	Today      string
	Past       bool // the page shows a past day
	Rows       []dutyRow
	Red        []dutyRow
	Counts     []lightCount
	Total      int
	HasNotices bool // the notices column is shown (dutyRow.Notices)
	RatesFirst bool // the leader reads the rates and the red list first
	RateTables []rateTable
	Options    struct{ Units, Teams, Regions []string }
	Lights     []dutyLightView
	Cadence    xiezuo.Cadence
	CanSet     bool // the office may set the cadence
	Scope      string
	TasksXLSX  string // the task list with its status columns as of the day shown, for those who may take it
}

// rateTable is a table of rates: the duties shown, or per work team, partner region or unit.
type rateTable struct {
	Title string
	Label string // the first column's header
	Rows  []xiezuo.Rate
}

// lightCount is how many duties shown have a light.
type lightCount struct {
	Light dutyLightView
	N     int
	Href  string
}

// supervisionPage shows every duty of the plan the user follows (the office, the leaders and the
// city office all of them, a team lead its teams'), with its light, lead units, due dates and
// latest report, as of the day chosen, filtered by unit, team, region and light; and the rates of
// reports per unit, team and region.
func (s *Server) supervisionPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "supervision", "督查督办")
	if pd == nil {
		return
	}
	u := pd.User
	f, b, facts, ok := s.filteredBoard(w, r, pd)
	if !ok {
		return
	}
	asOf := b.AsOf
	d := superviseData{planData: *pd, Filter: f, AsOf: xiezuo.DayOf(asOf).String(), Today: xiezuo.DayOf(s.today()).String(),
		Past: !f.AsOf.IsZero() && f.AsOf != xiezuo.DayOf(s.today()), Cadence: facts.cadence,
		RatesFirst: u.Has(xiezuo.RoleLeader) && !u.Has(xiezuo.RoleOffice),
		CanSet:     u.Has(xiezuo.RoleOffice) && u.CanWriteDistrict(pd.District)}
	d.Title = "督查督办"
	d.TasksXLSX = tasksWorkbookHref(pd, d.AsOf, d.Past)
	mine := b.Supervised(u)
	d.Scope = "全部事项"
	if !u.HasAny(xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCityOffice) {
		d.Scope = strings.Join(b.TeamsLedBy(u.Unit), "、") + "的事项"
	}
	// The options are what the user's duties hold, so a choice never empties the page by itself;
	// the teams are every team the user follows, a team with nothing due too.
	d.Options.Teams = b.SupervisedTeams(u)
	for _, st := range mine {
		for _, p := range st.Units {
			if !slices.Contains(d.Options.Units, p.Unit) {
				d.Options.Units = append(d.Options.Units, p.Unit)
			}
		}
		if reg := st.Duty.Region(); reg != "" && !slices.Contains(d.Options.Regions, reg) {
			d.Options.Regions = append(d.Options.Regions, reg)
		}
	}
	for c := xiezuo.LightGreen; c <= xiezuo.LightDone; c++ {
		d.Lights = append(d.Lights, lightViewOf(xiezuo.DutyState{Light: xiezuo.Light{Color: c}}))
	}
	d.Lights = append(d.Lights, lightViewOf(xiezuo.DutyState{}))
	shown := f.Filter(mine)
	noLight := f
	noLight.Light = ""
	counts := map[xiezuo.LightColor]int{}
	for _, st := range noLight.Filter(mine) {
		counts[st.State.Light.Color]++
	}
	for _, l := range d.Lights {
		c, _ := xiezuo.ParseLightColor(l.Name)
		if counts[c] > 0 {
			q := f.Values()
			q.Set("light", l.Name)
			d.Counts = append(d.Counts, lightCount{l, counts[c], "/supervision" + pd.link(q)})
		}
	}
	d.Total = len(shown)
	open, err := s.openNotices(r, pd.District, pd.Year, asOf)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.HasNotices = true
	issue := u.CanIssueNotice(pd.District) && !d.Past
	for _, st := range shown {
		row := rowOf(pd, st)
		row.Notices, row.NoticeStates = open[st.Duty.Key].n, open[st.Duty.Key].states()
		if issue {
			row.Issue = "/notices/new" + pd.link(url.Values{"duty": {st.Duty.Key.String()}})
		}
		d.Rows = append(d.Rows, row)
	}
	for _, st := range b.Red() {
		if slices.ContainsFunc(shown, func(o xiezuo.DutyStatus) bool { return o.Duty.Key == st.Duty.Key }) {
			d.Red = append(d.Red, rowOf(pd, st))
		}
	}
	// Rates: every breakdown within the duties listed (xiezuo.Board.RatesOf).
	rates := b.RatesOf(u, f)
	d.RateTables = []rateTable{{"", "范围", []xiezuo.Rate{{Name: "所列事项合计", Tally: rates.Year}}}}
	for _, t := range []rateTable{{"按工作专班", "工作专班", rates.Teams},
		{"按协作地区（项目）", "协作地区", rates.Regions},
		{"按责任单位", "责任单位", rates.Units}} {
		if len(t.Rows) > 0 {
			d.RateTables = append(d.RateTables, t)
		}
	}
	s.render(w, r, http.StatusOK, "supervision", d)
}

// openCount is how many notices on a duty are not yet done, by state in the order first met.
type openCount struct {
	n      int
	by     []xiezuo.NoticeState
	counts map[xiezuo.NoticeState]int
}

// states says the count by state: 待签收 1、办理中 1.
func (c openCount) states() string {
	var parts []string
	for _, st := range c.by {
		parts = append(parts, st.Text()+" "+strconv.Itoa(c.counts[st]))
	}
	return strings.Join(parts, "、")
}

// openNotices counts the supervision notices (督办单) open on each duty of district's plan of
// year at asOf: issued and not yet done or closed by then, by state.
func (s *Server) openNotices(r *http.Request, district string, year int, asOf time.Time) (map[xiezuo.DutyKey]openCount, error) {
	ns, err := s.db.PlanNotices(r.Context(), district, year)
	if err != nil {
		return nil, err
	}
	open := map[xiezuo.DutyKey]openCount{}
	for i := range ns {
		if st, ok := ns[i].StateAt(asOf); ok && st.Open() {
			c := open[ns[i].Duty]
			if c.counts == nil {
				c.counts = map[xiezuo.NoticeState]int{}
			}
			if c.counts[st] == 0 {
				c.by = append(c.by, st)
			}
			c.n++
			c.counts[st]++
			open[ns[i].Duty] = c
		}
	}
	return open, nil
}

// cadenceSave sets the district's reporting cadence (the office).
func (s *Server) cadenceSave(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditCadence, "cadence")
	if !ok {
		return
	}
	c, err := xiezuo.ParseCadence(r.FormValue("report_day"), r.FormValue("cooperate_day"), r.FormValue("warn_days"))
	if err == nil {
		err = s.db.SetCadence(r.Context(), district, c)
	}
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	switch {
	case err == nil:
		s.flash(q, "报送频次已保存："+c.String(), "ok")
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		// Back to the page with the reason; nothing was written.
		s.flash(q, "报送频次未保存："+xiezuo.ErrorMessage(err), "error")
	default:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/supervision?"+q.Encode()+"#cadence", http.StatusSeeOther)
}

// todoRow is one entry of a to-do list.
type todoRow struct {
	Kind  string
	Class string
	Date  string
	dutyRow
	Report *lastView
}

var todoClasses = map[xiezuo.ToDoKind]string{
	xiezuo.ToDoRed: "light-red", xiezuo.ToDoReturned: "light-red", xiezuo.ToDoYellow: "light-yellow",
	xiezuo.ToDoReview: "light-yellow", xiezuo.ToDoPress: "light-red", xiezuo.ToDoDue: "",
}

// todoData is a user's to-do list and its duties with their lights.
type todoData struct {
	planData
	AsOf     string
	Today    string
	Past     bool
	Items    []todoRow
	Notices  []noticeToDoRow // the supervision notices that ask something of the user (xiezuo.NoticeToDo)
	Mine     []dutyRow
	Month    string // the calendar's month of the day shown
	Cadence  xiezuo.Cadence
	ForUnit  bool // the user answers for duties of its own
	Monitors bool // the user follows the district's duties (the supervision page)
}

// todoPage is the user's to-do list (待办): what is red, returned, yellow, to review or due within
// a month, the supervision notices that ask something of the user (to sign, answer, press,
// finish, close; the leaders' 领导关注), then every duty the user follows with its light, as of
// the day chosen.
func (s *Server) todoPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "todo", "待办事项")
	if pd == nil {
		return
	}
	f, b, facts, ok := s.filteredBoard(w, r, pd)
	if !ok {
		return
	}
	u := pd.User
	asOf := b.AsOf
	day := xiezuo.DayOf(asOf)
	d := todoData{planData: *pd, AsOf: day.String(), Today: xiezuo.DayOf(s.today()).String(), Past: !f.AsOf.IsZero() && f.AsOf != xiezuo.DayOf(s.today()),
		Month: fmt.Sprintf("%04d-%02d", day.Year, int(day.Month)), Cadence: facts.cadence, Monitors: u.CanSupervise()}
	d.Title = "待办事项"
	for _, it := range xiezuo.ToDo(u, b, facts.reports) {
		row := todoRow{Kind: it.Kind.Text(), Class: todoClasses[it.Kind], Date: it.Date.String(), dutyRow: rowOf(pd, it.Status)}
		if it.Report != nil {
			row.Report = &lastView{ID: it.Report.ID, State: it.Report.State.Text(), When: fmtTime(it.Report.At), Unit: it.Report.Unit}
		}
		d.Items = append(d.Items, row)
	}
	var err error
	if d.Notices, err = s.noticeToDo(r, pd, asOf); err != nil {
		s.fail(w, r, err)
		return
	}
	mine := b.UnitParts(u.Unit)
	if !u.HasAny(xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCityOffice) {
		mine = b.Mine(u)
	}
	if !u.HasAny(xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleOffice) {
		mine = nil // the leaders and the city office answer for no duty
	}
	d.ForUnit = len(mine) > 0
	for _, st := range mine {
		d.Mine = append(d.Mine, rowOf(pd, st))
	}
	s.render(w, r, http.StatusOK, "todo", d)
}

// calendarData is a month's calendar of due dates.
type calendarData struct {
	planData
	Month      string // 2021年9月
	Prev, Next string // links
	AsOf       string
	Weeks      [][7]calendarDay
	Empty      bool
	ForMonitor bool // the dates are the duties the user follows, not its own
}

type calendarDay struct {
	Day     int
	Date    string
	InMonth bool
	Today   bool
	Items   []calendarItem
}

type calendarItem struct {
	Title, Href, Unit, Outcome string
	Class                      string
}

var outcomeClasses = map[xiezuo.DueOutcome]string{
	xiezuo.DuePending: "", xiezuo.DueOnTime: "light-green", xiezuo.DueLate: "light-yellow", xiezuo.DueMissed: "light-red", xiezuo.DueClosed: "light-done",
}

// calendarPage shows a month (?month=2021-09, default the month of the day shown) with the due
// dates of the duties the user follows (xiezuo.Board.Mine: the office's, leaders' and city office's every duty
// follows; a unit's: its own parts; a cadre's: its regions' projects), each saying what became
// of it.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "calendar", "日历")
	if pd == nil {
		return
	}
	f, err := s.superviseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	asOf := f.At(s.today())
	day := xiezuo.DayOf(asOf)
	month := xiezuo.YearMonth{Year: day.Year, Month: int(day.Month)}
	if m := r.URL.Query().Get("month"); m != "" {
		if month, err = xiezuo.ParseMonth(m); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	b, _, err := s.boardAt(r, pd.Plan, pd.version, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := pd.User
	statuses := b.Mine(u)
	d := calendarData{planData: *pd, Month: fmt.Sprintf("%d年%d月", month.Year, month.Month), AsOf: day.String()}
	d.ForMonitor = u.HasAny(xiezuo.RoleOffice, xiezuo.RoleLeader, xiezuo.RoleCityOffice)
	link := func(ym xiezuo.YearMonth) string {
		q := url.Values{"month": {ym.String()}}
		if !f.AsOf.IsZero() {
			q.Set("as_of", f.AsOf.String())
		}
		return "/calendar" + pd.link(q)
	}
	d.Prev, d.Next = link(month.AddMonths(-1)), link(month.AddMonths(1))
	d.Title = d.Month + "日历"
	cal := xiezuo.MonthCalendar(month, statuses, asOf)
	d.Empty = true
	for _, w := range cal.Weeks {
		var week [7]calendarDay
		for i, cd := range w {
			week[i] = calendarDay{Day: cd.Date.Day, Date: cd.Date.String(), InMonth: cd.InMonth, Today: cd.Today}
			for _, it := range cd.Items {
				week[i].Items = append(week[i].Items, calendarItem{Title: it.Duty.Title, Href: dutyHref(pd, it.Duty.Key), Unit: it.Unit,
					Outcome: it.Outcome.Text(), Class: outcomeClasses[it.Outcome]})
				d.Empty = d.Empty && !cd.InMonth
			}
		}
		d.Weeks = append(d.Weeks, week)
	}
	s.render(w, r, http.StatusOK, "calendar", d)
}

// apiDuty is one of the caller's duties, as DESIGN.md gives it.
type apiDuty struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Title      string         `json:"title"`
	Lead       bool           `json:"lead"`
	Due        []string       `json:"due"`
	Light      string         `json:"light"`
	LastReport *apiLastReport `json:"last_report"`
}

// apiLastReport is a duty's latest report: submitted_at null for a draft.
type apiLastReport struct {
	ID          int64   `json:"id"`
	State       string  `json:"state"`
	SubmittedAt *string `json:"submitted_at"`
}

// apiDuties lists the caller's duties of a plan with their lights as of ?as_of= (default today):
// every duty for the office (and the leaders and the city office, who read them all), a unit's
// own parts, a cadre's region's projects; filtered like the supervision page.
func (s *Server) apiDuties(w http.ResponseWriter, r *http.Request) {
	p, version := s.apiPlanVersion(w, r)
	if p == nil {
		return
	}
	f, err := s.superviseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, _, err := s.boardAt(r, p, version, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := currentUser(r)
	out := []apiDuty{}
	for _, st := range f.Filter(b.Mine(u)) {
		d := apiDuty{ID: st.Duty.Key.String(), Kind: st.Duty.Key.Kind.APIKind(), Title: st.Duty.Title, Due: []string{}, Light: st.State.Light.Color.String()}
		if st.Unit != "" {
			d.Lead = st.Role == xiezuo.DutyLead
		} else {
			d.Lead = slices.Contains(st.Leads, u.Unit)
		}
		for _, due := range st.Due {
			d.Due = append(d.Due, due.String())
		}
		if l := st.Last; l != nil {
			d.LastReport = &apiLastReport{ID: l.ID, State: string(l.State)}
			if !l.SubmittedAt.IsZero() {
				at := l.SubmittedAt.UTC().Format(time.RFC3339)
				d.LastReport.SubmittedAt = &at
			}
		}
		out = append(out, d)
	}
	writeJSON(w, http.StatusOK, map[string]any{"duties": out})
}
