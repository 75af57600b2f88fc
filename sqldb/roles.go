package sqldb

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"xiezuo"
)

// appRoleName is what GrantApp accepts as a role name: it is spliced into the GRANTs, which
// take no parameters.
var appRoleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// AppGrants returns the statements that let the PostgreSQL role app run the application on
// the tables of the connection's current schema without being able to change the schema or
// the audit log: SELECT, INSERT, UPDATE and DELETE on the data tables, only SELECT and INSERT
// on audit_log, only SELECT on schema_migrations. Not being the owner, app can neither alter
// nor drop a table, nor disable or drop its triggers. docs/security.md shows them.
func AppGrants(schema, app string) []string {
	s, a := quoteIdent(schema), quoteIdent(app)
	return []string{
		"GRANT USAGE ON SCHEMA " + s + " TO " + a,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + a,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + s + " TO " + a,
		"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON " + s + ".schema_migrations FROM " + a,
		"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON " + s + ".audit_log FROM " + a,
		// The sealer deletes what it chained (the trigger lets nothing else go).
		"REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON " + s + ".audit_pending FROM " + a,
	}
}

// GrantApp runs AppGrants on db's current schema for the role app. db must be connected as the
// owner of the tables; run it again after each migration, which may add tables.
func (db *DB) GrantApp(ctx context.Context, app string) error {
	if db.dialect.name != "postgres" {
		return xiezuo.Errorf(xiezuo.EINVALID, "应用角色只用于 PostgreSQL")
	}
	if !appRoleName.MatchString(app) {
		return xiezuo.Errorf(xiezuo.EINVALID, "角色名“%s”应由小写字母、数字和下划线组成", app)
	}
	tx, err := db.begin(ctx, "migrate")
	if err != nil {
		return translate(fmt.Errorf("grant app: %w", err))
	}
	defer tx.Rollback()
	var schema string
	if err := tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return translate(fmt.Errorf("grant app: %w", err))
	}
	for _, q := range AppGrants(schema, app) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return translate(fmt.Errorf("grant app: %s: %w", q, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("grant app: %w", err))
	}
	return nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
