package xiezuo

// How far back a fact of a plan's project may be dated. A date typed with a wrong year
// (0021-07-01, 1921-07-01) would otherwise be kept as history: a disbursement a century before
// its plan counts in every total "as of" any day, and PostgreSQL refuses the year 0 that SQLite
// keeps. Money of a year's plan is that year's budget, which may be allocated ahead (提前下达)
// in the year before; a project's steps, results and assets may go back further, since a
// continued project (续建) began under an earlier plan of the five-year period.

// MoneyDateFloor is the earliest day a transaction of a project of the plan of planYear may
// bear: 1 January of the year before.
func MoneyDateFloor(planYear int) Date { return Date{Year: planYear - 1, Month: 1, Day: 1} }

// HistoryDateFloor is the earliest day a step, result or asset handover of a project of the
// plan of planYear may bear: 1 January five years before.
func HistoryDateFloor(planYear int) Date { return Date{Year: planYear - 5, Month: 1, Day: 1} }

// FactDateRefusal refuses (EINVALID) a fact of a project of the plan of planYear dated on,
// what naming it (资金记录, 开工 …), when on is before floor (MoneyDateFloor or
// HistoryDateFloor of planYear); nil otherwise, and for the zero Date (left to the fact's own
// check, which asks for a date).
func FactDateRefusal(what string, on Date, planYear int, floor Date) error {
	if on.IsZero() || !dateAfter(floor, on) {
		return nil
	}
	return Errorf(EINVALID, "%s的日期 %s 早于 %s：%d年计划的项目最早只能登记 %s 及以后的日期，请核对年份",
		what, on, floor, planYear, floor)
}
