package sqldb

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xiezuo"
)

// userLog is the audit log of user id, oldest first.
func userLog(t *testing.T, db *DB, id int64) []AuditEntry {
	t.Helper()
	entries, _, err := db.SearchAudit(t.Context(), AuditFilter{ObjectType: "user", ObjectID: strconv.FormatInt(id, 10), Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(entries)
	return entries
}

// TestRaceEditsAndResets: 20 edits keeping 区领导's privileged role, 1 dropping it and 20
// immediate resets sent at once. Read in the order they were written: the role dropped never
// comes back without a grant request, and no reset is made while the account is privileged or
// a grant of a privileged role waits.
func TestRaceEditsAndResets(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		sys := mustCreateUser(t, db, testUser("sys", xiezuo.RoleSysAdmin))
		leader := mustCreateUser(t, db, testUser("leader", xiezuo.RoleLeader))
		asSys := WithActor(t.Context(), Actor{UserID: sys.ID, Username: "sys"})
		var wg sync.WaitGroup
		var resets, refused atomic.Int32
		for i := range 41 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				u := *leader
				switch {
				case i == 20:
					u.Roles = []string{xiezuo.RoleUnit}
					if _, err := db.UpdateUser(asSys, &u); err != nil {
						t.Errorf("UpdateUser(drop the leader role) = %v", err)
					}
				case i%2 == 0:
					u.Roles = []string{xiezuo.RoleLeader}
					if _, err := db.UpdateUser(asSys, &u); err != nil && xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
						t.Errorf("UpdateUser(keep the leader role) = %v", err)
					}
				default:
					err := db.ResetPassword(asSys, leader.ID, fmt.Sprintf("$test$%d", i), leader.CreatedAt)
					switch {
					case err == nil:
						resets.Add(1)
					case errors.Is(err, ErrResetNeedsApproval):
						refused.Add(1)
					default:
						t.Errorf("ResetPassword = %v", err)
					}
				}
			}()
		}
		wg.Wait()
		got, err := db.UserByID(t.Context(), leader.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Privileged() {
			t.Errorf("after the race the account holds %v with no approval, want [unit]", got.Roles)
		}
		privileged, grantPending := true, false
		for _, e := range userLog(t, db, leader.ID) {
			switch e.Action {
			case AuditUserUpdate:
				var before, after userRecord
				if err := errors.Join(json.Unmarshal([]byte(e.Before), &before), json.Unmarshal([]byte(e.After), &after)); err != nil {
					t.Fatal(err)
				}
				b, a := xiezuo.User{Roles: before.Roles}, xiezuo.User{Roles: after.Roles}
				if !b.Privileged() && a.Privileged() {
					t.Errorf("entry %d: roles %v → %v with no approval", e.Seq, before.Roles, after.Roles)
				}
				privileged = a.Privileged()
			case AuditAccountRequest:
				grantPending = grantPending || strings.Contains(e.Detail, "授予角色")
			case AuditUserPassword:
				if privileged || grantPending {
					t.Errorf("entry %d: password reset at once (%s) while privileged = %v, grant pending = %v", e.Seq, e.Detail, privileged, grantPending)
				}
			}
		}
		if resets.Load()+refused.Load() != 20 {
			t.Errorf("resets made %d, refused %d; want 20 in all", resets.Load(), refused.Load())
		}
	})
}

// TestRaceResetsDuringApproval: resets of an account whose grant of a privileged role waits
// are refused before the approval and after it, however they interleave with it: the password
// is the one the approval set (dual control).
func TestRaceResetsDuringApproval(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.SetSealer(testSealer(t))
		sys := mustCreateUser(t, db, testUser("sys", xiezuo.RoleSysAdmin))
		sec := mustCreateUser(t, db, testUser("sec", xiezuo.RoleSecAdmin))
		asSys := WithActor(t.Context(), Actor{UserID: sys.ID, Username: "sys"})
		asSec := WithActor(t.Context(), Actor{UserID: sec.ID, Username: "sec"})
		cz := mustCreateUser(t, db, testUser("cz", xiezuo.RoleUnit))
		u := *cz
		u.Roles = []string{xiezuo.RoleUnit, xiezuo.RoleOffice}
		req, err := db.UpdateUser(asSys, &u)
		if err != nil || req == nil {
			t.Fatalf("UpdateUser(add the office role) = %v, %v; want a grant request", req, err)
		}
		if !slices.Equal(u.Roles, []string{xiezuo.RoleUnit}) {
			t.Errorf("roles while the grant waits = %v, want [unit]", u.Roles)
		}
		var wg sync.WaitGroup
		var approved atomic.Bool
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for after := 0; after < 3; {
					err := db.ResetPassword(asSys, cz.ID, fmt.Sprintf("$test$%d", g), cz.CreatedAt)
					if !errors.Is(err, ErrResetNeedsApproval) {
						t.Errorf("ResetPassword while a grant waits or after it = %v, want ErrResetNeedsApproval", err)
						return
					}
					if approved.Load() {
						after++
					}
				}
			}()
		}
		if _, err := db.DecideRequest(asSec, req.ID, Decision{Approve: true, Reason: "同意", PasswordHash: "$approved", Half: "Abcd"}); err != nil {
			t.Error(err)
		}
		approved.Store(true)
		wg.Wait()
		if h, _ := db.PasswordHash(t.Context(), cz.ID); h != "$approved" {
			t.Errorf("password hash after the race = %q, want the approval's", h)
		}
	})
}

// TestUpdateUserKeepsStoredFlags: an edit made from a read before an approval writes back
// neither the must-change flag nor the password the approval set.
func TestUpdateUserKeepsStoredFlags(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.SetSealer(testSealer(t))
		sys := mustCreateUser(t, db, testUser("sys", xiezuo.RoleSysAdmin))
		sec := mustCreateUser(t, db, testUser("sec", xiezuo.RoleSecAdmin))
		asSys := WithActor(t.Context(), Actor{UserID: sys.ID, Username: "sys"})
		asSec := WithActor(t.Context(), Actor{UserID: sec.ID, Username: "sec"})
		cz := mustCreateUser(t, db, testUser("cz", xiezuo.RoleUnit))
		req, err := db.RequestGrant(asSys, cz.ID, []string{xiezuo.RoleLeader})
		if err != nil {
			t.Fatal(err)
		}
		stale, err := db.UserByID(t.Context(), cz.ID)
		if err != nil || stale.MustChange {
			t.Fatalf("UserByID = %+v, %v; want must change false", stale, err)
		}
		if _, err := db.DecideRequest(asSec, req.ID, Decision{Approve: true, Reason: "同意", PasswordHash: "$approved", Half: "Abcd"}); err != nil {
			t.Fatal(err)
		}
		stale.Name, stale.Roles = "张三丰", []string{xiezuo.RoleLeader}
		if _, err := db.UpdateUser(asSys, stale); err != nil {
			t.Fatal(err)
		}
		got, err := db.UserByID(t.Context(), cz.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "张三丰" || !got.MustChange {
			t.Errorf("after a stale edit name = %q, must change = %v; want 张三丰, true", got.Name, got.MustChange)
		}
		if h, _ := db.PasswordHash(t.Context(), cz.ID); h != "$approved" {
			t.Errorf("password hash after a stale edit = %q, want the approval's", h)
		}
	})
}

// TestPasswordCheckLocks: wrong old passwords of the password page count with the sign-in's
// failures; the maxFailures-th locks the account, which then refuses even the right old password
// and signing in. Each refusal is audited as a change of password.
func TestPasswordCheckLocks(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		u := mustCreateUser(t, db, testUser("cz", xiezuo.RoleUnit))
		ctx := WithActor(t.Context(), Actor{UserID: u.ID, Username: "cz"})
		at := u.CreatedAt.Add(time.Hour)
		var until time.Time
		for i := range 3 {
			if b, err := db.BeginPasswordCheck(ctx, u.ID, at, 3, time.Hour); err != nil || !b.IsZero() {
				t.Fatalf("BeginPasswordCheck %d = %v, %v; want let through", i, b, err)
			}
			var err error
			if until, err = db.PasswordCheckFailed(ctx, u.ID, at, 3, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if !until.Equal(at.Add(time.Hour).UTC().Truncate(time.Microsecond)) {
			t.Errorf("PasswordCheckFailed the 3rd time = %v, want locked for an hour", until)
		}
		if b, err := db.BeginPasswordCheck(ctx, u.ID, at, 3, time.Hour); err != nil || b.IsZero() {
			t.Errorf("BeginPasswordCheck while locked = %v, %v; want the lock", b, err)
		}
		if b, err := db.BeginSignIn(t.Context(), u.ID, at, 3, time.Hour); err != nil || b.IsZero() {
			t.Errorf("BeginSignIn while locked = %v, %v; want the lock", b, err)
		}
		if err := db.PasswordCheckSucceeded(ctx, u.ID, at); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("PasswordCheckSucceeded while locked = %v, want %s", err, xiezuo.EFORBIDDEN)
		}
		n := 0
		for _, e := range userLog(t, db, u.ID) {
			if e.Action == AuditUserPassword && e.Outcome == AuditFailure {
				n++
			}
		}
		if n != 5 {
			t.Errorf("refused password changes audited = %d, want 5", n)
		}
		// Once the lock is over, the right old password starts the count again.
		later := at.Add(2 * time.Hour)
		if _, err := db.BeginPasswordCheck(ctx, u.ID, later, 3, time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := db.PasswordCheckSucceeded(ctx, u.ID, later); err != nil {
			t.Errorf("PasswordCheckSucceeded after the lock = %v", err)
		}
		if a, _ := db.AccountByID(t.Context(), u.ID); a.FailedCount != 0 {
			t.Errorf("failed count after a right old password = %d, want 0", a.FailedCount)
		}
	})
}

// TestControlCharactersInvalid: a name holding NUL is refused by validation, EINVALID, on both
// databases, never reaching the driver (PostgreSQL cannot store NUL in text).
func TestControlCharactersInvalid(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		u := testUser("cz", xiezuo.RoleUnit)
		u.Name = "张\x00三"
		if err := db.CreateUser(t.Context(), u, testHash); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("CreateUser(NUL in name) = %v, want %s", err, xiezuo.EINVALID)
		}
		v := mustCreateUser(t, db, testUser("cz2", xiezuo.RoleUnit))
		v.Name = "李\x00四"
		if _, err := db.UpdateUser(t.Context(), v); xiezuo.ErrorCode(err) != xiezuo.EINVALID {
			t.Errorf("UpdateUser(NUL in name) = %v, want %s", err, xiezuo.EINVALID)
		}
	})
}
