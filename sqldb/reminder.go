package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"xiezuo"
)

// Reminders (督办提醒): the daily job stores, in one transaction with the claim of its day
// (job_runs), what each person is told in the application and one outbox row per unit, channel
// and day; the delivery worker claims due outbox rows, sends them and records the outcome, with
// retries by xiezuo.RetryDelay. The units' channels and the SMTP settings are dated rows: the
// latest applies. Secrets (the 钉钉 加签 secret, the SMTP password) are sealed and never
// written to the audit log.

// Audit actions of reminders.
const (
	AuditReminderChannel = "reminder.channel"  // a unit's reminder channels were set
	AuditReminderSMTP    = "reminder.smtp"     // the server's SMTP settings were set
	AuditReminderRun     = "reminder.run"      // the daily job stored a day's reminders
	AuditReminderSend    = "reminder.delivery" // a delivery was attempted: sent, retried later, or given up
	AuditReminderRetry   = "reminder.retry"    // the office sent a delivery again
	AuditReminderRead    = "reminder.read"     // a user marked their reminders read
)

// Sealed fields of reminders (see vault.Sealer).
const (
	fieldDingTalkSecret = "reminder_channels.dingtalk_secret"
	fieldSMTPPassword   = "smtp_settings.password"
	fieldWeComURL       = "reminder_channels.wecom_url"
	fieldDingTalkURL    = "reminder_channels.dingtalk_url"
)

// JobRemind is the daily reminder job's name in job_runs.
const JobRemind = "remind"

// ReminderChannels lists the channels set for district's units, the latest row of each unit,
// in unit name order, without the 钉钉 secret (HasSecret says whether one is stored) and with
// the robots' addresses masked (xiezuo.MaskWebhookURL): their keys are opened for the sender only.
func (db *DB) ReminderChannels(ctx context.Context, district string) ([]xiezuo.ReminderChannel, error) {
	var out []xiezuo.ReminderChannel
	err := each(ctx, db.db, channelQuery+` WHERE u.district = $1 ORDER BY u.name`, []any{district},
		func(rows *sql.Rows) error {
			c, _, err := scanChannel(rows)
			out = append(out, c)
			return err
		})
	if err != nil {
		return nil, translate(fmt.Errorf("reminder channels: %w", err))
	}
	return out, nil
}

const channelQuery = `SELECT u.district, u.name, c.enabled, c.emails, c.wecom_url, c.dingtalk_url, c.dingtalk_secret, c.set_by, c.set_at, c.wecom_sealed, c.dingtalk_sealed
	FROM reminder_channels c JOIN units u ON u.id = c.unit_id
	JOIN (SELECT unit_id, MAX(id) AS id FROM reminder_channels GROUP BY unit_id) l ON l.id = c.id`

// channelSecrets are a channel row's sealed values: the 钉钉 secret and the robots' addresses
// (nil in a row stored before the addresses were sealed, whose clear columns hold them).
type channelSecrets struct {
	secret, wecom, dingtalk []byte
}

// scanChannel reads a row of channelQuery for the page: the robots' addresses masked.
func scanChannel(rows interface{ Scan(...any) error }) (xiezuo.ReminderChannel, channelSecrets, error) {
	c, sealed, err := scanChannelRaw(rows)
	c.WeCom, c.DingTalk = xiezuo.MaskWebhookURL(c.WeCom), xiezuo.MaskWebhookURL(c.DingTalk)
	return c, sealed, err
}

// scanChannelRaw reads a row of channelQuery as stored: the clear columns (masked addresses,
// or a row of before the sealing's clear ones) and the sealed values apart.
func scanChannelRaw(rows interface{ Scan(...any) error }) (xiezuo.ReminderChannel, channelSecrets, error) {
	var c xiezuo.ReminderChannel
	var emails string
	var sealed channelSecrets
	if err := rows.Scan(&c.District, &c.Unit, &c.Enabled, &emails, &c.WeCom, &c.DingTalk, &sealed.secret, &c.By, &c.At, &sealed.wecom, &sealed.dingtalk); err != nil {
		return c, sealed, err
	}
	c.HasSecret = len(sealed.secret) > 0
	return c, sealed, json.Unmarshal([]byte(emails), &c.Emails)
}

// openChannel fills c (read by scanChannelRaw) with its secret and robot addresses opened from
// the row's sealed values; a row of before the sealing keeps the clear addresses it was read with.
func (db *DB) openChannel(c *xiezuo.ReminderChannel, sealed channelSecrets) error {
	open := func(b []byte, field string, to *string) error {
		if len(b) == 0 {
			return nil
		}
		if db.sealer == nil {
			return errNoKey()
		}
		plain, err := db.sealer.Open(b, field)
		*to = string(plain)
		return err
	}
	if err := open(sealed.secret, fieldDingTalkSecret, &c.DingTalkSecret); err != nil {
		return err
	}
	if err := open(sealed.wecom, fieldWeComURL, &c.WeCom); err != nil {
		return err
	}
	return open(sealed.dingtalk, fieldDingTalkURL, &c.DingTalk)
}

// reminderChannel is the latest channel row of district's unit with its secret opened; ok is
// false when the unit set none.
func (db *DB) reminderChannel(ctx context.Context, q querier, district, unit string) (c xiezuo.ReminderChannel, ok bool, err error) {
	err = each(ctx, q, channelQuery+` WHERE u.district = $1 AND u.name = $2`, []any{district, unit}, func(rows *sql.Rows) error {
		var sealed channelSecrets
		var err error
		c, sealed, err = scanChannelRaw(rows)
		ok = true
		if err != nil {
			return err
		}
		return db.openChannel(&c, sealed)
	})
	return c, ok, err
}

// SetReminderChannel records the channels of district's unit c.Unit (checked by
// xiezuo.CheckChannel) as a new dated row, with its audit entry (without the secret), in one
// transaction. A blank secret keeps the stored one when keepSecret is set, and removes it
// otherwise. The unit must be in the catalogue.
func (db *DB) SetReminderChannel(ctx context.Context, district string, c xiezuo.ReminderChannel, keepSecret bool) error {
	names, err := catalogueUnits([]string{c.Unit})
	if err != nil {
		return err
	}
	unit := names[0]
	tx, err := db.begin(ctx, "reminder channel "+district)
	if err != nil {
		return translate(fmt.Errorf("set reminder channel: %w", err))
	}
	defer tx.Rollback()
	unitID, err := unitIDOf(ctx, tx, district, unit)
	if err != nil {
		return translate(fmt.Errorf("set reminder channel: %w", err))
	}
	stored, _, err := db.reminderChannel(ctx, tx, district, unit)
	if err != nil {
		return translate(fmt.Errorf("set reminder channel: %w", err))
	}
	// The form shows the stored robot addresses masked: sent back unchanged, they keep the
	// stored ones (a masked address is no address to post to).
	if c.WeCom != "" && c.WeCom == xiezuo.MaskWebhookURL(stored.WeCom) && c.WeCom != stored.WeCom {
		c.WeCom = stored.WeCom
	}
	if c.DingTalk != "" && c.DingTalk == xiezuo.MaskWebhookURL(stored.DingTalk) && c.DingTalk != stored.DingTalk {
		c.DingTalk = stored.DingTalk
	}
	if c.DingTalkSecret == "" && keepSecret {
		c.DingTalkSecret = stored.DingTalkSecret
	}
	seal := func(v, field string) ([]byte, error) {
		if v == "" {
			return nil, nil
		}
		if db.sealer == nil {
			return nil, errNoKey()
		}
		return db.sealer.Seal([]byte(v), field)
	}
	var secret, wecom, dingtalk []byte
	if secret, err = seal(c.DingTalkSecret, fieldDingTalkSecret); err == nil {
		if wecom, err = seal(c.WeCom, fieldWeComURL); err == nil {
			dingtalk, err = seal(c.DingTalk, fieldDingTalkURL)
		}
	}
	if err != nil {
		return fmt.Errorf("set reminder channel: seal: %w", err)
	}
	if c.Emails == nil {
		c.Emails = []string{}
	}
	actor, now := ActorFrom(ctx), db.now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_channels (unit_id, enabled, emails, wecom_url, dingtalk_url, dingtalk_secret, set_by, set_at, wecom_sealed, dingtalk_sealed)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, unitID, c.Enabled, mustJSON(c.Emails), xiezuo.MaskWebhookURL(c.WeCom), xiezuo.MaskWebhookURL(c.DingTalk),
		secret, actor.Username, now, wecom, dingtalk); err != nil {
		return translate(fmt.Errorf("set reminder channel: %w", err))
	}
	// The robots' addresses carry their access_token or key, all it takes to post to the group:
	// the audit keeps them masked, as the pages show them.
	e := entryFor(ctx, AuditReminderChannel, "unit", district+"/"+unit, unit+"的提醒渠道")
	e.After = mustJSON(map[string]any{"启用": c.Enabled, "电子邮件": c.Emails, "企业微信": xiezuo.MaskWebhookURL(c.WeCom), "钉钉": xiezuo.MaskWebhookURL(c.DingTalk), "钉钉加签": len(secret) > 0})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set reminder channel: %w", err))
	}
	return translate(tx.Commit())
}

// SMTP returns the server's SMTP settings, without the password (HasPassword says whether one
// is stored); the zero settings when none were set.
func (db *DB) SMTP(ctx context.Context) (xiezuo.SMTPSettings, error) {
	s, _, err := db.smtp(ctx, db.db)
	return s, err
}

// SMTPForSending returns the SMTP settings with the password opened, for the sender only.
func (db *DB) SMTPForSending(ctx context.Context) (xiezuo.SMTPSettings, error) {
	s, sealed, err := db.smtp(ctx, db.db)
	if err != nil || len(sealed) == 0 {
		return s, err
	}
	if db.sealer == nil {
		return s, errNoKey()
	}
	pw, err := db.sealer.Open(sealed, fieldSMTPPassword)
	if err != nil {
		return s, fmt.Errorf("open smtp password: %w", err)
	}
	s.Password = string(pw)
	return s, nil
}

func (db *DB) smtp(ctx context.Context, q querier) (xiezuo.SMTPSettings, []byte, error) {
	var s xiezuo.SMTPSettings
	var sealed []byte
	err := each(ctx, q, `SELECT host, port, from_addr, username, password, set_by, set_at FROM smtp_settings ORDER BY id DESC LIMIT 1`, nil,
		func(rows *sql.Rows) error {
			return rows.Scan(&s.Host, &s.Port, &s.From, &s.Username, &sealed, &s.By, &s.At)
		})
	if err != nil {
		return s, nil, translate(fmt.Errorf("smtp settings: %w", err))
	}
	s.HasPassword = len(sealed) > 0
	return s, sealed, nil
}

// SetSMTP records the server's SMTP settings (checked by xiezuo.CheckSMTP) as a new dated row,
// the password sealed, with its audit entry (without the password), in one transaction. A blank
// password keeps the stored one when keepPassword is set, and removes it otherwise.
func (db *DB) SetSMTP(ctx context.Context, s xiezuo.SMTPSettings, keepPassword bool) error {
	tx, err := db.begin(ctx, "smtp settings")
	if err != nil {
		return translate(fmt.Errorf("set smtp: %w", err))
	}
	defer tx.Rollback()
	prev, old, err := db.smtp(ctx, tx)
	if err != nil {
		return err
	}
	if err := xiezuo.CheckSMTPChange(prev, s, keepPassword); err != nil {
		return err
	}
	var sealed []byte
	switch {
	case s.Password != "":
		if db.sealer == nil {
			return errNoKey()
		}
		if sealed, err = db.sealer.Seal([]byte(s.Password), fieldSMTPPassword); err != nil {
			return fmt.Errorf("set smtp: seal: %w", err)
		}
	case keepPassword:
		sealed = old
	}
	actor, now := ActorFrom(ctx), db.now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO smtp_settings (host, port, from_addr, username, password, set_by, set_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.Host, s.Port, s.From, s.Username, sealed, actor.Username, now); err != nil {
		return translate(fmt.Errorf("set smtp: %w", err))
	}
	e := entryFor(ctx, AuditReminderSMTP, "setting", "smtp", "提醒邮件的 SMTP 设置")
	e.After = mustJSON(map[string]any{"服务器": s.Host, "端口": s.Port, "发件人": s.From, "用户名": s.Username, "密码": len(sealed) > 0})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("set smtp: %w", err))
	}
	return translate(tx.Commit())
}

// ReminderRun is one day of the reminder job: what each person is told in the application,
// and what each unit's channels are sent.
type ReminderRun struct {
	Day      xiezuo.Date
	At       time.Time // when its messages are first due, on the clock of the worker that sends them; now when zero
	Instance string    // which process ran it: host and process id
	Users    []xiezuo.UserReminder
	Digests  []xiezuo.UnitDigest
}

// RunResult says what a stored run wrote.
type RunResult struct {
	Stored     bool // false: another instance had claimed the day; nothing was written
	InApp      int  // reminders stored for people
	Deliveries int  // outbox rows stored
}

// JobRan reports whether the job's day was claimed (and so done).
func (db *DB) JobRan(ctx context.Context, job string, day xiezuo.Date) (bool, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_runs WHERE job = $1 AND day = $2`, job, day).Scan(&n); err != nil {
		return false, translate(fmt.Errorf("job ran: %w", err))
	}
	return n > 0, nil
}

// StoreReminderRun claims the reminder job's day and stores its reminders and outbox rows, with
// one audit entry, in one transaction: of several instances running the same day, exactly one
// stores it (the primary key of job_runs; on PostgreSQL the others wait for its commit and then
// find the day taken), and a crash before the commit leaves the day unclaimed for a later run.
// A unit gets an outbox row for each channel it set and enabled.
func (db *DB) StoreReminderRun(ctx context.Context, run ReminderRun) (RunResult, error) {
	var res RunResult
	tx, err := db.begin(ctx, "job "+JobRemind)
	if err != nil {
		return res, translate(fmt.Errorf("store reminder run: %w", err))
	}
	defer tx.Rollback()
	now := db.now().UTC()
	due := run.At.UTC()
	if run.At.IsZero() {
		due = now
	}
	var claimed string
	err = tx.QueryRowContext(ctx, `INSERT INTO job_runs (job, day, instance, started_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (job, day) DO NOTHING RETURNING job`, JobRemind, run.Day, run.Instance, now).Scan(&claimed)
	if errors.Is(err, sql.ErrNoRows) {
		return res, nil
	}
	if err != nil {
		return res, translate(fmt.Errorf("store reminder run: %w", err))
	}
	for _, ur := range run.Users {
		r := ur.Reminder
		var point, task, project sql.Null[int64]
		switch r.Duty.Kind {
		case xiezuo.DutyPoint:
			point = sql.Null[int64]{V: r.Duty.ID, Valid: true}
		case xiezuo.DutyTask:
			task = sql.Null[int64]{V: r.Duty.ID, Valid: true}
		case xiezuo.DutyProject:
			project = sql.Null[int64]{V: r.Duty.ID, Valid: true}
		}
		n, err := tx.ExecContext(ctx, `INSERT INTO reminders (user_id, day, kind, duty_key, point_id, task_id, project_id, unit, title, text, due, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (user_id, day, duty_key) DO NOTHING`,
			ur.UserID, run.Day, string(r.Kind), r.Duty.String(), point, task, project, r.Unit, r.Title, r.Text, r.Due, now)
		if err != nil {
			return res, translate(fmt.Errorf("store reminder run: %w", err))
		}
		k, _ := n.RowsAffected()
		res.InApp += int(k)
	}
	for _, d := range run.Digests {
		c, ok, err := db.reminderChannel(ctx, tx, d.District, d.Unit)
		if err != nil {
			return res, translate(fmt.Errorf("store reminder run: %w", err))
		}
		if !ok || len(c.Channels()) == 0 {
			continue
		}
		unitID, err := unitIDOf(ctx, tx, d.District, d.Unit)
		if err != nil {
			return res, translate(fmt.Errorf("store reminder run: %w", err))
		}
		subject, body := d.Message(run.Day)
		for _, ch := range c.Channels() {
			n, err := tx.ExecContext(ctx, `INSERT INTO reminder_outbox (district, unit_id, channel, day, subject, body, state, attempts, next_at, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8) ON CONFLICT (unit_id, channel, day) DO NOTHING`,
				d.District, unitID, ch, run.Day, subject, body, due, now)
			if err != nil {
				return res, translate(fmt.Errorf("store reminder run: %w", err))
			}
			k, _ := n.RowsAffected()
			res.Deliveries += int(k)
		}
	}
	res.Stored = true
	summary := mustJSON(map[string]any{"实例": run.Instance, "站内提醒": res.InApp, "外发消息": res.Deliveries})
	if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET summary = $1 WHERE job = $2 AND day = $3`, summary, JobRemind, run.Day); err != nil {
		return res, translate(fmt.Errorf("store reminder run: %w", err))
	}
	e := entryFor(ctx, AuditReminderRun, "job", JobRemind+"/"+run.Day.String(), run.Day.String()+"督办提醒")
	e.After = summary
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return res, translate(fmt.Errorf("store reminder run: %w", err))
	}
	return res, translate(tx.Commit())
}

// Delivery states.
const (
	DeliveryPending = "pending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed" // given up after the last retry
)

// Delivery is one outbox row: a message to one unit's channel on one day, with its state.
type Delivery struct {
	ID        int64
	District  string
	Unit      string
	Channel   string
	Day       xiezuo.Date
	Subject   string
	Body      string
	State     string
	Attempts  int
	NextAt    time.Time
	LastError string
	CreatedAt time.Time
	SentAt    time.Time
	// Target is the unit's channel settings as they are when the delivery is claimed (secret
	// opened); the page's lists leave it empty.
	Target xiezuo.ReminderChannel
}

// ChannelText is the delivery's channel in words.
func (d Delivery) ChannelText() string { return xiezuo.ChannelName(d.Channel) }

const deliveryColumns = `o.id, o.district, u.name, o.channel, o.day, o.subject, o.body, o.state, o.attempts, o.next_at, o.last_error, o.created_at, o.sent_at`

func scanDelivery(rows *sql.Rows) (Delivery, error) {
	var d Delivery
	var sent sql.Null[time.Time]
	err := rows.Scan(&d.ID, &d.District, &d.Unit, &d.Channel, &d.Day, &d.Subject, &d.Body, &d.State, &d.Attempts, &d.NextAt, &d.LastError, &d.CreatedAt, &sent)
	d.SentAt = sent.V
	return d, err
}

// ClaimDeliveries takes up to limit pending deliveries due at now and leases them for lease:
// their next attempt moves to now+lease, so that a process that dies while sending leaves them
// to another after the lease. On PostgreSQL the rows are locked with SKIP LOCKED, so that
// instances claiming at once take different rows; SQLite has one writer at a time.
func (db *DB) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, translate(fmt.Errorf("claim deliveries: %w", err))
	}
	defer tx.Rollback()
	var ds []Delivery
	err = each(ctx, tx, `SELECT `+deliveryColumns+` FROM reminder_outbox o JOIN units u ON u.id = o.unit_id
		WHERE o.id IN (SELECT id FROM reminder_outbox WHERE state = 'pending' AND next_at <= $1 ORDER BY next_at, id LIMIT $2`+db.dialect.skipLocked+`)
		ORDER BY o.next_at, o.id`, []any{now.UTC(), limit},
		func(rows *sql.Rows) error {
			d, err := scanDelivery(rows)
			ds = append(ds, d)
			return err
		})
	if err != nil {
		return nil, translate(fmt.Errorf("claim deliveries: %w", err))
	}
	for i := range ds {
		if _, err := tx.ExecContext(ctx, `UPDATE reminder_outbox SET next_at = $1 WHERE id = $2`, now.Add(lease).UTC(), ds[i].ID); err != nil {
			return nil, translate(fmt.Errorf("claim deliveries: %w", err))
		}
		c, _, err := db.reminderChannel(ctx, tx, ds[i].District, ds[i].Unit)
		if err != nil {
			return nil, translate(fmt.Errorf("claim deliveries: %w", err))
		}
		ds[i].Target = c
	}
	if err := tx.Commit(); err != nil {
		return nil, translate(fmt.Errorf("claim deliveries: %w", err))
	}
	return ds, nil
}

// RecordDelivery records the outcome of an attempt made at at: sent when sendErr is nil;
// otherwise retried after xiezuo.RetryDelay, or given up (failed) after the last retry, the
// error text kept for the office. Each attempt is audited. A delivery no longer pending (the
// office retried it and another attempt recorded first) is left as it is.
func (db *DB) RecordDelivery(ctx context.Context, id int64, at time.Time, sendErr error) error {
	tx, err := db.begin(ctx, "reminder outbox")
	if err != nil {
		return translate(fmt.Errorf("record delivery: %w", err))
	}
	defer tx.Rollback()
	var d Delivery
	err = each(ctx, tx, `SELECT `+deliveryColumns+` FROM reminder_outbox o JOIN units u ON u.id = o.unit_id WHERE o.id = $1`, []any{id},
		func(rows *sql.Rows) error {
			var err error
			d, err = scanDelivery(rows)
			return err
		})
	switch {
	case err != nil:
		return translate(fmt.Errorf("record delivery: %w", err))
	case d.ID == 0:
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的提醒消息", id)
	case d.State != DeliveryPending:
		return nil
	}
	at = at.UTC()
	attempts := d.Attempts + 1
	after := map[string]any{"渠道": xiezuo.ChannelName(d.Channel), "第几次": attempts}
	if sendErr == nil {
		_, err = tx.ExecContext(ctx, `UPDATE reminder_outbox SET state = 'sent', attempts = $1, sent_at = $2, last_error = '' WHERE id = $3`, attempts, at, id)
		after["结果"] = "已送达"
	} else {
		msg := errorText(sendErr)
		state, next := DeliveryFailed, at
		if delay, ok := xiezuo.RetryDelay(attempts); ok {
			state, next = DeliveryPending, at.Add(delay)
			after["结果"] = "失败，" + next.Sub(at).String() + "后重试"
		} else {
			after["结果"] = "失败，已放弃"
		}
		after["错误"] = msg
		_, err = tx.ExecContext(ctx, `UPDATE reminder_outbox SET state = $1, attempts = $2, next_at = $3, last_error = $4 WHERE id = $5`, state, attempts, next, msg, id)
	}
	if err != nil {
		return translate(fmt.Errorf("record delivery: %w", err))
	}
	e := entryFor(ctx, AuditReminderSend, "reminder_outbox", fmt.Sprint(id), d.Unit+" "+d.Day.String()+"提醒（"+xiezuo.ChannelName(d.Channel)+"）")
	e.After = mustJSON(after)
	if sendErr != nil {
		e.Outcome = AuditFailure
	}
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("record delivery: %w", err))
	}
	return translate(tx.Commit())
}

// errorText is a delivery error as the office reads it: the first 500 characters.
func errorText(err error) string {
	s := strings.ToValidUTF8(err.Error(), "?")
	if r := []rune(s); len(r) > 500 {
		s = string(r[:500]) + "…"
	}
	return s
}

// DeliveryFilter selects deliveries for the office's page.
type DeliveryFilter struct {
	District string
	State    string // "" for all
	Limit    int    // 200 when 0
}

// Deliveries lists district's deliveries, newest first: failed ones are what the office must see.
func (db *DB) Deliveries(ctx context.Context, f DeliveryFilter) ([]Delivery, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var ds []Delivery
	err := each(ctx, db.db, `SELECT `+deliveryColumns+` FROM reminder_outbox o JOIN units u ON u.id = o.unit_id
		WHERE o.district = $1 AND ($2 = '' OR o.state = $2) ORDER BY o.id DESC LIMIT $3`, []any{f.District, f.State, f.Limit},
		func(rows *sql.Rows) error {
			d, err := scanDelivery(rows)
			ds = append(ds, d)
			return err
		})
	if err != nil {
		return nil, translate(fmt.Errorf("deliveries: %w", err))
	}
	return ds, nil
}

// DeliveryCounts counts district's deliveries by state.
func (db *DB) DeliveryCounts(ctx context.Context, district string) (map[string]int, error) {
	m := map[string]int{}
	err := each(ctx, db.db, `SELECT state, COUNT(*) FROM reminder_outbox WHERE district = $1 GROUP BY state`, []any{district},
		func(rows *sql.Rows) error {
			var s string
			var n int
			err := rows.Scan(&s, &n)
			m[s] = n
			return err
		})
	if err != nil {
		return nil, translate(fmt.Errorf("delivery counts: %w", err))
	}
	return m, nil
}

// RetryDelivery makes a delivery of district that failed (or waits for its next retry) due
// again at at (now, on the worker's clock), its retries counted afresh, with its audit entry. A
// sent one is refused.
func (db *DB) RetryDelivery(ctx context.Context, district string, id int64, at time.Time) error {
	tx, err := db.begin(ctx, "reminder outbox")
	if err != nil {
		return translate(fmt.Errorf("retry delivery: %w", err))
	}
	defer tx.Rollback()
	var state, unit, channel string
	var day xiezuo.Date
	err = tx.QueryRowContext(ctx, `SELECT o.state, u.name, o.channel, o.day FROM reminder_outbox o JOIN units u ON u.id = o.unit_id
		WHERE o.id = $1 AND o.district = $2`, id, district).Scan(&state, &unit, &channel, &day)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "%s没有编号为 %d 的提醒消息", district, id)
	case err != nil:
		return translate(fmt.Errorf("retry delivery: %w", err))
	case state == DeliverySent:
		return xiezuo.Errorf(xiezuo.ECONFLICT, "该消息已送达，无需重发")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reminder_outbox SET state = 'pending', attempts = 0, next_at = $1 WHERE id = $2`, at.UTC(), id); err != nil {
		return translate(fmt.Errorf("retry delivery: %w", err))
	}
	e := entryFor(ctx, AuditReminderRetry, "reminder_outbox", fmt.Sprint(id), unit+" "+day.String()+"提醒（"+xiezuo.ChannelName(channel)+"）")
	e.Before = mustJSON(map[string]string{"状态": state})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("retry delivery: %w", err))
	}
	return translate(tx.Commit())
}

// InAppReminder is a reminder as stored for one person.
type InAppReminder struct {
	ID        int64
	Day       xiezuo.Date
	Reminder  xiezuo.Reminder
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// UserReminders lists user's reminders, newest first, at most limit (100 when 0).
func (db *DB) UserReminders(ctx context.Context, userID int64, limit int) ([]InAppReminder, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []InAppReminder
	err := each(ctx, db.db, `SELECT id, day, kind, duty_key, unit, title, text, due, created_at, read_at FROM reminders
		WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, []any{userID, limit},
		func(rows *sql.Rows) error {
			var r InAppReminder
			var kind, key string
			var read sql.Null[time.Time]
			if err := rows.Scan(&r.ID, &r.Day, &kind, &key, &r.Reminder.Unit, &r.Reminder.Title, &r.Reminder.Text, &r.Reminder.Due, &r.CreatedAt, &read); err != nil {
				return err
			}
			r.Reminder.Kind, r.ReadAt = xiezuo.ReminderKind(kind), read.V
			r.Reminder.Duty, _ = xiezuo.ParseDutyKey(key)
			out = append(out, r)
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("user reminders: %w", err))
	}
	return out, nil
}

// UnreadReminders counts user's unread reminders: one query on a partial index, cheap enough
// for every page's layout.
func (db *DB) UnreadReminders(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminders WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0, translate(fmt.Errorf("unread reminders: %w", err))
	}
	return n, nil
}

// MarkRemindersRead marks all of user's reminders read, with its audit entry; it returns how
// many were unread. Nothing unread writes nothing.
func (db *DB) MarkRemindersRead(ctx context.Context, userID int64) (int64, error) {
	tx, err := db.begin(ctx, fmt.Sprint("reminders read ", userID))
	if err != nil {
		return 0, translate(fmt.Errorf("mark reminders read: %w", err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE reminders SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, db.now().UTC(), userID)
	if err != nil {
		return 0, translate(fmt.Errorf("mark reminders read: %w", err))
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		return 0, nil
	}
	e := entryFor(ctx, AuditReminderRead, "user", fmt.Sprint(userID), "站内提醒")
	e.After = mustJSON(map[string]int64{"标为已读": n})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return 0, translate(fmt.Errorf("mark reminders read: %w", err))
	}
	return n, translate(tx.Commit())
}
