package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// table is what a list page shows and what its .xlsx download holds: one model for both, so the
// workbook has exactly the page's columns, filters and totals.
type table struct {
	Title string
	// Official is the title the plan's document gives this table (支援合作工作任务清单), when
	// it is one of the plan's tables: the download's title row writes it after the year and
	// the district, so the workbook reads back with xiezuo check.
	Official string
	Columns  []column
	Rows     []tableRow
	Note     string
	// Cards: its cells carry their labels even when wide, so a phone shows each row as a
	// labelled card (the labour lists).
	Cards bool
}

type column struct {
	Header string
	Unit   string // 万元, 人, 个: shown in the header
	Num    bool
}

// Wide reports whether the table has too many columns to show as cards on a phone.
func (t table) Wide() bool { return len(t.Columns) > 8 }

// Label is the header as shown: 项目总投资（万元）.
func (c column) Label() string {
	if c.Unit == "" {
		return c.Header
	}
	return c.Header + "（" + c.Unit + "）"
}

type tableRow struct {
	Class string // "", "subtotal" or "total"
	Span  int    // a subtotal's label spans this many columns, as in the printed 附件3
	Cells []cell
}

type cell struct {
	Text string
	Href string
	Num  bool
	Tags []tag
}

type tag struct {
	Text  string
	Class string // lead, missing
	Href  string
}

func textCell(s string) cell { return cell{Text: s} }

func numCell(s string) cell { return cell{Text: s, Num: true} }

func linkCell(s, href string) cell { return cell{Text: s, Href: href} }

// wantsXLSX reports whether the request asks for the table as a workbook (?format=xlsx).
func wantsXLSX(r *http.Request) bool { return r.URL.Query().Get("format") == "xlsx" }

// writeXLSX sends the table as a workbook: a title row, the header with units, the rows, text
// kept as text and numbers as numbers. The title row is the file's name, which names the year
// and the district, so that a plan's table (the task list, the work teams) reads back with
// xiezuo check.
func (s *Server) writeXLSX(w http.ResponseWriter, r *http.Request, t table, filename string) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	name := strings.NewReplacer("/", "", "\\", "", "?", "", "*", "", "[", "", "]", "", ":", "").Replace(t.Title)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "表格"
	}
	f.SetSheetName(sheet, name)
	sheet = name
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border: borders(), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF6"}}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: borders()})
	num, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}, Border: borders()})
	sub, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: borders()})
	f.SetCellValue(sheet, "A1", filename)
	f.SetCellStyle(sheet, "A1", "A1", bold)
	if len(t.Columns) > 1 {
		last, _ := excelize.CoordinatesToCellName(len(t.Columns), 1)
		f.MergeCell(sheet, "A1", last)
	}
	for i, c := range t.Columns {
		ref, _ := excelize.CoordinatesToCellName(i+1, 2)
		f.SetCellValue(sheet, ref, c.Label())
		f.SetCellStyle(sheet, ref, ref, head)
		col, _ := excelize.ColumnNumberToName(i + 1)
		width := 12.0
		if !c.Num {
			width = 24
		}
		f.SetColWidth(sheet, col, col, width)
	}
	for ri, row := range t.Rows {
		for ci, c := range row.Cells {
			ref, _ := excelize.CoordinatesToCellName(ci+1, ri+3)
			v := c.Text
			if v == "" && len(c.Tags) > 0 {
				var parts []string
				for _, tg := range c.Tags {
					parts = append(parts, tg.Text)
				}
				v = strings.Join(parts, "、")
			}
			style := text
			if row.Class != "" {
				style = sub
			}
			if n, err := strconv.ParseFloat(v, 64); err == nil && c.Num {
				f.SetCellValue(sheet, ref, n)
				if row.Class == "" {
					style = num
				}
			} else {
				f.SetCellValue(sheet, ref, v)
			}
			f.SetCellStyle(sheet, ref, ref, style)
		}
	}
	if t.Note != "" {
		ref, _ := excelize.CoordinatesToCellName(1, len(t.Rows)+4)
		f.SetCellValue(sheet, ref, t.Note)
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		s.serverError(w, r, fmt.Errorf("write workbook: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(filename+".xlsx"))
	w.Write(buf.Bytes())
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "999999", Style: 1})
	}
	return b
}

// HTML renders the table's body rows. A list of hundreds of rows × 15 columns is the heaviest
// thing the pages show; writing it here instead of through the template's reflection makes it
// several times cheaper. Every text is escaped.
func (t table) HTML() template.HTML {
	var b strings.Builder
	b.Grow(len(t.Rows) * len(t.Columns) * 48)
	// Narrow tables turn into cards on a phone, each cell labelled; a wide one (the 15
	// columns of 附件3) scrolls sideways instead, so its cells carry no labels: that keeps a
	// page of a hundred projects 40% smaller.
	var labels []string
	if !t.Wide() || t.Cards {
		labels = make([]string, len(t.Columns))
		for i, c := range t.Columns {
			labels[i] = template.HTMLEscapeString(c.Label())
		}
	}
	esc := template.HTMLEscapeString
	for _, row := range t.Rows {
		if row.Class != "" {
			b.WriteString(`<tr class="` + esc(row.Class) + `">`)
		} else {
			b.WriteString("<tr>")
		}
		cells := row.Cells
		span := row.Span
		if span < 2 || span > len(cells) {
			span = 0
		}
		for i, c := range cells {
			if span > 0 && i > 0 && i < span {
				continue
			}
			b.WriteString("<td")
			if span > 0 && i == 0 {
				b.WriteString(` colspan="` + strconv.Itoa(span) + `" class="label"`)
			}
			if c.Num && !(span > 0 && i == 0) {
				b.WriteString(` class="num"`)
			}
			if i < len(labels) && !(span > 0 && i == 0) {
				b.WriteString(` data-label="` + labels[i] + `"`)
			}
			b.WriteString(">")
			if c.Href != "" {
				b.WriteString(`<a href="` + esc(c.Href) + `">` + esc(c.Text) + "</a>")
			} else {
				b.WriteString(esc(c.Text))
			}
			for _, tg := range c.Tags {
				cls := "tag"
				if tg.Class != "" {
					cls += " " + tg.Class
				}
				if tg.Href != "" {
					b.WriteString(`<a class="` + esc(cls) + `" href="` + esc(tg.Href) + `">` + esc(tg.Text) + "</a>")
				} else {
					b.WriteString(`<span class="` + esc(cls) + `">` + esc(tg.Text) + "</span>")
				}
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	if len(t.Rows) == 0 {
		b.WriteString(`<tr><td colspan="` + strconv.Itoa(len(t.Columns)) + `" class="muted">没有符合条件的记录。</td></tr>`)
	}
	return template.HTML(b.String())
}
