package sqldb

import (
	"context"
	"errors"
	"time"

	"xiezuo"
)

// The labour lists (劳务协作, migration 0021). (Helper B implements; the signatures are the
// contract the web layer and the command line are written against.)
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

var errLabourTODO = errors.New("labour storage not implemented yet")

// LabourImportOptions start an import.
type LabourImportOptions struct {
	District string
	List     xiezuo.LabourList
	FileName string
	Mapping  xiezuo.LabourMapping
	SkipBad  bool // take the good rows; else any bad row refuses the file whole
}

// LabourImport is an import under way: one transaction, holding every row it was given, that
// Finish commits (or rolls back when the file is refused) and Abort rolls back. It is not safe
// for concurrent use.
type LabourImport struct {
	ID int64
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

// BeginLabourImport records the import (state running) and begins its transaction.
func (db *DB) BeginLabourImport(ctx context.Context, opt LabourImportOptions) (*LabourImport, error) {
	return nil, errLabourTODO
}

// Add stores one checked record of file row row. A problem only storage sees (the ID twice in
// the file, an ID already stored under another name and birth, a job twice in the file) comes
// back as the row's message, with nothing stored for it; err is a failure of the database.
func (imp *LabourImport) Add(ctx context.Context, row int, rec xiezuo.LabourRecord) (problem string, err error) {
	return "", errLabourTODO
}

// Progress records how many rows have been read of about total (0: unknown), for the page's
// progress bar (LabourImportProgress), at most once a second.
func (imp *LabourImport) Progress(read, total int) {}

// Finish ends the import with the bad rows the reader found (bad: the bad rows' workbook,
// sealed into the import's row for download; nil when none): commits when there are none or
// SkipBad, else rolls back and records the import as refused. The import's row, its counts and
// an audit entry are written either way.
func (imp *LabourImport) Finish(ctx context.Context, errs []xiezuo.LabourRowError, bad []byte) (LabourImportResult, error) {
	return LabourImportResult{}, errLabourTODO
}

// Abort rolls the import back and records it as failed with the message.
func (imp *LabourImport) Abort(ctx context.Context, message string) {}

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

// LabourImportProgress reads an import's state, with the progress of one under way.
func (db *DB) LabourImportProgress(ctx context.Context, id int64) (LabourImportStatus, error) {
	return LabourImportStatus{}, errLabourTODO
}

// LabourImports lists a district's imports, newest first.
func (db *DB) LabourImports(ctx context.Context, district string, limit int) ([]LabourImportStatus, error) {
	return nil, errLabourTODO
}

// LabourBadRows opens the bad rows' workbook of an import (nil when none).
func (db *DB) LabourBadRows(ctx context.Context, id int64) ([]byte, error) {
	return nil, errLabourTODO
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

// LabourPeople reads a page of a list of people.
func (db *DB) LabourPeople(ctx context.Context, f LabourFilter) (LabourPeoplePage, error) {
	return LabourPeoplePage{}, errLabourTODO
}

// EachLabourPerson calls fn for every entry the filter selects (pages ignored), in the list's
// order, masked, or plain when reveal (the caller checked xiezuo.LabourReveal; the export is
// audited as AuditLabourExport). For exports, streaming.
func (db *DB) EachLabourPerson(ctx context.Context, f LabourFilter, reveal bool, fn func(LabourPersonRow) error) error {
	return errLabourTODO
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

// LabourJobs reads a page of the jobs' list (Region, Town, Poor, Status of the filter do not
// apply; Skill and Q do: Q is the employer or the post).
func (db *DB) LabourJobs(ctx context.Context, f LabourFilter) (LabourJobsPage, error) {
	return LabourJobsPage{}, errLabourTODO
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

// LabourPerson reads a person's page in a district; ENOTFOUND when the district has no entry
// of the person (or none in regions, when regions is not nil).
func (db *DB) LabourPerson(ctx context.Context, district string, personID int64, regions []string) (LabourPersonView, error) {
	return LabourPersonView{}, errLabourTODO
}

// Personal fields Reveal opens.
const (
	RevealID     = "id_number"
	RevealPhone  = "phone"
	RevealIncome = "income"
)

// RevealLabour opens one personal field of a person in a district (of the district's entry
// entryID, for the phone and income) and audits it (AuditLabourReveal).
func (db *DB) RevealLabour(ctx context.Context, district string, entryID int64, field string) (string, error) {
	return "", errLabourTODO
}

// LabourMatchInput reads what matching needs of a district: the people of the willing list
// (and workers) not at work, and the jobs still open at today.
func (db *DB) LabourMatchInput(ctx context.Context, district string, today xiezuo.Date) ([]xiezuo.MatchPerson, []xiezuo.MatchJob, error) {
	return nil, nil, errLabourTODO
}

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

// SaveLabourMatches stores a matching run's proposals (replacing none: a person's earlier
// proposals stay, the new ones are a new run) and audits the run; it returns the run's id.
func (db *DB) SaveLabourMatches(ctx context.Context, district string, ps []xiezuo.MatchProposal) (int64, error) {
	return 0, errLabourTODO
}

// LabourMatches reads a district's proposals, newest run first, of one state when state is not
// "" and of one person when personID is not 0.
func (db *DB) LabourMatches(ctx context.Context, district string, state string, personID int64, limit int) ([]LabourMatch, error) {
	return nil, errLabourTODO
}

// ConfirmLabourMatch records a confirmation (kind office or employer, note: the employer's
// contact and how they confirmed) or a decline (note: the reason) of a match: a dated fact.
func (db *DB) ConfirmLabourMatch(ctx context.Context, district string, matchID int64, kind, note string) (LabourMatch, error) {
	return LabourMatch{}, errLabourTODO
}

// RecordPlacement stores a placement (a new one, or one that supersedes p.Supersedes with a
// reason: a correction, an end, a withdrawal) and keeps the entry's status. The person's poor
// flag, home and region are taken from the district's entry when p leaves them blank.
func (db *DB) RecordPlacement(ctx context.Context, p xiezuo.Placement) (xiezuo.Placement, error) {
	return xiezuo.Placement{}, errLabourTODO
}
