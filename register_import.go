package xiezuo

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
)

// Re-importing a register's workbook and the registers' natural keys: a workbook row that
// names its 编号 (the column a download writes) is that entry, unchanged or corrected, never a
// copy of it; and a register whose entries are one per key (the purchases: one per unit and
// period) refuses a second entry of the same key, naming the one to correct instead.

// RegisterImportReason is the reason of a correction made by a workbook when the office types
// none on the import form.
const RegisterImportReason = "工作簿导入更正"

// RegisterImportAction is what a workbook row does.
type RegisterImportAction int

// What a workbook row does.
const (
	ImportNew     RegisterImportAction = iota // a row without 编号: a new entry
	ImportCorrect                             // a row naming an entry, with other values: a correction of it
	ImportSame                                // a row naming an entry, with its values: passed over
)

// LatestRows is the latest row of each entry of rows (withdrawals included), by entry.
func LatestRows(rows []RegisterEntry) map[int64]RegisterEntry {
	out := map[int64]RegisterEntry{}
	for _, r := range rows {
		key := r.Entry
		if key == 0 {
			key = r.ID
		}
		if l, ok := out[key]; !ok || r.ID > l.ID {
			out[key] = r
		}
	}
	return out
}

// ParseEntryNumber reads a workbook's 编号 cell: 0 when blank, an error message when it is not
// a positive whole number.
func ParseEntryNumber(s string) (int64, string) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".0")
	if s == "" {
		return 0, ""
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Sprintf("“编号”：%s 不是记录编号（正整数）；新记录请留空", s)
	}
	return n, ""
}

// RegisterImportRow decides what a checked workbook row e does in spec's register, given the
// latest rows of the district's entries of that register (LatestRows): without 编号 (id 0) a
// new entry; with the 编号 of a standing entry of this register, nothing when its values are
// the entry's (ImportSame), else a correction of it with reason (RegisterImportReason when
// blank). A 编号 that is not an entry of this register and district, or names a withdrawn
// entry, is the row's error (msg).
func RegisterImportRow(spec RegisterSpec, latest map[int64]RegisterEntry, id int64, e RegisterEntry, reason string) (RegisterEntry, RegisterImportAction, string) {
	if id == 0 {
		return e, ImportNew, ""
	}
	cur, ok := latest[id]
	switch {
	case !ok || cur.Kind != spec.Kind:
		return e, ImportNew, fmt.Sprintf("“编号”：%d 不是本区“%s”台账的记录（可能是其他台账或其他区的编号）；新记录请把编号留空", id, spec.Title)
	case cur.Withdrawn:
		return e, ImportNew, fmt.Sprintf("“编号”：第 %d 号记录已撤销，不能再导入；如需重新登记，请把编号留空作为新记录", id)
	case maps.Equal(cur.Values, e.Values):
		cur.ID = 0
		return cur, ImportSame, ""
	}
	e.Entry, e.Reason = id, strings.TrimSpace(reason)
	if e.Reason == "" {
		e.Reason = RegisterImportReason
	}
	return e, ImportCorrect, ""
}

// RegisterNaturalKey is the key of an entry in a register whose entries are one per key, and
// the key in words; "" when the register has none. Only the purchases have one: one row per
// (采购单位, 统计期间), their amounts being the unit's totals of that period (the indicator
// sums them, so a second row counts the period twice). The other registers have no key that is
// truly unique: two meetings or trainings on one day, two visits to a region, a person sent
// twice, a firm investing twice, a village with two workshops are all real.
func RegisterNaturalKey(spec RegisterSpec, e RegisterEntry) (string, string) {
	if !spec.NaturalKeyed() || e.Unit == "" || e.Values["period"] == "" {
		return "", ""
	}
	v := e.Values["period"]
	words := v
	if y, err := strconv.Atoi(v[:min(4, len(v))]); err == nil {
		if p, err := ParseReportPeriod(v, y); err == nil {
			words = p.Text()
		}
	}
	return e.Unit + "|" + v, e.Unit + " " + words
}

// NaturalKeyed reports whether the register's entries are one per natural key
// (RegisterNaturalKey): the purchases.
func (s RegisterSpec) NaturalKeyed() bool { return s.Kind == RegPurchase }

// RegisterDuplicate refuses (ECONFLICT) entry e of spec's register when another of the entries
// as they stand (EntriesAt) has its natural key (RegisterNaturalKey), naming that entry: it is
// to be corrected, not recorded twice. For the purchases the key is the unit and any period
// that overlaps e's (a month inside a half year already reported, a year over a month): the
// share sums a unit's periods, so an overlap counts the same purchases twice. e's own entry
// (e.Entry) is not another.
func RegisterDuplicate(spec RegisterSpec, standing []RegisterEntry, e RegisterEntry) error {
	key, words := RegisterNaturalKey(spec, e)
	if key == "" || e.Withdrawn {
		return nil
	}
	period := func(x RegisterEntry) (ReportPeriod, bool) {
		v := x.Values["period"]
		y, err := strconv.Atoi(v[:min(4, len(v))])
		if err != nil {
			return ReportPeriod{}, false
		}
		p, err := ParseReportPeriod(v, y)
		return p, err == nil
	}
	mine, ok := period(e)
	for _, o := range standing {
		if o.Kind != spec.Kind || o.Withdrawn || (e.Entry != 0 && o.Entry == e.Entry) {
			continue
		}
		k, _ := RegisterNaturalKey(spec, o)
		if k == key {
			return Errorf(ECONFLICT, "%s的“%s”已登记为第 %d 号记录：每个单位每个统计期间只登记一条，请更正第 %d 号记录，不要重复登记",
				words, spec.Title, o.Entry, o.Entry)
		}
		if theirs, ok2 := period(o); ok && ok2 && o.Unit == e.Unit && mine.Start().Before(theirs.End()) && theirs.Start().Before(mine.End()) {
			return Errorf(ECONFLICT, "%s的“%s”与第 %d 号记录（%s）的统计期间重叠，同一笔采购会被重复计算：请更正第 %d 号记录，或改用不重叠的统计期间",
				words, spec.Title, o.Entry, theirs.Text(), o.Entry)
		}
	}
	return nil
}
