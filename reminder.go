package xiezuo

import (
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ReminderKind says why a reminder is sent.
type ReminderKind string

// Reminder kinds, from the least to the most pressing.
const (
	ReminderDue              ReminderKind = "due"               // a date of the duty is today
	ReminderYellow           ReminderKind = "yellow"            // due within the office's warning days
	ReminderReturned         ReminderKind = "returned"          // the office (or the lead unit) returned a report
	ReminderRed              ReminderKind = "red"               // overdue and not done
	ReminderNoticeUnanswered ReminderKind = "notice_unanswered" // a supervision notice past its reply date
	ReminderNoticeEscalated  ReminderKind = "notice_escalated"  // an unanswered notice escalated to the lead unit and the leaders
)

// reminderKinds lists the kinds in order of how pressing they are.
var reminderKinds = []ReminderKind{ReminderDue, ReminderYellow, ReminderReturned, ReminderRed, ReminderNoticeUnanswered, ReminderNoticeEscalated}

// Text is the kind in words, as lists and messages show it.
func (k ReminderKind) Text() string {
	switch k {
	case ReminderDue:
		return "今日到期"
	case ReminderYellow:
		return "即将到期"
	case ReminderReturned:
		return "报送被退回"
	case ReminderRed:
		return "已逾期"
	case ReminderNoticeUnanswered:
		return "督办单逾期未回复"
	case ReminderNoticeEscalated:
		return "督办单已升级"
	}
	return string(k)
}

// Escalates reports whether a reminder of the kind also reaches the duty's lead units, the lead
// units of its work teams and the office, not only the unit that holds the item (DESIGN:
// "reminders reach the lead unit and the work team").
func (k ReminderKind) Escalates() bool {
	return k == ReminderYellow || k == ReminderRed || k == ReminderNoticeUnanswered || k == ReminderNoticeEscalated
}

// Reminder is one thing to tell a unit on a day: a duty due, overdue, returned, or a notice
// unanswered. Who hears of it follows from its kind (ReminderReaches).
type Reminder struct {
	Kind     ReminderKind
	District string
	Unit     string // the unit that holds the item; "" for a project's reminder to its region's cadres
	// Region is set for the reminder of a project to the cadres (前方挂职干部) bound to its
	// partner region, who report on it beside its lead unit (Board.Mine): only they hear of it,
	// in the application; it has no unit, so no unit's channel carries it.
	Region string
	Duty   DutyKey
	Title  string // the duty as people name it, e.g. 任务第3项：召开联席会议
	Text   string // what to do, in Chinese
	Due    Date   // the date it is (or was) due; zero when none
	// Leads are the duty's lead units and the lead units of the work teams that answer for
	// it: who else hears of an escalating reminder.
	Leads []string
}

// reaches reports whether unit, one of the office's units when office is set, or a leader's
// when leader is set, hears of r.
func (r Reminder) reaches(unit string, office, leader bool) bool {
	switch {
	case unit == r.Unit:
		return true
	case !r.Kind.Escalates():
		return false
	case office || slices.Contains(r.Leads, unit):
		return true
	}
	return leader && r.Kind == ReminderNoticeEscalated
}

// ReminderReaches reports whether user u hears of r in the application: the users of the unit
// that holds the item; for an escalating kind also the users of its lead units and the office;
// for an escalated notice also the district's leaders. Administrators (系统、安全、审计) and
// disabled accounts hear of nothing; nobody hears of another district's reminders.
func ReminderReaches(r Reminder, u *User) bool {
	if u.Disabled || u.District != r.District || !u.HasAny(RoleOffice, RoleUnit, RoleTeamLead, RoleCadre, RoleLeader) {
		return false
	}
	if r.Unit == "" && r.Region != "" {
		return u.Has(RoleCadre) && slices.Contains(u.Regions, r.Region)
	}
	if u.Has(RoleLeader) && !u.HasAny(RoleOffice, RoleUnit, RoleTeamLead, RoleCadre) {
		return r.reaches("", false, true)
	}
	return r.reaches(u.Unit, u.Has(RoleOffice), u.Has(RoleLeader))
}

// UserReminder is a reminder as one user receives it in the application.
type UserReminder struct {
	UserID   int64
	Username string
	Reminder Reminder
}

// morePressing reports whether a is more pressing than b.
func morePressing(a, b ReminderKind) bool {
	return slices.Index(reminderKinds, a) > slices.Index(reminderKinds, b)
}

// dedupe keeps one reminder per duty, the most pressing (the first of equals), in first-seen
// order of the duties.
func dedupe(rs []Reminder) []Reminder {
	var out []Reminder
	at := map[DutyKey]int{}
	for _, r := range rs {
		i, ok := at[r.Duty]
		switch {
		case !ok:
			at[r.Duty] = len(out)
			out = append(out, r)
		case morePressing(r.Kind, out[i].Kind):
			out[i] = r
		}
	}
	return out
}

// ReminderRecipients gives each user the reminders of a day that reach them (ReminderReaches),
// one per duty: a duty several units hold, or red and unanswered at once, makes one message
// per person, the most pressing. Users come in the order given, each user's reminders in the
// order of rs.
func ReminderRecipients(rs []Reminder, users []User) []UserReminder {
	var out []UserReminder
	for i := range users {
		u := &users[i]
		var mine []Reminder
		for _, r := range rs {
			if ReminderReaches(r, u) {
				mine = append(mine, r)
			}
		}
		for _, r := range dedupe(mine) {
			out = append(out, UserReminder{UserID: u.ID, Username: u.Username, Reminder: r})
		}
	}
	return out
}

// UnitDigest is what one unit's channels (e-mail, 企业微信, 钉钉) get on a day: the reminders
// that reach the unit, one per duty.
type UnitDigest struct {
	District  string
	Unit      string
	Reminders []Reminder
}

// UnitDigests groups a day's reminders by the units they reach, by the rule of ReminderReaches
// applied to units: the unit that holds the item, and for an escalating kind its lead units and
// the office's units (officeUnits, by district). Units are in name order.
func UnitDigests(rs []Reminder, officeUnits map[string][]string) []UnitDigest {
	type key struct{ district, unit string }
	by := map[key][]Reminder{}
	for _, r := range rs {
		if r.Unit == "" {
			continue // a project's reminder to its region's cadres: in the application only
		}
		units := []string{r.Unit}
		if r.Kind.Escalates() {
			units = append(append(units, r.Leads...), officeUnits[r.District]...)
		}
		seen := map[string]bool{}
		for _, u := range units {
			if u == "" || seen[u] {
				continue
			}
			seen[u] = true
			k := key{r.District, u}
			by[k] = append(by[k], r)
		}
	}
	var out []UnitDigest
	for k, list := range by {
		out = append(out, UnitDigest{District: k.district, Unit: k.unit, Reminders: dedupe(list)})
	}
	slices.SortFunc(out, func(a, b UnitDigest) int {
		return strings.Compare(a.District+"\x00"+a.Unit, b.District+"\x00"+b.Unit)
	})
	return out
}

// Message is a digest as text: a subject and a body of Markdown lines that read well as plain
// text in an e-mail and as Markdown in a group robot.
func (d UnitDigest) Message(day Date) (subject, body string) {
	subject = fmt.Sprintf("【协作】%s %s 督办提醒（%d 项）", d.Unit, day, len(d.Reminders))
	var b strings.Builder
	fmt.Fprintf(&b, "### %s %s 督办提醒\n\n", d.Unit, day)
	for _, r := range d.Reminders {
		fmt.Fprintf(&b, "- **%s** %s", r.Kind.Text(), r.Title)
		if r.Unit != d.Unit {
			fmt.Fprintf(&b, "（责任单位：%s）", r.Unit)
		}
		fmt.Fprintf(&b, "：%s\n", r.Text)
	}
	b.WriteString("\n请登录协作平台查看并报送进展。\n")
	return subject, b.String()
}

// PlanReminders lists what to tell the units of district's plan p on day: each task whose
// parsed deadline is today (due), within warnDays (yellow) or passed (red), and each project
// whose planned finish month has ended (red) or ends within warnDays; for every unit that
// answers for it (group names resolved by g), with the duty's lead units and its work teams'
// lead units as Leads. Duties must carry their stored ids (a plan loaded from storage). Work
// points have no date of their own and are left to the reporting cadence.
//
// Deprecated: it reads deadlines only, so a duty reported on or closed is still reminded;
// BoardReminders reads the supervision lights and is what remind.PlanSource uses.
func PlanReminders(p *Plan, district string, g Groups, day Date, warnDays int) []Reminder {
	var out []Reminder
	for _, t := range p.Tasks {
		if t.ID == 0 {
			continue
		}
		kind, due, ok := reminderFor(t.Deadline, day, warnDays)
		if !ok {
			continue
		}
		ref := DutyRef{DutyTask, t.Number}
		units, leads := dutyUnits(p, t.Units, ref, g)
		title := fmt.Sprintf("任务第%d项：%s", t.Number, t.WorkItem)
		if t.Category != "" {
			title += "（" + t.Category + "）"
		}
		for _, u := range units {
			out = append(out, Reminder{Kind: kind, District: district, Unit: u, Duty: DutyKey{DutyTask, t.ID},
				Title: title, Text: reminderText(kind, t.Deadline.Text, due, day), Due: due, Leads: leads})
		}
	}
	for _, pr := range p.Projects {
		if pr.ID == 0 || pr.LeadUnit == "" || pr.Period.Finish.IsZero() {
			continue
		}
		f := pr.Period.Finish
		end := NewDate(f.Year, time.Month(f.Month)+1, 0)
		kind, due, ok := reminderFor(Deadline{Dates: []Date{end}}, day, warnDays)
		if !ok {
			continue
		}
		out = append(out, Reminder{Kind: kind, District: district, Unit: pr.LeadUnit, Duty: DutyKey{DutyProject, pr.ID},
			Title: fmt.Sprintf("项目：%s（%s）", pr.Name, pr.Region), Text: reminderText(kind, "计划 "+f.String()+" 完工", due, day),
			Due: due, Leads: []string{pr.LeadUnit}})
	}
	return out
}

// reminderFor is the reminder a deadline asks for on day, by its light: none while green or
// open.
func reminderFor(d Deadline, day Date, warnDays int) (ReminderKind, Date, bool) {
	l := DeadlineLight(d, day, warnDays)
	switch l.Color {
	case LightRed:
		return ReminderRed, d.Dates[len(d.Dates)-1], true
	case LightYellow:
		due := NewDate(day.Year, day.Month, day.Day+l.Days)
		if l.Days == 0 {
			return ReminderDue, due, true
		}
		return ReminderYellow, due, true
	}
	return "", Date{}, false
}

func reminderText(kind ReminderKind, deadline string, due, day Date) string {
	switch kind {
	case ReminderDue:
		return fmt.Sprintf("完成时限“%s”，今天（%s）到期，请按时完成并报送进展", deadline, due)
	case ReminderYellow:
		return fmt.Sprintf("完成时限“%s”，%s 到期，还有 %d 天，请抓紧推进并报送进展", deadline, due, DaysBetween(day, due))
	}
	return fmt.Sprintf("完成时限“%s”，已于 %s 到期，逾期 %d 天，请尽快完成并报送进展", deadline, due, DaysBetween(due, day))
}

// dutyUnits resolves the units that answer for a duty (group names by g; a collective name g
// cannot resolve, such as 各镇街, names nobody) and its leads: its own lead units and the lead
// units of the work teams one of whose leads leads it.
func dutyUnits(p *Plan, rs []Responsibility, ref DutyRef, g Groups) (units, leads []string) {
	add := func(list *[]string, u string) {
		if u != "" && !slices.Contains(*list, u) {
			*list = append(*list, u)
		}
	}
	var candidates []string
	for _, r := range rs {
		switch {
		case r.Unit == GroupAllMembers:
			candidates = append(candidates, g.Members...)
		case r.Unit == GroupRelatedMembers:
			candidates = append(candidates, g.Assigned[ref]...)
		case !IsGroupName(r.Unit):
			candidates = append(candidates, r.Unit)
		}
	}
	for _, u := range candidates {
		if UnitRole(rs, ref, u, g) != DutyNone {
			add(&units, u)
		}
		if UnitRole(rs, ref, u, g) == DutyLead {
			add(&leads, u)
		}
	}
	for _, t := range p.Teams {
		if slices.ContainsFunc(t.Leads, func(l string) bool { return UnitRole(rs, ref, l, g) == DutyLead }) {
			for _, l := range t.Leads {
				add(&leads, l)
			}
		}
	}
	return units, leads
}

// RetryDelay is how long a failed delivery waits before its next attempt, after attempts
// failed attempts: 1 minute, 5, 30, 2 hours, 12 hours; after the sixth failure it is given up
// (ok false) and shown to the office, which may send it again.
func RetryDelay(attempts int) (time.Duration, bool) {
	delays := []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 12 * time.Hour}
	if attempts < 1 || attempts > len(delays) {
		return 0, false
	}
	return delays[attempts-1], true
}

// Delivery channels of a unit's reminders besides the in-app list.
const (
	ChannelEmail    = "email"
	ChannelWeCom    = "wecom"    // 企业微信 group robot
	ChannelDingTalk = "dingtalk" // 钉钉 group robot
)

// ChannelName is a channel in words.
func ChannelName(c string) string {
	switch c {
	case ChannelEmail:
		return "电子邮件"
	case ChannelWeCom:
		return "企业微信机器人"
	case ChannelDingTalk:
		return "钉钉机器人"
	}
	return c
}

// ReminderChannel is how a unit wants its reminders besides the in-app list: e-mail addresses,
// a 企业微信 robot, a 钉钉 robot with its optional 加签 secret; all off when Enabled is false.
type ReminderChannel struct {
	District       string
	Unit           string
	Enabled        bool
	Emails         []string
	WeCom          string // webhook URL
	DingTalk       string // webhook URL
	DingTalkSecret string // 加签 secret (SEC…), sealed at rest; never shown back
	HasSecret      bool   // a secret is stored (read back without it)
	By             string
	At             time.Time
}

// Channels lists the channels set for delivery, in a fixed order: none when off.
func (c ReminderChannel) Channels() []string {
	if !c.Enabled {
		return nil
	}
	var out []string
	if len(c.Emails) > 0 {
		out = append(out, ChannelEmail)
	}
	if c.WeCom != "" {
		out = append(out, ChannelWeCom)
	}
	if c.DingTalk != "" {
		out = append(out, ChannelDingTalk)
	}
	return out
}

// ChannelInput is the form of a unit's channels as typed.
type ChannelInput struct {
	Enabled        bool
	Emails         string // separated by commas, semicolons, spaces or lines
	WeCom          string
	DingTalk       string
	DingTalkSecret string
	Hosts          []string // the operator's extra robot hosts (CheckWebhookURL)
}

// MaxEmails is how many addresses a unit's reminders go to at most.
const MaxEmails = 20

// CheckChannel checks a unit's channels as typed and returns them, or an EINVALID error that
// names each field that is wrong.
func CheckChannel(in ChannelInput) (ReminderChannel, error) {
	c := ReminderChannel{Enabled: in.Enabled, DingTalkSecret: strings.TrimSpace(in.DingTalkSecret)}
	var msgs []string
	for _, f := range strings.FieldsFunc(in.Emails, func(r rune) bool { return strings.ContainsRune(",，;； \t\r\n、", r) }) {
		a, err := mail.ParseAddress(f)
		if err != nil || a.Address != f || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@")+1:], ".") {
			msgs = append(msgs, fmt.Sprintf("电子邮件地址“%s”格式不正确，应如 name@example.gov.cn", f))
			continue
		}
		if !slices.Contains(c.Emails, a.Address) {
			c.Emails = append(c.Emails, a.Address)
		}
	}
	if len(c.Emails) > MaxEmails {
		msgs = append(msgs, fmt.Sprintf("电子邮件地址最多 %d 个，现为 %d 个", MaxEmails, len(c.Emails)))
	}
	var err error
	if c.WeCom, err = CheckWebhookURL(in.WeCom, "企业微信机器人地址", in.Hosts); err != nil {
		msgs = append(msgs, ErrorMessage(err))
	}
	if c.DingTalk, err = CheckWebhookURL(in.DingTalk, "钉钉机器人地址", in.Hosts); err != nil {
		msgs = append(msgs, ErrorMessage(err))
	}
	if HasControl(c.DingTalkSecret) || len(c.DingTalkSecret) > 200 {
		msgs = append(msgs, "钉钉加签密钥含有不可见字符或过长（最多 200 个字符）")
	}
	if len(msgs) > 0 {
		return ReminderChannel{}, Errorf(EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return c, nil
}

// DefaultWebhookHosts are the hosts a robot's webhook may name without the operator listing
// them: the public 企业微信 and 钉钉 robot services, reached over https only.
var DefaultWebhookHosts = []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com"}

// CheckWebhookURL checks a robot's webhook address: blank (none), or a URL to one of
// DefaultWebhookHosts over https, or to a host the operator listed in hosts (serve
// --webhook-hosts: a closed network's own robot relay or 政务微信 server), which may use http;
// without user or password in it, at most 1000 characters. what names the field in the
// message. Any other host is refused: the server posts to this address every day, and an
// office account must not be able to point it at the server's own network (127.0.0.1, the
// cloud's metadata service, an intranet host).
func CheckWebhookURL(s, what string, hosts []string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	listed := false
	if err == nil {
		host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		listed = slices.ContainsFunc(hosts, func(h string) bool { return normalHost(h) == host })
		switch {
		case listed:
		case slices.Contains(DefaultWebhookHosts, host):
		case host != "":
			return "", Errorf(EINVALID, "%s的主机“%s”不在允许的机器人主机之列：应为 %s；内网的机器人或政务微信服务器须由系统管理员在启动参数 --webhook-hosts 中列出",
				what, u.Hostname(), strings.Join(DefaultWebhookHosts, "、"))
		}
	}
	switch {
	case len(s) > 1000:
		return "", Errorf(EINVALID, "%s过长（最多 1000 个字符）", what)
	case err != nil || HasControl(s):
		return "", Errorf(EINVALID, "%s“%s”不是有效的网址", what, s)
	case listed && u.Scheme != "https" && u.Scheme != "http":
		return "", Errorf(EINVALID, "%s应以 https:// 或 http:// 开头，现为“%s”", what, s)
	case !listed && u.Scheme != "https":
		return "", Errorf(EINVALID, "%s应以 https:// 开头，现为“%s”", what, s)
	case u.Hostname() == "":
		return "", Errorf(EINVALID, "%s“%s”缺少主机名", what, s)
	case u.User != nil:
		return "", Errorf(EINVALID, "%s不能含有用户名或密码", what)
	case !listed && u.Port() != "" && u.Port() != "443":
		// The public robot services answer on https's port; another port of theirs is no robot,
		// and a port in the address is how a probe of other services would be typed.
		return "", Errorf(EINVALID, "%s的端口只能是 443（或不写端口），现为“%s”", what, u.Port())
	}
	return s, nil
}

// normalHost is a host name as lists compare it: lower case, without brackets or a final dot.
func normalHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.Trim(strings.TrimSpace(h), "[]")), ".")
}

// ParseWebhookHosts reads the operator's list of extra robot hosts (serve --webhook-hosts):
// host names or IP addresses separated by commas, without scheme, port or path.
func ParseWebhookHosts(s string) ([]string, error) {
	var hosts []string
	for _, f := range strings.Split(s, ",") {
		h := normalHost(f)
		if h == "" {
			continue
		}
		if strings.ContainsAny(h, "/@ ?#") || (strings.Contains(h, ":") && !strings.Contains(h, "::") && strings.Count(h, ":") == 1) || HasControl(h) {
			return nil, Errorf(EINVALID, "机器人主机“%s”应为主机名或 IP 地址，如 robot.example.gov.cn 或 10.1.2.3，不含 http://、端口和路径", strings.TrimSpace(f))
		}
		hosts = append(hosts, h)
	}
	return hosts, nil
}

// MaskWebhookURL is a robot's address as logs and the audit show it: every query value (the
// robot's access_token or key, which is all it takes to post to the group) replaced by ***, the
// fragment dropped.
func MaskWebhookURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			return s[:i] + "?***"
		}
		return s
	}
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		var parts []string
		for _, kv := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(kv, "=")
			parts = append(parts, k+"=***")
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	return u.String()
}

// CanSetSMTP reports whether u may set the server's SMTP settings: the system administrator
// only. The mail server is one for the whole server, every district's mail and its password
// going through it: it is the operator's, not a district office's.
func (u *User) CanSetSMTP() bool { return u.Has(RoleSysAdmin) }

// SMTPSettings is the server's outgoing mail: host, port, sender, and the account to sign in
// with when the server asks for one. The password is sealed at rest and never shown back.
type SMTPSettings struct {
	Host        string
	Port        int
	From        string
	Username    string
	Password    string // only on the way in, and to the sender
	HasPassword bool
	By          string
	At          time.Time
}

// Configured reports whether mail can be sent.
func (s SMTPSettings) Configured() bool { return s.Host != "" && s.From != "" }

// CheckSMTP checks the SMTP settings as typed: host (blank turns e-mail off), port 1–65535,
// the sender's address.
func CheckSMTP(host, port, from, username string) (SMTPSettings, error) {
	s := SMTPSettings{Host: strings.TrimSpace(host), From: strings.TrimSpace(from), Username: strings.TrimSpace(username)}
	if s.Host == "" {
		return SMTPSettings{}, nil
	}
	var msgs []string
	if strings.ContainsAny(s.Host, " /:@") || HasControl(s.Host) || len(s.Host) > 253 {
		msgs = append(msgs, fmt.Sprintf("SMTP 服务器“%s”应为主机名或 IP 地址，如 smtp.example.gov.cn", s.Host))
	} else if ip, err := netip.ParseAddr(s.Host); err == nil && !SMTPAddrAllowed(ip) {
		msgs = append(msgs, smtpAddrRefusal(s.Host, ip))
	}
	p := strings.TrimSpace(port)
	if p == "" {
		p = "25"
	}
	if _, err := fmt.Sscanf(p, "%d", &s.Port); err != nil || fmt.Sprint(s.Port) != p || s.Port < 1 || s.Port > 65535 {
		msgs = append(msgs, fmt.Sprintf("端口“%s”应为 1 到 65535 的整数（常用 25、465、587）", port))
	}
	if a, err := mail.ParseAddress(s.From); err != nil {
		msgs = append(msgs, fmt.Sprintf("发件人地址“%s”格式不正确，应如 xiezuo@example.gov.cn", s.From))
	} else {
		s.From = a.Address
	}
	if HasControl(s.Username) || len(s.Username) > 200 {
		msgs = append(msgs, "SMTP 用户名含有不可见字符或过长")
	}
	if len(msgs) > 0 {
		return SMTPSettings{}, Errorf(EINVALID, "%s", strings.Join(msgs, "；"))
	}
	return s, nil
}

// SMTPAddrAllowed reports whether the server may connect to ip for mail: not a link-local
// address (169.254.0.0/16, where clouds serve their metadata, and fe80::/10), nor an
// unspecified or multicast one. Loopback and private addresses stay allowed: a closed
// network's mail relay usually has one. The sender checks every address a host name resolves
// to when it connects, so a name pointing at the metadata service is refused as its address is.
func SMTPAddrAllowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsValid() && !ip.IsLinkLocalUnicast() && !ip.IsLinkLocalMulticast() && !ip.IsUnspecified() && !ip.IsMulticast()
}

// smtpAddrRefusal is the message refusing host, whose address ip SMTPAddrAllowed refuses.
func smtpAddrRefusal(host string, ip netip.Addr) string {
	if ip.Unmap().IsLinkLocalUnicast() {
		return fmt.Sprintf("SMTP 服务器“%s”是链路本地地址（169.254.0.0/16 或 fe80::/10，云主机的元数据服务即在此），不能用作邮件服务器", host)
	}
	return fmt.Sprintf("地址“%s”不能用作 SMTP 服务器", host)
}

// CheckSMTPAddr is SMTPAddrAllowed as an error, for the sender's check of the address it is
// about to connect to (host as configured, ip as resolved).
func CheckSMTPAddr(host string, ip netip.Addr) error {
	if SMTPAddrAllowed(ip) {
		return nil
	}
	return Errorf(EINVALID, "%s", smtpAddrRefusal(host, ip))
}

// CheckSMTPChange checks new settings against the stored ones (old) before they are stored:
// when a stored password would be kept (keepPassword, none typed), the server, its port and
// the user name may not change. The password is sent to whatever server the settings name
// (AUTH PLAIN): changing the server while keeping it would hand it to the new one, which is how
// an account that may change the settings but does not know the password would learn it.
func CheckSMTPChange(old, s SMTPSettings, keepPassword bool) error {
	if !old.HasPassword || !keepPassword || s.Password != "" {
		return nil
	}
	if !strings.EqualFold(old.Host, s.Host) || old.Port != s.Port || old.Username != s.Username {
		return Errorf(EINVALID, "更改 SMTP 服务器、端口或用户名时须重新输入密码（已保存的密码只用于原服务器“%s:%d”）；如不再需要密码，请勾选“清除密码”", old.Host, old.Port)
	}
	return nil
}
