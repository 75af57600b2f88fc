package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"xiezuo"
	"xiezuo/vault"
)

const fieldContactPhone = "contacts.phone"

// Contact is the contact person of a unit or a project. Phone is the number in clear, read
// through the Sealer; pages show it masked unless the reader may see it.
type Contact struct {
	District  string
	Subject   string // UnitSubject or ProjectSubject
	Label     string // the subject as people name it, for the audit log
	Name      string
	Phone     string
	UpdatedBy string
	UpdatedAt time.Time
}

// UnitSubject is the subject of a unit's contact.
func UnitSubject(unit string) string { return "unit/" + unit }

// ProjectSubject is the subject of a project's contact.
func ProjectSubject(year int, region, project string) string {
	return fmt.Sprintf("project/%d/%s/%s", year, region, project)
}

// SaveContact stores a contact, the phone sealed, and audits the change (the phone masked in
// the entry: the log holds no personal data in clear).
func (db *DB) SaveContact(ctx context.Context, c Contact) error {
	if db.sealer == nil {
		return errNoKey()
	}
	person := xiezuo.Contact{Name: c.Name, Phone: c.Phone}
	if err := person.Validate(); err != nil {
		return err
	}
	c.Name, c.Phone = person.Name, person.Phone
	phone := person.Phone
	sealed, err := db.sealer.Seal([]byte(phone), fieldContactPhone)
	if err != nil {
		return fmt.Errorf("save contact: %w", err)
	}
	index := db.sealer.Index([]byte(phone), fieldContactPhone)
	tx, err := db.begin(ctx, "contact "+c.District+" "+c.Subject)
	if err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	defer tx.Rollback()
	var oldName string
	var oldSealed []byte
	err = tx.QueryRowContext(ctx, `SELECT name, phone_sealed FROM contacts WHERE district = $1 AND subject = $2`, c.District, c.Subject).Scan(&oldName, &oldSealed)
	before := ""
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return translate(fmt.Errorf("save contact: %w", err))
	default:
		oldPhone := ""
		if p, err := db.sealer.Open(oldSealed, fieldContactPhone); err == nil {
			oldPhone = vault.MaskPhone(string(p))
		}
		before = mustJSON(map[string]string{"联系人": oldName, "手机": oldPhone})
	}
	actor := ActorFrom(ctx)
	now := db.now().UTC()
	_, err = tx.ExecContext(ctx, `
		INSERT INTO contacts (district, subject, name, phone_sealed, phone_index, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (district, subject) DO UPDATE SET name = excluded.name, phone_sealed = excluded.phone_sealed,
			phone_index = excluded.phone_index, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		c.District, c.Subject, c.Name, sealed, index, actor.Username, now)
	if err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	e := entryFor(ctx, AuditContact, "contact", c.District+"/"+c.Subject, c.Label)
	e.Before = before
	e.After = mustJSON(map[string]string{"联系人": c.Name, "手机": vault.MaskPhone(phone)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	return translate(tx.Commit())
}

// Contact reads a contact; a subject without one is ENOTFOUND. Without a Sealer the phone is
// left empty.
func (db *DB) Contact(ctx context.Context, district, subject string) (Contact, error) {
	c := Contact{District: district, Subject: subject}
	var sealed []byte
	err := db.db.QueryRowContext(ctx, `SELECT name, phone_sealed, updated_by, updated_at FROM contacts WHERE district = $1 AND subject = $2`,
		district, subject).Scan(&c.Name, &sealed, &c.UpdatedBy, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return c, xiezuo.Errorf(xiezuo.ENOTFOUND, "还没有登记联系人")
	}
	if err != nil {
		return c, translate(fmt.Errorf("read contact: %w", err))
	}
	c.UpdatedAt = c.UpdatedAt.UTC()
	if db.sealer != nil {
		p, err := db.sealer.Open(sealed, fieldContactPhone)
		if err != nil {
			return c, fmt.Errorf("open contact phone of %s: %w", subject, err)
		}
		c.Phone = string(p)
	}
	return c, nil
}

// Contacts reads the contacts whose subject starts with prefix (all of a plan's projects:
// ProjectSubject(year, "", "") without its trailing parts), by subject.
func (db *DB) Contacts(ctx context.Context, district, prefix string) (map[string]Contact, error) {
	out := map[string]Contact{}
	err := each(ctx, db.db, `SELECT subject, name, phone_sealed, updated_by, updated_at FROM contacts WHERE district = $1 AND substr(subject, 1, $2) = $3`,
		[]any{district, len([]rune(prefix)), prefix}, func(rows *sql.Rows) error {
			c := Contact{District: district}
			var sealed []byte
			if err := rows.Scan(&c.Subject, &c.Name, &sealed, &c.UpdatedBy, &c.UpdatedAt); err != nil {
				return err
			}
			c.UpdatedAt = c.UpdatedAt.UTC()
			if db.sealer != nil {
				p, err := db.sealer.Open(sealed, fieldContactPhone)
				if err != nil {
					return fmt.Errorf("open contact phone of %s: %w", c.Subject, err)
				}
				c.Phone = string(p)
			}
			out[c.Subject] = c
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("read contacts: %w", err))
	}
	return out, nil
}

// DeleteOldUploads removes uploads made before a time: never confirmed, they are not kept.
func (db *DB) DeleteOldUploads(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM uploads WHERE created_at < $1`, before.UTC())
	if err != nil {
		return 0, translate(fmt.Errorf("delete old uploads: %w", err))
	}
	return res.RowsAffected()
}

// SaveUpload keeps an uploaded document until the office confirms its import.
func (db *DB) SaveUpload(ctx context.Context, userID int64, name string, content []byte, at time.Time) (int64, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `INSERT INTO uploads (user_id, name, content, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		userID, name, content, at.UTC()).Scan(&id)
	if err != nil {
		return 0, translate(fmt.Errorf("save upload: %w", err))
	}
	return id, nil
}

// Upload reads an upload of the user; another user's upload is not found.
func (db *DB) Upload(ctx context.Context, id, userID int64) (name string, content []byte, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT name, content FROM uploads WHERE id = $1 AND user_id = $2`, id, userID).Scan(&name, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "上传的文件已过期或不存在，请重新上传")
	}
	if err != nil {
		return "", nil, translate(fmt.Errorf("read upload: %w", err))
	}
	return name, content, nil
}

// DeleteUpload removes an upload once imported.
func (db *DB) DeleteUpload(ctx context.Context, id int64) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1`, id); err != nil {
		return translate(fmt.Errorf("delete upload: %w", err))
	}
	return nil
}
