package web

import (
	"net/http"
	"strconv"
	"strings"

	"xiezuo"
	"xiezuo/sqldb"
)

type tokensData struct {
	base
	Tokens  []sqldb.APIToken
	New     string // a token just made, shown once
	Error   string
	Days    int // default lifetime of a new token
	MaxDays int
}

// tokensPage lists the user's API tokens, for machine clients acting as the user.
func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	s.showTokens(w, r, http.StatusOK, "", "")
}

func (s *Server) showTokens(w http.ResponseWriter, r *http.Request, status int, token, msg string) {
	u := currentUser(r)
	list, err := s.db.APITokens(r.Context(), u.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := tokensData{base: s.baseFor(r, ""), Tokens: list, New: token, Error: msg, Days: xiezuo.APITokenDays, MaxDays: xiezuo.APITokenMaxDays}
	d.Title = "API 令牌"
	s.render(w, r, status, "tokens", d)
}

// NewAPIToken returns a new API token and the hash of it the database keeps (see
// sqldb.CreateAPIToken): the token itself is shown once and never stored.
func NewAPIToken() (token string, hash []byte) {
	token = "xz_" + newToken()
	return token, apiTokenHash(token)
}

// tokenCreate makes a token and shows it once; the database keeps only its SHA-256.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > 40 {
		s.showTokens(w, r, http.StatusBadRequest, "", "请给令牌起一个 1 到 40 个字的名字，如“统计平台同步”")
		return
	}
	days := 0
	if v := strings.TrimSpace(r.PostFormValue("days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1
		}
		days = n
	}
	now := s.cfg.Now()
	expires, err := xiezuo.APITokenExpiry(now, days)
	if err != nil {
		s.showTokens(w, r, http.StatusBadRequest, "", xiezuo.ErrorMessage(err))
		return
	}
	token, hash := NewAPIToken()
	if _, err := s.db.CreateAPIToken(r.Context(), currentUser(r).ID, name, hash, now, expires); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showTokens(w, r, http.StatusOK, token, "")
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个令牌"))
		return
	}
	if err := s.db.RevokeAPIToken(r.Context(), currentUser(r).ID, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/tokens?"+s.flash(nil, "令牌已吊销", "ok"), http.StatusSeeOther)
}

type adminTokensData struct {
	base
	Tokens []sqldb.APIToken
}

// adminTokensPage lists every user's API tokens for the security administrator, who reviews
// them and revokes those no longer wanted.
func (s *Server) adminTokensPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.db.AllAPITokens(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := adminTokensData{base: s.baseFor(r, "tokens"), Tokens: list}
	d.Title = "API 令牌管理"
	s.render(w, r, http.StatusOK, "admintokens", d)
}

// adminTokenRevoke revokes any user's token; the audit log names the security administrator.
func (s *Server) adminTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个令牌"))
		return
	}
	if err := s.db.RevokeAnyAPIToken(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/tokens?"+s.flash(nil, "令牌已吊销", "ok"), http.StatusSeeOther)
}
