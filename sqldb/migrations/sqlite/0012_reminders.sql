-- Reminders (督办提醒): what the daily job tells each person in the application, the outbox of
-- messages to the units' e-mail and group robots, the channels each unit set, the server's
-- SMTP settings, and the days the job ran. Settings are dated rows (the latest applies); the
-- outbox rows carry their delivery state, each attempt audited.

-- A unit's channels: e-mail addresses (a JSON list), a 企业微信 and a 钉钉 robot webhook, the
-- 钉钉 加签 secret sealed with the key file's key; enabled 0 turns them all off.
CREATE TABLE reminder_channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id         INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    emails          TEXT NOT NULL DEFAULT '[]',
    wecom_url       TEXT NOT NULL DEFAULT '',
    dingtalk_url    TEXT NOT NULL DEFAULT '',
    dingtalk_secret BLOB,
    set_by          TEXT NOT NULL,
    set_at          TIMESTAMP NOT NULL
);
CREATE INDEX reminder_channels_unit_idx ON reminder_channels (unit_id, id);

-- The server's outgoing mail; the password sealed. The latest row applies.
CREATE TABLE smtp_settings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    host      TEXT NOT NULL,
    port      INTEGER NOT NULL,
    from_addr TEXT NOT NULL,
    username  TEXT NOT NULL,
    password  BLOB,
    set_by    TEXT NOT NULL,
    set_at    TIMESTAMP NOT NULL
);

-- A daily job's day, claimed by the first instance that runs it: the primary key makes every
-- other instance skip it, and the claim commits with the job's work or not at all.
CREATE TABLE job_runs (
    job        TEXT NOT NULL,
    day        TEXT NOT NULL,
    instance   TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, day)
);

-- What one person is told in the application on a day: one row per person, day and duty.
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('due', 'yellow', 'red', 'returned', 'notice_unanswered', 'notice_escalated')),
    duty_key   TEXT NOT NULL,
    point_id   INTEGER REFERENCES work_points (id) ON DELETE CASCADE,
    task_id    INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    project_id INTEGER REFERENCES projects (id) ON DELETE CASCADE,
    unit       TEXT NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    due        TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    CONSTRAINT reminders_once_key UNIQUE (user_id, day, duty_key)
);
CREATE INDEX reminders_user_idx ON reminders (user_id, id);
CREATE INDEX reminders_unread_idx ON reminders (user_id) WHERE read_at IS NULL;

-- One message per unit, channel and day, with its delivery state: pending (next attempt at
-- next_at), sent, or failed (given up after the last retry, shown to the office).
CREATE TABLE reminder_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district   TEXT NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'wecom', 'dingtalk')),
    day        TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TIMESTAMP NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP,
    CONSTRAINT reminder_outbox_once_key UNIQUE (unit_id, channel, day)
);
CREATE INDEX reminder_outbox_due_idx ON reminder_outbox (state, next_at);
