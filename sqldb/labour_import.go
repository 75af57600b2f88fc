package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"xiezuo"
	"xiezuo/vault"
)

// Imports of the labour lists: one transaction per file. A person is upserted by the blind
// index of the ID number, then the district's entry of the list; rows are written in batches
// (multi-row statements on SQLite, COPY into a staging table and set-based merges on
// PostgreSQL) so that a million rows take seconds and the memory one batch.

// Vault field names of the sealed labour values: a value sealed for one does not open as
// another, and the blind indexes of different fields differ.
const (
	fieldLabourID      = "labour_people.id_number"
	fieldLabourPhone   = "labour_entries.phone"
	fieldLabourIncome  = "labour_entries.income"
	fieldLabourDigest  = "labour_entries.digest"
	fieldLabourContact = "labour_jobs.contact_phone"
	fieldLabourJobSum  = "labour_jobs.digest"
	fieldLabourPay     = "labour_placements.pay"
	fieldLabourBadRows = "labour_imports.bad_rows"
)

// Statuses of an entry, kept by the writes that change them (imports, matching, placements):
// the rule is xiezuo.LabourEntryStatus.
const (
	LabourWaiting  = xiezuo.LabourWaiting
	LabourProposed = xiezuo.LabourProposed
	LabourPlaced   = xiezuo.LabourPlaced
	LabourAtWork   = xiezuo.LabourAtWork
)

// Batch sizes of an import: SQLite's multi-row statements stay under its bound of variables
// (20 columns × 500); PostgreSQL's COPY batches are large enough that the merges' statements
// cost little each, and small enough that the staging table (about 700 bytes a row) stays in
// the session's temporary buffers (8 MB by default): a batch of 20,000 was read back from
// disk by each statement that scanned it, and held 70 MiB of the client's memory.
const (
	labourBatchSQLite   = 500
	labourBatchPostgres = 5000
	labourMaxErrors     = 1000
)

// stagedPerson is a row of a list of people ready to be written: personal values sealed.
type stagedPerson struct {
	row                             int
	idIndex, idSealed               []byte
	name, sex                       string
	birth                           xiezuo.Date
	phoneSealed, phoneIndex         []byte
	homeCode, townCode, region      string
	poor, skills, education, detail string
	skillMask                       int64
	incomeSealed, digest            []byte
	personID                        int64
}

// labourDetails are the list's other fields of a person's entry, stored as JSON (no personal
// data: the income is sealed in its own column).
type labourDetails struct {
	HomeName     string `json:"home_name,omitempty"`
	Employer     string `json:"employer,omitempty"`
	EmployerCode string `json:"employer_code,omitempty"`
	WorkPlace    string `json:"work_place,omitempty"`
	Post         string `json:"post,omitempty"`
	Since        string `json:"since,omitempty"`
	WishPlace    string `json:"wish_place,omitempty"`
	WishPost     string `json:"wish_post,omitempty"`
	WishPay      int64  `json:"wish_pay,omitempty"`
	Available    string `json:"available,omitempty"`
}

// jobDetails are a job's fields without a column of their own.
type jobDetails struct {
	PlaceName string `json:"place_name,omitempty"`
	Contact   string `json:"contact,omitempty"`
	Board     string `json:"board,omitempty"`
	Note      string `json:"note,omitempty"`
}

// labourProgress keeps the progress of the imports under way on SQLite, where the import holds
// the one writer connection and cannot write it to the import's row: LabourImportProgress of
// the same process reads it here. (On PostgreSQL the row is updated.)
var labourProgress sync.Map // progressKey → [2]int{read, total}

type progressKey struct {
	db *DB
	id int64
}

func errNoLabourKey() error {
	return xiezuo.Errorf(xiezuo.EINVALID, "未配置加密密钥，不能保存身份证号、手机号等个人信息：请设置环境变量 %s", vault.KeyFileEnv)
}

// BeginLabourImport records the import (state running) and begins its transaction.
func (db *DB) BeginLabourImport(ctx context.Context, opt LabourImportOptions) (*LabourImport, error) {
	if db.sealer == nil {
		return nil, errNoLabourKey()
	}
	if db.auditKey == nil {
		return nil, errNoAuditKey
	}
	if strings.TrimSpace(opt.District) == "" {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "导入劳务协作清单须指明区")
	}
	if _, ok := xiezuo.ParseLabourList(string(opt.List)); !ok {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "没有“%s”这个清单，应为 jobs、workers 或 willing", opt.List)
	}
	mapping, err := json.Marshal(opt.Mapping)
	if err != nil {
		return nil, fmt.Errorf("begin labour import: %w", err)
	}
	mode := "whole"
	if opt.SkipBad {
		mode = "skip"
	}
	imp := &LabourImport{db: db, opt: opt, at: db.factTime(ctx), actor: ActorFrom(ctx),
		seen: map[uint64]int32{}, probRows: map[int]bool{}}
	tx, err := db.begin(ctx, "")
	if err != nil {
		return nil, translate(fmt.Errorf("begin labour import: %w", err))
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO labour_imports
		(district, list, file_name, mode, state, mapping, by_user, by_unit, started_at)
		VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8) RETURNING id`,
		opt.District, string(opt.List), opt.FileName, mode, string(mapping),
		imp.actor.Username, imp.actor.Unit, imp.at).Scan(&imp.ID)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		tx.Rollback()
		return nil, translate(fmt.Errorf("begin labour import: %w", err))
	}
	if err := imp.beginTx(ctx); err != nil {
		db.endImportRow(context.WithoutCancel(ctx), imp, "failed", "导入未能开始："+xiezuo.ErrorMessage(err), nil, LabourImportResult{})
		return nil, translate(fmt.Errorf("begin labour import: %w", err))
	}
	if db.dialect.name == "sqlite" {
		labourProgress.Store(progressKey{db, imp.ID}, [2]int{})
	}
	// A list the district does not hold yet (its first import) has no entry to update: the
	// batches skip the look for them. Imports of one list wait for each other (the lock, or
	// SQLite's one writer), and only imports add entries.
	var held int
	if err := imp.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM labour_entries
		WHERE district = $1 AND list = $2 LIMIT 1) x`, opt.District, string(opt.List)).Scan(&held); err != nil {
		imp.Abort(ctx, "导入未能开始")
		return nil, translate(fmt.Errorf("begin labour import: %w", err))
	}
	imp.fresh = held == 0
	return imp, nil
}

// beginTx begins the import's transaction: on SQLite on the writer connection; on PostgreSQL
// on a connection of its own (COPY runs on it), holding the lock of the district's list, with
// the staging table of the batches.
func (imp *LabourImport) beginTx(ctx context.Context) error {
	db := imp.db
	if db.dialect.name != "postgres" {
		// A page cache of 48 MiB on the writer's connection for the import: the people's blind
		// index of a million rows (random keys) otherwise spills to the WAL page by page (32 MiB
		// took twice as long). Each page costs about twice its size in this process (the
		// allocator's slots), so 64 MiB held the command past 300 MB. Put back to SQLite's
		// default when the import ends.
		if _, err := db.writer.ExecContext(ctx, `PRAGMA cache_size = -49152`); err != nil {
			return err
		}
		// Each multi-row statement inside the transaction keeps a statement journal of the
		// pages it changes (to undo itself alone); past 64 KiB SQLite writes it to a temporary
		// file, a pwrite a page: a fifth of the import's CPU. In memory it is one batch's pages.
		if _, err := db.writer.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
			return err
		}
		tx, err := db.writer.BeginTx(ctx, nil)
		imp.tx = tx
		if err == nil {
			_, err = tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`)
		}
		return err
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return err
	}
	imp.conn, imp.tx = conn, tx
	fail := func(err error) error {
		tx.Rollback()
		conn.Close()
		imp.conn, imp.tx = nil, nil
		return err
	}
	if err := db.lock(ctx, tx, labourImportLock(imp.opt.District, string(imp.opt.List))); err != nil {
		return fail(err)
	}
	// No JIT: the merges' costs, a batch of 20,000 against tables of millions, pass its
	// thresholds, and compiling them with optimisation took longer than running them.
	if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
		return fail(err)
	}
	if imp.opt.List.OfPeople() {
		_, err := tx.ExecContext(ctx, `CREATE TEMP TABLE labour_stage (
			row INTEGER, id_index BYTEA, id_sealed BYTEA, name TEXT, sex TEXT, birth DATE,
			phone_sealed BYTEA, phone_index BYTEA, home_code TEXT, town_code TEXT, region TEXT,
			poor TEXT, skills TEXT, skill_mask BIGINT, education TEXT, details TEXT,
			income_sealed BYTEA, digest BYTEA) ON COMMIT DROP`)
		if err != nil {
			return fail(err)
		}

	}
	return nil
}

// Add stores one checked record of file row row. A problem only storage sees (the ID twice in
// the file, an ID already stored under another name and birth, a job twice in the file) comes
// back as the row's message, with nothing stored for it; err is a failure of the database.
//
// Rows are written in batches: an ID stored under another name is found when the row's batch
// is written, and told to opt.OnProblem (and in Finish's Errors) rather than returned here.
func (imp *LabourImport) Add(ctx context.Context, row int, rec xiezuo.LabourRecord) (problem string, err error) {
	if imp.tx == nil || imp.done {
		return "", xiezuo.Errorf(xiezuo.ECONFLICT, "导入已结束")
	}
	if imp.failed.Load() {
		return "", imp.drain(ctx)
	}
	imp.adds++
	if imp.opt.List.OfPeople() {
		if rec.Person == nil {
			return "", xiezuo.Errorf(xiezuo.EINVALID, "第%d行不是人员记录", row)
		}
		return imp.addPerson(ctx, row, rec.Person)
	}
	if rec.Job == nil {
		return "", xiezuo.Errorf(xiezuo.EINVALID, "第%d行不是用工需求记录", row)
	}
	return imp.addJob(ctx, row, rec.Job)
}

// firstRow returns the row that first had key, or records row as its first.
func (imp *LabourImport) firstRow(key []byte, row int) (int, bool) {
	k := binary.BigEndian.Uint64(key[:8])
	if first, ok := imp.seen[k]; ok {
		return int(first), true
	}
	imp.seen[k] = int32(row)
	return 0, false
}

func (imp *LabourImport) problem(row int, msg string, late bool) {
	imp.mu.Lock()
	imp.problems = append(imp.problems, xiezuo.LabourRowError{Row: row, Message: msg})
	imp.probRows[row] = true
	imp.mu.Unlock()
	if late && imp.opt.OnProblem != nil {
		imp.opt.OnProblem(row, msg)
	}
}

func (imp *LabourImport) addPerson(ctx context.Context, row int, p *xiezuo.LabourPerson) (string, error) {
	s := imp.db.sealer
	id := strings.ToUpper(strings.TrimSpace(p.IDNumber))
	if id == "" {
		msg := fmt.Sprintf("第%d行“身份证号”：未填写", row)
		imp.problem(row, msg, false)
		return msg, nil
	}
	idx := s.Index([]byte(id), fieldLabourID)
	if imp.opt.FileChecked {
		// The reader refused an ID twice in the file.
	} else if first, dup := imp.firstRow(idx, row); dup {
		msg := fmt.Sprintf("第%d行“身份证号”：与第%d行身份证号重复（%s）", row, first, vault.MaskID(id))
		imp.problem(row, msg, false)
		return msg, nil
	}
	st := stagedPerson{row: row, idIndex: idx, name: strings.TrimSpace(p.Name), sex: p.Sex, birth: p.Birth,
		homeCode: p.HomeCode, region: p.Region, poor: p.Poor, education: p.Education}
	var err error
	if st.idSealed, err = s.Seal([]byte(id), fieldLabourID); err != nil {
		return "", fmt.Errorf("seal id number: %w", err)
	}
	if p.Phone != "" {
		if st.phoneSealed, err = s.Seal([]byte(p.Phone), fieldLabourPhone); err != nil {
			return "", fmt.Errorf("seal phone: %w", err)
		}
		st.phoneIndex = s.Index([]byte(p.Phone), fieldLabourPhone)
	}
	if p.Income != 0 {
		if st.incomeSealed, err = s.Seal([]byte(strconv.FormatInt(p.Income, 10)), fieldLabourIncome); err != nil {
			return "", fmt.Errorf("seal income: %w", err)
		}
	}
	if len(p.HomeCode) >= 9 {
		st.townCode = p.HomeCode[:9]
	}
	st.skills = strings.Join(p.Skills, "、")
	st.skillMask = labourSkillMask(p.Skills)
	d, _ := json.Marshal(labourDetails{HomeName: p.HomeName, Employer: p.Employer, EmployerCode: p.EmployerCode,
		WorkPlace: p.WorkPlace, Post: p.Post, Since: p.Since.String(), WishPlace: p.WishPlace, WishPost: p.WishPost,
		WishPay: p.WishPay, Available: p.Available.String()})
	st.detail = string(d)
	sum := strings.Join([]string{st.name, st.sex, st.birth.String(), p.Phone, st.homeCode, st.region, st.poor,
		st.skills, st.education, st.detail, strconv.FormatInt(p.Income, 10)}, "\x1f")
	st.digest = s.Index([]byte(sum), fieldLabourDigest)
	imp.people = append(imp.people, st)
	if len(imp.people) >= imp.batchSize() {
		return "", imp.flush(ctx)
	}
	return "", nil
}

func (imp *LabourImport) batchSize() int {
	if imp.db.dialect.name == "postgres" {
		return labourBatchPostgres
	}
	return labourBatchSQLite
}

// flush hands the batch of people to the writer goroutine (started by the first batch) and
// takes an empty one to stage the next: at most two batches wait while one is written.
func (imp *LabourImport) flush(ctx context.Context) error {
	if len(imp.people) == 0 {
		return nil
	}
	if imp.pipe == nil {
		imp.pipe = make(chan []stagedPerson, 1)
		imp.free = make(chan []stagedPerson, 3)
		imp.wdone = make(chan struct{})
		// The writer outlives this call: it writes with the import's context as the first
		// batch gave it, ended by Abort or Finish through drain.
		imp.wctx = ctx
		for range 2 {
			imp.free <- make([]stagedPerson, 0, imp.batchSize())
		}
		go imp.writer()
	}
	select {
	case imp.pipe <- imp.people:
	case <-imp.wdone:
		return imp.drain(ctx)
	}
	select {
	case imp.people = <-imp.free:
	case <-imp.wdone:
		return imp.drain(ctx)
	}
	return nil
}

// writer writes the batches that come on pipe until it is closed; after a failure it only
// hands the batches back.
func (imp *LabourImport) writer() {
	defer close(imp.wdone)
	for b := range imp.pipe {
		imp.write(b)
		clear(b)
		imp.free <- b[:0]
	}
}

// drain writes the batch being staged, waits for the writer to end and returns its failure.
// Nothing else may use the transaction while the writer runs, so Finish and Abort drain
// first. An import of fewer rows than a batch never started the writer: its rows are written
// here, with ctx.
func (imp *LabourImport) drain(ctx context.Context) error {
	if imp.pipe == nil {
		if imp.werr == nil && len(imp.people) > 0 {
			imp.wctx = ctx
			imp.write(imp.people)
			imp.people = imp.people[:0]
		}
		return imp.werr
	}
	if len(imp.people) > 0 && !imp.failed.Load() {
		imp.pipe <- imp.people
		imp.people = nil
	}
	close(imp.pipe)
	<-imp.wdone
	imp.pipe = nil
	return imp.werr
}

// write writes one batch of people unless an earlier one failed.
func (imp *LabourImport) write(b []stagedPerson) {
	if imp.failed.Load() {
		return
	}
	var err error
	if imp.db.dialect.name == "postgres" {
		err = imp.flushPostgres(imp.wctx, b)
	} else {
		err = imp.flushSQLite(imp.wctx, b)
	}
	imp.written += len(b)
	if err != nil {
		imp.werr = fmt.Errorf("store labour rows: %w", err)
		imp.failed.Store(true)
	}
}

// conflictMessage is the problem of a row whose ID is stored under another name. Both names
// are masked (the message is kept with the import). Where the masks read the same, it does not
// compare two equal masks: it says that only the hidden characters differ (张** and 张**), or,
// when the masks hide everything (a name of one character, or not text), only that they differ.
func conflictMessage(row int, storedName, name string) string {
	stored, own := vault.MaskName(storedName), vault.MaskName(name)
	switch first, _ := utf8.DecodeRuneInString(stored); {
	case stored != own:
		return fmt.Sprintf("第%d行“姓名”：该身份证号已登记的姓名为“%s”，与本行“%s”不一致，请核对身份证号和姓名", row, stored, own)
	case utf8.RuneCountInString(stored) > 1 && first != '*':
		return fmt.Sprintf("第%d行“姓名”：该身份证号已登记在另一个姓名下（“%s”：首字和字数与本行相同，其余的字不同），请核对身份证号和姓名",
			row, stored)
	}
	return fmt.Sprintf("第%d行“姓名”：该身份证号已登记在另一个姓名下，与本行的姓名不一致，请核对身份证号和姓名", row)
}

// entryColumns are the columns an import writes of an entry, in the order of entryValues.
const entryColumns = `district, list, person_id, phone_sealed, phone_index, home_code, town_code, region,
	poor, skills, skill_mask, education, details, income_sealed, status, import_id, import_row,
	created_at, updated_at, digest`

// newStatus is the status of a new entry: nobody placed or proposed yet.
func (imp *LabourImport) newStatus() string {
	return xiezuo.LabourEntryStatus(imp.opt.List, false, false)
}

func (imp *LabourImport) flushSQLite(ctx context.Context, b []stagedPerson) error {
	tx := imp.tx
	if !imp.deferSeen && imp.written >= labourDeferAfter {
		imp.deferSeen = true
		if err := imp.deferIndexes(ctx); err != nil {
			return err
		}
	}
	// The people are inserted first, those already stored left as they are (ON CONFLICT DO
	// NOTHING): RETURNING names the new ones, and only the others are looked up, where a look
	// for every row of the batch walked the blind index of a million people twice a row.
	args := make([]any, 0, 6*len(b))
	var vals strings.Builder
	for i := range b {
		p := &b[i]
		if i > 0 {
			vals.WriteByte(',')
		}
		vals.WriteString(anonymous(6))
		args = append(args, p.idIndex, p.idSealed, p.name, p.sex, p.birth, imp.at)
	}
	byIndex := make(map[string]*stagedPerson, len(b))
	for i := range b {
		byIndex[string(b[i].idIndex)] = &b[i]
	}
	inserted := 0
	err := each(ctx, tx, `INSERT OR FAIL INTO labour_people (id_index, id_sealed, name, sex, birth, created_at) VALUES `+
		vals.String()+` ON CONFLICT (id_index) DO NOTHING RETURNING id, id_index`, args, func(rows *sql.Rows) error {
		var id int64
		var idx []byte
		if err := rows.Scan(&id, &idx); err != nil {
			return err
		}
		byIndex[string(idx)].personID = id
		inserted++
		return nil
	})
	if err != nil {
		return err
	}
	known := map[string]struct {
		id   int64
		name string
	}{}
	if inserted < len(b) {
		args = args[:0]
		for i := range b {
			if b[i].personID == 0 {
				args = append(args, b[i].idIndex)
			}
		}
		err := each(ctx, tx, `SELECT id, id_index, name FROM labour_people WHERE id_index IN `+anonymous(len(args)), args,
			func(rows *sql.Rows) error {
				var id int64
				var idx []byte
				var name string
				if err := rows.Scan(&id, &idx, &name); err != nil {
					return err
				}
				known[string(idx)] = struct {
					id   int64
					name string
				}{id, name}
				return nil
			})
		if err != nil {
			return err
		}
	}
	var old, keep []*stagedPerson
	for i := range b {
		p := &b[i]
		if p.personID == 0 {
			k, ok := known[string(p.idIndex)]
			if !ok {
				return fmt.Errorf("person of row %d neither inserted nor found", p.row)
			}
			if k.name != p.name {
				imp.problem(p.row, conflictMessage(p.row, k.name, p.name), true)
				continue
			}
			p.personID = k.id
			old = append(old, p)
		}
		keep = append(keep, p)
	}
	// The entries of the people already stored: unchanged, or updated with their history.
	type stored struct {
		id     int64
		digest []byte
		before map[string]any
	}
	entries := map[int64]stored{}
	if len(old) > 0 && !imp.fresh {
		args = append(args[:0], imp.opt.District, string(imp.opt.List))
		for _, p := range old {
			args = append(args, p.personID)
		}
		err := each(ctx, tx, `SELECT id, person_id, digest, phone_sealed, phone_index, home_code, town_code, region, poor,
			skills, education, details, income_sealed, status, import_id, import_row, updated_at
			FROM labour_entries WHERE district = ? AND list = ? AND person_id IN `+anonymous(len(old)), args,
			func(rows *sql.Rows) error {
				var s stored
				var person int64
				var phone, phoneIdx, income []byte
				var home, town, region, poor, skills, edu, details, status string
				var importID, importRow sql.NullInt64
				var updated time.Time
				if err := rows.Scan(&s.id, &person, &s.digest, &phone, &phoneIdx, &home, &town, &region, &poor,
					&skills, &edu, &details, &income, &status, &importID, &importRow, &updated); err != nil {
					return err
				}
				s.before = map[string]any{"phone_sealed": b64(phone), "phone_index": b64(phoneIdx), "home_code": home,
					"town_code": town, "region": region, "poor": poor, "skills": skills, "education": edu,
					"details": details, "income_sealed": b64(income), "status": status, "import_id": importID.Int64,
					"import_row": importRow.Int64, "updated_at": updated.UTC()}
				entries[person] = s
				return nil
			})
		if err != nil {
			return err
		}
	}
	// The new entries are counted by group into labour_entry_counts below: SQLite has no
	// trigger on inserts (an upsert a row cost a tenth of the import).
	args = args[:0]
	vals.Reset()
	n := 0
	for _, p := range keep {
		s, ok := entries[p.personID]
		if ok {
			if string(s.digest) == string(p.digest) {
				imp.same++
				continue
			}
			if err := imp.updateEntrySQLite(ctx, s.id, s.before, p); err != nil {
				return err
			}
			imp.updated++
			continue
		}
		if n > 0 {
			vals.WriteByte(',')
		}
		vals.WriteString(anonymous(20))
		args = append(args, imp.opt.District, string(imp.opt.List), p.personID, p.phoneSealed, p.phoneIndex, p.homeCode,
			p.townCode, p.region, p.poor, p.skills, p.skillMask, p.education, p.detail, p.incomeSealed, imp.newStatus(),
			imp.ID, p.row, imp.at, imp.at, p.digest)
		n++
	}
	if n > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT OR FAIL INTO labour_entries (`+entryColumns+`) VALUES `+vals.String(), args...); err != nil {
			return err
		}
		imp.added += n
		type group struct {
			region, town, poor string
			skill              int64 // one bit; 0 for labour_entry_counts
		}
		counts := map[group]int{}
		for _, p := range keep {
			if _, ok := entries[p.personID]; !ok {
				counts[group{p.region, p.townCode, p.poor, 0}]++
				for bit := range 63 {
					if m := int64(1) << bit; p.skillMask&m != 0 {
						counts[group{p.region, p.townCode, p.poor, m}]++
					}
				}
			}
		}
		for g, k := range counts {
			q := `INSERT INTO labour_entry_counts (district, list, region, town_code, poor, status, n)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (district, list, region, town_code, poor, status)
				DO UPDATE SET n = labour_entry_counts.n + EXCLUDED.n`
			args := []any{imp.opt.District, string(imp.opt.List), g.region, g.town, g.poor, imp.newStatus(), k}
			if g.skill != 0 {
				q = `INSERT INTO labour_entry_skill_counts (district, list, region, town_code, poor, status, n, skill_mask)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (district, list, skill_mask, region, town_code, poor, status)
				DO UPDATE SET n = labour_entry_skill_counts.n + EXCLUDED.n`
				args = append(args, g.skill)
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
	}
	return nil
}

// Deferred indexes (SQLite). The indexes of random keys an import does not read, the
// phones' blind index and the people's names, cost a random B-tree insert a row each, which
// in million-entry indexes spill the import's page cache to the WAL. A large import drops
// them inside its transaction and builds them again by sorting when it ends (Finish): other
// connections read the snapshot before the import, indexes included, and a rollback puts
// them back. The choice is made once labourDeferAfter rows are written, when Progress has
// told the file's size: the file must hold labourDeferRows rows and at least a quarter as many
// as the table, since a rebuild sorts the whole table.
var (
	labourDeferAfter = 20_000
	labourDeferRows  = 100_000
)

var labourDeferredIndexes = []string{"labour_entries_phone_idx", "labour_people_name_idx"}

func (imp *LabourImport) deferIndexes(ctx context.Context) error {
	expect := imp.expect.Load()
	if expect < int64(labourDeferRows) {
		return nil
	}
	var held int64
	if err := imp.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM labour_entries`).Scan(&held); err != nil {
		return err
	}
	if expect*4 < held {
		return nil
	}
	for _, name := range labourDeferredIndexes {
		var create string
		err := imp.tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1`, name).Scan(&create)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		if _, err := imp.tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return err
		}
		imp.deferred = append(imp.deferred, create)
	}
	return nil
}

// rebuildIndexes builds the indexes the import deferred.
func (imp *LabourImport) rebuildIndexes(ctx context.Context) error {
	if len(imp.deferred) == 0 {
		return nil
	}
	// A rebuild's sort keeps as much in memory as the page cache holds, beside the cache
	// itself, and spills the rest to temporary files on disk (not in this process's memory,
	// where the import's statements kept theirs): 4 MiB of each instead of 64. The memory the
	// reading of the file held goes back to the system first: the sort's comes on top of it.
	imp.seen = nil
	debug.FreeOSMemory()
	for _, pragma := range []string{`PRAGMA temp_store = FILE`, `PRAGMA cache_size = -4096`} {
		if _, err := imp.tx.ExecContext(ctx, pragma); err != nil {
			return err
		}
	}
	for _, create := range imp.deferred {
		if _, err := imp.tx.ExecContext(ctx, create); err != nil {
			return err
		}
	}
	imp.deferred = nil
	return nil
}

// anonymous is (?, …, ?) of n parameters: SQLite's multi-row statements bind anonymous
// parameters, since the driver looks each numbered one up by name in a list (a statement of
// 10,000 $N parameters spent most of an import's time there).
func anonymous(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

func b64(b []byte) string {
	if b == nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (imp *LabourImport) updateEntrySQLite(ctx context.Context, id int64, before map[string]any, p *stagedPerson) error {
	if _, err := imp.tx.ExecContext(ctx, `INSERT INTO labour_entry_history (entry_id, import_id, before, at) VALUES ($1, $2, $3, $4)`,
		id, imp.ID, mustJSON(before), imp.at); err != nil {
		return err
	}
	_, err := imp.tx.ExecContext(ctx, `UPDATE labour_entries SET phone_sealed = $1, phone_index = $2, home_code = $3,
		town_code = $4, region = $5, poor = $6, skills = $7, skill_mask = $8, education = $9, details = $10,
		income_sealed = $11, import_id = $12, import_row = $13, updated_at = $14, digest = $15 WHERE id = $16`,
		p.phoneSealed, p.phoneIndex, p.homeCode, p.townCode, p.region, p.poor, p.skills, p.skillMask, p.education,
		p.detail, p.incomeSealed, imp.ID, p.row, imp.at, p.digest, id)
	return err
}

// stageColumns are the columns of labour_stage COPY fills.
var stageColumns = []string{"row", "id_index", "id_sealed", "name", "sex", "birth", "phone_sealed", "phone_index",
	"home_code", "town_code", "region", "poor", "skills", "skill_mask", "education", "details", "income_sealed", "digest"}

func (imp *LabourImport) flushPostgres(ctx context.Context, b []stagedPerson) error {
	err := imp.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: driver connection is %T", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{"labour_stage"}, stageColumns,
			pgx.CopyFromSlice(len(b), func(i int) ([]any, error) {
				p := &b[i]
				var birth any
				if !p.birth.IsZero() {
					birth = time.Date(p.birth.Year, p.birth.Month, p.birth.Day, 0, 0, 0, 0, time.UTC)
				}
				return []any{int32(p.row), p.idIndex, p.idSealed, p.name, p.sex, birth, p.phoneSealed, p.phoneIndex,
					p.homeCode, p.townCode, p.region, p.poor, p.skills, p.skillMask, p.education, p.detail,
					p.incomeSealed, p.digest}, nil
			}))
		return err
	})
	if err != nil {
		return err
	}
	tx := imp.tx
	// The planner knows nothing of a temporary table until it is analysed: without it the
	// merges below joined the batch to a million people by scanning them. The join key is
	// enough (all columns took a fifth of a second a batch of 20,000).
	if _, err := tx.ExecContext(ctx, `ANALYZE labour_stage (id_index)`); err != nil {
		return err
	}
	conflicts := 0
	var bad []int32
	// The merges join a batch of thousands to tables of millions by their unique keys: they
	// are written as correlated subqueries and LATERAL joins, index lookups row by row. As
	// joins, the planner, whose statistics lag behind tables this transaction fills, hashed
	// whole tables, and each batch took longer than the one before. The staging table is
	// only read: an UPDATE of its rows (the person's id) wrote the batch again, past the
	// session's temporary buffers (8 MB), to disk.
	err = each(ctx, tx, `SELECT row, name, stored FROM (SELECT s.row, s.name,
			(SELECT p.name FROM labour_people p WHERE p.id_index = s.id_index) AS stored FROM labour_stage s) x
		WHERE stored <> name ORDER BY row`, nil, func(rows *sql.Rows) error {
		var row int32
		var name, stored string
		if err := rows.Scan(&row, &name, &stored); err != nil {
			return err
		}
		imp.problem(int(row), conflictMessage(int(row), stored, name), true)
		bad = append(bad, row)
		return nil
	})
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		conflicts = len(bad)
		if _, err := tx.ExecContext(ctx, `DELETE FROM labour_stage WHERE row = ANY($1)`, bad); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO labour_people (id_index, id_sealed, name, sex, birth, created_at)
		SELECT id_index, id_sealed, name, sex, birth, $1 FROM labour_stage ON CONFLICT (id_index) DO NOTHING`, imp.at); err != nil {
		return err
	}
	district, list := imp.opt.District, string(imp.opt.List)
	if imp.fresh {
		// No entry to replace: nothing for the history.
	} else if _, err := tx.ExecContext(ctx, `INSERT INTO labour_entry_history (entry_id, import_id, before, at)
		SELECT e.id, $3, json_build_object('phone_sealed', encode(e.phone_sealed, 'base64'),
			'phone_index', encode(e.phone_index, 'base64'), 'home_code', e.home_code, 'town_code', e.town_code,
			'region', e.region, 'poor', e.poor, 'skills', e.skills, 'education', e.education, 'details', e.details,
			'income_sealed', encode(e.income_sealed, 'base64'), 'status', e.status, 'import_id', e.import_id,
			'import_row', e.import_row, 'updated_at', e.updated_at)::text, $4
		FROM labour_stage s CROSS JOIN LATERAL (SELECT * FROM labour_entries e
			WHERE e.district = $1 AND e.list = $2
				AND e.person_id = (SELECT p.id FROM labour_people p WHERE p.id_index = s.id_index)) e
		WHERE e.digest IS DISTINCT FROM s.digest`, district, list, imp.ID, imp.at); err != nil {
		return err
	}
	// The new entries' counts by group go into labour_entry_counts in the statement; their
	// counts by skill are summed here from the groups it returns (a join of the batch to the
	// 63 skill bits in the server cost a third of the statement).
	var added, updated int
	type group struct {
		region, town, poor string
		skill              int64
	}
	skillCounts := map[group]int64{}
	err = each(ctx, tx, `WITH x AS (
		INSERT INTO labour_entries (`+entryColumns+`)
		SELECT $1, $2, (SELECT p.id FROM labour_people p WHERE p.id_index = s.id_index), s.phone_sealed, s.phone_index, s.home_code, s.town_code, s.region, s.poor, s.skills,
			s.skill_mask, s.education, s.details, s.income_sealed, $5, $3, s.row, $4, $4, s.digest
		FROM labour_stage s
		ON CONFLICT (district, list, person_id) DO UPDATE SET phone_sealed = EXCLUDED.phone_sealed,
			phone_index = EXCLUDED.phone_index, home_code = EXCLUDED.home_code, town_code = EXCLUDED.town_code,
			region = EXCLUDED.region, poor = EXCLUDED.poor, skills = EXCLUDED.skills, skill_mask = EXCLUDED.skill_mask,
			education = EXCLUDED.education, details = EXCLUDED.details, income_sealed = EXCLUDED.income_sealed,
			import_id = EXCLUDED.import_id, import_row = EXCLUDED.import_row, updated_at = EXCLUDED.updated_at,
			digest = EXCLUDED.digest
		WHERE labour_entries.digest IS DISTINCT FROM EXCLUDED.digest
		RETURNING (xmax = 0) AS ins, region, town_code, poor, skill_mask),
	c AS (
		INSERT INTO labour_entry_counts (district, list, region, town_code, poor, status, n)
		SELECT $1, $2, region, town_code, poor, $5, COUNT(*) FROM x WHERE ins GROUP BY region, town_code, poor
		ON CONFLICT (district, list, region, town_code, poor, status)
		DO UPDATE SET n = labour_entry_counts.n + EXCLUDED.n)
		SELECT ins, region, town_code, poor, skill_mask, COUNT(*) FROM x GROUP BY 1, 2, 3, 4, 5`,
		[]any{district, list, imp.ID, imp.at, imp.newStatus()}, func(rows *sql.Rows) error {
			var ins bool
			var g group
			var mask, n int64
			if err := rows.Scan(&ins, &g.region, &g.town, &g.poor, &mask, &n); err != nil {
				return err
			}
			if !ins {
				updated += int(n)
				return nil
			}
			added += int(n)
			for bit := range 63 {
				if m := int64(1) << bit; mask&m != 0 {
					g.skill = m
					skillCounts[g] += n
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	if len(skillCounts) > 0 {
		var regions, towns, poors []string
		var masks, ns []int64
		for g, n := range skillCounts {
			regions, towns, poors = append(regions, g.region), append(towns, g.town), append(poors, g.poor)
			masks, ns = append(masks, g.skill), append(ns, n)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO labour_entry_skill_counts
			(district, list, skill_mask, region, town_code, poor, status, n)
			SELECT $1, $2, m, r, t, p, $3, n FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::bigint[]) AS u(m, r, t, p, n)
			ON CONFLICT (district, list, skill_mask, region, town_code, poor, status)
			DO UPDATE SET n = labour_entry_skill_counts.n + EXCLUDED.n`,
			district, list, imp.newStatus(), masks, regions, towns, poors, ns); err != nil {
			return err
		}
	}
	imp.added += added
	imp.updated += updated
	imp.same += len(b) - conflicts - added - updated
	_, err = tx.ExecContext(ctx, `TRUNCATE labour_stage`)
	return err
}

func (imp *LabourImport) addJob(ctx context.Context, row int, j *xiezuo.LabourJob) (string, error) {
	s := imp.db.sealer
	key := j.JobKey()
	h := fnv.New64a()
	h.Write([]byte(key))
	if first, dup := imp.firstRow(h.Sum(nil), row); dup {
		msg := fmt.Sprintf("第%d行：与第%d行是同一岗位（同一用工单位、岗位和工作地点）", row, first)
		imp.problem(row, msg, false)
		return msg, nil
	}
	var contact []byte
	if j.ContactPhone != "" {
		var err error
		if contact, err = s.Seal([]byte(j.ContactPhone), fieldLabourContact); err != nil {
			return "", fmt.Errorf("seal contact phone: %w", err)
		}
	}
	d, _ := json.Marshal(jobDetails{PlaceName: j.PlaceName, Contact: j.Contact, Board: j.Board, Note: j.Note})
	skills := strings.Join(j.Skills, "、")
	sum := strings.Join([]string{j.Employer, j.CreditCode, j.Post, strconv.Itoa(j.Wanted), j.PlaceCode,
		strconv.FormatInt(j.PayMin, 10), strconv.FormatInt(j.PayMax, 10), skills, j.Education, j.Start.String(),
		j.End.String(), string(d), j.ContactPhone}, "\x1f")
	digest := s.Index([]byte(sum), fieldLabourJobSum)
	var id int64
	var old []byte
	err := imp.tx.QueryRowContext(ctx, `SELECT id, digest FROM labour_jobs WHERE district = $1 AND job_key = $2`,
		imp.opt.District, key).Scan(&id, &old)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = imp.tx.ExecContext(ctx, `INSERT INTO labour_jobs (district, job_key, employer, credit_code, post, wanted,
			place_code, pay_min, pay_max, skills, skill_mask, education, start_on, end_on, details, contact_phone_sealed,
			digest, import_id, import_row, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)`,
			imp.opt.District, key, j.Employer, j.CreditCode, j.Post, j.Wanted, j.PlaceCode, j.PayMin, j.PayMax, skills,
			labourSkillMask(j.Skills), j.Education, j.Start, j.End, string(d), contact, digest, imp.ID, row, imp.at)
		if err == nil {
			imp.added++
		}
	case err != nil:
	case string(old) == string(digest):
		imp.same++
	default:
		_, err = imp.tx.ExecContext(ctx, `UPDATE labour_jobs SET employer = $1, credit_code = $2, post = $3, wanted = $4,
			place_code = $5, pay_min = $6, pay_max = $7, skills = $8, skill_mask = $9, education = $10, start_on = $11,
			end_on = $12, details = $13, contact_phone_sealed = $14, digest = $15, import_id = $16, import_row = $17,
			updated_at = $18 WHERE id = $19`,
			j.Employer, j.CreditCode, j.Post, j.Wanted, j.PlaceCode, j.PayMin, j.PayMax, skills, labourSkillMask(j.Skills),
			j.Education, j.Start, j.End, string(d), contact, digest, imp.ID, row, imp.at, id)
		if err == nil {
			imp.updated++
		}
	}
	if err != nil {
		return "", fmt.Errorf("store job: %w", err)
	}
	return "", nil
}

// Progress records how many rows have been read of about total (0: unknown), for the page's
// progress bar (LabourImportProgress), at most once a second: on PostgreSQL in the import's
// row, through the pool (not the import's transaction); on SQLite, whose one writer
// connection the import holds, in this process's memory.
func (imp *LabourImport) Progress(read, total int) {
	imp.read, imp.total = read, total
	imp.expect.Store(int64(total))
	if !imp.seenSized && imp.seen != nil && total > 2*len(imp.seen) {
		imp.seenSized = true
		// Sized once for the file: a map doubling at a million rows held both tables at once.
		seen := make(map[uint64]int32, total)
		for k, v := range imp.seen {
			seen[k] = v
		}
		imp.seen = seen
	}
	if imp.done || time.Since(imp.lastProgress) < time.Second {
		return
	}
	imp.lastProgress = time.Now()
	if imp.db.dialect.name != "postgres" {
		labourProgress.Store(progressKey{imp.db, imp.ID}, [2]int{read, total})
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// A progress not written is only a bar that lags: the import goes on.
	_, _ = imp.db.db.ExecContext(ctx, `UPDATE labour_imports SET rows_read = $1, rows_total = $2 WHERE id = $3`,
		read, total, imp.ID)
}

// Finish ends the import with the bad rows the reader found (bad: the bad rows' workbook,
// sealed into the import's row for download; nil when none): commits when there are none or
// SkipBad, else rolls back and records the import as refused. The import's row, its counts and
// an audit entry are written either way.
func (imp *LabourImport) Finish(ctx context.Context, errs []xiezuo.LabourRowError, bad []byte) (LabourImportResult, error) {
	if imp.tx == nil || imp.done {
		return LabourImportResult{}, xiezuo.Errorf(xiezuo.ECONFLICT, "导入已结束")
	}
	if err := imp.drain(ctx); err != nil {
		imp.Abort(ctx, "保存失败")
		return LabourImportResult{}, translate(err)
	}
	res := LabourImportResult{ID: imp.ID, Rows: imp.adds}
	all := make([]xiezuo.LabourRowError, 0, len(errs)+len(imp.problems))
	all = append(all, imp.problems...)
	for _, e := range errs {
		if !imp.probRows[e.Row] {
			res.Rows++ // a row the reader refused never reached Add
		}
		all = append(all, e)
	}
	slices.SortStableFunc(all, func(a, b xiezuo.LabourRowError) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), strings.Compare(a.Message, b.Message))
	})
	res.Errors = slices.Compact(all)
	badRows := 0
	for i, e := range res.Errors {
		if i == 0 || res.Errors[i-1].Row != e.Row {
			badRows++
		}
	}
	var sealedBad []byte
	if len(bad) > 0 {
		var err error
		if sealedBad, err = imp.db.sealer.Seal(bad, fieldLabourBadRows); err != nil {
			imp.Abort(ctx, "保存失败")
			return LabourImportResult{}, fmt.Errorf("seal bad rows: %w", err)
		}
	}
	imp.done = true
	defer imp.release()
	if badRows > 0 && !imp.opt.SkipBad {
		imp.tx.Rollback()
		imp.releaseConn()
		res.State = "refused"
		msg := fmt.Sprintf("有%d行不符合要求，整个文件未导入：请改正后重新导入，或选择只导入正确的行", badRows)
		// The refusal is the file's own result: written even when the import's context was just
		// cut (a stopping server), bounded like Abort's.
		ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endRowTimeout)
		defer cancel()
		if err := imp.db.endImportRow(ectx, imp, res.State, msg, sealedBad, res); err != nil {
			return res, err
		}
		return res, nil
	}
	res.State = "done"
	res.Added, res.Updated, res.Unchanged = imp.added, imp.updated, imp.same
	msg := ""
	if badRows > 0 {
		msg = fmt.Sprintf("有%d行不符合要求，未导入，可下载改正后重新导入", badRows)
	}
	if err := imp.rebuildIndexes(ctx); err != nil {
		imp.tx.Rollback()
		return LabourImportResult{}, translate(fmt.Errorf("finish labour import: %w", err))
	}
	if err := imp.db.writeImportRow(ctx, imp.tx, imp, res.State, msg, sealedBad, res); err != nil {
		imp.tx.Rollback()
		return LabourImportResult{}, translate(fmt.Errorf("finish labour import: %w", err))
	}
	if err := imp.tx.Commit(); err != nil {
		return LabourImportResult{}, translate(fmt.Errorf("finish labour import: %w", err))
	}
	return res, nil
}

// Abort rolls the import back and records it as failed with the message.
func (imp *LabourImport) Abort(ctx context.Context, message string) {
	if imp.done || imp.tx == nil {
		return
	}
	// The writer stops at its batch's end; nothing more is written.
	imp.failed.Store(true)
	_ = imp.drain(ctx)
	imp.done = true
	imp.tx.Rollback()
	imp.releaseConn()
	defer imp.release()
	res := LabourImportResult{ID: imp.ID, State: "failed", Rows: max(imp.adds, imp.read)}
	// Best effort: the import is rolled back whether or not its row says so; bounded, so that
	// a stopping server does not wait on a database that no longer answers.
	ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endRowTimeout)
	defer cancel()
	_ = imp.db.endImportRow(ectx, imp, "failed", message, nil, res)
}

// endRowTimeout bounds the writing of an import's end when its own context is gone.
const endRowTimeout = 10 * time.Second

// EndStopped records an import its server cut while stopping (web.Server.Finish): failed with
// message, whether its row still says running (cut while it committed) or already says failed
// (Abort's message replaced); an import whose row says done or refused ended before the cut and
// is left as it is. Bounded by endRowTimeout whatever ctx.
func (imp *LabourImport) EndStopped(ctx context.Context, message string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endRowTimeout)
	defer cancel()
	tx, err := imp.db.begin(ctx, "")
	if err != nil {
		return translate(fmt.Errorf("end stopped labour import: %w", err))
	}
	defer tx.Rollback()
	var state string
	if err := tx.QueryRowContext(ctx, `SELECT state FROM labour_imports WHERE id = $1`, imp.ID).Scan(&state); err != nil {
		return translate(fmt.Errorf("end stopped labour import: %w", err))
	}
	if state != "running" && state != "failed" {
		return nil
	}
	res := LabourImportResult{ID: imp.ID, State: "failed", Rows: max(imp.adds, imp.read)}
	if err := imp.db.writeImportRow(ctx, tx, imp, "failed", message, nil, res); err != nil {
		return translate(fmt.Errorf("end stopped labour import: %w", err))
	}
	return translate(tx.Commit())
}

func (imp *LabourImport) releaseConn() {
	if imp.conn != nil {
		imp.conn.Close()
		imp.conn = nil
	}
	if imp.db.dialect.name != "postgres" && !imp.cacheReset {
		imp.cacheReset = true
		// Best effort: a connection left with a larger cache only holds more memory.
		_, _ = imp.db.writer.ExecContext(context.Background(), `PRAGMA cache_size = -2000`)
		_, _ = imp.db.writer.ExecContext(context.Background(), `PRAGMA temp_store = DEFAULT`)
	}
}

func (imp *LabourImport) release() {
	imp.releaseConn()
	labourProgress.Delete(progressKey{imp.db, imp.ID})
	imp.seen, imp.people = nil, nil
}

// endImportRow records the end of an import rolled back, in a transaction of its own.
func (db *DB) endImportRow(ctx context.Context, imp *LabourImport, state, msg string, bad []byte, res LabourImportResult) error {
	tx, err := db.begin(ctx, "")
	if err != nil {
		return translate(fmt.Errorf("finish labour import: %w", err))
	}
	defer tx.Rollback()
	if err := db.writeImportRow(ctx, tx, imp, state, msg, bad, res); err != nil {
		return translate(fmt.Errorf("finish labour import: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("finish labour import: %w", err))
	}
	return nil
}

// writeImportRow writes the end of an import into its row and audits it, inside tx.
func (db *DB) writeImportRow(ctx context.Context, tx *sql.Tx, imp *LabourImport, state, msg string, bad []byte, res LabourImportResult) error {
	first := res.Errors
	if len(first) > labourMaxErrors {
		first = first[:labourMaxErrors]
	}
	if first == nil {
		first = []xiezuo.LabourRowError{}
	}
	nbad := 0
	for i, e := range res.Errors {
		if i == 0 || res.Errors[i-1].Row != e.Row {
			nbad++
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE labour_imports SET state = $1, rows_read = $2, rows_total = $2, added = $3,
		updated = $4, unchanged = $5, bad = $6, errors = $7, bad_sealed = $8, message = $9, finished_at = $10
		WHERE id = $11`, state, res.Rows, res.Added, res.Updated, res.Unchanged, nbad, mustJSON(first), bad, msg,
		db.factTime(ctx), imp.ID)
	if err != nil {
		return err
	}
	e := entryFor(ctx, AuditLabourImport, "labour_import", strconv.FormatInt(imp.ID, 10),
		imp.opt.District+imp.opt.List.Title())
	setActor(e, imp.actor)
	e.After = mustJSON(map[string]any{"district": imp.opt.District, "list": imp.opt.List, "file": imp.opt.FileName,
		"state": state, "rows": res.Rows, "added": res.Added, "updated": res.Updated, "unchanged": res.Unchanged,
		"bad": nbad})
	e.Detail = msg
	if state != "done" {
		e.Outcome = AuditFailure
	}
	return db.appendAudit(ctx, tx, e)
}

// labourImportLock is the lock an import of district's list holds for its whole transaction:
// one import of a list at a time, and a sign that it still runs.
func labourImportLock(district, list string) string { return "labour import " + district + " " + list }

// labourImportStale is how long a running import's row must have existed before a sweep may
// end it as interrupted: the import takes its lock (PostgreSQL) or the writer (SQLite) right
// after writing the row, so an older row whose lock is free has no import behind it.
const labourImportStale = time.Minute

// LabourImportInterrupted is the message of an import ended by EndInterruptedLabourImports.
const LabourImportInterrupted = "导入中断（服务停止或重启），未写入任何数据，请重新导入"

// EndInterruptedLabourImports records as failed the imports whose process died while they ran
// (kill -9, a power cut): their transaction died with the process, so nothing of them is
// stored, but their row still says running and its page would wait for ever. An import is
// known dead when nobody holds its lock (PostgreSQL: the import's transaction holds it to its
// end, on whichever instance) or when this sweep holds the database's one writer (SQLite: an
// import holds it to its end). Each one ended is audited. Returns how many were ended.
func (db *DB) EndInterruptedLabourImports(ctx context.Context) (int, error) {
	tx, err := db.begin(ctx, "")
	if err != nil {
		return 0, translate(fmt.Errorf("end interrupted labour imports: %w", err))
	}
	defer tx.Rollback()
	type running struct {
		id             int64
		district, list string
		file, by, unit string
	}
	var rows []running
	err = each(ctx, tx, `SELECT id, district, list, file_name, by_user, by_unit FROM labour_imports
		WHERE state = 'running' AND started_at < $1 ORDER BY id`, []any{db.factTime(ctx).Add(-labourImportStale)},
		func(r *sql.Rows) error {
			var x running
			err := r.Scan(&x.id, &x.district, &x.list, &x.file, &x.by, &x.unit)
			rows = append(rows, x)
			return err
		})
	if err != nil {
		return 0, translate(fmt.Errorf("end interrupted labour imports: %w", err))
	}
	ended := 0
	for _, x := range rows {
		if db.dialect.name == "postgres" {
			// Free means no transaction of an import of this district's list is open anywhere.
			var free bool
			if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, lockID(labourImportLock(x.district, x.list))).Scan(&free); err != nil {
				return 0, translate(fmt.Errorf("end interrupted labour imports: %w", err))
			}
			if !free {
				continue
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE labour_imports SET state = 'failed', message = $1, finished_at = $2
			WHERE id = $3 AND state = 'running'`, LabourImportInterrupted, db.factTime(ctx), x.id)
		if err != nil {
			return 0, translate(fmt.Errorf("end interrupted labour imports: %w", err))
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		list, _ := xiezuo.ParseLabourList(x.list)
		e := entryFor(ctx, AuditLabourImport, "labour_import", strconv.FormatInt(x.id, 10), x.district+list.Title())
		e.After = mustJSON(map[string]any{"district": x.district, "list": x.list, "file": x.file, "state": "failed",
			"by": x.by, "unit": x.unit})
		e.Detail = LabourImportInterrupted
		e.Outcome = AuditFailure
		if err := db.appendAudit(ctx, tx, e); err != nil {
			return 0, translate(fmt.Errorf("end interrupted labour imports: %w", err))
		}
		ended++
	}
	if err := tx.Commit(); err != nil {
		return 0, translate(fmt.Errorf("end interrupted labour imports: %w", err))
	}
	return ended, nil
}
