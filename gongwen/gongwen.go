// Package gongwen writes documents in the layout of Chinese official documents (公文, GB/T
// 9704-2012) as Word (.docx) and PDF: the issuer, the document number (文号), the title, the
// recipient, the body in numbered headings, paragraphs, tables and charts, the signature and
// the date, on A4 with the standard margins, fonts, sizes and page numbers. It knows nothing
// of plans or databases: callers build a Document (the work summary and the self-assessment
// of issue 11 are built in package xiezuo and web) and write it here.
package gongwen

import (
	"xiezuo/chart"
)

// Document is one official document.
type Document struct {
	// Issuer is the issuing organ as its red header names it: 门头沟区支援合作工作领导小组办公室.
	// Empty: no red header (a draft for internal use).
	Issuer string
	// Number is the document number (发文字号): 门支合办〔2021〕12号. Empty: none.
	Number string
	// Title is the document's title (标题), in 2号 小标宋, centred, split over lines as needed.
	Title string
	// Recipient is the main recipient (主送机关) with its colon left out: 区支援合作工作领导小组.
	Recipient string
	// Blocks are the body, in order.
	Blocks []Block
	// Attachments are the names of the attachments (附件说明), listed after the body.
	Attachments []string
	// Signature is the issuing organ's name as signed (发文机关署名), Date the date written in
	// Chinese (成文日期: 2021年7月15日).
	Signature string
	Date      string
	// Mark is a mark at the top left (征求意见稿, 草稿); empty for none.
	Mark string
	// Footer is the line of the 版记 (抄送 …); empty for none.
	Footer string
}

// BlockKind says what a block is.
type BlockKind int

// Kinds of block. Headings are numbered by their writer as 公文 numbers them: 一、 (黑体),
// （一） (楷体), 1. (仿宋 bold), (1) (仿宋): the text is given without its number unless
// Numbered is false.
const (
	Paragraph  BlockKind = iota // body text in 3号 仿宋, first line indented two characters
	Heading1                    // 一、…
	Heading2                    // （一）…
	Heading3                    // 1. …
	Heading4                    // (1) …
	TableBlock                  // a table with its caption (表N) above and its notes below
	ChartBlock                  // a chart drawn as an image, its data table after it when asked
	PageBreak
)

// Block is one element of the body.
type Block struct {
	Kind BlockKind
	// Text is a paragraph's or a heading's text. A heading's number is written by the writer
	// (一、（一）1.(1)) counting the headings of its level since the last heading above it,
	// unless Number is set, which is then written as given.
	Text   string
	Number string
	// Table is the table of a TableBlock.
	Table *Table
	// Chart is the chart of a ChartBlock: exactly one of Bars, Line, Donut is set. WithTable
	// writes its data table after it.
	Bars      *chart.Bars
	Line      *chart.Line
	Donut     *chart.Donut
	WithTable bool
}

// Table is a table of the body: header rows (more than one when the header has grouped
// columns), rows of cells and notes. A cell's text may hold line breaks (\n).
type Table struct {
	Caption string     // 表1 2021年各协作地区资金情况（单位：万元）
	Header  [][]string // header rows; a cell equal to the one on its left in the same row is merged with it
	Rows    [][]string
	// Widths are the columns' relative widths; nil for equal widths.
	Widths []float64
	// Numeric marks the columns whose cells are figures, aligned right.
	Numeric []bool
	// Total marks the rows (by index) that are totals or subtotals, written bold.
	Total map[int]bool
	Notes string // 注：… under the table
	// Landscape puts the table on pages of its own turned to A4 landscape (a wide table: the
	// self-assessment's eight columns); the text before and after it stays portrait.
	Landscape bool
}
