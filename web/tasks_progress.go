package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"xiezuo"
	"xiezuo/xlsx"
)

// tasksWorkbook sends the task list (附件2) with its status columns as of ?as_of= (default
// today), for the office to hand upward: the plan's five columns, then 进展状态, 最近报送, 审核
// and 完成情况 from xiezuo.TasksProgress over the board of that day. xiezuo check reads it back
// as the plan's task list. Those who read the whole district's reports may take it (accessWatch:
// the office, the leaders, the city office): its last column quotes accepted reports.
func (s *Server) tasksWorkbook(w http.ResponseWriter, r *http.Request) {
	pd := s.currentPlan(w, r, "supervision", "督查督办")
	if pd == nil {
		return
	}
	day, past, err := s.watchDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var f xiezuo.SuperviseFilter
	if past {
		f.AsOf = day
	}
	b, facts, err := s.boardAt(r, pd.Plan, pd.version, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := xlsx.WriteTasks(&buf, pd.Plan, xlsx.TaskTable{AsOf: day, Progress: xiezuo.TasksProgress(b, facts.reports)}); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("%d年%s支援合作工作任务清单（截至%s）.xlsx", pd.Year, pd.District, day)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Write(buf.Bytes())
}

// tasksWorkbookHref is the link to the task list with its status columns as of the day the
// supervision page shows, for those who may take it; "" for others.
func tasksWorkbookHref(pd *planData, asOf string, past bool) string {
	if pd.User == nil || !pd.User.CanWatch() {
		return ""
	}
	href := "/supervision/tasks.xlsx" + pd.q()
	if past {
		href += "&as_of=" + url.QueryEscape(asOf)
	}
	return href
}
