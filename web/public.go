package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// The public notice pages (公告公示) under /public/ need no sign-in and load no session: an
// index of the districts and years with published projects, a list per plan, a page per
// project, printable and downloadable as .xlsx. What a notice shows is xiezuo.PublicNotice;
// nothing personal reaches these pages (no persons in charge, no contacts, no user).
//
// A crowd must not slow signed-in users, so a public page is rendered once per state of what it
// shows and served from bytes after that: the rendered page is kept gzipped and plain, keyed
// by the path, the day asked for, the plan's version and the public version of the plan's facts
// (publications, disbursements, villages, settings: sqldb.PublicVersion). Those versions are
// trusted for publicVersionTTL per instance (a publication made on another instance shows
// within it) and dropped at once by this instance's own publishing. Answers carry an ETag
// (If-None-Match answers 304) and Cache-Control public with a short max-age. Every address
// may send publicPerIP requests in publicWindow; at most two public answers per core are
// written at once (the others wait in line, runnable by nobody, so signed-in requests keep the
// cores), and at most one rendering or workbook per two cores runs at once; a request waits
// publicWait for its turn before a 503.

const (
	publicMaxAge     = 60 // seconds browsers and proxies may keep a public page
	publicVersionTTL = time.Second
	publicPerIP      = 600 // requests per address in publicWindow
	publicWindow     = 10 * time.Second
	publicWait       = 2 * time.Second
	publicCacheBytes = 16 << 20 // rendered pages kept, plain and gzipped
)

// publicPages is the public pages' cache and their limits.
type publicPages struct {
	mu       sync.Mutex
	gen      uint64 // counts forgets: a version read before one is not kept after it
	pages    map[string]*publicPage
	size     int
	versions map[string]publicVersion // by "district/year", and "" for the index
	slots    chan struct{}            // public answers at once
	renders  chan struct{}            // renderings at once
}

type publicVersion struct {
	v       string
	checked time.Time
}

// publicPage is a rendered public answer.
type publicPage struct {
	raw, gz     []byte
	etag        string
	contentType string
}

func newPublicPages() *publicPages {
	return &publicPages{
		pages:    map[string]*publicPage{},
		versions: map[string]publicVersion{},
		slots:    make(chan struct{}, 2*runtime.NumCPU()),
		renders:  make(chan struct{}, max(1, runtime.NumCPU()/2)),
	}
}

// forget drops every kept page and version: this instance published, withdrew or changed a
// setting, and its public pages show it at once.
func (p *publicPages) forget() {
	p.mu.Lock()
	p.gen++
	p.pages = map[string]*publicPage{}
	p.versions = map[string]publicVersion{}
	p.size = 0
	p.mu.Unlock()
}

func (p *publicPages) get(key string) *publicPage {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pages[key]
}

func (p *publicPages) put(key string, page *publicPage, gen uint64) {
	n := len(page.raw) + len(page.gz) + len(key)
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen != p.gen || n > publicCacheBytes/8 {
		return // rendered from what a forget since made old, or too large to keep
	}
	if p.size+n > publicCacheBytes {
		// Keys hold versions, so old pages are never asked for again: start afresh.
		p.pages, p.size = map[string]*publicPage{}, 0
	}
	if old, ok := p.pages[key]; ok {
		p.size -= len(old.raw) + len(old.gz) + len(key)
	}
	p.pages[key] = page
	p.size += n
}

// version returns the version named key, read with read at most once per publicVersionTTL.
func (p *publicPages) version(ctx context.Context, key string, read func(context.Context) (string, error)) (string, uint64, error) {
	p.mu.Lock()
	gen := p.gen
	if v, ok := p.versions[key]; ok && !readFresh(ctx) && time.Since(v.checked) < publicVersionTTL {
		p.mu.Unlock()
		return v.v, gen, nil
	}
	p.mu.Unlock()
	v, err := read(ctx)
	if err != nil {
		return "", gen, err
	}
	p.mu.Lock()
	if gen == p.gen {
		p.versions[key] = publicVersion{v: v, checked: time.Now()}
	}
	p.mu.Unlock()
	return v, gen, nil
}

// publicAdmit lets a public request in: within its address's rate, with a free slot. It returns
// the function that frees the slot, or false when it answered already (429 or 503).
func (s *Server) publicAdmit(w http.ResponseWriter, r *http.Request) (func(), bool) {
	if !s.limit.allow("public:"+s.clientIP(r), publicPerIP, publicWindow) {
		w.Header().Set("Retry-After", strconv.Itoa(int(publicWindow.Seconds())))
		s.publicError(w, http.StatusTooManyRequests, "访问过于频繁，请稍后再试")
		return nil, false
	}
	if !acquire(r.Context(), s.pub.slots) {
		w.Header().Set("Retry-After", "2")
		s.publicError(w, http.StatusServiceUnavailable, "访问人数较多，请稍后再试")
		return nil, false
	}
	return func() { <-s.pub.slots }, true
}

// acquire takes a place in sem, waiting at most publicWait.
func acquire(ctx context.Context, sem chan struct{}) bool {
	select {
	case sem <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(publicWait)
	defer t.Stop()
	select {
	case sem <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// servePublic answers a public page from the kept bytes of key, rendering them with render
// (one rendering at a time per place in s.pub.renders) when none are kept.
func (s *Server) servePublic(w http.ResponseWriter, r *http.Request, key string, gen uint64, render func() ([]byte, error)) {
	page := s.pub.get(key)
	if page == nil {
		if !acquire(r.Context(), s.pub.renders) {
			w.Header().Set("Retry-After", "2")
			s.publicError(w, http.StatusServiceUnavailable, "访问人数较多，请稍后再试")
			return
		}
		page = s.pub.get(key) // rendered while this one waited
		if page == nil {
			body, err := render()
			<-s.pub.renders
			if err != nil {
				s.publicFail(w, r, err)
				return
			}
			sum := sha256.Sum256(body)
			page = &publicPage{raw: body, gz: gzipBytes(body), etag: `"` + hex.EncodeToString(sum[:12]) + `"`, contentType: "text/html; charset=utf-8"}
			s.pub.put(key, page, gen)
		} else {
			<-s.pub.renders
		}
	}
	h := w.Header()
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(publicMaxAge))
	h.Set("ETag", page.etag)
	h.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, page.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", page.contentType)
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(page.gz)))
		w.WriteHeader(http.StatusOK)
		w.Write(page.gz)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(page.raw)))
	w.WriteHeader(http.StatusOK)
	w.Write(page.raw)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// publicError answers a public request with a short page of its own (no session, no menu).
func (s *Server) publicError(w http.ResponseWriter, status int, msg string) {
	var buf bytes.Buffer
	err := s.tmpl["public"].ExecuteTemplate(&buf, "public_error", publicErrorData{publicBase: s.publicBase("出错了"), Status: status, Message: msg})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err != nil {
		fmt.Fprintf(w, "%d %s", status, msg)
		return
	}
	w.Write(buf.Bytes())
}

// publicFail answers a domain error with its status and message; anything else is logged and
// answered with the request ID only.
func (s *Server) publicFail(w http.ResponseWriter, r *http.Request, err error) {
	err = failoverError(err)
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		rid, _ := r.Context().Value(ridKey{}).(string)
		s.log.Error("public page failed", "rid", rid, "route", routeOf(r), "err", err)
		s.publicError(w, status, "系统内部错误，请稍后再试（编号 "+rid+"）")
		return
	}
	s.publicError(w, status, xiezuo.ErrorMessage(err))
}

// publicBase is what every public page's frame needs.
type publicBase struct {
	Title string
	CSS   []string
}

func (s *Server) publicBase(title string) publicBase {
	return publicBase{Title: title, CSS: []string{s.static.hashed["app.css"], s.static.hashed["public.css"]}}
}

type publicErrorData struct {
	publicBase
	Status  int
	Message string
}

// publicIndexData is the index of published plans.
type publicIndexData struct {
	publicBase
	AsOf  string
	Plans []publicPlanLink
}

type publicPlanLink struct {
	District string
	Year     int
	Projects int
	Href     string
}

// publicNotice is one project's notice as the pages show it.
type publicNotice struct {
	xiezuo.Disclosure
	Href         string
	Fund         string // 万元, "" when the plan gives none
	Disbursed    string // 万元, "" when no disbursement is recorded
	VillageCount string
	People       string
	PublishedOn  string
}

type publicRegion struct {
	Name    string
	Notices []publicNotice
	Fund    string
}

// publicPlanData is the notice of one plan's published projects.
type publicPlanData struct {
	publicBase
	District  string
	Year      int
	AsOf      string // the day asked for, "" for today
	Today     string
	Regions   []publicRegion
	Count     int
	Fund      string
	Disbursed string
	Phone     string
	XLSX      string
	Back      string
}

// publicProjectData is the notice of one project.
type publicProjectData struct {
	publicBase
	District string
	Year     int
	AsOf     string
	Today    string
	Notice   publicNotice
	Phone    string
	Back     string
}

// publicAsOf reads ?as_of= as the other pages do (asOf): a bad or future day is a 400.
func (s *Server) publicAsOf(w http.ResponseWriter, r *http.Request) (time.Time, string, bool) {
	at, day, err := s.asOf(r)
	if err != nil {
		s.publicFail(w, r, err)
		return time.Time{}, "", false
	}
	return at, day, true
}

func publicQuery(day string) string {
	if day == "" {
		return ""
	}
	return "?as_of=" + day
}

// publicIndex lists the districts and years with projects published on the day asked for.
func (s *Server) publicIndex(w http.ResponseWriter, r *http.Request) {
	done, ok := s.publicAdmit(w, r)
	if !ok {
		return
	}
	defer done()
	at, day, ok := s.publicAsOf(w, r)
	if !ok {
		return
	}
	v, gen, err := s.pub.version(r.Context(), "", func(ctx context.Context) (string, error) {
		n, err := s.reader(ctx).PublicationsVersion(ctx)
		return strconv.FormatInt(n, 10), err
	})
	if err != nil {
		s.publicFail(w, r, err)
		return
	}
	today := xiezuo.DateOf(s.cfg.Now().In(shanghai)).String()
	key := "index|" + day + "|" + today + "|" + v
	s.servePublic(w, r, key, gen, func() ([]byte, error) {
		plans, err := s.reader(r.Context()).PublishedPlans(r.Context(), at)
		if err != nil {
			return nil, err
		}
		d := publicIndexData{publicBase: s.publicBase("支援合作帮扶项目"), AsOf: day}
		for _, p := range plans {
			d.Plans = append(d.Plans, publicPlanLink{District: p.District, Year: p.Year, Projects: p.Projects,
				Href: "/public/" + url.PathEscape(p.District) + "/" + strconv.Itoa(p.Year) + publicQuery(day)})
		}
		return s.publicRender("public_index", d)
	})
}

func (s *Server) publicRender(name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.tmpl["public"].ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// publicPlace reads the district and year of a public path and the keys of what it shows.
func (s *Server) publicPlace(w http.ResponseWriter, r *http.Request) (district string, year int, key string, gen uint64, ok bool) {
	district = r.PathValue("district")
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1900 || year > 9999 || district == "" {
		s.publicError(w, http.StatusNotFound, "没有这个公示页面，请从公告公示首页进入")
		return "", 0, "", 0, false
	}
	_, planV, err := s.plans.getVersion(r.Context(), district, year)
	if err != nil {
		s.publicFail(w, r, err)
		return "", 0, "", 0, false
	}
	pubV, gen, err := s.pub.version(r.Context(), district+"/"+strconv.Itoa(year), func(ctx context.Context) (string, error) {
		return s.reader(ctx).PublicVersion(ctx, district, year)
	})
	if err != nil {
		s.publicFail(w, r, err)
		return "", 0, "", 0, false
	}
	today := xiezuo.DateOf(s.cfg.Now().In(shanghai)).String()
	return district, year, fmt.Sprintf("%s|%d|%s|%s|%d|%s", district, year, r.URL.Query().Get("as_of"), today, planV, pubV), gen, true
}

// publishedNotices are the notices of the projects of district's plan of year published at at,
// in plan order, and the complaint phone as set by then.
func (s *Server) publishedNotices(ctx context.Context, district string, year int, at time.Time) ([]publicNotice, string, error) {
	plan, _, err := s.plans.getVersion(ctx, district, year)
	if err != nil {
		return nil, "", err
	}
	rd := s.reader(ctx) // one database for the whole page
	pubs, err := rd.Publications(ctx, district, year)
	if err != nil {
		return nil, "", err
	}
	villages, txs, err := rd.PublicFacts(ctx, district, year)
	if err != nil {
		return nil, "", err
	}
	phone, _, err := rd.PlanSettingAt(ctx, district, year, xiezuo.SettingComplaintPhone, at)
	if err != nil {
		return nil, "", err
	}
	// A notice shows the project as approved on its day: with its adjustments (调整, each with
	// its approval document) by then.
	steps, err := rd.PlanSteps(ctx, district, year)
	if err != nil {
		return nil, "", err
	}
	day := xiezuo.DateOf(at.In(shanghai))
	var out []publicNotice
	for _, p := range plan.Projects {
		st := xiezuo.PublicationAt(pubs[p.ID], at)
		if !st.Published {
			continue
		}
		n := xiezuo.PublicNotice(xiezuo.AdjustedProject(p, steps[p.ID], day), villages, txs, phone, st, at)
		out = append(out, publicNotice{Disclosure: n, Fund: wanOf(n.DistrictFund), Disbursed: wanOf(n.Disbursed),
			VillageCount: countOf(n.VillageCount), People: countOf(n.People), PublishedOn: n.Published.In(shanghai).Format("2006-01-02"),
			Href: "/public/" + url.PathEscape(district) + "/" + strconv.Itoa(year) + "/" + strconv.FormatInt(p.ID, 10)})
	}
	return out, strings.TrimSpace(phone), nil
}

// publicPlan is the notice of one plan's published projects, by region; ?format=xlsx downloads
// the same rows as a workbook.
func (s *Server) publicPlan(w http.ResponseWriter, r *http.Request) {
	done, ok := s.publicAdmit(w, r)
	if !ok {
		return
	}
	defer done()
	at, day, ok := s.publicAsOf(w, r)
	if !ok {
		return
	}
	district, year, key, gen, ok := s.publicPlace(w, r)
	if !ok {
		return
	}
	build := func() (publicPlanData, error) {
		notices, phone, err := s.publishedNotices(r.Context(), district, year, at)
		if err != nil {
			return publicPlanData{}, err
		}
		d := publicPlanData{publicBase: s.publicBase(fmt.Sprintf("%d年%s帮扶项目公示", year, district)), District: district, Year: year,
			AsOf: day, Today: xiezuo.DateOf(s.cfg.Now().In(shanghai)).String(), Phone: phone, Count: len(notices),
			XLSX: "/public/" + url.PathEscape(district) + "/" + strconv.Itoa(year) + "?format=xlsx" + strings.Replace(publicQuery(day), "?", "&", 1),
			Back: "/public/" + publicQuery(day)}
		var fund, paid xiezuo.Num
		for _, n := range notices {
			i := slices.IndexFunc(d.Regions, func(g publicRegion) bool { return g.Name == n.Region })
			if i < 0 {
				d.Regions = append(d.Regions, publicRegion{Name: n.Region})
				i = len(d.Regions) - 1
			}
			d.Regions[i].Notices = append(d.Regions[i].Notices, n)
			fund = addNum(fund, n.DistrictFund)
			paid = addNum(paid, n.Disclosure.Disbursed)
		}
		for i := range d.Regions {
			var f xiezuo.Num
			for _, n := range d.Regions[i].Notices {
				f = addNum(f, n.DistrictFund)
			}
			d.Regions[i].Fund = wanOf(f)
		}
		d.Fund, d.Disbursed = wanOf(fund), wanOf(paid)
		return d, nil
	}
	if wantsXLSX(r) {
		if !acquire(r.Context(), s.pub.renders) {
			w.Header().Set("Retry-After", "2")
			s.publicError(w, http.StatusServiceUnavailable, "访问人数较多，请稍后再试")
			return
		}
		defer func() { <-s.pub.renders }()
		d, err := build()
		if err != nil {
			s.publicFail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age="+strconv.Itoa(publicMaxAge))
		s.writeXLSX(w, r, publicTable(d), d.Title)
		return
	}
	s.servePublic(w, r, "plan|"+key, gen, func() ([]byte, error) {
		d, err := build()
		if err != nil {
			return nil, err
		}
		return s.publicRender("public_plan", d)
	})
}

func addNum(a, b xiezuo.Num) xiezuo.Num {
	if !b.Valid {
		return a
	}
	return xiezuo.Num{V: a.V + b.V, Valid: true}
}

// publicTable is the plan's notice as a workbook's table: the page's columns, nothing else.
func publicTable(d publicPlanData) table {
	t := table{Title: d.Title, Columns: []column{
		{Header: "协作地区"}, {Header: "项目名称"}, {Header: "项目类别"}, {Header: "建设性质"}, {Header: "建设内容"},
		{Header: "受益村"}, {Header: "区级帮扶资金", Unit: "万元", Num: true}, {Header: "已拨付", Unit: "万元", Num: true},
		{Header: "受益村数", Unit: "个", Num: true}, {Header: "受益人口", Unit: "人", Num: true},
		{Header: "实施单位"}, {Header: "实施期限"}, {Header: "公示日期"},
	}}
	for _, g := range d.Regions {
		for _, n := range g.Notices {
			t.Rows = append(t.Rows, tableRow{Cells: []cell{textCell(n.Region), textCell(n.Name), textCell(n.Category), textCell(n.Nature),
				textCell(n.Content), textCell(strings.Join(n.Villages, "、")), numCell(n.Fund), numCell(n.Disbursed),
				numCell(n.VillageCount), numCell(n.People), textCell(n.Implementer), textCell(n.Period), textCell(n.PublishedOn)}})
		}
	}
	t.Note = "监督举报电话：" + d.Phone
	if d.Phone == "" {
		t.Note = "监督举报电话：未设置"
	}
	return t
}

// publicProject is the notice of one published project; an unpublished one does not exist here.
func (s *Server) publicProject(w http.ResponseWriter, r *http.Request) {
	done, ok := s.publicAdmit(w, r)
	if !ok {
		return
	}
	defer done()
	at, day, ok := s.publicAsOf(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.publicError(w, http.StatusNotFound, "没有这个公示项目")
		return
	}
	district, year, key, gen, ok := s.publicPlace(w, r)
	if !ok {
		return
	}
	s.servePublic(w, r, "project|"+strconv.FormatInt(id, 10)+"|"+key, gen, func() ([]byte, error) {
		notices, phone, err := s.publishedNotices(r.Context(), district, year, at)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(notices, func(n publicNotice) bool { return n.ProjectID == id })
		if i < 0 {
			return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个公示项目：它不存在，或未公示、已撤回")
		}
		n := notices[i]
		d := publicProjectData{publicBase: s.publicBase(n.Name + " · 项目公示"), District: district, Year: year, AsOf: day,
			Today: xiezuo.DateOf(s.cfg.Now().In(shanghai)).String(), Notice: n, Phone: phone,
			Back: "/public/" + url.PathEscape(district) + "/" + strconv.Itoa(year) + publicQuery(day)}
		return s.publicRender("public_project", d)
	})
}

// publishBlock is the project page's part about the public notice: its state, and for the
// office the button that publishes or withdraws it.
type publishBlock struct {
	CanPublish bool
	Published  bool
	Since      string
	First      string
	Withdrawn  string
	PublicHref string
	ProjectID  int64
	District   string
	Year       int
}

// publishBlockFor is the project page's publish block for project id of pd's plan.
func (s *Server) publishBlockFor(r *http.Request, pd *planData, id int64) (publishBlock, error) {
	pubs, err := s.db.Publications(r.Context(), pd.District, pd.Year)
	if err != nil {
		return publishBlock{}, err
	}
	// As of ?as_of=, the state at the end of that day, and no button: a past day is read only.
	at, day, err := s.asOf(r)
	if err != nil {
		return publishBlock{}, err
	}
	st := xiezuo.PublicationAt(pubs[id], at)
	b := publishBlock{CanPublish: day == "" && pd.User != nil && pd.User.CanPublish(pd.District), Published: st.Published,
		Since: fmtTime(st.Since), First: fmtTime(st.First), Withdrawn: fmtTime(st.Withdrawn),
		ProjectID: id, District: pd.District, Year: pd.Year,
		PublicHref: "/public/" + url.PathEscape(pd.District) + "/" + strconv.Itoa(pd.Year) + "/" + strconv.FormatInt(id, 10)}
	return b, nil
}

// publicationRow is a project on the office's publication page.
type publicationRow struct {
	ID        int64
	Name      string
	Region    string
	Published bool
	Since     string
	First     string
	Withdrawn string
}

type publicationRegion struct {
	Name      string
	Rows      []publicationRow
	Published int
}

// publicationData is the office's page of the public notice of a plan.
type publicationData struct {
	planData
	Regions   []publicationRegion
	Published int
	Phone     string
	PublicURL string
}

// publicationPage lists the plan's projects with their publication, the forms that publish and
// withdraw them (one, a region's or all), and the complaint phone.
func (s *Server) publicationPage(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "publication", "公告公示")
	if pd == nil {
		return
	}
	pubs, err := s.db.Publications(r.Context(), pd.District, pd.Year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	phone, _, err := s.db.PlanSetting(r.Context(), pd.District, pd.Year, xiezuo.SettingComplaintPhone)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := publicationData{planData: *pd, Phone: phone, PublicURL: "/public/" + url.PathEscape(pd.District) + "/" + strconv.Itoa(pd.Year)}
	now := s.cfg.Now()
	for _, p := range pd.Plan.Projects {
		st := xiezuo.PublicationAt(pubs[p.ID], now)
		i := slices.IndexFunc(d.Regions, func(g publicationRegion) bool { return g.Name == p.Region })
		if i < 0 {
			d.Regions = append(d.Regions, publicationRegion{Name: p.Region})
			i = len(d.Regions) - 1
		}
		d.Regions[i].Rows = append(d.Regions[i].Rows, publicationRow{ID: p.ID, Name: p.Name, Region: p.Region, Published: st.Published,
			Since: fmtTime(st.Since), First: fmtTime(st.First), Withdrawn: fmtTime(st.Withdrawn)})
		if st.Published {
			d.Regions[i].Published++
			d.Published++
		}
	}
	s.render(w, r, http.StatusOK, "public_office", d)
}

// publicationSave publishes or withdraws projects of a plan: the ones named (project=), a
// region's (region=) or all (all=1); office of the plan's district only.
func (s *Server) publicationSave(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	district := r.FormValue("district")
	year, err := strconv.Atoi(r.FormValue("year"))
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "请选择计划的年度")
		return
	}
	action := sqldb.AuditPublish
	publish := r.FormValue("action") != "withdraw"
	if !publish {
		action = sqldb.AuditWithdraw
	}
	if !u.CanPublish(district) {
		s.audit(r.Context(), action, "project", district, district, "failure", "只有本区的领导小组办公室可以公示或撤回项目")
		s.errorPage(w, r, http.StatusForbidden, u.DistrictRefusal(district, "公示"))
		return
	}
	plan, _, err := s.plans.getVersion(r.Context(), district, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ids []int64
	region, all := r.FormValue("region"), r.FormValue("all") == "1"
	for _, p := range plan.Projects {
		if all || (region != "" && p.Region == region) {
			ids = append(ids, p.ID)
		}
	}
	for _, v := range r.Form["project"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.errorPage(w, r, http.StatusBadRequest, "项目编号“"+v+"”不是数字")
			return
		}
		ids = append(ids, id)
	}
	if region != "" && len(ids) == 0 {
		s.errorPage(w, r, http.StatusBadRequest, "计划中没有协作地区“"+region+"”的项目")
		return
	}
	n, err := s.db.Publish(r.Context(), district, year, ids, publish)
	s.pub.forget()
	back, _, _ := strings.Cut(safeNext(r.FormValue("back")), "?")
	if back == "" || back == "/" {
		back = "/publication"
	}
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	switch {
	case err == nil && publish:
		s.flash(q, fmt.Sprintf("已公示 %d 个项目，公众可在公告公示页面查看", n), "ok")
	case err == nil:
		s.flash(q, fmt.Sprintf("已撤回 %d 个项目的公示", n), "ok")
	case xiezuo.ErrorCode(err) == xiezuo.ECONFLICT:
		s.flash(q, xiezuo.ErrorMessage(err), "warn")
	default:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, back+"?"+q.Encode(), http.StatusSeeOther)
}

// publicationPhone sets the complaint phone of a plan's notices; office only.
func (s *Server) publicationPhone(w http.ResponseWriter, r *http.Request) {
	district, year, ok := s.writeTarget(w, r, sqldb.AuditPlanSetting, "setting")
	if !ok {
		return
	}
	phone := strings.TrimSpace(r.FormValue("phone"))
	err := s.db.SetPlanSetting(r.Context(), district, year, xiezuo.SettingComplaintPhone, phone)
	s.pub.forget()
	q := url.Values{"year": {strconv.Itoa(year)}, "district": {district}}
	switch {
	case err == nil:
		s.flash(q, "监督举报电话已保存", "ok")
	case xiezuo.ErrorCode(err) == xiezuo.EINVALID:
		s.flash(q, "监督举报电话未保存："+xiezuo.ErrorMessage(err), "error")
	default:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/publication?"+q.Encode()+"#phone", http.StatusSeeOther)
}
