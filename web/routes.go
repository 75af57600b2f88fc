package web

import (
	"net/http"

	"xiezuo"
)

// access says who may use a route. Its zero value is no access at all: a route added without
// saying who may use it refuses everyone, and TestRouteTable fails.
type access int

const (
	accessUnset     access = iota
	accessPublic           // anyone, signed in or not
	accessPending          // signed in with a password, though a second factor or a password change may be due
	accessSignedIn         // any user fully signed in
	accessOffice           // 办公室
	accessSysAdmin         // 系统管理员
	accessSecAdmin         // 安全管理员
	accessAudit            // 审计管理员 and 办公室
	accessAccounts         // 系统管理员 and 安全管理员: account requests
	accessSupervise        // 办公室, 区领导, 专班牵头部门 and 市级办公室: the supervision page (xiezuo.User.CanSupervise)
	accessWatch            // 办公室, 区领导 and 市级办公室: the watched rules (xiezuo.User.CanWatch)
	accessAnonymous        // anyone, and no session is even loaded: the public notice pages (public.go)
	accessCadre            // 前方挂职干部: the cadres' phone page of their regions' projects
	accessCityFunds        // 办公室 and 市级办公室: the city's rollups of funds and scorecards (xiezuo.User.CanReadCityFunds)
	accessDashboard        // 办公室, 区领导 and 市级办公室: the leaders' dashboard (xiezuo.User.CanDashboard)
	accessLabour           // whoever may read some district's labour lists; the handler asks xiezuo.LabourRefusal (web/labour.go)
	accessOps              // no session loaded; the handler lets in the loopback address or the metrics token and answers 404 to anyone else (metrics.go)
)

// route is one entry of the route table: its pattern, who may use it, and its handler.
type route struct {
	pattern string
	access  access
	handler http.HandlerFunc
}

// routeTable lists every route of the application in one place.
func (s *Server) routeTable() []route {
	return []route{
		{"GET /healthz", accessPublic, s.healthz},
		{"GET /readyz", accessAnonymous, s.readyz}, // 503 while shutting down, so a load balancer drains first (metrics.go)
		{"GET /metrics", accessOps, s.metrics},
		{"GET /signin", accessPublic, s.signInPage},
		{"POST /signin", accessPublic, s.signIn},
		{"POST /signout", accessPending, s.signOut},
		{"GET /signin/factor", accessPending, s.factorPage},
		{"POST /signin/factor", accessPending, s.factorCheck},
		{"GET /password", accessPending, s.passwordPage},
		{"POST /password", accessPending, s.passwordChange},
		{"GET /account/factor", accessPending, s.enrolPage},
		{"POST /account/factor", accessPending, s.enrol},
		{"GET /account/tokens", accessSignedIn, s.tokensPage},
		{"POST /account/tokens", accessSignedIn, s.tokenCreate},
		{"POST /account/tokens/{id}/revoke", accessSignedIn, s.tokenRevoke},

		{"GET /{$}", accessSignedIn, s.home},
		{"GET /plan", accessSignedIn, s.planPage},
		{"GET /plan/coverage", accessSignedIn, s.coveragePage},
		{"GET /teams", accessSignedIn, s.teamsPage},
		{"GET /teams/{name}", accessSignedIn, s.teamPage},
		{"GET /group/members", accessSignedIn, s.groupMembersPage},
		{"POST /group/members", accessOffice, s.groupMembersSave},
		{"POST /duties/assign", accessOffice, s.dutyAssign},
		{"POST /plan/coverage/link", accessOffice, s.coverageLink},
		{"GET /duties/{id}", accessSignedIn, s.dutyPage},
		{"POST /duties/{id}/reports", accessSignedIn, s.dutyReportSave},
		{"POST /duties/{id}/close", accessOffice, s.dutyClose},
		{"POST /reports/{id}/review", accessSignedIn, s.reportReview},
		{"GET /duties/{id}/exception", accessSignedIn, s.exceptionNewPage},
		{"POST /duties/{id}/exception", accessSignedIn, s.exceptionRequest},
		{"GET /periods", accessOffice, s.periodsPage},
		{"POST /periods/freeze", accessOffice, s.periodFreeze},
		{"POST /periods/unfreeze", accessOffice, s.periodUnfreeze},
		{"POST /exceptions/{id}/grant", accessOffice, s.exceptionGrant},
		{"POST /exceptions/{id}/refuse", accessOffice, s.exceptionRefuse},
		{"GET /units", accessSignedIn, s.unitsPage},
		{"GET /units/{name}", accessSignedIn, s.unitPage},
		{"POST /units/{name}/contact", accessSignedIn, s.unitContactSave},
		{"POST /units/{name}/contact/reveal", accessSignedIn, s.unitContactReveal},
		{"GET /regions", accessSignedIn, s.regionsPage},
		{"GET /regions/{name}", accessSignedIn, s.regionPage},
		{"POST /regions/{name}/contact", accessSignedIn, s.projectContactSave},
		{"GET /tasks", accessSignedIn, s.tasksPage},
		{"GET /projects", accessSignedIn, s.projectsPage},
		{"GET /projects/{id}", accessSignedIn, s.projectPage},
		{"POST /projects/{id}/transactions", accessSignedIn, s.projectFundSave},
		{"GET /funds", accessSignedIn, s.fundsPage},
		{"GET /funds/city", accessCityFunds, s.cityFundsPage},
		{"GET /scorecard/city", accessCityFunds, s.cityScorecardPage},
		{"POST /projects/{id}/villages", accessSignedIn, s.projectVillageAdd},
		{"POST /projects/{id}/villages/remove", accessSignedIn, s.projectVillageRemove},
		{"POST /projects/{id}/results", accessSignedIn, s.projectResultAdd},
		{"POST /projects/{id}/assets", accessSignedIn, s.projectAssetAdd},
		{"GET /regions/{name}/results", accessSignedIn, s.regionResultsPage},
		{"GET /assets", accessSignedIn, s.assetsPage},
		{"POST /projects/{id}/steps", accessSignedIn, s.projectStepSave},
		{"GET /projects/{id}/evidence/{file}", accessSignedIn, s.stepEvidenceFile},
		{"GET /cadre", accessCadre, s.cadrePage},
		{"GET /search", accessSignedIn, s.searchPage},
		{"GET /supervision", accessSupervise, s.supervisionPage},
		{"GET /supervision/tasks.xlsx", accessWatch, s.tasksWorkbook},
		{"GET /watch", accessWatch, s.watchPage},
		{"POST /watch/settings", accessOffice, s.watchSettings},
		{"POST /supervision/cadence", accessOffice, s.cadenceSave},
		{"GET /todo", accessSignedIn, s.todoPage},
		{"GET /calendar", accessSignedIn, s.calendarPage},
		{"GET /evidence/{id}", accessSignedIn, s.evidenceFile},

		// The scorecard (考核) and the indicator editor (考核指标): web/scorecard.go, web/indicators.go.
		{"GET /scorecard", accessSignedIn, s.scorecardPage}, // a unit's users read their unit's rows (xiezuo.User.CanReadWholeScorecard)
		{"GET /scorecard/{code}", accessSignedIn, s.indicatorScorePage},
		{"GET /api/v1/plans/{district}/{year}/scorecard", accessSignedIn, s.apiScorecard},
		{"GET /indicators", accessOffice, s.indicatorsPage},
		{"GET /indicators/new", accessOffice, s.indicatorNewPage},
		{"POST /indicators", accessOffice, s.indicatorAdd},
		{"POST /indicators/copy", accessOffice, s.indicatorCopy},
		{"GET /indicators/{code}/edit", accessOffice, s.indicatorEditPage},
		{"POST /indicators/{code}", accessOffice, s.indicatorSave},
		{"POST /indicators/{code}/withdraw", accessOffice, s.indicatorWithdraw},

		{"GET /reminders", accessSignedIn, s.remindersPage},
		{"POST /reminders/read", accessSignedIn, s.remindersRead},
		{"GET /reminders/settings", accessOffice, s.reminderSettingsPage},
		{"GET /reminders/smtp", accessSysAdmin, s.reminderSMTPPage},
		{"POST /reminders/settings/unit", accessOffice, s.reminderChannelSave},
		{"POST /reminders/settings/smtp", accessSysAdmin, s.reminderSMTPSave},
		{"GET /reminders/deliveries", accessOffice, s.reminderDeliveriesPage},
		{"POST /reminders/deliveries/{id}/retry", accessOffice, s.reminderDeliveryRetry},
		{"GET /notices", accessSignedIn, s.noticesPage},
		{"GET /notices/new", accessOffice, s.noticeNewPage},
		{"POST /notices/new", accessOffice, s.noticeIssue},
		{"POST /notices/rule", accessOffice, s.noticeRuleSave},
		{"GET /notices/{id}", accessSignedIn, s.noticePage},
		{"POST /notices/{id}/sign", accessSignedIn, s.noticeSign},
		{"POST /notices/{id}/answer", accessSignedIn, s.noticeAnswer},
		{"POST /notices/{id}/return", accessOffice, s.noticeReturn},
		{"POST /notices/{id}/finish", accessOffice, s.noticeFinish},
		{"POST /notices/{id}/close", accessOffice, s.noticeClose},

		// The work registers (registers.go, registers_import.go): readers are every signed-in user of
		// the district and the city office; who records what is xiezuo.RegisterWriteRefusal.
		{"GET /registers", accessSignedIn, s.registersPage},
		{"GET /registers/{kind}", accessSignedIn, s.registerListPage},
		{"GET /registers/{kind}/new", accessSignedIn, s.registerNewPage},
		{"POST /registers/{kind}", accessSignedIn, s.registerCreate},
		{"GET /registers/{kind}/import", accessSignedIn, s.registerImportPage},
		{"GET /registers/{kind}/template.xlsx", accessSignedIn, s.registerTemplate},
		{"POST /registers/{kind}/import", accessSignedIn, s.registerImport},
		{"GET /registers/{kind}/{entry}", accessSignedIn, s.registerEntryPage},
		{"POST /registers/{kind}/{entry}/correct", accessSignedIn, s.registerCorrect},
		{"POST /registers/{kind}/{entry}/withdraw", accessSignedIn, s.registerWithdraw},
		{"GET /api/v1/registers/{kind}", accessSignedIn, s.apiRegisterEntries},
		{"GET /api/v1/registers/{kind}/{id}", accessSignedIn, s.apiRegisterEntry},
		{"POST /api/v1/registers/{kind}", accessSignedIn, s.apiRegisterCreate},

		{"GET /import", accessOffice, s.importPage},
		{"POST /import", accessOffice, s.importUpload},
		{"POST /import/confirm", accessOffice, s.importConfirm},

		{"GET /admin/users", accessSysAdmin, s.usersPage},
		{"POST /admin/users", accessSysAdmin, s.userCreate},
		{"POST /admin/users/{id}", accessSysAdmin, s.userUpdate},
		{"POST /admin/users/{id}/unlock", accessSysAdmin, s.userUnlock},
		{"POST /admin/users/{id}/password", accessSysAdmin, s.userResetPassword},
		{"GET /admin/requests", accessAccounts, s.requestsPage},
		{"GET /admin/requests/{id}", accessAccounts, s.requestPage},
		{"POST /admin/requests/{id}/approve", accessSecAdmin, s.requestApprove},
		{"POST /admin/requests/{id}/reject", accessSecAdmin, s.requestReject},
		{"POST /admin/requests/{id}/half", accessSysAdmin, s.requestHalf},
		{"GET /admin/security", accessSecAdmin, s.securityPage},
		{"POST /admin/security", accessSecAdmin, s.securitySave},
		{"GET /admin/tokens", accessSecAdmin, s.adminTokensPage},
		{"POST /admin/tokens/{id}/revoke", accessSecAdmin, s.adminTokenRevoke},
		{"GET /admin/audit", accessAudit, s.auditPage},
		{"POST /admin/audit/verify", accessAudit, s.auditVerify},

		{"GET /publication", accessOffice, s.publicationPage},
		{"POST /publication", accessOffice, s.publicationSave},
		{"POST /publication/phone", accessOffice, s.publicationPhone},
		{"GET /public/{$}", accessAnonymous, s.publicIndex},
		{"GET /public/{district}/{year}", accessAnonymous, s.publicPlan},
		{"GET /public/{district}/{year}/{id}", accessAnonymous, s.publicProject},

		{"GET /dashboard", accessDashboard, s.dashboardPage},

		// Labour cooperation (劳务协作, web/labour*.go): every handler asks xiezuo.LabourRefusal of
		// the chosen district and plan, and xiezuo.LabourRegions for a cadre's scope.
		{"GET /labour", accessLabour, s.labourPage},
		{"GET /labour/match", accessLabour, s.labourMatchPage},
		{"POST /labour/match", accessLabour, s.labourMatchRun},
		{"POST /labour/matches/{id}/confirm", accessLabour, s.labourMatchConfirm},
		{"GET /labour/imports/{id}", accessLabour, s.labourImportStatusPage},
		{"GET /labour/imports/{id}/bad.xlsx", accessLabour, s.labourBadRows},
		{"GET /labour/people/{id}", accessLabour, s.labourPersonPage},
		{"POST /labour/people/{id}/reveal", accessLabour, s.labourReveal},
		{"POST /labour/people/{id}/placements", accessLabour, s.labourPlacementSave},
		{"GET /labour/{list}", accessLabour, s.labourListPage},
		{"POST /labour/{list}/export", accessLabour, s.labourExport},
		{"GET /labour/{list}/{page}", accessLabour, s.labourListSub}, // import (the upload form), template.xlsx
		{"POST /labour/{list}/import", accessLabour, s.labourUpload},
		{"POST /labour/{list}/confirm", accessLabour, s.labourImportConfirm},

		// The work summary and the self-assessment drafts (总结与自评): web/drafts.go.
		{"GET /drafts", accessOffice, s.draftsPage},
		{"POST /drafts", accessOffice, s.draftSave},

		// The tables upper platforms ask for (web/layouts.go): the office's district's layouts.
		{"GET /layouts", accessOffice, s.layoutsPage},
		{"POST /layouts/upload", accessOffice, s.layoutUpload},
		{"GET /layouts/new", accessOffice, s.layoutNewPage},
		{"POST /layouts", accessOffice, s.layoutSave},
		{"GET /layouts/{id}", accessOffice, s.layoutPage},
		{"GET /layouts/{id}/export", accessOffice, s.layoutExport},

		{"GET /api/openapi.json", accessPublic, s.openAPI},
		{"GET /api/", accessPublic, s.apiNotFound},
		{"GET /api/v1/plans", accessSignedIn, s.apiPlans},
		{"GET /api/v1/plans/{district}/{year}", accessSignedIn, s.apiSummary},
		{"GET /api/v1/plans/{district}/{year}/projects", accessSignedIn, s.apiProjects},
		{"GET /api/v1/plans/{district}/{year}/tasks", accessSignedIn, s.apiTasks},
		{"GET /api/v1/plans/{district}/{year}/points", accessSignedIn, s.apiPoints},
		{"GET /api/v1/plans/{district}/{year}/duties", accessSignedIn, s.apiDuties},
		{"GET /api/v1/plans/{district}/{year}/notices", accessSignedIn, s.apiNotices},
		{"GET /api/v1/me", accessSignedIn, s.apiMe},
		{"POST /api/v1/duties/{id}/reports", accessSignedIn, s.apiReportCreate},
		{"GET /api/v1/duties/{id}/reports", accessSignedIn, s.apiDutyReports},
		{"GET /api/v1/reports/{id}", accessSignedIn, s.apiReportGet},
		{"POST /api/v1/reports/{id}/review", accessSignedIn, s.apiReportReview}, // the office, or the lead unit a report was sent to (User.CanReview)
		{"POST /api/v1/duties/{id}/close", accessOffice, s.apiDutyClose},
		{"POST /api/v1/reports/{id}/evidence", accessSignedIn, s.apiReportEvidence},
		{"GET /api/v1/evidence/{id}", accessSignedIn, s.evidenceFile},
		{"GET /api/v1/projects/{id}/transactions", accessSignedIn, s.apiFundTxs},
		{"POST /api/v1/projects/{id}/transactions", accessSignedIn, s.apiFundTxCreate},
		{"GET /api/v1/plans/{district}/{year}/assets", accessSignedIn, s.apiPlanAssets},
		{"POST /api/v1/projects/{id}/assets", accessSignedIn, s.apiProjectAssetCreate},
		{"GET /api/v1/projects/{id}/steps", accessSignedIn, s.apiProjectSteps},
		{"POST /api/v1/projects/{id}/steps", accessSignedIn, s.apiProjectStepCreate},
		{"GET /api/v1/projects/{id}/evidence/{file}", accessSignedIn, s.stepEvidenceFile},
	}
}

// canUse reports whether u (nil: nobody signed in) may use the route of pattern, by the rule the
// route table gives it; a pattern that is not a route is used by nobody. Whatever offers a link
// (the menu) asks this rather than restating who may follow it.
func (s *Server) canUse(u *xiezuo.User, pattern string) bool {
	a, ok := s.access[pattern]
	switch {
	case !ok || a == accessUnset:
		return false
	case a == accessPublic, a == accessAnonymous:
		return true
	case u == nil:
		return false
	}
	return allowed(a, u)
}
