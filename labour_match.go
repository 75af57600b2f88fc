package xiezuo

import (
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Matching people to jobs (人岗匹配): pure and deterministic, the reasons of each proposal in
// words. The storage reads the input (sqldb.LabourMatchInput) and keeps the proposals; the office
// and the employer's contact confirm them.

// MatchPerson is what matching reads of a person on the willing list (or a worker looking for
// another job).
type MatchPerson struct {
	EntryID   int64 // the person's entry in the district's list
	PersonID  int64
	Skills    []string
	Education string
	HomeCode  string // division code of the home
	WishPlace string // 北京, 省内, 省外, 不限, or a place's name
	WishPost  string
	WishPay   int64 // fen per month, 0 not said
	Available Date
	Poor      string
	Region    string // the partner region of the home: a cadre's run matches its regions' people only
}

// MatchJob is what matching reads of a job.
type MatchJob struct {
	JobID     int64
	Employer  string
	Post      string
	Skills    []string
	Education string
	PlaceCode string
	PayMin    int64
	PayMax    int64
	Start     Date
	End       Date
	Open      int // places still open: wanted less placements on the job
	// PlaceName is the place of work in words (北京市门头沟区), which a wish naming a place is
	// matched against; "" unknown.
	PlaceName string
}

// MatchProposal is one proposal of a job to a person, with its score (higher is better) and
// the reasons in words (「技能相符：电工」, 「工作地北京市门头沟区，符合意向“北京”」, 「月薪
// 6000–8000元，不低于期望5000元」, 「可到岗2021-09-20，在招聘期内」).
type MatchProposal struct {
	EntryID  int64
	PersonID int64
	JobID    int64
	Score    int
	Reasons  []string
}

// The wishes of place a person may state (意向务工地) besides a place's name.
const (
	WishBeijing  = "北京"
	WishProvince = "省内"
	WishOutside  = "省外"
	WishAny      = "不限"
)

// MatchJobFactor is how many people a job is proposed to at most, per open place.
const MatchJobFactor = 5

// matchPayFloor: a job whose best pay is below this share (in percent) of the wish is not
// proposed.
const matchPayFloor = 80

// MatchLabour proposes to each person at most perPerson jobs, best first.
//
// Jobs: only those still open (Open > 0) and not past their end at today are proposed.
//
// Hard rules (a pair failing one is never proposed):
//   - skills: the job asks skills and the person has none of them (a skill matches the same
//     word, or one containing the other: 电工 and 高压电工);
//   - place: the person wishes 北京 and the job is outside Beijing (province 11); 省内 and the
//     job is outside the home's province; 省外 and the job is inside it; a named place and the
//     job's place name does not contain it (北京 written 北京市 is the same wish). When the
//     job's place (or, for 省内/省外, the person's home) is unknown the rule cannot be read and
//     the pair is scored lower instead;
//   - pay: the job's best pay (PayMax, else PayMin) is below 80 % of the wished pay;
//   - dates: the person is available only after the job's end;
//   - education: the person's known education is below the job's.
//
// Soft rules score (higher is better): skills in common (or a job asking none), the place
// wished, the pay against the wish, the wished post, being available by the job's start,
// education met, and a small priority for poor labourers (脱贫劳动力, then 监测对象). Each
// proposal says why in words, one reason per rule.
//
// Places: proposals are proposals, so a job may be proposed to more people than it has open
// places, but to at most MatchJobFactor (5) × Open people: the best pairs are taken first
// (score, then the person's and the job's order in the input), a person whose best jobs are
// full gets the next ones.
//
// The result is ordered by person (their order in people), then score (then job order). It is
// deterministic: the same input gives the same proposals whatever the number of cores used.
// Jobs are indexed by province and skill, so a person is compared only with the jobs that
// could pass the place and skill rules.
func MatchLabour(people []MatchPerson, jobs []MatchJob, today Date, perPerson int) []MatchProposal {
	if perPerson <= 0 || len(people) == 0 || len(jobs) == 0 {
		return nil
	}
	m := newMatcher(people, jobs, today)
	keep := max(perPerson*3, perPerson+5) // candidates kept per person, before the job caps
	cands := m.candidates(keep)
	return m.assign(cands, perPerson)
}

// mjob is a job as matching reads it, prepared once and kept small (every person reads many).
type mjob struct {
	payTop     int32 // fen, at most MaxInt32; 0 unknown
	start, end int32 // dateNum; 0 unknown
	post       int32 // post id, -1 none
	idx        int32 // its place in matcher.jobs and the input
	open       int32
	skOff      int32 // its skill ids: matcher.skflat[skOff : skOff+skN], sorted
	skN        int16
	prov       int8 // province code as a number, -1 unknown
	edu        int8
}

// mperson is a person as matching reads it.
type mperson struct {
	src     *MatchPerson
	prov    int8     // home province, -1 unknown
	poor    int8     // 5 脱贫人口, 3 监测对象, else 0: the priority it scores
	skills  []uint64 // bits of the job skill ids its skills match
	posts   []int32  // the job post ids its wished post matches, sorted
	edu     int8
	wish    byte // 'b' 北京, 'i' 省内, 'o' 省外, 'a' 不限 or none, 'n' a named place
	named   int  // index in matcher.names
	avail   int64
	wishPay int64
}

type matcher struct {
	today  int64
	jobs   []mjob
	src    []MatchJob
	skflat []int32
	people []mperson
	skill  []string // job skills by id
	// open jobs by province (-1: unknown place): those asking each skill, and those asking none.
	bySkill map[int8]map[int32]*jlist
	noSkill map[int8]*jlist
	provs   []int8     // provinces with open jobs, sorted (-1 first)
	names   []string   // the named places wished
	byName  [][]int    // the open jobs whose place contains each name, or has no place known
	nameOK  [][]uint64 // the same as bits over the jobs
}

// jlist is a list of open jobs of the index: ids[:paid] say their pay, best paid first, the
// others follow (in job order), so that a person stops reading a list once its jobs cannot
// enter the person's best.
type jlist struct {
	ids  []int32
	pays []int32 // each job's best pay, beside its id: the bound reads it without the job
	paid int
	// byPost are the jobs of the list by their post (best paid first too): a person who wishes
	// a post reads those first, with the post's bonus in the bound, then the list without it.
	byPost map[int32]*jlist
}

func (l *jlist) add(i int) { l.ids = append(l.ids, int32(i)) }

// normWord trims a word and drops the spaces inside it.
func normWord(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// educationRanks rank education words, most specific first.
var educationRanks = []struct {
	word string
	rank int
}{
	{"博士", 7}, {"硕士", 6}, {"研究生", 6}, {"本科", 5}, {"大学", 5}, {"大专", 4}, {"专科", 4}, {"高职", 4},
	{"中专", 3}, {"中职", 3}, {"职高", 3}, {"技校", 3}, {"高中", 3}, {"初中", 2}, {"小学", 1},
}

// EducationRank ranks an education (学历): 1 小学 … 7 博士; 0 unknown or none asked (不限).
func EducationRank(s string) int {
	for _, e := range educationRanks {
		if strings.Contains(s, e.word) {
			return e.rank
		}
	}
	return 0
}

// provNum is a division code's province as a number, -1 unknown.
func provNum(code string) int8 {
	p := provinceOf(code)
	if p == "" {
		return -1
	}
	return int8(p[0]-'0')*10 + int8(p[1]-'0')
}

const beijingProv = 11

// wordMatches says whether two words (skills, posts) match: the same, or one containing the
// other when both have two characters at least (电工 and 高压电工).
func wordMatches(a, b string) bool {
	if a == b {
		return true
	}
	return utf8.RuneCountInString(a) >= 2 && utf8.RuneCountInString(b) >= 2 && (strings.Contains(a, b) || strings.Contains(b, a))
}

// vocab numbers words and finds, for a word of the other side, the ids of the words it matches
// (read once per distinct word).
type vocab struct {
	id    map[string]int32
	words []string
	memo  map[string][]int32
}

func (v *vocab) add(w string) int32 {
	if id, ok := v.id[w]; ok {
		return id
	}
	id := int32(len(v.words))
	v.id[w] = id
	v.words = append(v.words, w)
	return id
}

func (v *vocab) matches(w string) []int32 {
	if ids, ok := v.memo[w]; ok {
		return ids
	}
	var ids []int32
	if id, ok := v.id[w]; ok {
		ids = append(ids, id)
	}
	if len(v.words) <= 50000 { // beyond, only the same word
		for id, x := range v.words {
			if x != w && wordMatches(x, w) {
				ids = append(ids, int32(id))
			}
		}
	}
	slices.Sort(ids)
	v.memo[w] = ids
	return ids
}

func newVocab() *vocab { return &vocab{id: map[string]int32{}, memo: map[string][]int32{}} }

func placeShort(w string) string {
	if s := strings.TrimRight(w, "市省县区"); s != "" {
		return s
	}
	return w
}

func newMatcher(people []MatchPerson, jobs []MatchJob, today Date) *matcher {
	m := &matcher{today: dateNum(today), src: jobs, bySkill: map[int8]map[int32]*jlist{}, noSkill: map[int8]*jlist{}}
	skills, posts := newVocab(), newVocab()
	provSeen := map[int8]bool{}
	m.jobs = make([]mjob, len(jobs))
	for i := range jobs {
		j := &jobs[i]
		top := j.PayMax
		if top <= 0 {
			top = j.PayMin
		}
		mj := mjob{prov: provNum(j.PlaceCode), edu: int8(EducationRank(j.Education)), payTop: int32(min(max(top, 0), math.MaxInt32)),
			open: int32(min(max(j.Open, 0), math.MaxInt32/MatchJobFactor)), post: -1, idx: int32(i), skOff: int32(len(m.skflat))}
		if !j.Start.IsZero() {
			mj.start = int32(dateNum(j.Start))
		}
		if !j.End.IsZero() {
			mj.end = int32(dateNum(j.End))
		}
		if w := normWord(j.Post); w != "" {
			mj.post = posts.add(w)
		}
		for _, s := range j.Skills {
			if s = normWord(s); s != "" && mj.skN < math.MaxInt16 {
				if id := skills.add(s); !slices.Contains(m.skflat[mj.skOff:], id) {
					m.skflat = append(m.skflat, id)
					mj.skN++
				}
			}
		}
		own := m.skflat[mj.skOff:]
		slices.Sort(own)
		m.jobs[i] = mj
		if !m.isOpen(&mj) {
			continue // never proposed
		}
		provSeen[mj.prov] = true
		if len(own) == 0 {
			l := m.noSkill[mj.prov]
			if l == nil {
				l = &jlist{}
				m.noSkill[mj.prov] = l
			}
			l.add(i)
			continue
		}
		bs := m.bySkill[mj.prov]
		if bs == nil {
			bs = map[int32]*jlist{}
			m.bySkill[mj.prov] = bs
		}
		for _, id := range own {
			l := bs[id]
			if l == nil {
				l = &jlist{}
				bs[id] = l
			}
			l.add(i)
		}
	}
	// Each list: the paid jobs best paid first, then those whose pay is not said; in job order
	// among equals.
	order := func(l *jlist) {
		slices.SortFunc(l.ids, func(a, b int32) int {
			pa, pb := m.jobs[a].payTop, m.jobs[b].payTop
			switch {
			case pa != pb && pa > 0 && pb > 0:
				return int(pb) - int(pa)
			case pa > 0 && pb == 0:
				return -1
			case pa == 0 && pb > 0:
				return 1
			}
			return int(a) - int(b)
		})
		finish := func(l *jlist) {
			l.pays = make([]int32, len(l.ids))
			l.paid = 0
			for i, id := range l.ids {
				l.pays[i] = m.jobs[id].payTop
				if l.pays[i] > 0 {
					l.paid = i + 1
				}
			}
		}
		finish(l)
		l.byPost = map[int32]*jlist{}
		for _, id := range l.ids {
			if post := m.jobs[id].post; post >= 0 {
				sub := l.byPost[post]
				if sub == nil {
					sub = &jlist{}
					l.byPost[post] = sub
				}
				sub.ids = append(sub.ids, id)
			}
		}
		for _, sub := range l.byPost {
			finish(sub)
		}
	}
	for _, l := range m.noSkill {
		order(l)
	}
	for _, bs := range m.bySkill {
		for _, l := range bs {
			order(l)
		}
	}
	m.skill = skills.words
	for p := range provSeen {
		m.provs = append(m.provs, p)
	}
	slices.Sort(m.provs)

	words := (len(m.skill) + 63) / 64
	nameIdx := map[string]int{}
	for i := range people {
		p := &people[i]
		mp := mperson{src: p, prov: provNum(p.HomeCode), edu: int8(EducationRank(p.Education)), wishPay: p.WishPay}
		switch p.Poor {
		case PoorLifted:
			mp.poor = 5
		case PoorWatched:
			mp.poor = 3
		}
		if !p.Available.IsZero() {
			mp.avail = dateNum(p.Available)
		}
		mp.skills = make([]uint64, words)
		for _, s := range p.Skills {
			if s = normWord(s); s != "" {
				for _, id := range skills.matches(s) {
					mp.skills[id/64] |= 1 << (id % 64)
				}
			}
		}
		if w := normWord(p.WishPost); w != "" {
			mp.posts = posts.matches(w)
		}
		switch w := normWord(p.WishPlace); w {
		case WishBeijing, "北京市":
			mp.wish = 'b'
		case WishProvince, "省内就业", "本省":
			mp.wish = 'i'
		case WishOutside, "省外就业", "外省":
			mp.wish = 'o'
		case WishAny, "", "均可", "无":
			mp.wish = 'a'
		default:
			mp.wish = 'n'
			k, ok := nameIdx[w]
			if !ok {
				k = len(m.names)
				nameIdx[w] = k
				m.names = append(m.names, w)
			}
			mp.named = k
		}
		m.people = append(m.people, mp)
	}
	// The open jobs whose place name holds each named wish (天津 or 天津市), and those with
	// no place known, in job order.
	for _, w := range m.names {
		short := placeShort(w)
		bits := make([]uint64, (len(jobs)+63)/64)
		var list []int
		for i := range m.jobs {
			j := &m.jobs[i]
			name := m.src[i].PlaceName
			if m.isOpen(j) && (name == "" && j.prov < 0 || strings.Contains(name, short)) {
				list = append(list, i)
				bits[i/64] |= 1 << (i % 64)
			}
		}
		m.byName = append(m.byName, list)
		m.nameOK = append(m.nameOK, bits)
	}
	return m
}

func (m *matcher) isOpen(j *mjob) bool { return j.open > 0 && (j.end == 0 || int64(j.end) >= m.today) }

// cand is a job kept for a person, by its score.
type cand struct {
	score  int32
	person int32
	job    int32
}

// better orders candidates: higher score, then earlier person, then earlier job.
func better(a, b cand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.person != b.person {
		return a.person < b.person
	}
	return a.job < b.job
}

// candidates are each person's best keep jobs passing the hard rules, best first, computed
// on every core.
func (m *matcher) candidates(keep int) [][]cand {
	out := make([][]cand, len(m.people))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(m.people)/1000))
	var wg sync.WaitGroup
	var next atomic.Int64 // people are taken in blocks, so that cores share the work evenly
	const block = 256
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen := make([]int32, len(m.jobs)) // the person (+1) that last looked at each job
			top := make([]cand, 0, keep)
			for {
				lo := int(next.Add(block)) - block
				if lo >= len(m.people) {
					return
				}
				for pi := lo; pi < min(lo+block, len(m.people)); pi++ {
					top = m.best(pi, seen, top[:0], keep)
					if len(top) > 0 {
						out[pi] = slices.Clone(top)
					}
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// best are person pi's best keep jobs, best first.
func (m *matcher) best(pi int, seen []int32, top []cand, keep int) []cand {
	p := &m.people[pi]
	mark := int32(pi + 1)
	take := func(ji int32) {
		if seen[ji] == mark {
			return
		}
		seen[ji] = mark
		s, ok := m.score(p, &m.jobs[ji], nil)
		if !ok {
			return
		}
		c := cand{score: int32(s), person: int32(pi), job: ji}
		if len(top) == keep && !better(c, top[keep-1]) {
			return
		}
		at := len(top)
		for at > 0 && better(c, top[at-1]) {
			at--
		}
		if len(top) < keep {
			top = append(top, cand{})
		}
		copy(top[at+1:], top[at:len(top)-1])
		top[at] = c
	}
	// The most a job of a list can score besides its pay, by the person's skills, the place
	// and the rules every job may meet.
	nskills := 0
	for _, set := range p.skills {
		nskills += bits.OnesCount64(set)
	}
	fixed := 10 + 5 + int(p.poor) // dates, education, priority
	placeMax := func(pr int8) int {
		switch {
		case p.wish == 'a':
			return 15
		case pr < 0, (p.wish == 'i' || p.wish == 'o') && p.prov < 0:
			return 0
		}
		return 30
	}
	// visit reads a list while its jobs may enter the person's best: the paid ones while their
	// pay may, then those whose pay is not said (5 for the pay).
	scan := func(l *jlist, bound int) {
		for i := 0; i < l.paid; i++ {
			pay := int64(l.pays[i])
			pb := 10 // the wish not said
			if p.wishPay > 0 {
				switch {
				case pay*100 < p.wishPay*matchPayFloor:
					pb = -1 // this and every job after it pays too little
				case pay >= p.wishPay:
					pb = 20 + int(min(10, (pay-p.wishPay)*10/p.wishPay))
				default:
					pb = 5
				}
			}
			if pb < 0 || len(top) == keep && bound+pb < int(top[keep-1].score) {
				break
			}
			take(l.ids[i])
		}
		if len(top) == keep && bound+5 < int(top[keep-1].score) {
			return
		}
		for _, ji := range l.ids[l.paid:] {
			take(ji)
		}
	}
	visit := func(l *jlist, skillMax int, pr int8) {
		if l == nil {
			return
		}
		bound := skillMax + placeMax(pr) + fixed
		for _, post := range p.posts {
			if sub := l.byPost[post]; sub != nil {
				scan(sub, bound+20)
			}
		}
		scan(l, bound)
	}
	skillMax := min(30+10*(nskills-1), 50)
	skillLists := func(pr int8) {
		bs := m.bySkill[pr]
		if len(bs) == 0 {
			return
		}
		for w, set := range p.skills {
			for set != 0 {
				b := set & -set
				set ^= b
				visit(bs[int32(w*64+bits.TrailingZeros64(b))], skillMax, pr)
			}
		}
	}
	switch {
	case p.wish == 'n':
		for _, ji := range m.byName[p.named] {
			take(int32(ji))
		}
	case p.wish == 'b':
		skillLists(beijingProv)
		skillLists(-1)
		visit(m.noSkill[beijingProv], 10, beijingProv)
		visit(m.noSkill[-1], 10, -1)
	case p.wish == 'i' && p.prov >= 0:
		skillLists(p.prov)
		skillLists(-1)
		visit(m.noSkill[p.prov], 10, p.prov)
		visit(m.noSkill[-1], 10, -1)
	default:
		for _, pr := range m.provs {
			if p.wish != 'o' || p.prov < 0 || pr != p.prov {
				skillLists(pr)
			}
		}
		for _, pr := range m.provs {
			if p.wish != 'o' || p.prov < 0 || pr != p.prov {
				visit(m.noSkill[pr], 10, pr)
			}
		}
	}
	return top
}

// hasBit reports whether bit i is set.
func hasBit(bs []uint64, i int) bool { return i/64 < len(bs) && bs[i/64]&(1<<(i%64)) != 0 }

// score applies the rules to a pair: ok false when a hard rule drops it; the reasons in words
// are written when words is not nil (the same code scores and explains).
func (m *matcher) score(p *mperson, j *mjob, words *[]string) (int, bool) {
	say := func(format string, args ...any) {
		*words = append(*words, fmt.Sprintf(format, args...))
	}
	if !m.isOpen(j) {
		return 0, false
	}
	src := &m.src[j.idx]
	jskills := m.skflat[j.skOff : j.skOff+int32(j.skN)]
	score := 0
	// Skills.
	if len(jskills) == 0 {
		score += 10
		if words != nil {
			say("岗位不限技能")
		}
	} else {
		n := 0
		for _, id := range jskills {
			if hasBit(p.skills, int(id)) {
				n++
			}
		}
		if n == 0 {
			return 0, false
		}
		score += min(30+10*(n-1), 50)
		if words != nil {
			var common []string
			for _, id := range jskills {
				if hasBit(p.skills, int(id)) {
					common = append(common, m.skill[id])
				}
			}
			say("技能相符：%s", strings.Join(common, "、"))
		}
	}
	// Place.
	switch {
	case j.prov < 0 && (p.wish != 'n' || src.PlaceName == ""):
		if p.wish == 'a' {
			score += 15
		}
		if words != nil {
			say("工作地未填写，请核实是否符合意向")
		}
	case p.wish == 'b':
		if j.prov != beijingProv {
			return 0, false
		}
		score += 30
		if words != nil {
			say("工作地%s，符合意向“北京”", placeWords(src))
		}
	case p.wish == 'i' || p.wish == 'o':
		if p.prov < 0 {
			if words != nil {
				say("户籍地未填写，无法判断工作地%s是否符合意向“%s”", placeWords(src), p.src.WishPlace)
			}
			break
		}
		if (j.prov == p.prov) != (p.wish == 'i') {
			return 0, false
		}
		score += 30
		if words != nil {
			say("工作地%s，符合意向“%s”", placeWords(src), p.src.WishPlace)
		}
	case p.wish == 'n':
		if !hasBit(m.nameOK[p.named], int(j.idx)) {
			return 0, false
		}
		score += 30
		if words != nil {
			say("工作地%s，符合意向“%s”", placeWords(src), p.src.WishPlace)
		}
	default:
		score += 15
		if words != nil {
			if strings.TrimSpace(p.src.WishPlace) == "" {
				say("未填意向务工地；工作地%s", placeWords(src))
			} else {
				say("意向工作地不限；工作地%s", placeWords(src))
			}
		}
	}
	// Pay.
	switch {
	case j.payTop <= 0:
		score += 5
		if words != nil {
			say("月薪未写明")
		}
	case p.wishPay <= 0:
		score += 10
		if words != nil {
			say("%s", MatchPayReason(src.PayMin, src.PayMax, 0))
		}
	case int64(j.payTop)*100 < p.wishPay*matchPayFloor:
		return 0, false
	case int64(j.payTop) >= p.wishPay:
		score += 20 + int(min(10, (int64(j.payTop)-p.wishPay)*10/p.wishPay))
		if words != nil {
			say("%s", MatchPayReason(src.PayMin, src.PayMax, p.wishPay))
		}
	default:
		score += 5
		if words != nil {
			say("%s", MatchPayReason(src.PayMin, src.PayMax, p.wishPay))
		}
	}
	// Dates.
	switch {
	case p.avail == 0:
		score += 3
		if words != nil {
			say("可到岗日期未填写")
		}
	case j.end != 0 && p.avail > int64(j.end):
		return 0, false
	case j.start == 0 || p.avail <= int64(j.start):
		score += 10
		if words != nil {
			if j.end != 0 {
				say("可到岗%s，在招聘期内（截至%s）", p.src.Available, src.End)
			} else {
				say("可到岗%s，可按时到岗", p.src.Available)
			}
		}
	default:
		score += 5
		if words != nil {
			say("可到岗%s，晚于岗位到岗日期%s", p.src.Available, src.Start)
		}
	}
	// Education.
	if j.edu > 0 {
		switch {
		case p.edu == 0:
			if words != nil {
				say("学历未填写（岗位要求%s）", src.Education)
			}
		case p.edu < j.edu:
			return 0, false
		default:
			score += 5
			if words != nil {
				say("学历%s，符合岗位要求（%s）", p.src.Education, src.Education)
			}
		}
	}
	// The wished post.
	if j.post >= 0 && len(p.posts) > 0 {
		if _, found := slices.BinarySearch(p.posts, j.post); found {
			score += 20
			if words != nil {
				say("岗位“%s”符合意向工种“%s”", src.Post, p.src.WishPost)
			}
		}
	}
	// Poor labourers first.
	score += int(p.poor)
	if words != nil {
		switch p.poor {
		case 5:
			say("脱贫劳动力，优先推荐")
		case 3:
			say("防止返贫监测对象，优先推荐")
		}
	}
	return score, true
}

// placeWords names a job's place: its name, else its code.
func placeWords(j *MatchJob) string {
	if j.PlaceName != "" {
		return j.PlaceName
	}
	return j.PlaceCode
}

// payWords writes a job's monthly pay: 月薪6000–8000元, 月薪6000元起, 月薪最高8000元.
// MatchPayReason says in words how a job's monthly pay (payMin–payMax, fen, 0 not said) stands
// against a person's wished pay (fen, 0 not said), by one rule for every proposal:
//   - the floor is known and reaches the wish: 「月薪6000–8000元，不低于期望5000元」
//     (「月薪6000元起，…」, 「月薪6000元，…」);
//   - the floor is below the wish (or not said) and the ceiling reaches it:
//     「月薪4500–5500元，可达期望5000元」, 「月薪最高6000元，可达期望5000元」;
//   - only a floor is said and it is below the wish: 「月薪4500元起，起薪略低于期望5000元」
//     (more may be paid, the job does not say);
//   - the ceiling is below the wish: 「月薪4000–4500元，略低于期望5000元」 (略低 while the best
//     pay is at least 80 % of the wish, which is when MatchLabour proposes the job at all;
//     below that 「低于期望」);
//   - the wish not said: 「未填期望月薪；月薪4500–5500元」; the pay not said: 「月薪未写明」.
//
// The same floor is worded the same way whatever the ceiling: a floor below the wish is never
// called 不低于.
func MatchPayReason(payMin, payMax, wish int64) string {
	lo, hi := max(payMin, 0), max(payMax, 0)
	if hi > 0 && lo > hi {
		lo, hi = hi, lo
	}
	pay := payWords(lo, hi)
	if lo == 0 && hi == 0 {
		return pay
	}
	if wish <= 0 {
		return "未填期望月薪；" + pay
	}
	w := yuan(wish)
	below := "略低于"
	if top := max(lo, hi); top*100 < wish*matchPayFloor {
		below = "低于"
	}
	switch {
	case lo > 0 && lo >= wish:
		return pay + "，不低于期望" + w + "元"
	case hi > 0 && hi >= wish:
		return pay + "，可达期望" + w + "元"
	case hi == 0:
		return pay + "，起薪" + below + "期望" + w + "元"
	}
	return pay + "，" + below + "期望" + w + "元"
}

func payWords(lo, hi int64) string {
	switch {
	case lo > 0 && hi > 0 && lo != hi:
		return "月薪" + yuan(lo) + "–" + yuan(hi) + "元"
	case lo > 0 && hi > 0:
		return "月薪" + yuan(lo) + "元"
	case lo > 0:
		return "月薪" + yuan(lo) + "元起"
	case hi > 0:
		return "月薪最高" + yuan(hi) + "元"
	}
	return "月薪未写明"
}

// yuan writes fen as yuan: 600000 → 6000, 650050 → 6500.5.
func yuan(fen int64) string {
	if fen%100 == 0 {
		return strconv.FormatInt(fen/100, 10)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%d.%02d", fen/100, fen%100), "0"), ".")
}

// assign takes the best pairs first so that no job is proposed to more than MatchJobFactor ×
// Open people and no person gets more than perPerson, then writes the proposals with their
// reasons, by person then score.
func (m *matcher) assign(cands [][]cand, perPerson int) []MatchProposal {
	n := 0
	for _, cs := range cands {
		n += len(cs)
	}
	all := make([]cand, 0, n)
	for _, cs := range cands {
		all = append(all, cs...)
	}
	slices.SortFunc(all, func(a, b cand) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	given := make([]int, len(m.jobs))
	got := make([][]cand, len(m.people))
	for _, c := range all {
		if len(got[c.person]) >= perPerson || given[c.job] >= MatchJobFactor*int(m.jobs[c.job].open) {
			continue
		}
		given[c.job]++
		got[c.person] = append(got[c.person], c) // in score order: all is sorted
	}
	var out []MatchProposal
	for pi, cs := range got {
		p := &m.people[pi]
		for _, c := range cs {
			var words []string
			score, _ := m.score(p, &m.jobs[c.job], &words)
			out = append(out, MatchProposal{EntryID: p.src.EntryID, PersonID: p.src.PersonID, JobID: m.src[c.job].JobID, Score: score, Reasons: words})
		}
	}
	return out
}
