package gongwen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xiezuo/chart"
)

// sampleDocument is a document with every kind of block: the red header, headings of the
// four levels, paragraphs, a table of 60 rows with a two-row header (merged cells across
// and down) that runs over pages, a chart of each type (one with its table), a page break,
// attachments, the signature, the date and the 版记. It fills more than three pages.
func sampleDocument() Document {
	d := Document{
		Mark:      "征求意见稿",
		Issuer:    "门头沟区支援合作工作领导小组办公室",
		Number:    "门支合办〔2021〕12号",
		Title:     "门头沟区2021年上半年支援合作工作总结",
		Recipient: "区支援合作工作领导小组",
		Attachments: []string{
			"2021年门头沟区东西部协作项目计划表",
			"2021年门头沟区支援合作考核自评表",
		},
		Signature: "门头沟区支援合作工作领导小组办公室",
		Date:      "二〇二一年七月十五日", // written 2021年7月15日
		Footer:    "抄送：市支援合作办，区委办公室，区政府办公室。",
	}
	para := "今年以来，我区认真贯彻落实党中央、国务院关于东西部协作和对口支援工作的决策部署，按照市委、市政府工作要求，聚焦巩固拓展脱贫攻坚成果同乡村振兴有效衔接，扎实推进产业合作、劳务协作、消费帮扶和人才交流等各项工作，取得了阶段性成效。"
	add := func(b ...Block) { d.Blocks = append(d.Blocks, b...) }
	add(Block{Kind: Paragraph, Text: para})
	add(Block{Kind: Heading1, Text: "主要工作进展"})
	add(Block{Kind: Heading2, Text: "加强组织领导"})
	add(Block{Kind: Paragraph, Text: para + "\n" + "区委、区政府主要领导带队赴内蒙古武川县、科右前旗调研对接，召开联席会议2次，签订协议3份。"})
	add(Block{Kind: Heading3, Text: "召开领导小组会议"})
	add(Block{Kind: Paragraph, Text: para})
	add(Block{Kind: Heading4, Text: "研究部署年度任务"})
	add(Block{Kind: Paragraph, Text: para})
	add(Block{Kind: Heading2, Text: "推进项目建设"})
	rows := [][]string{}
	regions := []string{"内蒙古武川县", "内蒙古科右前旗", "湖北省巴东县", "河北省张家口市"}
	total := map[int]bool{}
	for i := 0; i < 60; i++ {
		if i%15 == 14 {
			rows = append(rows, []string{regions[i/15] + "小计", "", fmt.Sprintf("%d.00", 1000+i*10), fmt.Sprintf("%d.00", 500+i*5), fmt.Sprint(14), "已开工"})
			total[len(rows)-1] = true
			continue
		}
		rows = append(rows, []string{regions[i/15], fmt.Sprintf("项目%02d：肉牛养殖基地建设及配套设施改造", i+1), fmt.Sprintf("%d.50", 100+i), fmt.Sprintf("%d.25", 50+i), fmt.Sprint(i%7 + 1), "已开工\n（6月）"})
	}
	add(Block{Kind: TableBlock, Table: &Table{
		Caption: "2021年各协作地区项目资金情况（单位：万元）",
		Header: [][]string{
			{"协作地区", "项目名称", "资金", "资金", "受益村（个）", "进度"},
			{"协作地区", "项目名称", "总投资", "区级资金", "受益村（个）", "进度"},
		},
		Rows:    rows,
		Widths:  []float64{2.4, 4.6, 1.9, 1.9, 1.4, 1.6},
		Numeric: []bool{false, false, true, true, true, false},
		Total:   total,
		Notes:   "注：资金单位为万元；受益村为去重后的村数。",
	}})
	add(Block{Kind: Heading2, Text: "资金拨付情况"})
	add(Block{Kind: Paragraph, Text: para})
	add(Block{Kind: ChartBlock, Bars: &chart.Bars{Title: "各协作地区区级资金（万元）", Unit: "万元", Categories: regions,
		Series: []chart.Series{{Name: "计划", Values: []chart.Value{chart.Of(1200), chart.Of(800), chart.Of(600), chart.Of(300)}},
			{Name: "已拨付", Values: []chart.Value{chart.Of(900), chart.Of(500), {}, chart.Of(300)}}}}, WithTable: true})
	add(Block{Kind: ChartBlock, Line: &chart.Line{Title: "各月累计拨付资金（万元）", Unit: "万元", Points: []string{"1月", "2月", "3月", "4月", "5月", "6月"},
		Series: []chart.Series{{Name: "累计拨付", Values: []chart.Value{chart.Of(100), chart.Of(300), chart.Of(700), chart.Of(900), chart.Of(1500), chart.Of(1700)}}}}})
	add(Block{Kind: ChartBlock, Donut: &chart.Donut{Title: "项目按类别（个）", Unit: "个", Center: "46个", Parts: []chart.Part{
		{Name: "产业合作", Value: chart.Of(20)}, {Name: "劳务协作", Value: chart.Of(10)}, {Name: "消费帮扶", Value: chart.Of(16)}}}})
	add(Block{Kind: PageBreak})
	add(Block{Kind: Heading1, Text: "存在的问题"})
	add(Block{Kind: Paragraph, Text: para})
	add(Block{Kind: Heading1, Text: "下半年工作安排"})
	add(Block{Kind: Heading2, Text: "确保项目全部开工"})
	add(Block{Kind: Paragraph, Text: para})
	add(Block{Kind: Heading2, Text: "做好考核准备", Number: "（甲）"})
	add(Block{Kind: Paragraph, Text: para})
	return d
}

// hostileDocument holds what a careless caller might pass: XML metacharacters, control
// characters, invalid UTF-8, a 10,000-character paragraph and empty tables.
func hostileDocument() Document {
	bad := "<w:p>&amp;\"'</w:t>]]><!-- \x00\x01\x07\x1b\x7f\uFFFE \xff\xfe 结束"
	long := strings.Repeat("长段落文字，", 10000/6+1)
	return Document{
		Issuer: bad, Number: bad, Title: bad + "\n第二行", Recipient: bad, Mark: bad,
		Blocks: []Block{
			{Kind: Paragraph, Text: bad},
			{Kind: Heading1, Text: bad},
			{Kind: Paragraph, Text: long},
			{Kind: TableBlock, Table: &Table{}},
			{Kind: TableBlock, Table: &Table{Caption: bad, Header: [][]string{{bad, bad}}, Rows: [][]string{{bad}, {long, "1"}, {}}, Numeric: []bool{true}, Total: map[int]bool{5: true}}},
			{Kind: TableBlock},
			{Kind: ChartBlock},
			{Kind: Heading4, Text: "", Number: bad},
			{Kind: BlockKind(99), Text: bad},
			{Kind: ChartBlock, Bars: &chart.Bars{Title: bad, Categories: []string{bad}, Series: []chart.Series{{Name: bad, Values: []chart.Value{chart.Of(1)}}}}},
			{Kind: ChartBlock, Bars: manyBars(400)},
		},
		Attachments: []string{bad, ""}, Signature: bad, Date: bad, Footer: bad,
	}
}

// tool finds a program the tests need: missing, the test is skipped, unless CI is set.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (CI needs it): %v", name, err)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// run runs a program with a timeout, failing the test on error.
func runTool(t *testing.T, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool(t, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Fatalf("%s timed out after %v", name, timeout)
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// sofficePDF converts the .docx at path to PDF with LibreOffice (its own profile, a
// timeout) and returns the PDF's path.
func sofficePDF(t *testing.T, path string) string {
	t.Helper()
	dir := filepath.Dir(path)
	profile := t.TempDir()
	runTool(t, 3*time.Minute, "soffice", "-env:UserInstallation=file://"+profile, "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, path)
	out := strings.TrimSuffix(path, filepath.Ext(path)) + ".pdf"
	if _, err := os.Stat(out); err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	return out
}

// squash removes the spaces pdftotext puts between characters and lines.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\u3000' || r == '\f' {
			return -1
		}
		return r
	}, s)
}

// manyBars is a horizontal bar chart of n categories: an image far taller than a page.
func manyBars(n int) *chart.Bars {
	b := &chart.Bars{Title: "很多项目", Horizontal: true, Series: []chart.Series{{Name: "资金"}}}
	for i := range n {
		b.Categories = append(b.Categories, fmt.Sprintf("项目%d", i+1))
		b.Series[0].Values = append(b.Series[0].Values, chart.Of(float64(i)))
	}
	return b
}
