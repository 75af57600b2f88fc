package sqldb

import (
	"slices"
	"strings"
	"testing"

	"xiezuo"
)

// TestAccountRequests: a grant waits for the security administrator; the requester and the
// account itself cannot decide it; a decision is final; an approved reset sets a password whose
// system administrator's half is shown once; the second factor stays.
func TestAccountRequests(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		db.SetSealer(testSealer(t))
		sys := mustCreateUser(t, db, testUser("sys", xiezuo.RoleSysAdmin))
		sec := mustCreateUser(t, db, testUser("sec", xiezuo.RoleSecAdmin))
		asSys := WithActor(t.Context(), Actor{UserID: sys.ID, Username: "sys"})
		asSec := WithActor(t.Context(), Actor{UserID: sec.ID, Username: "sec"})

		u := testUser("newoffice", xiezuo.RoleOffice)
		req, err := db.CreateUserWithGrant(asSys, u, testHash)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(t.Context(), u.ID); len(got.Roles) != 0 {
			t.Errorf("roles before approval = %v, want none", got.Roles)
		}
		if _, err := db.RequestGrant(asSys, u.ID, []string{xiezuo.RoleOffice}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("a second pending grant = %v, want ECONFLICT", err)
		}
		if _, err := db.DecideRequest(asSys, req.ID, Decision{Approve: true, Reason: "自批"}); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("the requester approves its own request = %v, want EFORBIDDEN", err)
		}
		set, err := db.DecideRequest(asSec, req.ID, Decision{Approve: true, Reason: "新任办公室主任", PasswordHash: testHash, Half: "Abcd#2345"})
		if err != nil || !set {
			t.Fatalf("approve = %v, %v; want a password set", set, err)
		}
		got, _ := db.UserByID(t.Context(), u.ID)
		if !slices.Equal(got.Roles, []string{xiezuo.RoleOffice}) || !got.MustChange {
			t.Errorf("after approval roles = %v, must change = %v; want [office], true", got.Roles, got.MustChange)
		}
		if _, err := db.DecideRequest(asSec, req.ID, Decision{Approve: false, Reason: "改主意"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("deciding again = %v, want ECONFLICT", err)
		}
		if _, err := db.db.ExecContext(t.Context(), `UPDATE account_requests SET reason = 'x' WHERE id = $1`, req.ID); err == nil {
			t.Errorf("a decided request was changed")
		}
		if _, err := db.db.ExecContext(t.Context(), `DELETE FROM account_requests WHERE id = $1`, req.ID); err == nil {
			t.Errorf("a request was deleted")
		}
		if half, err := db.TakeHalf(asSys, req.ID); err != nil || half != "Abcd#2345" {
			t.Errorf("TakeHalf = %q, %v", half, err)
		}
		if _, err := db.TakeHalf(asSys, req.ID); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("TakeHalf a second time = %v, want ENOTFOUND", err)
		}

		// A reset of the security administrator's own account: it cannot decide it.
		if err := db.SetTOTP(t.Context(), sec.ID, []byte("12345678901234567890")); err != nil {
			t.Fatal(err)
		}
		reset, err := db.RequestReset(asSys, sec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecideRequest(asSec, reset.ID, Decision{Approve: true, Reason: "忘记密码", PasswordHash: testHash, Half: "x"}); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("approving a reset of one's own account = %v, want EFORBIDDEN", err)
		}
		sec2 := mustCreateUser(t, db, testUser("sec2", xiezuo.RoleSecAdmin))
		asSec2 := WithActor(t.Context(), Actor{UserID: sec2.ID, Username: "sec2"})
		if _, err := db.DecideRequest(asSec2, reset.ID, Decision{Approve: true, Reason: "忘记密码", PasswordHash: testHash, Half: "y"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(t.Context(), sec.ID); !got.TOTPEnabled || !got.MustChange {
			t.Errorf("after an approved reset TOTP = %v, must change = %v; want both", got.TOTPEnabled, got.MustChange)
		}
		// A rejected grant changes nothing.
		cz := mustCreateUser(t, db, testUser("cz", xiezuo.RoleUnit))
		g, err := db.RequestGrant(asSys, cz.ID, []string{xiezuo.RoleUnit, xiezuo.RoleOffice})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecideRequest(asSec, g.ID, Decision{Approve: false, Reason: "无依据"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(t.Context(), cz.ID); !slices.Equal(got.Roles, []string{xiezuo.RoleUnit}) {
			t.Errorf("roles after a rejected grant = %v, want [unit]", got.Roles)
		}
		list, err := db.AccountRequests(t.Context(), RequestFilter{})
		if err != nil || len(list) != 3 || list[0].Decision != DecisionReject || list[2].DecidedByName != "张三" {
			t.Errorf("AccountRequests = %+v, %v", list, err)
		}
		actions := auditActions(t, db)
		if n := count(actions, AuditAccountRequest); n != 3 {
			t.Errorf("audit holds %d requests, want 3", n)
		}
		if n := count(actions, AuditAccountDecide); n != 3 {
			t.Errorf("audit holds %d decisions, want 3", n)
		}
	})
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// TestLastAdminKept: the only enabled security administrator is not disabled, and the only
// auditor's role is not dropped, by the system administrator's edit; with another enabled
// holder of the role, both are.
func TestLastAdminKept(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		sec := mustCreateUser(t, db, testUser("sec", xiezuo.RoleSecAdmin))
		aud := mustCreateUser(t, db, testUser("aud", xiezuo.RoleAuditor))
		edit := *sec
		edit.Disabled = true
		if _, err := db.UpdateUser(t.Context(), &edit); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "唯一启用的安全管理员") {
			t.Errorf("UpdateUser(disable the only secadmin) = %v, want ECONFLICT", err)
		}
		edit = *aud
		edit.Roles = []string{xiezuo.RoleUnit}
		if _, err := db.UpdateUser(t.Context(), &edit); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "审计管理员") {
			t.Errorf("UpdateUser(drop the only auditor) = %v, want ECONFLICT", err)
		}
		for _, u := range []*xiezuo.User{sec, aud} {
			got, err := db.UserByID(t.Context(), u.ID)
			if err != nil || got.Disabled || !slices.Equal(got.Roles, u.Roles) {
				t.Errorf("UserByID(%s) = %+v, %v; want unchanged", u.Username, got, err)
			}
		}
		mustCreateUser(t, db, testUser("sec2", xiezuo.RoleSecAdmin))
		edit = *sec
		edit.Disabled = true
		if req, err := db.UpdateUser(t.Context(), &edit); err != nil || req == nil || req.Kind != RequestDisable {
			t.Errorf("UpdateUser(disable a secadmin, another enabled) = %+v, %v; want a disable request", req, err)
		}
	})
}

// TestRemovalWaits: the system administrator drops the auditor role from one of two auditors,
// or disables one of two security administrators: each waits for another security
// administrator's approval, which applies it; the last one is not removed even by approval.
func TestRemovalWaits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		sys := mustCreateUser(t, db, testUser("sys", xiezuo.RoleSysAdmin))
		sec := mustCreateUser(t, db, testUser("sec", xiezuo.RoleSecAdmin))
		sec2 := mustCreateUser(t, db, testUser("sec2", xiezuo.RoleSecAdmin))
		aud := mustCreateUser(t, db, testUser("aud", xiezuo.RoleAuditor))
		aud2 := mustCreateUser(t, db, testUser("aud2", xiezuo.RoleAuditor))
		asSys := WithActor(t.Context(), Actor{UserID: sys.ID, Username: "sys"})
		asSec := WithActor(t.Context(), Actor{UserID: sec.ID, Username: "sec"})
		asSec2 := WithActor(t.Context(), Actor{UserID: sec2.ID, Username: "sec2"})

		edit := *aud
		edit.Roles = []string{xiezuo.RoleUnit}
		drop, err := db.UpdateUser(asSys, &edit)
		if err != nil || drop == nil || drop.Kind != RequestRevoke || !slices.Equal(drop.Roles, []string{xiezuo.RoleUnit}) {
			t.Fatalf("UpdateUser(drop one of two auditors) = %+v, %v; want a revoke request", drop, err)
		}
		if got, _ := db.UserByID(t.Context(), aud.ID); !slices.Equal(got.Roles, []string{xiezuo.RoleAuditor}) {
			t.Errorf("roles before approval = %v, want still [auditor]", got.Roles)
		}
		edit.Roles = []string{xiezuo.RoleLeader}
		if _, err := db.UpdateUser(asSys, &edit); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("a second removal while one waits = %v, want ECONFLICT", err)
		}
		if set, err := db.DecideRequest(asSec, drop.ID, Decision{Approve: true, Reason: "调岗"}); err != nil || set {
			t.Fatalf("approve the removal = %v, %v; want no password set", set, err)
		}
		if got, _ := db.UserByID(t.Context(), aud.ID); !slices.Equal(got.Roles, []string{xiezuo.RoleUnit}) {
			t.Errorf("roles after approval = %v, want [unit]", got.Roles)
		}

		// The security administrator's own disabling needs the other one.
		edit = *sec
		edit.Disabled = true
		off, err := db.UpdateUser(asSys, &edit)
		if err != nil || off == nil || off.Kind != RequestDisable {
			t.Fatalf("UpdateUser(disable one of two secadmins) = %+v, %v; want a disable request", off, err)
		}
		if got, _ := db.UserByID(t.Context(), sec.ID); got.Disabled {
			t.Error("the security administrator is disabled before approval")
		}
		if _, err := db.DecideRequest(asSec, off.ID, Decision{Approve: true, Reason: "离职"}); xiezuo.ErrorCode(err) != xiezuo.EFORBIDDEN {
			t.Errorf("approving one's own disabling = %v, want EFORBIDDEN", err)
		}
		// Meanwhile aud2, the last auditor, is asked to be disabled: the request is refused outright.
		edit = *aud2
		edit.Disabled = true
		if _, err := db.UpdateUser(asSys, &edit); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("disable the last auditor = %v, want ECONFLICT", err)
		}
		if _, err := db.DecideRequest(asSec2, off.ID, Decision{Approve: true, Reason: "离职"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UserByID(t.Context(), sec.ID); !got.Disabled {
			t.Error("the security administrator is not disabled after approval")
		}

		// A removal filed while another holder was there is refused at approval once that
		// holder has gone: each of two auditors is asked to be disabled.
		aud3 := mustCreateUser(t, db, testUser("aud3", xiezuo.RoleAuditor))
		var reqs []*AccountRequest
		for _, u := range []*xiezuo.User{aud2, aud3} {
			edit = *u
			edit.Disabled = true
			req, err := db.UpdateUser(asSys, &edit)
			if err != nil || req == nil {
				t.Fatalf("UpdateUser(disable %s, another auditor enabled) = %+v, %v", u.Username, req, err)
			}
			reqs = append(reqs, req)
		}
		if _, err := db.DecideRequest(asSec2, reqs[0].ID, Decision{Approve: true, Reason: "离职"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DecideRequest(asSec2, reqs[1].ID, Decision{Approve: true, Reason: "离职"}); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT || !strings.Contains(xiezuo.ErrorMessage(err), "唯一启用的审计管理员") {
			t.Errorf("approve disabling the last auditor = %v, want ECONFLICT", err)
		}
		if got, _ := db.UserByID(t.Context(), aud3.ID); got.Disabled {
			t.Error("the last auditor was disabled")
		}
	})
}
