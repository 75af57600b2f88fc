package sqldb

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"xiezuo"
)

// The labour lists (劳务协作, migration 0021).
//
// Personal data (ID numbers, phones, incomes, pay) is sealed with db.sealer before it is
// written and opened only here: list reads return it masked; Reveal returns one value plain and
// audits it; the unmasked export asks RevealAll. The actor of every write is ActorFrom(ctx).

// Audit actions of the labour lists.
const (
	AuditLabourImport    = "labour.import"    // a list imported (counts, file name)
	AuditLabourReveal    = "labour.reveal"    // a personal field shown unmasked (which person, which field)
	AuditLabourExport    = "labour.export"    // a list exported unmasked
	AuditLabourMatch     = "labour.match"     // a matching run's proposals stored
	AuditLabourConfirm   = "labour.confirm"   // a match confirmed by the office or the employer, or declined
	AuditLabourPlacement = "labour.placement" // a placement recorded, corrected, ended or withdrawn
)

// LabourImportOptions start an import.
type LabourImportOptions struct {
	District string
	List     xiezuo.LabourList
	FileName string
	Mapping  xiezuo.LabourMapping
	SkipBad  bool // take the good rows; else any bad row refuses the file whole
	// OnProblem, when set, is told of each row a problem was found with after Add returned:
	// rows are stored in batches, and an ID stored under another name shows only when its
	// batch is written. The caller adds the row to its bad rows' workbook. Finish's Errors
	// hold these rows too. It is called from the import's writer goroutine, never twice at
	// once.
	OnProblem func(row int, message string)
	// FileChecked says the caller itself refuses an ID number twice in the file, as
	// labourio.Import does, with the row's cells for its bad rows: storage then keeps no set of
	// the IDs it was given (at a million rows that set is a tenth of the import's memory).
	FileChecked bool
}

// LabourImport is an import under way: one transaction, holding every row it was given, that
// Finish commits (or rolls back when the file is refused) and Abort rolls back. It is not safe
// for concurrent use.
type LabourImport struct {
	ID int64

	db    *DB
	opt   LabourImportOptions
	tx    *sql.Tx
	conn  *sql.Conn // PostgreSQL: the connection the transaction and its COPY run on
	at    time.Time
	actor Actor
	done  bool
	// cacheReset: the writer's page cache is back to its size (SQLite).
	cacheReset bool
	// fresh: the district's list held no entry when the import began.
	fresh bool

	seen      map[uint64]int32 // first 8 bytes of an ID's (or a job key's) blind index → its first row
	seenSized bool             // seen was made for the file's rows (Progress)
	people    []stagedPerson   // the batch being staged by Add

	// The writer: a list of people's batches are written by a goroutine of its own (started by
	// the first full batch) while Add seals and stages the next, so that the database's work
	// and the reading, checking and sealing of rows share the machine's cores. Batches go to
	// it on pipe and come back emptied on free; its first failure is werr once wdone is
	// closed, and failed is set as soon as it happens so that Add stops early.
	pipe   chan []stagedPerson
	free   chan []stagedPerson
	wdone  chan struct{}
	wctx   context.Context
	werr   error
	failed atomic.Bool
	// expect is the rows the file holds, about, as Progress was last told (0: unknown).
	expect atomic.Int64
	// deferred are the CREATE INDEX statements of the indexes a large import on SQLite
	// dropped inside its transaction, built again by Finish (a rollback restores them).
	deferred  []string
	deferSeen bool // the choice to defer was made
	written   int  // rows of people the writer has written

	mu       sync.Mutex // problems and probRows: Add and the writer both report problems
	problems []xiezuo.LabourRowError
	probRows map[int]bool
	adds     int
	added    int
	updated  int
	same     int

	lastProgress time.Time
	read, total  int
}

// LabourImportResult is what an import did.
type LabourImportResult struct {
	ID        int64
	State     string // done, refused, failed
	Rows      int    // data rows read (blank rows not counted)
	Added     int
	Updated   int
	Unchanged int
	Errors    []xiezuo.LabourRowError // every bad row (those Add found included), by row
}

// Imported is how many rows were stored (added, updated or unchanged).
func (r LabourImportResult) Imported() int { return r.Added + r.Updated + r.Unchanged }

// LabourImportStatus is an import as the progress page reads it.
type LabourImportStatus struct {
	ID         int64
	District   string
	List       xiezuo.LabourList
	FileName   string
	Mode       string
	State      string
	RowsRead   int
	RowsTotal  int // 0 unknown
	Added      int
	Updated    int
	Unchanged  int
	Bad        int
	Errors     []xiezuo.LabourRowError // the first 1,000
	HasBad     bool                    // a bad rows' workbook can be downloaded
	Message    string
	By         string
	StartedAt  time.Time
	FinishedAt time.Time
}

// LabourFilter selects the entries of a list: every field is optional but District and List.
type LabourFilter struct {
	District string
	List     xiezuo.LabourList
	Regions  []string // the caller's scope (xiezuo.LabourRegions): nil all
	Region   string
	Town     string // division code of a town (9 digits)
	Poor     string // xiezuo.PoorLifted, PoorWatched, "否" (neither) or ""
	Skill    string
	Status   string
	Q        string // name (prefix) or the whole ID number or phone (by their blind index)
	Page     int    // from 1
	PerPage  int    // default 50, at most 500
}

// LabourPersonRow is an entry of a list of people as a list page shows it: personal fields
// masked.
type LabourPersonRow struct {
	EntryID   int64
	PersonID  int64
	Name      string
	IDMasked  string // 110105********0020
	Sex       string
	Birth     xiezuo.Date
	Phone     string // masked
	HomeCode  string
	HomeName  string
	Region    string
	Poor      string
	Skills    []string
	Education string
	Status    string
	Details   map[string]string // the list's other fields, by key, as displayed
	UpdatedAt time.Time
}

// LabourCount is a count of the filtered entries by one value.
type LabourCount struct {
	Value string
	N     int
}

// LabourPeoplePage is one page of a filtered list of people with its counts.
type LabourPeoplePage struct {
	Rows     []LabourPersonRow
	Total    int
	ByStatus []LabourCount
	ByRegion []LabourCount
	ByPoor   []LabourCount
}

// LabourJobRow is a job of the list as a page shows it (the contact's phone masked).
type LabourJobRow struct {
	ID     int64
	Job    xiezuo.LabourJob
	Placed int // placements on the job still at work
	Open   int // wanted less placed, not below 0
}

// LabourJobsPage is one page of the jobs' list.
type LabourJobsPage struct {
	Rows  []LabourJobRow
	Total int
}

// LabourPersonView is a person's page in one district: the district's entries of the person,
// the matches with their confirmations, the placements with their history.
type LabourPersonView struct {
	PersonID   int64
	Name       string
	IDMasked   string
	Sex        string
	Birth      xiezuo.Date
	Entries    []LabourPersonRow
	Matches    []LabourMatch
	Placements []xiezuo.Placement // every row, oldest first (superseded and withdrawn ones included)
	Other      int                // how many other districts list the person (their entries are not shown)
}

// Personal fields Reveal opens.
const (
	RevealID     = "id_number"
	RevealPhone  = "phone"
	RevealIncome = "income"
)

// LabourMatch is a stored proposal with its confirmations.
type LabourMatch struct {
	ID        int64
	District  string
	EntryID   int64
	PersonID  int64
	Name      string // masked unless the reader may reveal (the web masks)
	JobID     int64
	Employer  string
	Post      string
	PlaceCode string
	Score     int
	Reasons   []string
	By        string
	At        time.Time
	Events    []LabourMatchEvent
	State     string // 待确认, 办公室已确认, 用工单位已确认, 双方已确认, 已放弃, 已就业
}

// LabourMatchEvent is a confirmation or a decline of a match.
type LabourMatchEvent struct {
	Kind string // office, employer, decline
	Note string
	By   string
	At   time.Time
}
