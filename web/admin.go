package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/password"
	"xiezuo/sqldb"
	"xiezuo/vault"
)

type usersData struct {
	base
	Users    []userRow
	Roles    []string
	Error    string
	Password string // an initial password just set, shown once
	For      string
	Notice   string // what was done, when it waits for the security administrator
	Pending  int    // account requests waiting for the security administrator
}

type userRow struct {
	User   *xiezuo.User
	Phone  string
	Locked bool
	Open   []sqldb.AccountRequest // requests about the account that wait: a decision, or the second half
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.showUsers(w, r, http.StatusOK, "", "", "")
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, msg, pw, forUser string) {
	s.renderUsers(w, r, status, usersData{Error: msg, Password: pw, For: forUser})
}

// renderUsers shows the users page with the messages of d.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, d usersData) {
	d.base, d.Roles = s.baseFor(r, "users"), xiezuo.Roles
	d.Title = "用户管理"
	list, err := s.db.Users(r.Context(), sqldb.UserFilter{})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	open, err := s.db.AccountRequests(r.Context(), sqldb.RequestFilter{Open: true})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byUser := map[int64][]sqldb.AccountRequest{}
	for _, q := range open {
		if q.Pending() {
			d.Pending++
		}
		byUser[q.UserID] = append(byUser[q.UserID], q)
	}
	now := s.cfg.Now()
	for _, a := range list {
		u := a.User
		d.Users = append(d.Users, userRow{User: &u, Phone: vault.MaskPhone(u.Phone), Locked: now.Before(a.LockedUntil), Open: byUser[u.ID]})
	}
	s.render(w, r, status, "users", d)
}

// userForm reads the fields of a user from a form; the error message says which is wrong.
func userForm(r *http.Request, u *xiezuo.User) string {
	u.Name = strings.TrimSpace(r.PostFormValue("name"))
	u.District = strings.TrimSpace(r.PostFormValue("district"))
	u.Unit = r.PostFormValue("unit")
	u.Roles = nil
	for _, role := range r.PostForm["role"] {
		if slices.Contains(xiezuo.Roles, role) && !slices.Contains(u.Roles, role) {
			u.Roles = append(u.Roles, role)
		}
	}
	u.Regions = nil
	for _, reg := range strings.FieldsFunc(r.PostFormValue("regions"), func(c rune) bool { return c == ',' || c == '，' || c == '、' || c == '\n' }) {
		if reg = strings.TrimSpace(reg); reg != "" {
			u.Regions = append(u.Regions, reg)
		}
	}
	u.Phone = strings.TrimSpace(r.PostFormValue("phone"))
	// One rule for the form, the command and storage (三员分立, an office bound to its district,
	// a cadre's regions, a unit from the catalogue).
	if err := u.Validate(); err != nil {
		return xiezuo.ErrorMessage(err)
	}
	return ""
}

// userCreate creates an account with a generated initial password, shown once; the user must
// change it at first sign-in. An account asked with a privileged role is created without it
// and with a password nobody knows: the security administrator's approval gives it the role and
// a password in two halves (see requestApprove).
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	u := &xiezuo.User{Username: strings.TrimSpace(r.PostFormValue("username")), MustChange: true}
	if msg := userForm(r, u); msg != "" || u.Username == "" {
		if msg == "" {
			msg = "请填写登录名"
		}
		s.showUsers(w, r, http.StatusBadRequest, msg, "", "")
		return
	}
	pw, hash, err := password.NewInitial()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	u.PasswordAt = s.cfg.Now()
	if _, pending := xiezuo.GrantNow(nil, u.Roles); pending {
		wanted := roleNames(u.Roles)
		req, err := s.db.CreateUserWithGrant(r.Context(), u, hash)
		if err != nil {
			if code := xiezuo.ErrorCode(err); code == xiezuo.ECONFLICT || code == xiezuo.EINVALID {
				s.showUsers(w, r, http.StatusBadRequest, xiezuo.ErrorMessage(err), "", "")
				return
			}
			s.serverError(w, r, err)
			return
		}
		d := fmt.Sprintf("已建立账号 %s；角色「%s」待安全管理员批准后生效（申请 %d）。批准时生成初始密码，分前后两半由安全管理员和系统管理员分别交给本人。", u.Username, wanted, req.ID)
		s.showUsersNotice(w, r, d)
		return
	}
	if err := s.db.CreateUser(r.Context(), u, hash); err != nil {
		if code := xiezuo.ErrorCode(err); code == xiezuo.ECONFLICT || code == xiezuo.EINVALID {
			s.showUsers(w, r, http.StatusBadRequest, xiezuo.ErrorMessage(err), "", "")
			return
		}
		s.serverError(w, r, err)
		return
	}
	s.showUsers(w, r, http.StatusOK, "", pw, u.Username)
}

// showUsersNotice shows the users page with what was done.
func (s *Server) showUsersNotice(w http.ResponseWriter, r *http.Request, notice string) {
	s.renderUsers(w, r, http.StatusOK, usersData{Notice: notice})
}

// roleNames names roles on screen: 办公室、成员单位.
func roleNames(roles []string) string {
	var names []string
	for _, r := range roles {
		names = append(names, xiezuo.RoleNames[r])
	}
	return strings.Join(names, "、")
}

func (s *Server) userByPath(w http.ResponseWriter, r *http.Request) *sqldb.Account {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个用户"))
		return nil
	}
	a, err := s.db.AccountByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return a
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	a := s.userByPath(w, r)
	if a == nil {
		return
	}
	u := a.User
	if msg := userForm(r, &u); msg != "" {
		s.showUsers(w, r, http.StatusBadRequest, msg, "", "")
		return
	}
	if strings.TrimSpace(r.PostFormValue("phone")) == "" {
		u.Phone = a.User.Phone // the form says: left blank, not changed
	}
	u.Disabled = r.PostFormValue("disabled") == "on"
	if u.ID == currentUser(r).ID && (u.Disabled || !u.Has(xiezuo.RoleSysAdmin)) {
		s.showUsers(w, r, http.StatusBadRequest, "不能停用自己或取消自己的系统管理员角色", "", "")
		return
	}
	// A privileged role added, or a security or audit administrator removed, waits for the
	// security administrator; the rest of the change is made now. Storage decides which, on the roles the account holds when it writes.
	req, err := s.db.UpdateUser(r.Context(), &u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "已保存用户 " + u.Username
	switch {
	case req == nil:
	case req.Kind == sqldb.RequestRevoke:
		msg += fmt.Sprintf("；取消其安全管理员或审计管理员角色（改为「%s」）待批准：须由安全管理员批准后生效，此前保持原角色（申请 %d）", roleNames(req.Roles), req.ID)
	case req.Kind == sqldb.RequestDisable:
		msg += fmt.Sprintf("；停用该账号（安全管理员或审计管理员）待批准：须由安全管理员批准后生效，此前照常可用（申请 %d）", req.ID)
	default:
		msg += fmt.Sprintf("；角色「%s」待安全管理员批准后生效（申请 %d）", roleNames(req.Roles), req.ID)
	}
	if u.Disabled {
		if _, err := s.db.DeleteUserSessions(r.Context(), u.ID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.sessions.forgetAll()
	http.Redirect(w, r, "/admin/users?"+s.flash(nil, msg, "ok"), http.StatusSeeOther)
}

func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request) {
	a := s.userByPath(w, r)
	if a == nil {
		return
	}
	if err := s.db.Unlock(r.Context(), a.User.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users?"+s.flash(nil, "已解锁用户 "+a.User.Username, "ok"), http.StatusSeeOther)
}

// userResetPassword resets a password. An unprivileged account's is reset at once and the new
// one shown; a privileged account's waits for the security administrator, and its new password
// reaches the owner in two halves, one from each administrator (双人控制). Either way the
// owner must change it at next sign-in and an enrolled second factor stays.
func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request) {
	a := s.userByPath(w, r)
	if a == nil {
		return
	}
	pw, hash, err := password.NewInitial()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// Whether the reset waits is decided in storage, under the account's lock, on its roles and
	// requests when the password would be written.
	err = s.db.ResetPassword(r.Context(), a.User.ID, hash, s.cfg.Now())
	if errors.Is(err, sqldb.ErrResetNeedsApproval) {
		req, err := s.db.RequestReset(r.Context(), a.User.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msg := fmt.Sprintf("已提交重置 %s 密码的申请（申请 %d），待安全管理员批准；批准后新密码分前后两半，由安全管理员和系统管理员分别交给本人，原密码在批准前仍有效", a.User.Username, req.ID)
		http.Redirect(w, r, "/admin/users?"+s.flash(nil, msg, "ok"), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.sessions.forgetAll()
	s.showUsers(w, r, http.StatusOK, "", pw, a.User.Username)
}

type securityData struct {
	base
	Policy policy
	Roles  []string
	Error  string
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request) {
	d := securityData{base: s.baseFor(r, "security"), Policy: s.policy(r.Context()), Roles: xiezuo.Roles}
	d.Title = "安全策略"
	s.render(w, r, http.StatusOK, "security", d)
}

// securitySave stores the policy; each value must lie in the range docs/security.md gives.
func (s *Server) securitySave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	type field struct {
		key, label string
		min, max   int
	}
	fields := []field{
		{setMaxFailures, "锁定前允许连续输错次数", 3, 10},
		{setLockMinutes, "锁定时长（分钟）", 10, 1440},
		{setMaxAgeDays, "密码有效期（天）", 30, 365},
		{setIdleMinutes, "无操作自动退出（分钟）", 5, 120},
	}
	values := map[string]string{}
	for _, f := range fields {
		v := strings.TrimSpace(r.PostFormValue(f.key))
		n, err := strconv.Atoi(v)
		if err != nil || n < f.min || n > f.max {
			d := securityData{base: s.baseFor(r, "security"), Policy: s.policy(ctx), Roles: xiezuo.Roles,
				Error: fmt.Sprintf("“%s”应为 %d 到 %d 之间的整数", f.label, f.min, f.max)}
			d.Title = "安全策略"
			s.render(w, r, http.StatusBadRequest, "security", d)
			return
		}
		values[f.key] = strconv.Itoa(n)
	}
	var roles []string
	for _, role := range xiezuo.Roles { // in one order, so that an unchanged list is seen as such
		if slices.Contains(r.PostForm["mfa"], role) {
			roles = append(roles, role)
		}
	}
	values[setMFARoles] = strings.Join(roles, ",")
	// Only the values that change are written, and so audited: the policy in force, defaults
	// included, is what the form showed.
	s.forgetPolicy()
	current := s.policy(ctx).values()
	for _, f := range append(fields, field{key: setMFARoles}) {
		if values[f.key] == current[f.key] {
			continue
		}
		if err := s.db.SetSetting(ctx, f.key, values[f.key]); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.forgetPolicy()
	http.Redirect(w, r, "/admin/security?"+s.flash(nil, "安全策略已保存", "ok"), http.StatusSeeOther)
}
