package sqldb

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/vault"
)

// testHash stands for a password hash: hashing with argon2id would only slow the tests.
const testHash = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$a2V5"

func testSealer(t testing.TB) *vault.SM4 {
	t.Helper()
	s, err := vault.NewSM4(vault.Keys{ID: 1, Enc: bytes.Repeat([]byte{7}, vault.EncKeySize), Index: bytes.Repeat([]byte{9}, vault.IndexKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testUser(username string, roles ...string) *xiezuo.User {
	return &xiezuo.User{
		Username: username, Name: "张三", District: "门头沟区", Unit: "领导小组办公室", Roles: roles,
	}
}

func mustCreateUser(t *testing.T, db *DB, u *xiezuo.User) *xiezuo.User {
	t.Helper()
	if err := db.CreateUser(t.Context(), u, testHash); err != nil {
		t.Fatalf("CreateUser(%s) = %v", u.Username, err)
	}
	return u
}

// auditActions lists the actions of the audit log, oldest first.
func auditActions(t *testing.T, db *DB) []string {
	t.Helper()
	entries, _, err := db.SearchAudit(t.Context(), AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(entries) - 1; i >= 0; i-- {
		actions = append(actions, entries[i].Action)
	}
	return actions
}

func TestUserCRUD(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.SetSealer(testSealer(t))
		ctx := WithActor(t.Context(), Actor{UserID: 99, Username: "admin", Unit: "区科技和信息化局", IP: "10.1.2.3"})
		u := &xiezuo.User{
			Username: " ZhangSan ", Name: "张三", District: "门头沟区", Unit: "区农业农村局",
			Roles: []string{xiezuo.RoleCadre, xiezuo.RoleUnit, xiezuo.RoleCadre}, Regions: []string{"内蒙古武川县", "神农架林区"},
			Phone: "+86 138-1234-5678", MustChange: true,
		}
		if err := db.CreateUser(ctx, u, testHash); err != nil {
			t.Fatalf("CreateUser = %v", err)
		}
		if u.ID == 0 || u.CreatedAt.IsZero() {
			t.Fatalf("CreateUser did not set ID and CreatedAt: %+v", u)
		}
		want := *u
		want.Username, want.Roles, want.Phone = "zhangsan", []string{xiezuo.RoleUnit, xiezuo.RoleCadre}, "13812345678"
		if diff := cmp.Diff(&want, u); diff != "" {
			t.Errorf("user after CreateUser (-want +got):\n%s", diff)
		}
		for name, get := range map[string]func() (*xiezuo.User, error){
			"UserByID":       func() (*xiezuo.User, error) { return db.UserByID(ctx, u.ID) },
			"UserByUsername": func() (*xiezuo.User, error) { return db.UserByUsername(ctx, "ZHANGSAN") },
			"UserByPhone":    func() (*xiezuo.User, error) { return db.UserByPhone(ctx, "138 1234 5678") },
		} {
			got, err := get()
			if err != nil {
				t.Fatalf("%s = %v", name, err)
			}
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", name, diff)
			}
		}

		u.Name, u.Unit, u.Roles, u.Regions, u.MustChange, u.Phone = "张三丰", "区商务局", []string{xiezuo.RoleUnit}, nil, false, "13987654321"
		if _, err := db.UpdateUser(ctx, u); err != nil {
			t.Fatalf("UpdateUser = %v", err)
		}
		got, err := db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(u, got); diff != "" {
			t.Errorf("UserByID after UpdateUser (-want +got):\n%s", diff)
		}
		if _, err := db.UserByPhone(ctx, "13812345678"); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UserByPhone(old phone) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		// The same again changes nothing and is not audited.
		if _, err := db.UpdateUser(ctx, u); err != nil {
			t.Fatalf("UpdateUser(same) = %v", err)
		}
		if diff := cmp.Diff([]string{AuditUserAdd, AuditUserUpdate}, auditActions(t, db)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
		entries, _, err := db.SearchAudit(ctx, AuditFilter{ObjectType: "user", Action: AuditUserUpdate})
		if err != nil || len(entries) != 1 {
			t.Fatalf("SearchAudit(user.update) = %v, %v", entries, err)
		}
		e := entries[0]
		if e.UserID != 99 || e.Username != "admin" || e.Unit != "区科技和信息化局" || e.IP != "10.1.2.3" || e.ObjectLabel != "张三丰（zhangsan）" {
			t.Errorf("audit entry of UpdateUser = %+v, want actor admin from 10.1.2.3 on 张三丰（zhangsan）", e)
		}
		if !strings.Contains(e.Before, `"name":"张三"`) || !strings.Contains(e.After, `"name":"张三丰"`) || !strings.Contains(e.After, `"phone":"139****4321"`) {
			t.Errorf("audit before/after = %s / %s, want the names and the masked phone", e.Before, e.After)
		}

		if _, err := db.UserByID(ctx, u.ID+100); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UserByID(missing) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if _, err := db.UserByUsername(ctx, "nobody"); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UserByUsername(missing) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		missing := testUser("ghost", xiezuo.RoleUnit)
		missing.ID = u.ID + 100
		if _, err := db.UpdateUser(ctx, missing); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UpdateUser(missing) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
	})
}

func TestUsersFilter(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		office := mustCreateUser(t, db, testUser("office1", xiezuo.RoleOffice))
		unit := testUser("finance", xiezuo.RoleUnit, xiezuo.RoleTeamLead)
		unit.Unit = "区财政局"
		mustCreateUser(t, db, unit)
		other := testUser("huairou", xiezuo.RoleOffice)
		other.District = "怀柔区"
		mustCreateUser(t, db, other)
		names := func(f UserFilter) []string {
			as, err := db.Users(t.Context(), f)
			if err != nil {
				t.Fatalf("Users(%+v) = %v", f, err)
			}
			var ns []string
			for _, a := range as {
				ns = append(ns, a.Username)
			}
			return ns
		}
		tests := []struct {
			f    UserFilter
			want []string
		}{
			{UserFilter{}, []string{"office1", "finance", "huairou"}},
			{UserFilter{District: "门头沟区"}, []string{"office1", "finance"}},
			{UserFilter{Unit: "区财政局"}, []string{"finance"}},
			{UserFilter{Role: xiezuo.RoleOffice}, []string{"office1", "huairou"}},
			{UserFilter{District: "门头沟区", Role: xiezuo.RoleTeamLead}, []string{"finance"}},
			{UserFilter{Role: xiezuo.RoleAuditor}, nil},
		}
		for _, tt := range tests {
			if diff := cmp.Diff(tt.want, names(tt.f)); diff != "" {
				t.Errorf("Users(%+v) (-want +got):\n%s", tt.f, diff)
			}
		}
		as, err := db.Users(t.Context(), UserFilter{Unit: "领导小组办公室", District: "门头沟区"})
		if err != nil || len(as) != 1 {
			t.Fatalf("Users(office) = %v, %v", as, err)
		}
		if diff := cmp.Diff(*office, as[0].User); diff != "" {
			t.Errorf("Users(office) (-want +got):\n%s", diff)
		}
	})
}

func TestCreateUserUnique(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.SetSealer(testSealer(t))
		mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		err := db.CreateUser(t.Context(), testUser("ZhangSan", xiezuo.RoleOffice), testHash)
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "登录名已被其他账号使用") {
			t.Errorf("CreateUser(same name) = %v, want %s 登录名已被其他账号使用", err, xiezuo.ECONFLICT)
		}
		a := testUser("lisi", xiezuo.RoleUnit)
		a.Phone = "13812345678"
		mustCreateUser(t, db, a)
		b := testUser("wangwu", xiezuo.RoleUnit)
		b.Phone = "138-1234-5678"
		err = db.CreateUser(t.Context(), b, testHash)
		if xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "手机号码已被其他账号使用") {
			t.Errorf("CreateUser(same phone) = %v, want %s 手机号码已被其他账号使用", err, xiezuo.ECONFLICT)
		}
		// Failed creations leave no user and no audit entry.
		if diff := cmp.Diff([]string{AuditUserAdd, AuditUserAdd}, auditActions(t, db)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
	})
}

func TestCreateUserInvalid(t *testing.T) {
	db := openTestSQLite(t)
	db.SetSealer(testSealer(t))
	tests := []struct {
		name   string
		change func(u *xiezuo.User)
		hash   string
		want   string
	}{
		{"short name", func(u *xiezuo.User) { u.Username = "z" }, testHash, "登录名应为"},
		{"space", func(u *xiezuo.User) { u.Username = "zhang san" }, testHash, "登录名不能含空格"},
		{"no name", func(u *xiezuo.User) { u.Name = " " }, testHash, "请填写姓名"},
		{"no unit", func(u *xiezuo.User) { u.Unit = "" }, testHash, "请填写所属单位"},
		{"no role", func(u *xiezuo.User) { u.Roles = nil }, testHash, "请至少选择一个角色"},
		{"unknown role", func(u *xiezuo.User) { u.Roles = []string{"root"} }, testHash, "未知角色「root」"},
		{"bad phone", func(u *xiezuo.User) { u.Phone = "12345" }, testHash, "手机号格式不正确"},
		{"password in clear", func(*xiezuo.User) {}, "Secret#2021x", "密码未经哈希"},
	}
	for _, tt := range tests {
		u := testUser("zhangsan", xiezuo.RoleUnit)
		tt.change(u)
		err := db.CreateUser(t.Context(), u, tt.hash)
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), tt.want) {
			t.Errorf("%s: CreateUser = %v, want %s %q", tt.name, err, xiezuo.EINVALID, tt.want)
		}
	}
	if as, _ := db.Users(t.Context(), UserFilter{}); len(as) != 0 {
		t.Errorf("Users after invalid creations = %d users, want none", len(as))
	}
}

// TestPhoneSealed reads the raw columns: the phone is nowhere in clear, not in the users table
// and not in the audit log, and is found by its blind index.
func TestPhoneSealed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		db.SetSealer(testSealer(t))
		u := testUser("zhangsan", xiezuo.RoleUnit)
		u.Phone = "13812345678"
		mustCreateUser(t, db, u)
		var sealed, index []byte
		if err := db.db.QueryRowContext(ctx, `SELECT phone_sealed, phone_index FROM users WHERE id = $1`, u.ID).Scan(&sealed, &index); err != nil {
			t.Fatal(err)
		}
		for _, digits := range []string{"13812345678", "12345678", "5678"} {
			if bytes.Contains(sealed, []byte(digits)) || bytes.Contains(index, []byte(digits)) {
				t.Errorf("phone columns contain %s in clear", digits)
			}
		}
		if len(index) != 32 {
			t.Errorf("phone_index has %d bytes, want 32", len(index))
		}
		var audit string
		mustSeal(t, db)
		if err := db.db.QueryRowContext(ctx, `SELECT after_json FROM audit_log WHERE action = $1`, AuditUserAdd).Scan(&audit); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(audit, "12345678") || !strings.Contains(audit, "138****5678") {
			t.Errorf("audit after_json = %s, want the phone masked", audit)
		}
		got, err := db.UserByPhone(ctx, "+8613812345678")
		if err != nil || got.ID != u.ID {
			t.Errorf("UserByPhone = %v, %v, want user %d", got, err, u.ID)
		}

		// Without the key: no phone is stored, reads leave it out, updates leave it as stored.
		db.SetSealer(nil)
		v := testUser("lisi", xiezuo.RoleUnit)
		v.Phone = "13900000000"
		if err := db.CreateUser(ctx, v, testHash); xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "未配置加密密钥") {
			t.Errorf("CreateUser(phone, no key) = %v, want %s 未配置加密密钥", err, xiezuo.EINVALID)
		}
		got, err = db.UserByID(ctx, u.ID)
		if err != nil || got.Phone != "" {
			t.Fatalf("UserByID(no key) = %+v, %v, want no phone", got, err)
		}
		got.Name = "张三丰"
		if _, err := db.UpdateUser(ctx, got); err != nil {
			t.Fatalf("UpdateUser(no key) = %v", err)
		}
		got.Phone = "13900000000"
		if _, err := db.UpdateUser(ctx, got); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("UpdateUser(phone, no key) = %v, want %s", err, xiezuo.EINVALID)
		}
		if _, err := db.UserByPhone(ctx, "13812345678"); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("UserByPhone(no key) = %v, want %s", err, xiezuo.EINVALID)
		}
		db.SetSealer(testSealer(t))
		got, err = db.UserByID(ctx, u.ID)
		if err != nil || got.Phone != "13812345678" || got.Name != "张三丰" {
			t.Errorf("UserByID after an update without the key = %+v, %v, want the phone kept", got, err)
		}
		// A sealer with other keys cannot open the phone: an error, not a wrong value.
		other, err := vault.NewSM4(vault.Keys{ID: 2, Enc: bytes.Repeat([]byte{1}, 16), Index: bytes.Repeat([]byte{2}, 32)})
		if err != nil {
			t.Fatal(err)
		}
		db.SetSealer(other)
		if _, err := db.UserByID(ctx, u.ID); err == nil {
			t.Errorf("UserByID(wrong key) = nil error, want one")
		}
	})
}

func TestTOTP(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		db.SetSealer(testSealer(t))
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		if _, _, err := db.TOTPSecret(ctx, u.ID); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("TOTPSecret(none) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		secret := []byte("JBSWY3DPEHPK3PXP-secret")
		if err := db.SetTOTP(ctx, u.ID, secret); err != nil {
			t.Fatalf("SetTOTP = %v", err)
		}
		var raw []byte
		if err := db.db.QueryRowContext(ctx, `SELECT totp_sealed FROM users WHERE id = $1`, u.ID).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte("JBSWY3DP")) {
			t.Errorf("totp_sealed holds the secret in clear")
		}
		got, step, err := db.TOTPSecret(ctx, u.ID)
		if err != nil || !bytes.Equal(got, secret) || step != 0 {
			t.Errorf("TOTPSecret = %q, %d, %v, want %q, 0", got, step, err, secret)
		}
		if v, _ := db.UserByID(ctx, u.ID); !v.TOTPEnabled {
			t.Errorf("TOTPEnabled = false after SetTOTP")
		}
		for _, tt := range []struct {
			step int64
			code string
		}{{1000, ""}, {1000, xiezuo.EFORBIDDEN}, {999, xiezuo.EFORBIDDEN}, {1001, ""}} {
			if err := db.UseTOTPStep(ctx, u.ID, tt.step, time.Now()); xiezuo.ErrorCode(err) != tt.code {
				t.Errorf("UseTOTPStep(%d) = %v, want code %q", tt.step, err, tt.code)
			}
		}
		if _, step, _ := db.TOTPSecret(ctx, u.ID); step != 1001 {
			t.Errorf("last step = %d, want 1001", step)
		}
		if err := db.UseTOTPStep(ctx, u.ID+100, 5, time.Now()); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("UseTOTPStep(missing user) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		if err := db.SetTOTP(ctx, u.ID, nil); err != nil {
			t.Fatalf("SetTOTP(nil) = %v", err)
		}
		if _, _, err := db.TOTPSecret(ctx, u.ID); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("TOTPSecret(after turning off) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		want := []string{AuditUserAdd, AuditUserTOTP, AuditSecondFactor, AuditSecondFactor, AuditSecondFactor, AuditSecondFactor, AuditUserTOTP}
		if diff := cmp.Diff(want, auditActions(t, db)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
		replays, total, err := db.SearchAudit(ctx, AuditFilter{Action: AuditSecondFactor})
		if err != nil || total != 4 || replays[1].Outcome != AuditFailure || replays[0].Outcome != AuditSuccess || replays[0].Username != "zhangsan" {
			t.Errorf("audit of TOTP steps = %+v, %d, %v, want 4 entries of zhangsan, the replays failures", replays, total, err)
		}
	})
}

func TestLockout(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{IP: "192.0.2.7"})
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		const lockFor = 15 * time.Minute
		fail := func(at time.Time) time.Time {
			t.Helper()
			if until, err := db.BeginSignIn(ctx, u.ID, at, 3, lockFor); err != nil || !until.IsZero() {
				if err != nil {
					t.Fatalf("BeginSignIn = %v", err)
				}
				return until
			}
			until, err := db.SignInFailed(ctx, u.ID, at, 3, lockFor)
			if err != nil {
				t.Fatalf("SignInFailed = %v", err)
			}
			return until
		}
		account := func() *Account {
			t.Helper()
			a, err := db.AccountByUsername(ctx, "zhangsan")
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		for i := range 2 {
			if until := fail(t0.Add(time.Duration(i) * time.Second)); !until.IsZero() {
				t.Errorf("failure %d locked until %v, want no lock", i+1, until)
			}
		}
		if a := account(); a.FailedCount != 2 || a.Locked(t0) {
			t.Errorf("after 2 failures: count %d, locked %v; want 2, unlocked", a.FailedCount, a.Locked(t0))
		}
		want := t0.Add(2*time.Second + lockFor)
		if until := fail(t0.Add(2 * time.Second)); !until.Equal(want) {
			t.Errorf("third failure locked until %v, want %v", until, want)
		}
		a := account()
		if !a.Locked(t0.Add(time.Minute)) || !a.LockedUntil.Equal(want) || a.FailedCount != 0 {
			t.Errorf("after the lock: %+v, want locked until %v", a, want)
		}
		// Failing while locked does not lengthen the lock.
		if until := fail(t0.Add(5 * time.Minute)); !until.Equal(want) {
			t.Errorf("failure while locked: until %v, want %v", until, want)
		}
		// The lock ends by itself.
		later := t0.Add(20 * time.Minute)
		if account().Locked(later) {
			t.Errorf("still locked after %v", lockFor)
		}
		if until := fail(later); !until.IsZero() {
			t.Errorf("failure after the lock: locked until %v, want no lock", until)
		}
		if a := account(); a.FailedCount != 1 || !a.LockedUntil.IsZero() {
			t.Errorf("after the lock ended: %+v, want count 1 and no lock", a)
		}
		if err := db.SignInSucceeded(ctx, u.ID, later.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if a := account(); a.FailedCount != 0 || !a.LastSignIn.Equal(later.Add(time.Second)) {
			t.Errorf("after success: %+v, want count 0 and last sign-in %v", a, later.Add(time.Second))
		}
		// An administrator unlocks.
		for range 3 {
			fail(later.Add(time.Minute))
		}
		if !account().Locked(later.Add(time.Minute)) {
			t.Fatalf("not locked after 3 more failures")
		}
		admin := WithActor(t.Context(), Actor{UserID: 1, Username: "admin"})
		if err := db.Unlock(admin, u.ID); err != nil {
			t.Fatal(err)
		}
		if a := account(); a.Locked(later.Add(time.Minute)) || a.FailedCount != 0 {
			t.Errorf("after Unlock: %+v, want unlocked", a)
		}
		if _, err := db.SignInFailed(ctx, u.ID+100, t0, 3, lockFor); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("SignInFailed(missing) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		entries, total, err := db.SearchAudit(ctx, AuditFilter{Action: AuditSignIn, Username: "zhangsan"})
		if err != nil || total != 9 {
			t.Fatalf("SearchAudit(sign-ins) = %d entries, %v; want 9", total, err)
		}
		if e := entries[len(entries)-3]; e.Outcome != AuditFailure || e.IP != "192.0.2.7" || !strings.Contains(e.Detail, "账号锁定至 2021-06-01 17:15") {
			t.Errorf("audit of the locking failure = %+v, want a failure from 192.0.2.7 saying 账号锁定至 2021-06-01 17:15", e)
		}
		if e := entries[3]; e.Outcome != AuditSuccess {
			t.Errorf("audit of the success = %+v", e)
		}
		unlocks, _, _ := db.SearchAudit(ctx, AuditFilter{Action: AuditUserUnlock})
		if len(unlocks) != 1 || unlocks[0].Username != "admin" || unlocks[0].ObjectLabel != "张三（zhangsan）" {
			t.Errorf("audit of Unlock = %+v, want one by admin", unlocks)
		}
	})
}

func TestSetPassword(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		if h, err := db.PasswordHash(t.Context(), u.ID); err != nil || h != testHash {
			t.Errorf("PasswordHash = %q, %v, want %q", h, err, testHash)
		}
		at := time.Date(2021, 7, 1, 8, 0, 0, 0, time.UTC)
		self := WithActor(t.Context(), Actor{UserID: u.ID, Username: u.Username})
		if err := db.SetPassword(self, u.ID, "$argon2id$new", false, at); err != nil {
			t.Fatal(err)
		}
		got, _ := db.UserByID(t.Context(), u.ID)
		if h, _ := db.PasswordHash(t.Context(), u.ID); h != "$argon2id$new" || got.MustChange || !got.PasswordAt.Equal(at) {
			t.Errorf("after SetPassword: hash %q, user %+v", h, got)
		}
		if err := db.SetPassword(t.Context(), u.ID, "$argon2id$reset", true, at); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(t.Context(), u.ID); !got.MustChange {
			t.Errorf("MustChange = false after an administrator's reset")
		}
		if err := db.SetPassword(t.Context(), u.ID, "plain", true, at); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("SetPassword(plain) = %v, want %s", err, xiezuo.EINVALID)
		}
		if _, err := db.PasswordHash(t.Context(), u.ID+1); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("PasswordHash(missing) = %v, want %s", err, xiezuo.ENOTFOUND)
		}
		entries, _, _ := db.SearchAudit(t.Context(), AuditFilter{Action: AuditUserPassword})
		var details []string
		for _, e := range entries {
			details = append(details, e.Detail)
			if strings.Contains(e.Before+e.After+e.Detail, "argon2id") {
				t.Errorf("audit entry %+v shows the hash", e)
			}
		}
		if diff := cmp.Diff([]string{"管理员重置密码，下次登录须修改", "本人修改密码"}, details); diff != "" {
			t.Errorf("audit of SetPassword (-want +got):\n%s", diff)
		}
	})
}

// TestSignInSucceededKeepsTheLock: a right password that arrives once the account is locked
// does not unlock it.
func TestSignInSucceededKeepsTheLock(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		for range 3 {
			if until, err := db.BeginSignIn(ctx, u.ID, t0, 3, 15*time.Minute); err != nil || !until.IsZero() {
				t.Fatalf("BeginSignIn = %v, %v, want a check", until, err)
			}
			db.SignInFailed(ctx, u.ID, t0, 3, 15*time.Minute)
		}
		if err := db.SignInSucceeded(ctx, u.ID, t0.Add(time.Minute)); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("SignInSucceeded(locked) = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		a, err := db.AccountByUsername(ctx, "zhangsan")
		if err != nil {
			t.Fatal(err)
		}
		if !a.Locked(t0.Add(time.Minute)) {
			t.Errorf("after a success while locked: %+v, want still locked", a)
		}
	})
}

// TestLockoutRace: 29 wrong passwords reserved together, then the right one: the account ends
// locked, the right password is refused and nothing clears the lock.
func TestLockoutRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := WithActor(t.Context(), Actor{IP: "192.0.2.7"})
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		const maxFailures, lockFor = 5, 30 * time.Minute
		var reserved, done sync.WaitGroup
		var mu sync.Mutex
		checked := 0
		for range 29 {
			reserved.Add(1)
			done.Go(func() {
				until, err := db.BeginSignIn(ctx, u.ID, t0, maxFailures, lockFor)
				reserved.Done()
				if err != nil {
					t.Errorf("BeginSignIn = %v", err)
					return
				}
				if !until.IsZero() {
					return
				}
				mu.Lock()
				checked++
				mu.Unlock()
				if _, err := db.SignInFailed(ctx, u.ID, t0, maxFailures, lockFor); err != nil {
					t.Errorf("SignInFailed = %v", err)
				}
			})
		}
		reserved.Wait()
		until, err := db.BeginSignIn(ctx, u.ID, t0, maxFailures, lockFor)
		if err != nil || until.IsZero() {
			t.Errorf("BeginSignIn(right password after 29 wrong) = %v, %v, want refused as locked", until, err)
		}
		done.Wait()
		if checked != maxFailures {
			t.Errorf("%d of 29 wrong passwords were checked, want %d", checked, maxFailures)
		}
		// A success that raced in anyway does not unlock.
		if err := db.SignInSucceeded(ctx, u.ID, t0); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("SignInSucceeded(locked) = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		a, err := db.AccountByUsername(ctx, "zhangsan")
		if err != nil {
			t.Fatal(err)
		}
		if !a.Locked(t0) || !a.LockedUntil.Equal(t0.Add(lockFor)) {
			t.Errorf("account after the race = %+v, want locked until %v", a, t0.Add(lockFor))
		}
		// Until the lock ends.
		if until, err := db.BeginSignIn(ctx, u.ID, t0.Add(lockFor), maxFailures, lockFor); err != nil || !until.IsZero() {
			t.Errorf("BeginSignIn(after the lock) = %v, %v, want a check", until, err)
		}
		if err := db.SignInSucceeded(ctx, u.ID, t0.Add(lockFor)); err != nil {
			t.Errorf("SignInSucceeded(after the lock) = %v", err)
		}
		// Every attempt has its one audit entry; none succeeded before the lock ended.
		entries, total, err := db.SearchAudit(ctx, AuditFilter{Action: AuditSignIn, Username: "zhangsan", Limit: 100})
		if err != nil || total != 32 {
			t.Fatalf("SearchAudit = %d entries, %v; want 32", total, err)
		}
		for _, e := range entries[1:] {
			if e.Outcome != AuditFailure {
				t.Errorf("audit entry %+v, want a failure", e)
			}
		}
	})
}

// TestFactorFailures: wrong codes are counted on their own, a right password does not start
// their count again, and the policy's number of them locks the account and ends the sessions
// waiting for a code; a right code starts only their count again.
func TestFactorFailures(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		db.SetSealer(testSealer(t))
		u := mustCreateUser(t, db, testUser("zhangsan", xiezuo.RoleUnit))
		if err := db.SetTOTP(ctx, u.ID, []byte("12345678901234567890")); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2021, 6, 1, 9, 0, 0, 0, time.UTC)
		const maxFailures, lockFor = 3, 30 * time.Minute
		account := func() *Account {
			t.Helper()
			a, err := db.AccountByUsername(ctx, "zhangsan")
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		password := func() {
			t.Helper()
			if until, err := db.BeginSignIn(ctx, u.ID, t0, maxFailures, lockFor); err != nil || !until.IsZero() {
				t.Fatalf("BeginSignIn = %v, %v", until, err)
			}
			if err := db.SignInSucceeded(ctx, u.ID, t0); err != nil {
				t.Fatalf("SignInSucceeded = %v", err)
			}
		}
		// A wrong code, then a right one: the count starts again.
		password()
		if until, err := db.FactorFailed(ctx, u.ID, t0, maxFailures, lockFor); err != nil || !until.IsZero() {
			t.Fatalf("FactorFailed = %v, %v", until, err)
		}
		if err := db.UseTOTPStep(ctx, u.ID, 100, t0); err != nil {
			t.Fatalf("UseTOTPStep = %v", err)
		}
		if a := account(); a.FactorFailedCount != 0 {
			t.Errorf("after a right code: factor count %d, want 0", a.FactorFailedCount)
		}
		// Right password, wrong code, alternating: the third wrong code locks.
		session := Session{TokenHash: strings.Repeat("ab", 32), UserID: u.ID, CSRF: "c", IP: "192.0.2.7", UserAgent: "test", CreatedAt: t0, LastSeen: t0}
		for i := 1; i <= maxFailures; i++ {
			password()
			if i == maxFailures {
				if err := db.CreateSession(ctx, session); err != nil {
					t.Fatal(err)
				}
			}
			until, err := db.FactorFailed(ctx, u.ID, t0, maxFailures, lockFor)
			if err != nil {
				t.Fatalf("FactorFailed = %v", err)
			}
			if got, want := !until.IsZero(), i == maxFailures; got != want {
				t.Fatalf("wrong code %d: locked = %v, want %v", i, got, want)
			}
		}
		if a := account(); !a.Locked(t0) {
			t.Errorf("after %d wrong codes: %+v, want locked", maxFailures, a)
		}
		if _, _, err := db.SessionByHash(ctx, strings.Repeat("ab", 32)); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("session waiting for a code after the lock: %v, want ended", err)
		}
		if err := db.UseTOTPStep(ctx, u.ID, 200, t0); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("UseTOTPStep(locked) = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		if until, err := db.BeginSignIn(ctx, u.ID, t0, maxFailures, lockFor); err != nil || until.IsZero() {
			t.Errorf("BeginSignIn(locked) = %v, %v, want refused", until, err)
		}
	})
}
