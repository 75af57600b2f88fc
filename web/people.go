package web

import "net/http"

// people names the users a page shows as acting (who issued, signed, froze, asked, decided):
// facts keep the sign-in name, which stays in the audit log; pages show 姓名（单位）, looked up
// in one query per page through DB.Writers.
type people map[string]string

// lookupPeople names the given sign-in names for one page.
func (s *Server) lookupPeople(r *http.Request, usernames ...string) (people, error) {
	m, err := s.db.Writers(r.Context(), usernames)
	return people(m), err
}

// label is the user's 姓名（单位）; a sign-in name not found among the users (a removed or
// generated account) is shown with the unit the fact recorded, unit may be empty.
func (p people) label(username, unit string) string {
	if l, ok := p[username]; ok {
		return l
	}
	if username == "system" {
		return "督办提醒任务"
	}
	if unit != "" {
		return username + "（" + unit + "）"
	}
	return username
}
