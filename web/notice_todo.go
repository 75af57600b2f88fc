package web

import (
	"net/http"
	"strconv"
	"time"

	"xiezuo"
)

// noticeToDoRow is a supervision notice (督办单) on the user's to-do list, linked to its page.
type noticeToDoRow struct {
	noticeRow
	Kind  string // why it is listed (xiezuo.NoticeToDoKind.Text)
	Class string
	Href  string
	Late  int // days past the reply deadline, when unanswered
}

var noticeToDoClasses = map[xiezuo.NoticeToDoKind]string{
	xiezuo.NoticeToSign: "light-yellow", xiezuo.NoticeToReanswer: "light-red", xiezuo.NoticeToAnswer: "light-yellow",
	xiezuo.NoticeToPress: "light-red", xiezuo.NoticeToFinish: "light-yellow", xiezuo.NoticeToClose: "",
	xiezuo.NoticeForLeaders: "light-red",
}

// noticeToDo is what the notices of the chosen plan ask of the user at t (xiezuo.NoticeToDo over
// the notices the user may see), as rows for the to-do and home pages.
func (s *Server) noticeToDo(r *http.Request, pd *planData, t time.Time) ([]noticeToDoRow, error) {
	vs, ds, err := s.visibleNotices(r, pd, t)
	if err != nil {
		return nil, err
	}
	var rows []noticeToDoRow
	for _, it := range xiezuo.NoticeToDo(vs, pd.User, xiezuo.DayOf(t)) {
		rows = append(rows, noticeToDoRow{noticeRow: noticeRowOf(it.View, ds, pd.User), Kind: it.Kind.Text(),
			Class: noticeToDoClasses[it.Kind], Href: "/notices/" + strconv.FormatInt(it.View.Notice.ID, 10) + pd.q(), Late: it.Late})
	}
	return rows, nil
}
