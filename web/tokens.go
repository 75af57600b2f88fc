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
	Tokens []sqldb.APIToken
	New    string // a token just made, shown once
	Error  string
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
	d := tokensData{base: s.baseFor(r, ""), Tokens: list, New: token, Error: msg}
	d.Title = "API 令牌"
	s.render(w, r, status, "tokens", d)
}

// tokenCreate makes a token and shows it once; the database keeps only its SHA-256.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > 40 {
		s.showTokens(w, r, http.StatusBadRequest, "", "请给令牌起一个 1 到 40 个字的名字，如“统计平台同步”")
		return
	}
	token := "xz_" + newToken()
	if _, err := s.db.CreateAPIToken(r.Context(), currentUser(r).ID, name, apiTokenHash(token), s.cfg.Now()); err != nil {
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
