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

// Subject is what a contact is the contact of: a unit or a project, by its stored id (exactly
// one of the two is set).
type Subject struct {
	UnitID    int64
	ProjectID int64
}

// UnitSubject is the subject of a unit's contact; id is xiezuo.Unit.ID.
func UnitSubject(id int64) Subject { return Subject{UnitID: id} }

// ProjectSubject is the subject of a project's contact; id is xiezuo.Project.ID.
func ProjectSubject(id int64) Subject { return Subject{ProjectID: id} }

// String names the subject in the audit log: unit/12 or project/345.
func (s Subject) String() string {
	if s.ProjectID != 0 {
		return fmt.Sprintf("project/%d", s.ProjectID)
	}
	return fmt.Sprintf("unit/%d", s.UnitID)
}

// Contact is the contact person of a unit or a project. Phone is the number in clear, read
// through the Sealer; pages show it masked unless the reader may see it.
type Contact struct {
	District  string
	Subject   Subject
	Label     string // the subject as people name it, for the audit log
	Name      string
	Phone     string
	UpdatedBy string
	UpdatedAt time.Time
}

// subjectWhere is the condition that selects the contact of s.
func subjectWhere(s Subject) (string, int64) {
	if s.ProjectID != 0 {
		return "project_id = $2", s.ProjectID
	}
	return "unit_id = $2", s.UnitID
}

// SaveContact stores a contact, the phone sealed, and audits the change (the phone masked in
// the entry: the log holds no personal data in clear). The unit or project must be one of the
// district's: anything else is ENOTFOUND.
func (db *DB) SaveContact(ctx context.Context, c Contact) error {
	if db.sealer == nil {
		return errNoKey()
	}
	if (c.Subject.UnitID == 0) == (c.Subject.ProjectID == 0) {
		return xiezuo.Errorf(xiezuo.EINVALID, "请指明联系人所属的单位或项目")
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
	tx, err := db.begin(ctx, "contact "+c.District+" "+c.Subject.String())
	if err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	defer tx.Rollback()
	// The subject must be the district's own.
	var n int
	if c.Subject.ProjectID != 0 {
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p JOIN plans pl ON pl.id = p.plan_id
			WHERE pl.district = $1 AND p.id = $2`, c.District, c.Subject.ProjectID).Scan(&n)
	} else {
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE district = $1 AND id = $2`,
			c.District, c.Subject.UnitID).Scan(&n)
	}
	if err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	if n == 0 {
		return xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个单位或项目，无法保存联系人")
	}
	var oldName string
	var oldSealed []byte
	where, id := subjectWhere(c.Subject)
	err = tx.QueryRowContext(ctx, `SELECT name, phone_sealed FROM contacts WHERE district = $1 AND `+where, c.District, id).Scan(&oldName, &oldSealed)
	before := ""
	exists := false
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return translate(fmt.Errorf("save contact: %w", err))
	default:
		exists = true
		oldPhone := ""
		if p, err := db.sealer.Open(oldSealed, fieldContactPhone); err == nil {
			oldPhone = vault.MaskPhone(string(p))
		}
		before = mustJSON(map[string]string{"联系人": oldName, "手机": oldPhone})
	}
	actor := ActorFrom(ctx)
	now := db.now().UTC()
	if exists {
		_, err = tx.ExecContext(ctx, `UPDATE contacts SET name = $3, phone_sealed = $4, phone_index = $5,
			updated_by = $6, updated_at = $7 WHERE district = $1 AND `+where,
			c.District, id, c.Name, sealed, index, actor.Username, now)
	} else {
		_, err = tx.ExecContext(ctx, `
			INSERT INTO contacts (district, unit_id, project_id, name, phone_sealed, phone_index, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			c.District, nullID(c.Subject.UnitID), nullID(c.Subject.ProjectID), c.Name, sealed, index, actor.Username, now)
	}
	if err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	e := entryFor(ctx, AuditContact, "contact", c.District+"/"+c.Subject.String(), c.Label)
	e.Before = before
	e.After = mustJSON(map[string]string{"联系人": c.Name, "手机": vault.MaskPhone(phone)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("save contact: %w", err))
	}
	return translate(tx.Commit())
}

// Contact reads a contact; a subject without one is ENOTFOUND. Without a Sealer the phone is
// left empty.
func (db *DB) Contact(ctx context.Context, district string, s Subject) (Contact, error) {
	c := Contact{District: district, Subject: s}
	var sealed []byte
	where, id := subjectWhere(s)
	err := db.db.QueryRowContext(ctx, `SELECT name, phone_sealed, updated_by, updated_at FROM contacts WHERE district = $1 AND `+where,
		district, id).Scan(&c.Name, &sealed, &c.UpdatedBy, &c.UpdatedAt)
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
			return c, fmt.Errorf("open contact phone of %s: %w", s, err)
		}
		c.Phone = string(p)
	}
	return c, nil
}

// ProjectContacts reads the contacts of the projects of a district's plan for a year, by
// project id.
func (db *DB) ProjectContacts(ctx context.Context, district string, year int) (map[int64]Contact, error) {
	out := map[int64]Contact{}
	err := each(ctx, db.db, `
		SELECT c.project_id, c.name, c.phone_sealed, c.updated_by, c.updated_at
		FROM contacts c
		JOIN projects p ON p.id = c.project_id
		JOIN plans pl ON pl.id = p.plan_id
		WHERE pl.district = $1 AND pl.year = $2`,
		[]any{district, year}, func(rows *sql.Rows) error {
			c := Contact{District: district}
			var sealed []byte
			if err := rows.Scan(&c.Subject.ProjectID, &c.Name, &sealed, &c.UpdatedBy, &c.UpdatedAt); err != nil {
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
			out[c.Subject.ProjectID] = c
			return nil
		})
	if err != nil {
		return nil, translate(fmt.Errorf("read contacts: %w", err))
	}
	return out, nil
}

// UnitID returns the id of a district's unit by its canonical name; an unknown unit is
// ENOTFOUND.
func (db *DB) UnitID(ctx context.Context, district, name string) (int64, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `SELECT id FROM units WHERE district = $1 AND name = $2`, district, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有单位“%s”", name)
	}
	if err != nil {
		return 0, translate(fmt.Errorf("find unit %s: %w", name, err))
	}
	return id, nil
}
