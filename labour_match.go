package xiezuo

// Matching people to jobs (人岗匹配). (Helper C fills MatchLabour.)

// MatchPerson is what matching reads of a person on the willing list (or a worker looking for
// another job).
type MatchPerson struct {
	EntryID   int64 // the person's entry in the district's list
	PersonID  int64
	Skills    []string
	Education string
	HomeCode  string // division code of the home
	WishPlace string // 北京, 省内, 省外, 不限, or a place's name
	WishPost  string
	WishPay   int64 // fen per month, 0 not said
	Available Date
	Poor      string
}

// MatchJob is what matching reads of a job.
type MatchJob struct {
	JobID     int64
	Employer  string
	Post      string
	Skills    []string
	Education string
	PlaceCode string
	PayMin    int64
	PayMax    int64
	Start     Date
	End       Date
	Open      int // places still open: wanted less placements on the job
}

// MatchProposal is one proposal of a job to a person, with its score (higher is better) and
// the reasons in words (「技能相符：电工」, 「工作地北京市门头沟区，符合意向“北京”」, 「月薪
// 6000–8000元，高于期望5000元」, 「可到岗2021-09-20，在招聘期内」).
type MatchProposal struct {
	EntryID  int64
	PersonID int64
	JobID    int64
	Score    int
	Reasons  []string
}

// MatchLabour proposes to each person at most perPerson jobs, best first, among jobs still
// open and not past their end at today; a person whose every job fails a hard rule (pay far
// below the wish, dates that do not meet, a skill the job requires missing) gets none. The
// result is ordered by person, then score.
func MatchLabour(people []MatchPerson, jobs []MatchJob, today Date, perPerson int) []MatchProposal {
	return nil
}
