package remind

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"xiezuo"
	"xiezuo/sqldb"
)

// Source gives the reminders of district's plan of year on day. The job asks it for every
// stored plan of the day's year; PlanSource is the one over the stored plan's deadlines.
type Source func(ctx context.Context, district string, year int, day xiezuo.Date) ([]xiezuo.Reminder, error)

// DefaultWarnDays is how many days before a date a duty is yellow when the office set nothing
// (xiezuo.WarnDays, the default of the office's cadence).
const DefaultWarnDays = xiezuo.WarnDays

// PlanSource is the reminders of the stored plan from the supervision board as of the start of
// the day (xiezuo.Supervise, xiezuo.BoardReminders): each unit's part of a duty that is red,
// yellow or due today by the lights the pages show — the reports, reviews and closures decide,
// so a duty reported on or closed is not reminded — and each returned report; the leading group
// and the office's assignments resolve group names, the office's cadence gives the due dates.
// warnDays, when above 0, replaces the cadence's warning days (the command's --warn-days); 0
// keeps the office's. The supervision notices to press join them (xiezuo.NoticeReminders over
// pressNotices): one due today tells the unit, one past its reply date the team's lead units
// and the office too, one listed for the leaders the leaders as well.
func PlanSource(db *sqldb.DB, warnDays int) Source {
	return func(ctx context.Context, district string, year int, day xiezuo.Date) ([]xiezuo.Reminder, error) {
		p, err := db.LoadPlan(ctx, district, year)
		if err != nil {
			return nil, err
		}
		members, err := db.GroupMembers(ctx, district)
		if err != nil {
			return nil, err
		}
		as, err := db.Assignments(ctx, district, year)
		if err != nil {
			return nil, err
		}
		c, err := db.Cadence(ctx, district)
		if err != nil {
			return nil, err
		}
		if warnDays > 0 {
			c.WarnDays = warnDays
		}
		reports, err := db.PlanReports(ctx, district, year)
		if err != nil {
			return nil, err
		}
		closures, err := db.PlanClosures(ctx, district, year)
		if err != nil {
			return nil, err
		}
		// The start of the day: a date passed yesterday is red, today's is due today.
		start := xiezuo.EndOfDay(xiezuo.NewDate(day.Year, day.Month, day.Day-1)).Add(time.Nanosecond)
		g := xiezuo.NewGroups(members, as)
		b := xiezuo.Supervise(p, g, c, reports, closures, start)
		rs := xiezuo.BoardReminders(&b, reports)
		vs, err := pressNotices(ctx, db, p, g, day)
		if err != nil {
			return nil, err
		}
		return append(rs, xiezuo.NoticeReminders(vs, xiezuo.NoticeDuties(p, g), day)...), nil
	}
}

// pressNotices is the notices of plan p to press on day (xiezuo.NoticesToPress), viewed at the
// end of the day by the district's escalation rule.
func pressNotices(ctx context.Context, db *sqldb.DB, p *xiezuo.Plan, g xiezuo.Groups, day xiezuo.Date) ([]xiezuo.NoticeView, error) {
	ns, err := db.PlanNotices(ctx, p.District, p.Year)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	rule, err := db.NoticeRule(ctx, p.District)
	if err != nil {
		return nil, err
	}
	return xiezuo.NoticesToPress(xiezuo.ViewNotices(p, g, ns, xiezuo.EndOfDay(day), rule), day), nil
}

// recordEscalations records on each notice of the day's year that the day's reminders escalated
// each stage they told (sqldb.EscalateNotice with xiezuo.NoticeEscalationsToRecord), once per
// notice and stage, dated when the run sent them: the team's lead units (or the office) the
// first run it is late, the leaders the first run it is listed for them — both at once when
// no run pressed it before it reached the leaders, as that day's reminder told both.
func (j *Job) recordEscalations(ctx context.Context, day xiezuo.Date) error {
	plans, err := j.DB.Plans(ctx)
	if err != nil {
		return err
	}
	for _, info := range plans {
		if info.Year != day.Year {
			continue
		}
		p, err := j.DB.LoadPlan(ctx, info.District, info.Year)
		if err != nil {
			return err
		}
		members, err := j.DB.GroupMembers(ctx, p.District)
		if err != nil {
			return err
		}
		as, err := j.DB.Assignments(ctx, p.District, p.Year)
		if err != nil {
			return err
		}
		vs, err := pressNotices(ctx, j.DB, p, xiezuo.NewGroups(members, as), day)
		if err != nil {
			return err
		}
		sent := j.now()
		for _, v := range vs {
			for _, to := range xiezuo.NoticeEscalationsToRecord(v) {
				if _, err := j.DB.EscalateNotice(ctx, v.Notice.ID, to, sent); err != nil {
					return fmt.Errorf("escalate notice %s: %w", v.Notice.Code(), err)
				}
			}
		}
	}
	return nil
}

// Shanghai is the time zone the office's day and the job's time of day are counted in.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// DefaultAt is when the job runs each day, 北京时间: 08:30.
const DefaultAt = 8*time.Hour + 30*time.Minute

// Job is the daily reminder job and its delivery worker. Several instances may run it over one
// PostgreSQL database: each day is stored by one of them (sqldb.StoreReminderRun) and each
// outbox row is sent by the one that claims it.
type Job struct {
	DB       *sqldb.DB
	Source   Source
	Now      func() time.Time // the application's clock; time.Now when nil
	At       time.Duration    // time of day (北京时间) of the run; DefaultAt when 0
	Instance string           // names this process in job_runs; host:pid when empty
	HTTP     *http.Client     // for the robots; a client with a timeout when nil (redirects are never followed)
	// WebhookHosts are the operator's extra robot hosts (serve --webhook-hosts): a robot
	// address stored before the host was allowed, or since struck from the list, is refused at
	// sending as it would be at saving (xiezuo.CheckWebhookURL).
	WebhookHosts []string
	Log          *slog.Logger // nil: slog.Default()
	// Ran, when set, is told of each run Loop makes: "remind_day" when a day's run stored the
	// day or failed (not when another instance had stored it), "remind_delivery" after each pass
	// over the outbox; err nil is a success. serve counts them for /metrics.
	Ran func(job string, err error)
}

func (j *Job) now() time.Time {
	if j.Now == nil {
		return time.Now()
	}
	return j.Now()
}

func (j *Job) log() *slog.Logger {
	if j.Log == nil {
		return slog.Default()
	}
	return j.Log
}

func (j *Job) ran(job string, err error) {
	if j.Ran != nil {
		j.Ran(job, err)
	}
}

// Today is the office's date now, in Beijing.
func (j *Job) Today() xiezuo.Date { return xiezuo.DateOf(j.now().In(Shanghai)) }

// Prepare computes a day's run without storing it: each stored plan of the day's year asked of
// the source, each person's share (xiezuo.ReminderRecipients) and each unit's digest
// (xiezuo.UnitDigests, the office's units being those of its accounts).
func (j *Job) Prepare(ctx context.Context, day xiezuo.Date) (sqldb.ReminderRun, error) {
	run := sqldb.ReminderRun{Day: day, At: j.now(), Instance: j.instance()}
	plans, err := j.DB.Plans(ctx)
	if err != nil {
		return run, err
	}
	var rs []xiezuo.Reminder
	for _, p := range plans {
		if p.Year != day.Year {
			continue
		}
		got, err := j.Source(ctx, p.District, p.Year, day)
		if err != nil {
			return run, fmt.Errorf("reminders of %s %d: %w", p.District, p.Year, err)
		}
		rs = append(rs, got...)
	}
	accounts, err := j.DB.Users(ctx, sqldb.UserFilter{})
	if err != nil {
		return run, err
	}
	users := make([]xiezuo.User, 0, len(accounts))
	office := map[string][]string{}
	for _, a := range accounts {
		users = append(users, a.User)
		if a.Has(xiezuo.RoleOffice) && !a.Disabled && !slices.Contains(office[a.District], a.Unit) {
			office[a.District] = append(office[a.District], a.Unit)
		}
	}
	run.Users = xiezuo.ReminderRecipients(rs, users)
	run.Digests = xiezuo.UnitDigests(rs, office)
	return run, nil
}

func (j *Job) instance() string {
	if j.Instance != "" {
		return j.Instance
	}
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}

// RunDay computes and stores day's reminders, once whatever the number of instances: Stored is
// false in the result when another run had stored the day. The run that stored the day then
// records the notices it escalated (recordEscalations).
func (j *Job) RunDay(ctx context.Context, day xiezuo.Date) (sqldb.RunResult, error) {
	if ran, err := j.DB.JobRan(ctx, sqldb.JobRemind, day); err != nil || ran {
		return sqldb.RunResult{}, err
	}
	run, err := j.Prepare(ctx, day)
	if err != nil {
		return sqldb.RunResult{}, err
	}
	ctx = sqldb.WithActor(ctx, sqldb.Actor{Username: "system", IP: "督办提醒任务 " + run.Instance})
	res, err := j.DB.StoreReminderRun(ctx, run)
	if err == nil && res.Stored {
		j.log().Info("reminders stored", "day", day.String(), "in_app", res.InApp, "deliveries", res.Deliveries, "instance", run.Instance)
		err = j.recordEscalations(ctx, day)
		// The day's housekeeping, by the one run that stored the day: answers of
		// Idempotency-Keys older than sqldb.IdemKeep.
		if n, perr := j.DB.PruneIdemKeys(ctx, j.DB.Now().Add(-sqldb.IdemKeep)); perr != nil {
			j.log().Error("prune idempotency keys", "err", perr)
		} else if n > 0 {
			j.log().Info("idempotency keys pruned", "keys", n)
		}
	}
	return res, err
}

// deliverBatch is how many outbox rows a worker claims at a time; lease is how long they stay
// claimed: longer than a batch takes to send, each send bounded by sendTimeout.
const (
	deliverBatch = 20
	deliverLease = 15 * time.Minute
)

// Deliver sends every outbox row due now, batch by batch, and records each outcome; it returns
// how many were sent and how many failed (to be retried or given up).
func (j *Job) Deliver(ctx context.Context) (sent, failed int, err error) {
	ctx = sqldb.WithActor(ctx, sqldb.Actor{Username: "system", IP: "督办提醒任务 " + j.instance()})
	client := j.HTTP
	if client == nil {
		client = &http.Client{Timeout: sendTimeout}
	}
	var smtpSettings *xiezuo.SMTPSettings
	for {
		ds, err := j.DB.ClaimDeliveries(ctx, j.now(), deliverLease, deliverBatch)
		if err != nil || len(ds) == 0 {
			return sent, failed, err
		}
		for _, d := range ds {
			if d.Channel == xiezuo.ChannelEmail && smtpSettings == nil {
				s, err := j.DB.SMTPForSending(ctx)
				if err != nil {
					return sent, failed, err
				}
				smtpSettings = &s
			}
			serr := j.send(ctx, client, smtpSettings, d)
			if serr != nil {
				failed++
				j.log().Warn("reminder delivery failed", "id", d.ID, "unit", d.Unit, "channel", d.Channel, "err", Detail(serr))
			} else {
				sent++
			}
			if err := j.DB.RecordDelivery(ctx, d.ID, j.now(), serr); err != nil {
				return sent, failed, err
			}
		}
	}
}

// send delivers one outbox row to its unit's channel as set now; a channel since turned off or
// removed is a failure the office sees, not a silent drop.
func (j *Job) send(ctx context.Context, client *http.Client, s *xiezuo.SMTPSettings, d sqldb.Delivery) error {
	t := d.Target
	if !slices.Contains(t.Channels(), d.Channel) {
		return fmt.Errorf("%s的%s已关闭或未设置", d.Unit, xiezuo.ChannelName(d.Channel))
	}
	switch d.Channel {
	case xiezuo.ChannelEmail:
		return SendMail(ctx, *s, t.Emails, d.Subject, d.Body)
	case xiezuo.ChannelWeCom:
		if _, err := xiezuo.CheckWebhookURL(t.WeCom, "企业微信机器人地址", j.WebhookHosts); err != nil {
			return refusedRobot(err, t.WeCom)
		}
		return PostWeCom(ctx, client, t.WeCom, d.Body)
	case xiezuo.ChannelDingTalk:
		if _, err := xiezuo.CheckWebhookURL(t.DingTalk, "钉钉机器人地址", j.WebhookHosts); err != nil {
			return refusedRobot(err, t.DingTalk)
		}
		return PostDingTalk(ctx, client, t.DingTalk, t.DingTalkSecret, d.Subject, d.Body, time.Now())
	}
	return fmt.Errorf("未知的渠道 %s", d.Channel)
}

// refusedRobot is the refusal of a stored robot address at sending, the address in it masked:
// the failure is shown on the deliveries page and logged, and the key is all it takes to post.
func refusedRobot(err error, webhook string) error {
	return errors.New(strings.ReplaceAll(xiezuo.ErrorMessage(err), webhook, xiezuo.MaskWebhookURL(webhook)))
}

// due reports whether the day's run is due at now: the time of day has come in Beijing.
func (j *Job) due(now time.Time) bool {
	at := j.At
	if at == 0 {
		at = DefaultAt
	}
	local := now.In(Shanghai)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, Shanghai)
	return local.Sub(midnight) >= at
}

// Loop runs the job until ctx ends: at start (catching up a day whose time has passed while no
// instance ran), then every tick, the day's run once its time has come and no instance has
// stored it, and the worker over the outbox.
func (j *Job) Loop(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if j.due(j.now()) {
			res, err := j.RunDay(ctx, j.Today())
			if err != nil && ctx.Err() == nil {
				j.log().Error("reminder job", "err", err)
			}
			if (err != nil && ctx.Err() == nil) || (err == nil && res.Stored) {
				j.ran("remind_day", err)
			}
		}
		if _, _, err := j.Deliver(ctx); err != nil && ctx.Err() == nil {
			j.log().Error("reminder delivery", "err", err)
			j.ran("remind_delivery", err)
		} else if err == nil {
			j.ran("remind_delivery", nil)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
