package web

import (
	"net/http"
	"strconv"

	"xiezuo"
	"xiezuo/password"
	"xiezuo/sqldb"
)

// requestsData is the page of account requests: the security administrator decides them there,
// the system administrator follows them and takes its half of a new password.
type requestsData struct {
	base
	Pending []sqldb.AccountRequest
	Decided []sqldb.AccountRequest
	Error   string
	Half    *shownHalf // a half of a new password, shown this once
	One     bool       // the page of one request
}

// shownHalf is one administrator's half of a new password.
type shownHalf struct {
	Request  int64
	Username string
	Which    string // 前半段 or 后半段
	Half     string
}

func (s *Server) requestsPage(w http.ResponseWriter, r *http.Request) {
	s.showRequests(w, r, http.StatusOK, 0, "", nil)
}

func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.requestIDOf(w, r)
	if !ok {
		return
	}
	s.showRequests(w, r, http.StatusOK, id, "", nil)
}

// showRequests renders the list of requests, or only request id when it is not 0.
func (s *Server) showRequests(w http.ResponseWriter, r *http.Request, status int, id int64, msg string, half *shownHalf) {
	d := requestsData{base: s.baseFor(r, "requests"), Error: msg, Half: half, One: id != 0}
	d.Title = "账号申请"
	var list []sqldb.AccountRequest
	if id != 0 {
		req, err := s.db.AccountRequestByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		list = []sqldb.AccountRequest{*req}
	} else {
		var err error
		if list, err = s.db.AccountRequests(r.Context(), sqldb.RequestFilter{Limit: 200}); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	for _, req := range list {
		if req.Pending() {
			d.Pending = append(d.Pending, req)
		} else {
			d.Decided = append(d.Decided, req)
		}
	}
	s.render(w, r, status, "requests", d)
}

func (s *Server) requestIDOf(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这项申请"))
		return 0, false
	}
	return id, true
}

// requestApprove approves a request. When the approval sets a password (a reset, or an account
// made privileged), the password is made of two halves: the security administrator is shown
// the first here, once; the system administrator the second, once, on the request's page. The
// owner gets both and must change the password at first sign-in (双人控制).
func (s *Server) requestApprove(w http.ResponseWriter, r *http.Request) {
	id, ok := s.requestIDOf(w, r)
	if !ok {
		return
	}
	first, second := newHalf(), newHalf()
	hash, err := s.hashPassword(r.Context(), first+second)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	set, err := s.db.DecideRequest(r.Context(), id, sqldb.Decision{Approve: true, Reason: r.PostFormValue("reason"), PasswordHash: hash, Half: second})
	if err != nil {
		s.decideFailed(w, r, id, err)
		return
	}
	s.sessions.forgetAll()
	req, err := s.db.AccountRequestByID(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !set {
		http.Redirect(w, r, "/admin/requests?"+s.flash(nil, "已批准申请 "+strconv.FormatInt(id, 10), "ok"), http.StatusSeeOther)
		return
	}
	s.showRequests(w, r, http.StatusOK, id, "", &shownHalf{Request: id, Username: req.Username, Which: "前半段", Half: first})
}

func (s *Server) requestReject(w http.ResponseWriter, r *http.Request) {
	id, ok := s.requestIDOf(w, r)
	if !ok {
		return
	}
	if _, err := s.db.DecideRequest(r.Context(), id, sqldb.Decision{Reason: r.PostFormValue("reason")}); err != nil {
		s.decideFailed(w, r, id, err)
		return
	}
	http.Redirect(w, r, "/admin/requests?"+s.flash(nil, "已驳回申请 "+strconv.FormatInt(id, 10), "ok"), http.StatusSeeOther)
}

// decideFailed shows why a decision was not recorded: a missing reason on the page, a refusal
// (one's own request or account) as 403, audited.
func (s *Server) decideFailed(w http.ResponseWriter, r *http.Request, id int64, err error) {
	switch xiezuo.ErrorCode(err) {
	case xiezuo.EINVALID:
		s.showRequests(w, r, http.StatusBadRequest, id, xiezuo.ErrorMessage(err), nil)
	case xiezuo.EFORBIDDEN:
		s.audit(r.Context(), sqldb.AuditAccountDecide, "account_request", strconv.FormatInt(id, 10), "申请 "+strconv.FormatInt(id, 10), sqldb.AuditFailure, xiezuo.ErrorMessage(err))
		s.fail(w, r, err)
	default:
		s.fail(w, r, err)
	}
}

// requestHalf shows the system administrator its half of the password an approval set, once.
func (s *Server) requestHalf(w http.ResponseWriter, r *http.Request) {
	id, ok := s.requestIDOf(w, r)
	if !ok {
		return
	}
	req, err := s.db.AccountRequestByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	half, err := s.db.TakeHalf(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showRequests(w, r, http.StatusOK, id, "", &shownHalf{Request: id, Username: req.Username, Which: "后半段", Half: half})
}

// newHalf is one half of a password set under dual control: 8 characters of a generated
// password, so that one half alone is far from the whole.
func newHalf() string { return password.Generate()[:8] }
