package xiezuo

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReminderReaches: the holder's users always; the lead units and the office for the
// escalating kinds; leaders for escalated notices only; never administrators, disabled
// accounts or another district.
func TestReminderReaches(t *testing.T) {
	user := func(unit string, roles ...string) *User {
		return &User{Username: "u", District: "门头沟区", Unit: unit, Roles: roles}
	}
	r := func(kind ReminderKind) Reminder {
		return Reminder{Kind: kind, District: "门头沟区", Unit: "区财政局", Duty: DutyKey{DutyTask, 3}, Leads: []string{"区商务局"}}
	}
	disabled := user("区财政局", RoleUnit)
	disabled.Disabled = true
	other := user("区财政局", RoleUnit)
	other.District = "昌平区"
	tests := []struct {
		name string
		r    Reminder
		u    *User
		want bool
	}{
		{"holder, due", r(ReminderDue), user("区财政局", RoleUnit), true},
		{"holder, red", r(ReminderRed), user("区财政局", RoleUnit), true},
		{"holder, returned", r(ReminderReturned), user("区财政局", RoleUnit), true},
		{"lead unit, yellow", r(ReminderYellow), user("区商务局", RoleUnit, RoleTeamLead), true},
		{"lead unit, due: not escalating", r(ReminderDue), user("区商务局", RoleUnit), false},
		{"lead unit, returned: the holder's own business", r(ReminderReturned), user("区商务局", RoleUnit), false},
		{"office, red", r(ReminderRed), user("领导小组办公室", RoleOffice), true},
		{"office, unanswered notice", r(ReminderNoticeUnanswered), user("领导小组办公室", RoleOffice), true},
		{"office, due", r(ReminderDue), user("领导小组办公室", RoleOffice), false},
		{"other unit, red", r(ReminderRed), user("区民政局", RoleUnit), false},
		{"leader, red", r(ReminderRed), user("区政府办公室", RoleLeader), false},
		{"leader, escalated notice", r(ReminderNoticeEscalated), user("区政府办公室", RoleLeader), true},
		{"sysadmin of the office", r(ReminderRed), user("领导小组办公室", RoleSysAdmin), false},
		{"auditor of the holder", r(ReminderRed), user("区财政局", RoleAuditor), false},
		{"disabled", r(ReminderRed), disabled, false},
		{"other district", r(ReminderRed), other, false},
	}
	for _, tt := range tests {
		if got := ReminderReaches(tt.r, tt.u); got != tt.want {
			t.Errorf("%s: ReminderReaches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestReminderRecipients: one message per person per duty, the most pressing kind.
func TestReminderRecipients(t *testing.T) {
	task3 := DutyKey{DutyTask, 3}
	rs := []Reminder{
		{Kind: ReminderYellow, District: "门头沟区", Unit: "区财政局", Duty: task3, Leads: []string{"区财政局"}},
		{Kind: ReminderYellow, District: "门头沟区", Unit: "区商务局", Duty: task3, Leads: []string{"区财政局"}},
		{Kind: ReminderNoticeUnanswered, District: "门头沟区", Unit: "区商务局", Duty: task3, Leads: []string{"区财政局"}},
		{Kind: ReminderDue, District: "门头沟区", Unit: "区商务局", Duty: DutyKey{DutyProject, 7}},
	}
	users := []User{
		{ID: 1, Username: "office", District: "门头沟区", Unit: "领导小组办公室", Roles: []string{RoleOffice}},
		{ID: 2, Username: "caizheng", District: "门头沟区", Unit: "区财政局", Roles: []string{RoleUnit}},
		{ID: 3, Username: "shangwu", District: "门头沟区", Unit: "区商务局", Roles: []string{RoleUnit}},
	}
	got := map[string][]string{}
	for _, ur := range ReminderRecipients(rs, users) {
		got[ur.Username] = append(got[ur.Username], ur.Reminder.Duty.String()+" "+string(ur.Reminder.Kind))
	}
	want := map[string][]string{
		"office":   {"task-3 notice_unanswered"},
		"caizheng": {"task-3 notice_unanswered"},
		"shangwu":  {"task-3 notice_unanswered", "project-7 due"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReminderRecipients (-want +got):\n%s", diff)
	}
}

// TestUnitDigests: each unit's channels get what reaches the unit, one line per duty.
func TestUnitDigests(t *testing.T) {
	rs := []Reminder{
		{Kind: ReminderRed, District: "门头沟区", Unit: "区商务局", Duty: DutyKey{DutyTask, 3}, Title: "任务第3项：消费帮扶", Text: "逾期", Leads: []string{"区财政局"}},
		{Kind: ReminderDue, District: "门头沟区", Unit: "区商务局", Duty: DutyKey{DutyTask, 3}, Title: "任务第3项：消费帮扶", Text: "今日"},
		{Kind: ReminderDue, District: "门头沟区", Unit: "区财政局", Duty: DutyKey{DutyTask, 5}, Title: "任务第5项", Text: "今日"},
	}
	ds := UnitDigests(rs, map[string][]string{"门头沟区": {"领导小组办公室"}})
	got := map[string][]string{}
	for _, d := range ds {
		for _, r := range d.Reminders {
			got[d.Unit] = append(got[d.Unit], r.Duty.String()+" "+string(r.Kind))
		}
	}
	want := map[string][]string{
		"区商务局":    {"task-3 red"},
		"区财政局":    {"task-3 red", "task-5 due"},
		"领导小组办公室": {"task-3 red"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UnitDigests (-want +got):\n%s", diff)
	}
	for _, d := range ds {
		if d.Unit != "区财政局" {
			continue
		}
		subject, body := d.Message(Date{2021, 9, 15})
		if subject != "【协作】区财政局 2021-09-15 督办提醒（2 项）" {
			t.Errorf("subject = %q", subject)
		}
		if !strings.Contains(body, "**已逾期** 任务第3项：消费帮扶（责任单位：区商务局）：逾期") || !strings.Contains(body, "**今日到期** 任务第5项：今日") {
			t.Errorf("body = %q", body)
		}
	}
}

// TestPlanReminders: a task's deadline makes due, yellow or red by the light on the day, for
// every unit answering for it, with its lead units and its team's leads; green and open
// deadlines make none.
func TestPlanReminders(t *testing.T) {
	dl := func(s string) Deadline { d, _ := ParseDeadline(s, 2021); return d }
	p := &Plan{
		Teams: []WorkTeam{{Name: "消费帮扶专班", Leads: []string{"区商务局", "区农业农村局"}}},
		Tasks: []Task{
			{ID: 11, Number: 1, WorkItem: "联席会议", Units: []Responsibility{resp("区财政局", RoleLead), resp(GroupAllMembers, RoleCooperating)}, Deadline: dl("9月底前")},
			{ID: 12, Number: 2, WorkItem: "消费帮扶", Units: []Responsibility{resp("区商务局", RoleLead), resp("区民政局", RoleCooperating), resp("各镇街", RoleCooperating)}, Deadline: dl("8月底前")},
			{ID: 13, Number: 3, WorkItem: "今日", Units: []Responsibility{resp("区民政局", RoleLead)}, Deadline: dl("9月15日前")},
			{ID: 14, Number: 4, WorkItem: "远", Units: []Responsibility{resp("区民政局", RoleLead)}, Deadline: dl("12月底前")},
			{ID: 15, Number: 5, WorkItem: "长期", Units: []Responsibility{resp("区民政局", RoleLead)}, Deadline: dl("持续推进")},
			{ID: 16, Number: 6, WorkItem: "两期", Units: []Responsibility{resp("区民政局", RoleLead)}, Deadline: dl("6月底前、12月底前")},
		},
		Projects: []Project{
			{ID: 21, Name: "大棚", Region: "内蒙古武川县", LeadUnit: "区农业农村局", Period: Period{Finish: YearMonth{2021, 8}}},
			{ID: 22, Name: "车间", Region: "内蒙古武川县", LeadUnit: "区农业农村局", Period: Period{Finish: YearMonth{2021, 12}}},
		},
	}
	g := NewGroups([]string{"区教委"}, nil)
	got := PlanReminders(p, "门头沟区", g, Date{2021, 9, 15}, 20)
	type row struct {
		Kind        ReminderKind
		Unit, Duty  string
		Due         string
		Leads       []string
		Text, Title string
	}
	var rows []row
	for _, r := range got {
		rows = append(rows, row{r.Kind, r.Unit, r.Duty.String(), r.Due.String(), r.Leads, "", ""})
		if r.District != "门头沟区" || r.Text == "" || r.Title == "" {
			t.Errorf("reminder %+v lacks district, title or text", r)
		}
	}
	want := []row{
		{Kind: ReminderYellow, Unit: "区财政局", Duty: "task-11", Due: "2021-09-30", Leads: []string{"区财政局"}},
		{Kind: ReminderYellow, Unit: "区教委", Duty: "task-11", Due: "2021-09-30", Leads: []string{"区财政局"}},
		{Kind: ReminderRed, Unit: "区商务局", Duty: "task-12", Due: "2021-08-31", Leads: []string{"区商务局", "区农业农村局"}},
		{Kind: ReminderRed, Unit: "区民政局", Duty: "task-12", Due: "2021-08-31", Leads: []string{"区商务局", "区农业农村局"}},
		{Kind: ReminderDue, Unit: "区民政局", Duty: "task-13", Due: "2021-09-15", Leads: []string{"区民政局"}},
		{Kind: ReminderRed, Unit: "区农业农村局", Duty: "project-21", Due: "2021-08-31", Leads: []string{"区农业农村局"}},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("PlanReminders (-want +got):\n%s", diff)
	}
	if txt := got[0].Text; !strings.Contains(txt, "还有 15 天") {
		t.Errorf("yellow text = %q, want the days left", txt)
	}
	if txt := got[2].Text; !strings.Contains(txt, "逾期 15 天") {
		t.Errorf("red text = %q, want the days overdue", txt)
	}
}

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempts int
		want     time.Duration
		ok       bool
	}{
		{0, 0, false},
		{1, time.Minute, true},
		{2, 5 * time.Minute, true},
		{3, 30 * time.Minute, true},
		{4, 2 * time.Hour, true},
		{5, 12 * time.Hour, true},
		{6, 0, false},
	}
	for _, tt := range tests {
		got, ok := RetryDelay(tt.attempts)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryDelay(%d) = %v, %v, want %v, %v", tt.attempts, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCheckChannel(t *testing.T) {
	tests := []struct {
		in      ChannelInput
		want    []string // channels
		emails  []string
		message string // part of the error; "" for none
	}{
		{ChannelInput{Enabled: true, Emails: "a@x.gov.cn，b@x.gov.cn; a@x.gov.cn", WeCom: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"}, []string{ChannelEmail, ChannelWeCom}, []string{"a@x.gov.cn", "b@x.gov.cn"}, ""},
		{ChannelInput{Enabled: false, DingTalk: "http://127.0.0.1:8080/robot", Hosts: []string{"127.0.0.1"}}, nil, nil, ""},
		{ChannelInput{Enabled: true, DingTalk: "http://127.0.0.1:8080/robot"}, nil, nil, "钉钉机器人地址的主机“127.0.0.1”不在允许的机器人主机之列"},
		{ChannelInput{Enabled: true, Emails: "not-an-address"}, nil, nil, "电子邮件地址“not-an-address”格式不正确"},
		{ChannelInput{Enabled: true, WeCom: "ftp://qyapi.weixin.qq.com/x"}, nil, nil, "企业微信机器人地址应以 https:// 开头"},
		{ChannelInput{Enabled: true, DingTalk: "https:///path"}, nil, nil, "钉钉机器人地址“https:///path”缺少主机名"},
		{ChannelInput{Enabled: true, DingTalk: "javascript:alert(1)"}, nil, nil, "钉钉机器人地址应以 https:// 开头"},
		{ChannelInput{Enabled: true, WeCom: "https://u:p@qyapi.weixin.qq.com/"}, nil, nil, "不能含有用户名或密码"},
	}
	for _, tt := range tests {
		c, err := CheckChannel(tt.in)
		if tt.message != "" {
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.message) {
				t.Errorf("CheckChannel(%+v) = %v, want an error with %q", tt.in, err, tt.message)
			}
			continue
		}
		if err != nil {
			t.Errorf("CheckChannel(%+v) = %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, c.Channels()); diff != "" {
			t.Errorf("CheckChannel(%+v).Channels() (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.emails, c.Emails); diff != "" {
			t.Errorf("CheckChannel(%+v).Emails (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestCheckWebhookURL: robot addresses go to the public robot hosts over https, or to a host
// the operator listed (serve --webhook-hosts), which may use http; nothing else, so that the
// reminders cannot be turned on the server's own network.
func TestCheckWebhookURL(t *testing.T) {
	relay := []string{"robot.zw.local", "127.0.0.1", "[::1]"}
	for _, tt := range []struct {
		url   string
		hosts []string
		want  string // part of the error; "" for none
	}{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", nil, ""},
		{"https://oapi.dingtalk.com/robot/send?access_token=t", nil, ""},
		{"https://OAPI.DingTalk.com./robot/send?access_token=t", nil, ""},
		{"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", nil, "应以 https:// 开头"},
		{"https://qyapi.weixin.qq.com.evil.example/x", nil, "不在允许的机器人主机之列"},
		{"http://127.0.0.1:8080/robot", nil, "主机“127.0.0.1”不在允许的机器人主机之列"},
		{"https://10.0.0.5/robot", nil, "不在允许的机器人主机之列"},
		{"http://169.254.169.254/latest/meta-data", nil, "不在允许的机器人主机之列"},
		{"http://localhost/robot", relay, "不在允许的机器人主机之列"},
		{"http://127.0.0.1:8080/robot", relay, ""},
		{"http://[::1]:8080/robot", relay, ""},
		{"http://robot.zw.local/send?key=1", relay, ""},
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", relay, ""},
		{"ftp://robot.zw.local/x", relay, "应以 https:// 或 http:// 开头"},
		// The public robot hosts on their https port only: another port is no robot service.
		{"https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=k", nil, ""},
		{"https://qyapi.weixin.qq.com:6379/cgi-bin/webhook/send?key=k", nil, "端口只能是 443"},
		{"https://oapi.dingtalk.com:8443/robot/send?access_token=t", relay, "端口只能是 443"},
	} {
		_, err := CheckWebhookURL(tt.url, "机器人地址", tt.hosts)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckWebhookURL(%s, %v) = %v, want accepted", tt.url, tt.hosts, err)
		case tt.want != "" && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want)):
			t.Errorf("CheckWebhookURL(%s, %v) = %v, want %q", tt.url, tt.hosts, err, tt.want)
		}
	}
	hosts, err := ParseWebhookHosts(" robot.zw.local, 127.0.0.1 ,,[::1] ")
	if err != nil || !slices.Equal(hosts, []string{"robot.zw.local", "127.0.0.1", "::1"}) {
		t.Errorf("ParseWebhookHosts = %q, %v", hosts, err)
	}
	for _, bad := range []string{"http://x.cn", "x.cn/path", "x.cn:8080", "a b"} {
		if _, err := ParseWebhookHosts(bad); err == nil {
			t.Errorf("ParseWebhookHosts(%q) accepted", bad)
		}
	}
}

func TestMaskWebhookURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://oapi.dingtalk.com/robot/send?access_token=abcdef123456":     "https://oapi.dingtalk.com/robot/send?access_token=***",
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***",
		"http://127.0.0.1/robot":          "http://127.0.0.1/robot",
		"":                                "",
		"https://x.cn/r?a=1&sign=zz#frag": "https://x.cn/r?a=***&sign=***",
	} {
		if got := MaskWebhookURL(in); got != want {
			t.Errorf("MaskWebhookURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckSMTP(t *testing.T) {
	tests := []struct {
		host, port, from string
		want             SMTPSettings
		message          string
	}{
		{"smtp.x.gov.cn", "587", "xiezuo@x.gov.cn", SMTPSettings{Host: "smtp.x.gov.cn", Port: 587, From: "xiezuo@x.gov.cn"}, ""},
		{"127.0.0.1", "", "协作平台 <xiezuo@x.gov.cn>", SMTPSettings{Host: "127.0.0.1", Port: 25, From: "xiezuo@x.gov.cn"}, ""},
		{"", "", "", SMTPSettings{}, ""},
		{"smtp.x.gov.cn", "70000", "xiezuo@x.gov.cn", SMTPSettings{}, "端口“70000”应为 1 到 65535 的整数"},
		{"smtp.x.gov.cn", "25", "nobody", SMTPSettings{}, "发件人地址“nobody”格式不正确"},
		{"smtp://x", "25", "a@b.cn", SMTPSettings{}, "应为主机名或 IP 地址"},
		// Loopback and private relays stay allowed (a closed network's relay); link-local and
		// the cloud's metadata address are refused.
		{"10.1.2.3", "25", "a@b.cn", SMTPSettings{Host: "10.1.2.3", Port: 25, From: "a@b.cn"}, ""},
		{"169.254.169.254", "80", "a@b.cn", SMTPSettings{}, "链路本地地址"},
		{"169.254.0.1", "25", "a@b.cn", SMTPSettings{}, "链路本地地址"},
		{"0.0.0.0", "25", "a@b.cn", SMTPSettings{}, "不能用作 SMTP 服务器"},
	}
	for _, tt := range tests {
		got, err := CheckSMTP(tt.host, tt.port, tt.from, "")
		if tt.message != "" {
			if !strings.Contains(ErrorMessage(err), tt.message) {
				t.Errorf("CheckSMTP(%q, %q, %q) = %v, want %q", tt.host, tt.port, tt.from, err, tt.message)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CheckSMTP(%q, %q, %q) = %+v, %v, want %+v", tt.host, tt.port, tt.from, got, err, tt.want)
		}
	}
}

func TestSMTPAddrAllowed(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "10.0.0.1": true, "192.168.1.9": true, "::1": true, "203.0.113.5": true,
		"169.254.169.254": false, "169.254.1.1": false, "fe80::1": false, "febf::1": false, "0.0.0.0": false, "::": false,
		"224.0.0.1": false,
	} {
		if got := SMTPAddrAllowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("SMTPAddrAllowed(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestCheckSMTPChange: with a password stored and kept, the server, its port or the user name
// may not change without the password typed again: the stored password would go to whatever
// the new settings name.
func TestCheckSMTPChange(t *testing.T) {
	old := SMTPSettings{Host: "smtp.x.gov.cn", Port: 587, From: "a@x.gov.cn", Username: "xz", HasPassword: true}
	for _, tt := range []struct {
		name     string
		old, new SMTPSettings
		keep     bool
		wantErr  bool
	}{
		{"same server, sender changed", old, SMTPSettings{Host: "smtp.x.gov.cn", Port: 587, From: "b@x.gov.cn", Username: "xz", Password: ""}, true, false},
		{"host changed, password kept", old, SMTPSettings{Host: "evil.example", Port: 587, From: "a@x.gov.cn", Username: "xz"}, true, true},
		{"port changed, password kept", old, SMTPSettings{Host: "smtp.x.gov.cn", Port: 2525, From: "a@x.gov.cn", Username: "xz"}, true, true},
		{"user changed, password kept", old, SMTPSettings{Host: "smtp.x.gov.cn", Port: 587, From: "a@x.gov.cn", Username: "other"}, true, true},
		{"host changed, password typed", old, SMTPSettings{Host: "evil.example", Port: 587, From: "a@x.gov.cn", Username: "xz", Password: "pw"}, true, false},
		{"host changed, password cleared", old, SMTPSettings{Host: "evil.example", Port: 587, From: "a@x.gov.cn", Username: "xz"}, false, false},
		{"host changed, none stored", SMTPSettings{Host: "smtp.x.gov.cn", Port: 25}, SMTPSettings{Host: "evil.example", Port: 25}, true, false},
		{"host changed in case only", old, SMTPSettings{Host: "SMTP.x.gov.cn", Port: 587, From: "a@x.gov.cn", Username: "xz"}, true, false},
	} {
		err := CheckSMTPChange(tt.old, tt.new, tt.keep)
		if (err != nil) != tt.wantErr || (err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "须重新输入密码"))) {
			t.Errorf("%s: CheckSMTPChange = %v, want error %v", tt.name, err, tt.wantErr)
		}
	}
}
