// Package sqldbtest gives tests a database of their own: a fresh PostgreSQL database, dropped
// when the test ends. Without a reachable PostgreSQL the test is skipped, or fails when the
// environment variable CI is set, so CI never passes by skipping.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
)

// DefaultPostgres is the server tests use unless XIEZUO_TEST_POSTGRES names another.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

var (
	pingOnce sync.Once
	pingErr  error
)

// PostgresURL creates a database for the test and returns its URL; the database is dropped
// when the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("XIEZUO_TEST_POSTGRES")
	if dsn == "" {
		dsn = DefaultPostgres
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("sql.Open(pgx, %q) = %v", Redact(dsn), err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Tried once per run, so that an unreachable server costs one timeout, not one per test.
	pingOnce.Do(func() {
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		pingErr = admin.PingContext(pingCtx)
	})
	if pingErr != nil {
		msg := "PostgreSQL unreachable at " + Redact(dsn) + " (set XIEZUO_TEST_POSTGRES to a server where the user may create databases; with CI set this fails): " + pingErr.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "xiezuo_test_" + hex.EncodeToString(b) // generated: safe to splice into DDL
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("CREATE DATABASE %s = %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("DROP DATABASE %s = %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("url.Parse(%q) = %v", Redact(dsn), err)
	}
	u.Path = "/" + name
	return u.String()
}

// Redact hides the password of a database URL.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}
