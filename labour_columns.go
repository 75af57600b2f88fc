package xiezuo

// The columns of the three lists and how offices word their headers. (Helper A fills the
// fields, their aliases and ProposeLabourMapping.)

// LabourField is a column of a list: its key (stable: the mapping, storage, the bad-rows
// workbook), the label pages and workbooks write, the other ways offices word it, whether a row
// needs it, and whether it is personal data (sealed, masked).
type LabourField struct {
	Key      string
	Label    string
	Aliases  []string
	Required bool
	Personal bool
	Unit     string // 元/月, 人 …
	Help     string
}

// LabourFields are the columns of list l, in the order a template workbook writes them.
func LabourFields(l LabourList) []LabourField {
	return nil
}

// LabourMapping says which field each column of a file holds: Columns[i] is the key of the
// field of column i ("" ignored). HeaderRows is how many rows the header takes from the top of
// the file (titles above it and a two-row header included), so data starts at row
// HeaderRows+1.
type LabourMapping struct {
	HeaderRows int      `json:"header_rows"`
	Headers    []string `json:"headers"` // each column's header as read (a two-row header joined: 户籍地-乡镇)
	Columns    []string `json:"columns"`
}

// ProposeLabourMapping reads the top rows of a file (at most the first 20) and proposes a
// mapping: where the header is and which field each column holds, by the labels and aliases.
// Problems are the proposal's doubts in words (a required field not found, a column read as a
// field twice) for the preview page; Check refuses what cannot be imported.
func ProposeLabourMapping(l LabourList, top [][]string) (LabourMapping, []string) {
	return LabourMapping{}, []string{"未实现"}
}

// Check says what keeps m from importing list l: a required field no column holds, a field two
// columns hold, an unknown key. The error is EINVALID with the message for the page.
func (m LabourMapping) Check(l LabourList) error {
	return Errorf(EINVALID, "未实现")
}
