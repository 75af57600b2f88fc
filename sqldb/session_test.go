package sqldb

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

func tokenHash(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

func TestSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{IP: "192.0.2.1"})
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		v := mustCreateUser(t, db, testUser("lisi", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		s := Session{
			TokenHash: tokenHash("token-a"), UserID: u.ID, CSRF: "csrf-a", IP: "192.0.2.1",
			UserAgent: "Mozilla/5.0", CreatedAt: t0, LastSeen: t0,
		}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatalf("CreateSession = %v", err)
		}
		for token, user := range map[string]int64{"token-b": u.ID, "token-c": v.ID} {
			if err := db.CreateSession(ctx, Session{TokenHash: tokenHash(token), UserID: user, CSRF: "x", CreatedAt: t0, LastSeen: t0}); err != nil {
				t.Fatal(err)
			}
		}
		got, gu, err := db.SessionByHash(ctx, s.TokenHash)
		if err != nil {
			t.Fatalf("SessionByHash = %v", err)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("SessionByHash (-want +got):\n%s", diff)
		}
		if gu.ID != u.ID || gu.Username != "zhangsan" {
			t.Errorf("SessionByHash user = %+v, want zhangsan", gu)
		}

		// Touching within a minute writes nothing; after it, last_seen moves.
		lastSeen := func() time.Time {
			t.Helper()
			got, _, err := db.SessionByHash(ctx, s.TokenHash)
			if err != nil {
				t.Fatal(err)
			}
			return got.LastSeen
		}
		if err := db.TouchSession(ctx, s.TokenHash, t0.Add(30*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := lastSeen(); !got.Equal(t0) {
			t.Errorf("last seen after a touch within a minute = %v, want %v", got, t0)
		}
		t1 := t0.Add(10 * time.Minute)
		if err := db.TouchSession(ctx, s.TokenHash, t1); err != nil {
			t.Fatal(err)
		}
		if got := lastSeen(); !got.Equal(t1) {
			t.Errorf("last seen after a touch = %v, want %v", got, t1)
		}
		if err := db.TouchSession(ctx, tokenHash("gone"), t1); err != nil {
			t.Errorf("TouchSession(missing) = %v, want nil", err)
		}

		if err := db.SetSessionSecondFactor(ctx, s.TokenHash); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := db.SessionByHash(ctx, s.TokenHash); !got.SecondFactorDone {
			t.Errorf("SecondFactorDone = false after SetSessionSecondFactor")
		}
		if err := db.SetSessionSecondFactor(ctx, tokenHash("gone")); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SetSessionSecondFactor(missing) = %v, want %s", err, xiezuo.ENOTFOUND)
		}

		// Sessions b and c were last seen at t0, a at t1.
		n, err := db.DeleteIdleSessions(ctx, t0.Add(5*time.Minute))
		if err != nil || n != 2 {
			t.Errorf("DeleteIdleSessions = %d, %v, want 2", n, err)
		}
		if _, _, err := db.SessionByHash(ctx, tokenHash("token-b")); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SessionByHash(idle) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if _, _, err := db.SessionByHash(ctx, s.TokenHash); err != nil {
			t.Errorf("SessionByHash(active) = %v after DeleteIdleSessions", err)
		}
		if n, err := db.DeleteIdleSessions(ctx, t0.Add(5*time.Minute)); err != nil || n != 0 {
			t.Errorf("DeleteIdleSessions(again) = %d, %v, want 0", n, err)
		}

		if err := db.DeleteSession(ctx, s.TokenHash); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByHash(ctx, s.TokenHash); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SessionByHash(deleted) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if err := db.DeleteSession(ctx, s.TokenHash); err != nil {
			t.Errorf("DeleteSession(again) = %v, want nil", err)
		}

		for _, token := range []string{"d1", "d2"} {
			if err := db.CreateSession(ctx, Session{TokenHash: tokenHash(token), UserID: u.ID, CSRF: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.DeleteUserSessions(ctx, u.ID); err != nil || n != 2 {
			t.Errorf("DeleteUserSessions = %d, %v, want 2", n, err)
		}

		// Disabling a user ends its sessions.
		if err := db.CreateSession(ctx, Session{TokenHash: tokenHash("e"), UserID: v.ID, CSRF: "x"}); err != nil {
			t.Fatal(err)
		}
		v.Disabled = true
		if _, err := db.UpdateUser(ctx, v); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByHash(ctx, tokenHash("e")); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SessionByHash(of a disabled user) = %v, want %s", err, xiezuo.ENOTFOUND)
		}

		// The token itself is never taken for its hash.
		for _, bad := range []string{"token-a", strings.Repeat("z", 64), ""} {
			if err := db.CreateSession(ctx, Session{TokenHash: bad, UserID: u.ID, CSRF: "x"}); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
				t.Errorf("CreateSession(TokenHash %q) = %v, want %s", bad, err, xiezuo.EINVALID)
			}
		}
		if err := db.CreateSession(ctx, Session{TokenHash: tokenHash("f"), UserID: v.ID + 100, CSRF: "x"}); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("CreateSession(missing user) = %v, want %s", err, xiezuo.ENOTFOUND)
		}

		want := []string{AuditUserAdd, AuditUserAdd, AuditSessionCreate, AuditSessionCreate, AuditSessionCreate,
			AuditSessionVerified, AuditSessionsExpire, AuditSessionDelete, AuditSessionCreate, AuditSessionCreate,
			AuditSessionsRevoke, AuditSessionCreate, AuditUserUpdate}
		if diff := cmp.Diff(want, auditActions(t, db)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
		created, _, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditSessionCreate, ObjectID: s.TokenHash[:16]})
		if len(created) != 1 || created[0].Username != "zhangsan" || created[0].IP != "192.0.2.1" {
			t.Errorf("audit of CreateSession = %+v, want zhangsan's own from 192.0.2.1", created)
		}
		var rows int
		mustSeal(t, db)
		if err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE object_id LIKE '%token%' OR detail LIKE '%token-%'`).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("audit log names a token: %d rows, %v", rows, err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		h := sha256.Sum256([]byte("secret-1"))
		id, err := db.CreateAPIToken(ctx, u.ID, "报表脚本", h[:], t0, t0.AddDate(0, 0, 90))
		if err != nil {
			t.Fatalf("CreateAPIToken = %v", err)
		}
		if _, err := db.CreateAPIToken(ctx, u.ID, "again", h[:], t0, t0.AddDate(0, 0, 90)); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("CreateAPIToken(same hash) = %v, want %s", err, xiezuo.ECONFLICT)
		}
		if _, err := db.CreateAPIToken(ctx, u.ID, "clear", []byte("secret-1"), t0, t0.AddDate(0, 0, 90)); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("CreateAPIToken(not a hash) = %v, want %s", err, xiezuo.EINVALID)
		}
		if _, err := db.CreateAPIToken(ctx, u.ID+100, "x", h[:], t0, t0.AddDate(0, 0, 90)); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("CreateAPIToken(missing user) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		t1 := t0.Add(time.Hour)
		got, err := db.UserByAPITokenHash(ctx, h[:], t1)
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByAPITokenHash = %v, %v, want user %d", got, err, u.ID)
		}
		// Within a minute the stamp stays.
		if _, err := db.UserByAPITokenHash(ctx, h[:], t1.Add(30*time.Second)); err != nil {
			t.Fatal(err)
		}
		tokens, err := db.APITokens(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []APIToken{{ID: id, UserID: u.ID, Username: "zhangsan", UserName: "张三", Name: "报表脚本", CreatedAt: t0, ExpiresAt: t0.AddDate(0, 0, 90), LastUsed: t1}}
		if diff := cmp.Diff(want, tokens); diff != "" {
			t.Errorf("APITokens (-want +got):\n%s", diff)
		}
		other := sha256.Sum256([]byte("other"))
		if _, err := db.UserByAPITokenHash(ctx, other[:], t1); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UserByAPITokenHash(unknown) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		u.Disabled = true
		if _, err := db.UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByAPITokenHash(ctx, h[:], t1); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("UserByAPITokenHash(disabled user) = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		if err := db.RevokeAPIToken(ctx, u.ID+1, id); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RevokeAPIToken(another user's) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if err := db.RevokeAPIToken(ctx, u.ID, id); err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAPIToken(ctx, u.ID, id); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RevokeAPIToken(again) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if tokens, _ := db.APITokens(ctx, u.ID); len(tokens) != 0 {
			t.Errorf("APITokens after revoking = %v, want none", tokens)
		}
		wantActions := []string{AuditUserAdd, AuditAPITokenCreate, AuditUserUpdate, AuditAPITokenRevoke}
		if diff := cmp.Diff(wantActions, auditActions(t, db)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
	})
}

func TestSettings(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{UserID: 3, Username: "secadmin"})
		if v, ok, err := db.Setting(ctx, "lockout.max_failures"); err != nil || ok || v != "" {
			t.Errorf("Setting(unset) = %q, %v, %v", v, ok, err)
		}
		for _, v := range []string{"5", "5", "3"} {
			if err := db.SetSetting(ctx, "lockout.max_failures", v); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetSetting(ctx, "session.idle_minutes", "30"); err != nil {
			t.Fatal(err)
		}
		if v, ok, err := db.Setting(ctx, "lockout.max_failures"); err != nil || !ok || v != "3" {
			t.Errorf("Setting = %q, %v, %v, want 3", v, ok, err)
		}
		all, err := db.Settings(ctx)
		if diff := cmp.Diff(map[string]string{"lockout.max_failures": "3", "session.idle_minutes": "30"}, all); err != nil || diff != "" {
			t.Errorf("Settings = %v (-want +got):\n%s", err, diff)
		}
		if err := db.SetSetting(ctx, " ", "x"); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetSetting(no key) = %v, want %s", err, xiezuo.EINVALID)
		}
		entries, total, err := db.SearchAudit(ctx, AuditFilter{Action: AuditSettingSet, ObjectID: "lockout.max_failures"})
		if err != nil || total != 2 {
			t.Fatalf("audit of settings: %d entries, %v; want 2 (setting the same value is no change)", total, err)
		}
		if e := entries[0]; e.Before != `"5"` || e.After != `"3"` || e.Username != "secadmin" {
			t.Errorf("audit of the change = %+v, want \"5\" → \"3\" by secadmin", e)
		}
	})
}

// TestAPITokenLimits: a token is refused from its expiry date on and while its user is locked;
// a password change revokes the user's tokens; a token made before tokens had an expiry date
// ends 90 days after it was made; every token is listed, and any can be revoked by id.
func TestAPITokenLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		v := mustCreateUser(t, db, testUser("lisi", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		h1, h2, h3 := sha256.Sum256([]byte("one")), sha256.Sum256([]byte("two")), sha256.Sum256([]byte("three"))
		if _, err := db.CreateAPIToken(ctx, u.ID, "一天", h1[:], t0, t0.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAPIToken(ctx, u.ID, "过去", h2[:], t0, t0.Add(-time.Hour)); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("CreateAPIToken(expired already) = %v, want %s", err, xiezuo.EINVALID)
		}
		if _, err := db.UserByAPITokenHash(ctx, h1[:], t0.Add(23*time.Hour)); err != nil {
			t.Errorf("UserByAPITokenHash(within its day) = %v", err)
		}
		if _, err := db.UserByAPITokenHash(ctx, h1[:], t0.Add(24*time.Hour)); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN || !strings.Contains(xiezuo.ErrorMessage(err), "过期") {
			t.Errorf("UserByAPITokenHash(expired) = %v, want %s saying 过期", err, xiezuo.EFORBIDDEN)
		}
		// A token from before expiry dates: 90 days from when it was made.
		if _, err := db.db.ExecContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)`, v.ID, "旧令牌", h3[:], t0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByAPITokenHash(ctx, h3[:], t0.AddDate(0, 0, 89)); err != nil {
			t.Errorf("old token after 89 days = %v", err)
		}
		if _, err := db.UserByAPITokenHash(ctx, h3[:], t0.AddDate(0, 0, 90)); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("old token after 90 days = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		// Locked: refused until the lock ends.
		if _, err := db.CreateAPIToken(ctx, u.ID, "锁定", h2[:], t0, t0.AddDate(0, 0, 30)); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			db.BeginSignIn(ctx, u.ID, t0, 3, time.Hour)
			db.SignInFailed(ctx, u.ID, t0, 3, time.Hour)
		}
		if _, err := db.UserByAPITokenHash(ctx, h2[:], t0.Add(time.Minute)); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("UserByAPITokenHash(locked) = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		if _, err := db.UserByAPITokenHash(ctx, h2[:], t0.Add(time.Hour)); err != nil {
			t.Errorf("UserByAPITokenHash(lock ended) = %v", err)
		}
		all, err := db.AllAPITokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tk := range all {
			got = append(got, tk.Username+" "+tk.Name+" "+tk.ExpiresAt.Format("2006-01-02"))
		}
		if diff := cmp.Diff([]string{"lisi 旧令牌 2021-08-30", "zhangsan 一天 2021-06-02", "zhangsan 锁定 2021-07-01"}, got); diff != "" {
			t.Errorf("AllAPITokens (-want +got):\n%s", diff)
		}
		// A password change revokes the user's tokens, not others'.
		if err := db.SetPassword(ctx, u.ID, testHash, false, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByAPITokenHash(ctx, h2[:], t0.Add(time.Hour)); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UserByAPITokenHash(after a password change) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		// The security administrator revokes any token by its id.
		admin := WithActor(ctx, Actor{UserID: 1, Username: "secadmin"})
		if err := db.RevokeAnyAPIToken(admin, all[0].ID); err != nil {
			t.Fatalf("RevokeAnyAPIToken = %v", err)
		}
		if err := db.RevokeAnyAPIToken(admin, all[0].ID); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("RevokeAnyAPIToken(again) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if all, _ := db.AllAPITokens(ctx); len(all) != 0 {
			t.Errorf("tokens left = %+v, want none", all)
		}
		revokes, _, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditAPITokenRevoke})
		if len(revokes) != 1 || revokes[0].Username != "secadmin" || revokes[0].ObjectLabel != "旧令牌" {
			t.Errorf("audit of the revocation = %+v", revokes)
		}
	})
}

// TestAuditNamesAccounts: the entries of API tokens and of ending all of a user's sessions name
// the account by its name and sign-in name, not its number.
func TestAuditNamesAccounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		h := sha256.Sum256([]byte("secret-n"))
		id, err := db.CreateAPIToken(ctx, u.ID, "报表脚本", h[:], t0, t0.AddDate(0, 0, 90))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeAnyAPIToken(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSession(ctx, Session{TokenHash: tokenHash("token-n"), UserID: u.ID, CSRF: "x", CreatedAt: t0, LastSeen: t0}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DeleteUserSessions(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			action, label, detail string
		}{
			{AuditAPITokenCreate, "报表脚本", "为账号 张三（zhangsan） 创建 API 令牌"},
			{AuditAPITokenRevoke, "报表脚本", "撤销账号 张三（zhangsan） 的 API 令牌"},
			{AuditSessionsRevoke, "张三（zhangsan）", "结束该账号的全部会话 1 个"},
		} {
			entries, _, err := db.SearchAudit(ctx, AuditFilter{Action: tt.action})
			if err != nil || len(entries) != 1 {
				t.Fatalf("SearchAudit(%s) = %d entries, %v", tt.action, len(entries), err)
			}
			if e := entries[0]; e.ObjectLabel != tt.label || !strings.HasPrefix(e.Detail, tt.detail) {
				t.Errorf("%s entry = %q, %q; want %q, %q…", tt.action, e.ObjectLabel, e.Detail, tt.label, tt.detail)
			}
		}
	})
}
