package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"xiezuo"
	"xiezuo/sqldb/sqldbtest"
)

// TestPostgresAppRole: the schema migrated by an owner role, the application run as a role
// granted by GrantApp. The application works (a user created, audited); it cannot change the
// audit log, disable or drop its triggers, nor change the schema; and it refuses to start on
// a schema that is behind, naming xiezuo migrate.
func TestPostgresAppRole(t *testing.T) {
	dsn := sqldbtest.PostgresURL(t)
	ctx := t.Context()
	admin, err := sql.Open("pgx", dsn) // a superuser, as the database's administrator is
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	owner, app := "xiezuo_owner_"+hex.EncodeToString(b), "xiezuo_app_"+hex.EncodeToString(b) // generated: safe in DDL
	for _, q := range []string{"CREATE ROLE " + owner + " LOGIN", "CREATE ROLE " + app + " LOGIN"} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s = %v", q, err)
		}
	}
	t.Cleanup(func() {
		for _, q := range []string{"DROP OWNED BY " + owner + ", " + app + " CASCADE", "DROP ROLE " + app, "DROP ROLE " + owner} {
			if _, err := admin.ExecContext(context.Background(), q); err != nil {
				t.Errorf("%s = %v", q, err)
			}
		}
	})
	if _, err := admin.ExecContext(ctx, "GRANT CREATE ON SCHEMA public TO "+owner); err != nil {
		t.Fatal(err)
	}
	as := func(role string) string {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.User(role)
		return u.String()
	}

	if _, err := Migrate(ctx, as(owner)); err != nil {
		t.Fatalf("Migrate(as owner) = %v", err)
	}
	ownerDB, err := Open(ctx, as(owner))
	if err != nil {
		t.Fatal(err)
	}
	defer ownerDB.Close()
	if err := ownerDB.GrantApp(ctx, app); err != nil {
		t.Fatalf("GrantApp = %v", err)
	}
	if err := ownerDB.GrantApp(ctx, "x; DROP TABLE users"); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
		t.Errorf("GrantApp(bad name) = %v, want %s", err, xiezuo.EINVALID)
	}

	db, err := Open(ctx, as(app))
	if err != nil {
		t.Fatalf("Open(as app, schema current) = %v", err)
	}
	defer db.Close()
	useTestAuditKey(t, db)
	db.SetSealer(testSealer(t))
	u := &xiezuo.User{Username: "office1", Name: "王五", District: "门头沟区", Unit: "领导小组办公室",
		Roles: []string{xiezuo.RoleOffice}, Phone: "13812345678"}
	if err := db.CreateUser(ctx, u, testHash); err != nil {
		t.Fatalf("CreateUser(as app) = %v", err)
	}
	mustAppend(t, db, AuditEntry{Action: AuditReveal, ObjectType: "user", ObjectID: "1"})
	mustVerify(t, db, 2, 0) // user.add and the reveal: the log began keyed, without a switch entry

	raw, err := sql.Open("pgx", as(app))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`,
		`DROP TRIGGER audit_log_no_update ON audit_log`,
		`DROP TRIGGER audit_log_keep_180_days ON audit_log`,
		`DROP FUNCTION audit_log_guard() CASCADE`,
		`UPDATE audit_log SET detail = 'x' WHERE seq = 1`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
		`DROP TABLE audit_log`,
		`ALTER TABLE users ADD COLUMN note TEXT`,
		`CREATE TABLE shadow (x INTEGER)`,
		`DELETE FROM schema_migrations`,
	} {
		_, err := raw.ExecContext(ctx, q)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42501" {
			t.Errorf("%s as the application role = %v, want permission denied (42501)", q, err)
		}
	}

	// A schema behind the binary: the application role does not try, and says who must.
	if _, err := ownerDB.db.ExecContext(ctx, `DELETE FROM schema_migrations WHERE name = '0006_audit_key.sql'`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, as(app)); err == nil || !strings.Contains(xiezuo.ErrorMessage(err), "xiezuo migrate") ||
		!strings.Contains(xiezuo.ErrorMessage(err), "0006_audit_key.sql") {
		t.Errorf("Open(as app, schema behind) = %v, want a message naming 0006_audit_key.sql and xiezuo migrate", err)
	}
}
