package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

// Reminder pages: each user's in-app list (/reminders), the office's settings of its units'
// channels, where it reads whether mail is configured (/reminders/settings), the system
// administrator's SMTP settings (/reminders/smtp: the mail server is the whole server's, so no
// district's office sets it), and the office's view of deliveries with their
// failures (/reminders/deliveries). The daily job and its worker (package remind)
// write what these pages show.

// remindersData is a user's reminder list.
type remindersData struct {
	base
	Reminders []sqldb.InAppReminder
	Unread    int
	IsOffice  bool
}

// remindersPage lists the user's reminders, newest first, unread ones marked.
func (s *Server) remindersPage(w http.ResponseWriter, r *http.Request) {
	d := remindersData{base: s.baseFor(r, "reminders")}
	d.Title = "督办提醒"
	rs, err := s.db.UserReminders(r.Context(), d.User.ID, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Reminders, d.IsOffice = rs, d.User.Has(xiezuo.RoleOffice)
	for _, x := range rs {
		if x.ReadAt.IsZero() {
			d.Unread++
		}
	}
	s.render(w, r, http.StatusOK, "reminders", d)
}

// remindersRead marks all the user's reminders read.
func (s *Server) remindersRead(w http.ResponseWriter, r *http.Request) {
	n, err := s.db.MarkRemindersRead(r.Context(), currentUser(r).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{}
	s.flash(q, "已将 "+strconv.FormatInt(n, 10)+" 条提醒标为已读", "ok")
	http.Redirect(w, r, "/reminders?"+q.Encode(), http.StatusSeeOther)
}

// reminderSettingsData is the office's settings page.
type reminderSettingsData struct {
	base
	Channels   []xiezuo.ReminderChannel
	Edit       xiezuo.ReminderChannel // the unit chosen with ?unit=, as stored, or as typed when refused
	EmailsText string                 // the addresses in the form: stored, or as typed
	ChannelMsg string                 // why the unit's form was refused, shown beside it
	Units      []string
	SMTP       xiezuo.SMTPSettings // as stored
	SMTPForm   xiezuo.SMTPSettings // the SMTP form's values: stored, or as typed
	SMTPPort   string              // the port as typed ("" shows 25)
	SMTPMsg    string              // why the SMTP form was refused, shown beside it
	IsOffice   bool                // the units' channels are shown and set
	CanSetSMTP bool                // the SMTP form is shown (xiezuo.User.CanSetSMTP)
}

// officeDistrict is the district whose reminders the office user manages: its own.
func officeDistrict(r *http.Request) string { return currentUser(r).District }

// reminderSMTPPage shows the system administrator the SMTP settings and their form.
func (s *Server) reminderSMTPPage(w http.ResponseWriter, r *http.Request) {
	s.reminderSettingsPage(w, r)
}

// reminderSettingsPage shows the office each unit's channels, a form for one unit, and whether
// mail is configured; the system administrator (reminderSMTPPage) the SMTP form.
func (s *Server) reminderSettingsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.reminderSettings(r, r.URL.Query().Get("unit"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "remindsettings", d)
}

// reminderSettings fills the settings page as stored, its unit form on unit.
func (s *Server) reminderSettings(r *http.Request, unit string) (*reminderSettingsData, error) {
	d := &reminderSettingsData{base: s.baseFor(r, "reminders"), Units: xiezuo.CatalogueUnits()}
	d.IsOffice, d.CanSetSMTP = d.User.Has(xiezuo.RoleOffice), d.User.CanSetSMTP()
	district := officeDistrict(r)
	d.Title = "提醒邮件服务器（SMTP）设置"
	var err error
	if d.IsOffice {
		d.Title = district + "督办提醒设置"
		if d.Channels, err = s.db.ReminderChannels(r.Context(), district); err != nil {
			return nil, err
		}
	}
	if d.SMTP, err = s.db.SMTP(r.Context()); err != nil {
		return nil, err
	}
	if !d.CanSetSMTP { // the office reads whether mail is set, not the account it signs in with
		d.SMTP.Username = ""
	}
	d.SMTPForm = d.SMTP
	if d.SMTP.Port != 0 {
		d.SMTPPort = strconv.Itoa(d.SMTP.Port)
	}
	d.Edit = xiezuo.ReminderChannel{Unit: unit, Enabled: true}
	for _, c := range d.Channels {
		if c.Unit == d.Edit.Unit {
			d.Edit = c
		}
	}
	d.EmailsText = strings.Join(d.Edit.Emails, ", ")
	return d, nil
}

// settingsRefused shows the settings page again with a form's refusal beside it and what was
// typed kept (edit fills the form's fields), 422; an error that is not the input's is failed.
func (s *Server) settingsRefused(w http.ResponseWriter, r *http.Request, err error, unit string, edit func(d *reminderSettingsData, msg string)) {
	if xiezuo.ErrorCode(err) != xiezuo.EINVALID {
		s.fail(w, r, err)
		return
	}
	d, lerr := s.reminderSettings(r, unit)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	edit(d, xiezuo.ErrorMessage(err))
	s.render(w, r, http.StatusUnprocessableEntity, "remindsettings", d)
}

// reminderChannelSave sets one unit's channels.
func (s *Server) reminderChannelSave(w http.ResponseWriter, r *http.Request) {
	c, err := xiezuo.CheckChannel(xiezuo.ChannelInput{
		Enabled:        r.FormValue("enabled") == "1",
		Emails:         r.FormValue("emails"),
		WeCom:          r.FormValue("wecom"),
		DingTalk:       r.FormValue("dingtalk"),
		DingTalkSecret: r.FormValue("dingtalk_secret"),
		Hosts:          s.cfg.WebhookHosts,
	})
	c.Unit = r.FormValue("unit")
	if err == nil && c.Unit == "" {
		err = xiezuo.Errorf(xiezuo.EINVALID, "请选择单位")
	}
	if err == nil {
		err = s.db.SetReminderChannel(r.Context(), officeDistrict(r), c, r.FormValue("clear_secret") != "1")
	}
	if err != nil {
		s.settingsRefused(w, r, err, "", func(d *reminderSettingsData, msg string) {
			d.ChannelMsg = msg
			d.Edit = xiezuo.ReminderChannel{Unit: r.FormValue("unit"), Enabled: r.FormValue("enabled") == "1",
				WeCom: r.FormValue("wecom"), DingTalk: r.FormValue("dingtalk")}
			for _, stored := range d.Channels { // the secret is never typed back: say whether one is kept
				if stored.Unit == d.Edit.Unit {
					d.Edit.HasSecret = stored.HasSecret
				}
			}
			d.EmailsText = r.FormValue("emails")
		})
		return
	}
	s.settingsBack(w, r, nil, c.Unit+"的提醒渠道已保存")
}

// reminderSMTPSave sets the server's SMTP settings (the system administrator's route); a blank
// password keeps the stored one unless asked to clear it, and then the server, port and user
// name may not change (xiezuo.CheckSMTPChange, in the storage's transaction).
func (s *Server) reminderSMTPSave(w http.ResponseWriter, r *http.Request) {
	st, err := xiezuo.CheckSMTP(r.FormValue("host"), r.FormValue("port"), r.FormValue("from"), r.FormValue("username"))
	if err == nil {
		st.Password = r.FormValue("password")
		err = s.db.SetSMTP(r.Context(), st, r.FormValue("clear_password") != "1")
	}
	if err != nil {
		s.settingsRefused(w, r, err, "", func(d *reminderSettingsData, msg string) {
			d.SMTPMsg = msg
			d.SMTPForm.Host, d.SMTPForm.From, d.SMTPForm.Username = r.FormValue("host"), r.FormValue("from"), r.FormValue("username")
			d.SMTPPort = r.FormValue("port")
		})
		return
	}
	q := url.Values{}
	s.flash(q, "SMTP 设置已保存", "ok")
	http.Redirect(w, r, "/reminders/smtp?"+q.Encode(), http.StatusSeeOther)
}

// settingsBack answers a settings form: back to the page with a message, or the error where
// the form can be corrected.
func (s *Server) settingsBack(w http.ResponseWriter, r *http.Request, err error, done string) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{}
	s.flash(q, done, "ok")
	http.Redirect(w, r, "/reminders/settings?"+q.Encode(), http.StatusSeeOther)
}

// deliveriesData is the office's list of deliveries.
type deliveriesData struct {
	base
	State      string
	Counts     map[string]int
	Deliveries []sqldb.Delivery
}

// deliveryStates are the states the list filters by, with their names.
var deliveryStates = []struct{ Key, Name string }{
	{sqldb.DeliveryFailed, "已放弃（需处理）"}, {sqldb.DeliveryPending, "待发送或等待重试"}, {sqldb.DeliverySent, "已送达"},
}

// DeliveryStates lists the states with their names, for the filter.
func (d deliveriesData) DeliveryStates() []struct{ Key, Name string } { return deliveryStates }

// reminderDeliveriesPage lists the district's deliveries, failures first in the filter.
func (s *Server) reminderDeliveriesPage(w http.ResponseWriter, r *http.Request) {
	d := deliveriesData{base: s.baseFor(r, "reminders"), State: r.URL.Query().Get("state")}
	district := officeDistrict(r)
	d.Title = district + "提醒发送记录"
	switch d.State {
	case "", sqldb.DeliveryFailed, sqldb.DeliveryPending, sqldb.DeliverySent:
	default:
		s.errorPage(w, r, http.StatusBadRequest, "状态“"+d.State+"”无效，应为 failed、pending 或 sent")
		return
	}
	var err error
	if d.Counts, err = s.db.DeliveryCounts(r.Context(), district); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Deliveries, err = s.db.Deliveries(r.Context(), sqldb.DeliveryFilter{District: district, State: d.State}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "deliveries", d)
}

// reminderDeliveryRetry sends a failed (or waiting) delivery again at once.
func (s *Server) reminderDeliveryRetry(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "消息编号无效")
		return
	}
	if err := s.db.RetryDelivery(r.Context(), officeDistrict(r), id, s.cfg.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	q := url.Values{}
	s.flash(q, "已重新排队，将在一分钟内发送", "ok")
	http.Redirect(w, r, "/reminders/deliveries?"+q.Encode(), http.StatusSeeOther)
}

// unread counts u's unread reminders for the layout: one query on a partial index per page, for
// the roles that receive reminders (the administrators receive none). A failure shows no count
// rather than failing the page.
func (s *Server) unread(r *http.Request, u *xiezuo.User) int {
	if !u.HasAny(xiezuo.RoleOffice, xiezuo.RoleUnit, xiezuo.RoleTeamLead, xiezuo.RoleCadre, xiezuo.RoleLeader) {
		return 0
	}
	n, err := s.db.UnreadReminders(r.Context(), u.ID)
	if err != nil {
		s.log.Warn("unread reminders", "err", err)
		return 0
	}
	return n
}
