package plandoc

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
	"xiezuo/gen/hostile"
)

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// docxOf writes a Word document whose body is body, with the other parts given.
func docxOf(t testing.TB, body string, parts map[string]string) []byte {
	t.Helper()
	all := map[string]string{"word/document.xml": hostile.DocxHead + body + hostile.DocxTail}
	for k, v := range parts {
		all[k] = v
	}
	data, err := hostile.DocxWith(all, nil)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// docxLines reads a Word document into its lines written as "line: text" (cells joined by " | ",
// where and page after a #).
func docxLines(t *testing.T, data []byte) []string {
	t.Helper()
	lines, err := readDOCX(data, &budget{ctx: context.Background()})
	if err != nil {
		t.Fatalf("readDOCX: %v", err)
	}
	var out []string
	for _, l := range lines {
		s := l.text
		if l.cells != nil {
			s = strings.Join(l.cells, " | ")
		}
		out = append(out, fmt.Sprintf("%d: %s", l.line, s))
	}
	return out
}

func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func styled(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func numbered(numID string, ilvl int, text string) string {
	return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%s"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, text)
}

func cell(props, text string) string {
	return `<w:tc><w:tcPr>` + props + `</w:tcPr>` + para(text) + `</w:tc>`
}

func TestDOCXTrackedChangesAndFields(t *testing.T) {
	body := `<w:p><w:r><w:t>甲</w:t></w:r><w:ins w:id="1"><w:r><w:t>乙</w:t></w:r></w:ins>` +
		`<w:del w:id="2"><w:r><w:delText>丙</w:delText></w:r></w:del>` +
		`<w:moveFrom w:id="3"><w:r><w:t>丁</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t>戊</w:t></w:r></w:moveTo></w:p>` +
		// A complex field: its code dropped, its result kept; a simple field's result kept.
		`<w:p><w:r><w:t xml:space="preserve">第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>页</w:t></w:r></w:fldSimple></w:p>` +
		// Hyphens, symbols, full-width spaces, tabs.
		`<w:p><w:r><w:t>2018</w:t><w:noBreakHyphen/><w:t>2020年</w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:t>　全角空格</w:t></w:r></w:p>` +
		`<w:p><w:r><w:tab/><w:tab/><w:t>一、缩进的标题</w:t></w:r></w:p>` +
		`<w:p><w:r><w:tab/><w:t>就业帮扶</w:t><w:tab/><w:t>内容</w:t></w:r></w:p>` +
		// Numbering and text as they were before a tracked change are not read; nor is the
		// pronunciation over characters, nor hidden text.
		`<w:p><w:pPr><w:pPrChange w:id="5"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr></w:pPrChange></w:pPr>` +
		`<w:r><w:rPr><w:rPrChange w:id="6"><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t>改过格式</w:t></w:r>` +
		`<w:r><w:ruby><w:rt><w:r><w:t>mén</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>门</w:t></w:r></w:rubyBase></w:ruby></w:r>` +
		`<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的字</w:t><w:tab/></w:r><w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>头沟</w:t></w:r></w:p>` +
		// A table row deleted with changes tracked.
		`<w:tbl><w:tr><w:trPr><w:del w:id="7"/></w:trPr>` + cell("", "删去的行") + `</w:tr><w:tr>` + cell("", "留下的行") + `</w:tr></w:tbl>` +
		// A soft line break: two lines as the clerk sees them, one paragraph.
		`<w:p><w:r><w:t>1. 做好甲工作。</w:t><w:br/><w:t>责任单位：区财政局</w:t></w:r></w:p>`
	want := []string{
		"1: 甲乙戊",
		"2: 第3页",
		"3: 2018-2020年　全角空格",
		"4: 一、缩进的标题",
		"5: \t就业帮扶\t内容",
		"6: 改过格式门头沟",
		"7: 留下的行",
		"8: 1. 做好甲工作。",
		"8: 责任单位：区财政局",
	}
	if diff := cmp.Diff(want, docxLines(t, docxOf(t, body, map[string]string{"word/numbering.xml": numberingXML}))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// TestDOCXTextBox: a text box written twice (mc:Choice for Word 2010, mc:Fallback as VML) is
// read once, after the paragraph it is anchored in, at that paragraph's line.
func TestDOCXTextBox(t *testing.T) {
	box := func(text string) string {
		return `<w:txbxContent>` + para(text) + `</w:txbxContent>`
	}
	body := para("前") + `<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent>` +
		`<mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>` + box("框内文字") + `</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>` + box("框内文字") + `</v:textbox></v:shape></w:pict></mc:Fallback>` +
		`</mc:AlternateContent></w:r></w:p>` + para("后")
	want := []string{"1: 前", "2: 锚", "2: 框内文字", "3: 后"}
	if diff := cmp.Diff(want, docxLines(t, docxOf(t, body, nil))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	// Only a Fallback: it is read.
	body = `<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>` + box("备用") + `</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`
	if diff := cmp.Diff([]string{"1: 锚", "1: 备用"}, docxLines(t, docxOf(t, body, nil))); diff != "" {
		t.Errorf("fallback only (-want +got):\n%s", diff)
	}
}

const footnotes = `<w:footnotes ` + wNS + `>` +
	`<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` +
	`<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>` +
	`<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 1. 依据《某某办法》</w:t></w:r></w:p></w:footnote>` +
	`<w:footnote w:id="2"><w:p><w:r><w:t>含下属单位。</w:t></w:r></w:p></w:footnote>` +
	`</w:footnotes>`

// TestDOCXFootnotes: a footnote's text follows its paragraph as a line of prose ending with a
// full stop, so it is never a work point, a heading or a list of units; in a table it follows
// the row.
func TestDOCXFootnotes(t *testing.T) {
	ref := func(id string) string { return `<w:r><w:footnoteReference w:id="` + id + `"/></w:r>` }
	body := `<w:p><w:r><w:t>1. 做好甲工作。</w:t></w:r>` + ref("1") + `</w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>区财政局</w:t></w:r>` + ref("2") + `</w:p></w:tc><w:tc>` + para("30") + `</w:tc></w:tr></w:tbl>`
	want := []string{"1: 1. 做好甲工作。", "1: 脚注1：1. 依据《某某办法》。", "2: 区财政局 | 30", "2: 脚注2：含下属单位。"}
	if diff := cmp.Diff(want, docxLines(t, docxOf(t, body, map[string]string{"word/footnotes.xml": footnotes}))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// TestDOCXTableMerges: cells merged across (gridSpan) are followed by empty cells, a cell merged
// down (vMerge continue) is empty, gridBefore leaves empty cells in front, a nested table is
// flattened into its cell, and the lines of a cell are joined as a clerk reads them.
func TestDOCXTableMerges(t *testing.T) {
	tr := func(cells ...string) string { return `<w:tr>` + strings.Join(cells, "") + `</w:tr>` }
	multi := func(parts ...string) string {
		s := `<w:tc>`
		for _, p := range parts {
			s += para(p)
		}
		return s + `</w:tc>`
	}
	body := `<w:tbl><w:tblPr><w:tblW w:w="0"/></w:tblPr><w:tblGrid><w:gridCol/></w:tblGrid>` +
		tr(cell("", "工作事项"), cell("", "任务类别"), cell("", "责任部门")) +
		tr(cell(`<w:vMerge w:val="restart"/>`, "组织领导"), cell("", "研究部署"), multi("区委办公室", "区政府办公室")) +
		tr(cell(`<w:vMerge/>`, "组织领导"), cell("", "调研对接"), `<w:tc><w:p><w:r><w:t>武川县乡村振兴加工</w:t><w:br/><w:t>车间援建项目</w:t></w:r></w:p></w:tc>`) +
		tr(cell(`<w:gridSpan w:val="2"/>`, "合计（2个）"), multi("1. 甲。", "2. 乙。")) +
		`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>` + cell("", "乙") + `<w:tc><w:tbl>` + tr(cell("", "内"), cell("", "表")) + tr(cell("", "第二行"), cell("", "")) + `</w:tbl>` + para("") + `</w:tc></w:tr>` +
		`</w:tbl>`
	want := []string{
		"1: 工作事项 | 任务类别 | 责任部门",
		"2: 组织领导 | 研究部署 | 区委办公室、区政府办公室",
		"3:  | 调研对接 | 武川县乡村振兴加工车间援建项目",
		"4: 合计（2个） |  | 1. 甲。 2. 乙。",
		"5:  | 乙 | 内 表 第二行",
	}
	if diff := cmp.Diff(want, docxLines(t, docxOf(t, body, nil))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

const numberingXML = `<w:numbering ` + wNS + `>` +
	`<w:abstractNum w:abstractNumId="10">` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>` +
	`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>` +
	`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>` +
	`<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3.%4"/><w:lvlRestart w:val="0"/></w:lvl>` +
	`</w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="30"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl></w:abstractNum>` +
	`<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>` +
	`<w:num w:numId="3"><w:abstractNumId w:val="20"/></w:num>` +
	`<w:num w:numId="4"><w:abstractNumId w:val="20"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>` +
	`<w:num w:numId="5"><w:abstractNumId w:val="20"/></w:num>` +
	`<w:num w:numId="6"><w:abstractNumId w:val="20"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1）"/></w:lvl></w:lvlOverride></w:num>` +
	`<w:num w:numId="7"><w:abstractNumId w:val="30"/></w:num>` +
	`</w:numbering>`

const stylesXML = `<w:styles ` + wNS + `>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题 2"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="我的标题"/><w:basedOn w:val="a5"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Outline3"><w:name w:val="大纲"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="正文"/><w:basedOn w:val="Outline3"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>` +
	`</w:styles>`

// TestDOCXNumbering: what Word numbering shows is written before the text: Chinese counting,
// levels restarting after a higher one (unless lvlRestart says never), lists of one abstract
// list continuing each other, startOverride restarting, a level redefined by lvlOverride,
// bullets left out, numbering from a heading style.
func TestDOCXNumbering(t *testing.T) {
	body := numbered("1", 0, "甲") + numbered("1", 1, "乙") + numbered("1", 1, "丙") + numbered("1", 2, "丁") + numbered("1", 3, "丁一") +
		numbered("1", 0, "戊") + numbered("1", 1, "己") + numbered("1", 2, "庚") + numbered("1", 3, "庚一") +
		numbered("3", 0, "a") + numbered("3", 0, "b") + numbered("4", 0, "c") + numbered("4", 0, "d") + numbered("5", 0, "e") +
		numbered("6", 0, "f") + numbered("7", 0, "圆点") + numbered("0", 0, "无编号") + numbered("99", 0, "未知列表") +
		styled("Heading1", "总体要求") +
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr><w:r><w:t>样式的列表，段落的级别</w:t></w:r></w:p>`
	want := []string{
		"1: 一、甲", "2: （一）乙", "3: （二）丙", "4: 1. 丁", "5: 1.1 丁一",
		"6: 二、戊", "7: （一）己", "8: 1. 庚", "9: 1.2 庚一",
		"10: 1. a", "11: 2. b", "12: 1. c", "13: 2. d", "14: 3. e",
		"15: 甲） f", "16: 圆点", "17: 无编号", "18: 未知列表",
		"19: # 三、总体要求", "20: # （一）样式的列表，段落的级别",
	}
	got := docxLines(t, docxOf(t, body, map[string]string{"word/numbering.xml": numberingXML, "word/styles.xml": stylesXML}))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

// TestDOCXHeadingStyles: a heading by its style's outline level or name (heading N, 标题 N),
// followed through basedOn, is written as a Markdown heading; outline level 9 is body text.
func TestDOCXHeadingStyles(t *testing.T) {
	body := styled("MyHeading", "附件2") + styled("Outline3", "三级") + styled("Body", "正文段落") + styled("Missing", "无此样式") +
		`<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>段落大纲级别</w:t></w:r></w:p>`
	want := []string{"1: ## 附件2", "2: ### 三级", "3: 正文段落", "4: 无此样式", "5: ## 段落大纲级别"}
	if diff := cmp.Diff(want, docxLines(t, docxOf(t, body, map[string]string{"word/styles.xml": stylesXML}))); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		n    int
		f    string
		want string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCountingThousand", "二十"}, {21, "chineseCountingThousand", "二十一"},
		{100, "chineseCountingThousand", "一百"}, {101, "chineseCountingThousand", "一百零一"},
		{110, "chineseCountingThousand", "一百一十"}, {1001, "chineseCountingThousand", "一千零一"},
		{3, "japaneseCounting", "三"}, {3, "ideographTraditional", "丙"}, {11, "ideographTraditional", "11"},
		{12, "ideographDigital", "一二"}, {3, "chineseLegalSimplified", "叁"},
		{1, "decimal", "1"}, {27, "upperLetter", "AA"}, {2, "lowerLetter", "b"},
		{4, "lowerRoman", "iv"}, {1999, "upperRoman", "MCMXCIX"}, {3, "decimalEnclosedCircle", "③"},
		{3, "decimalZero", "03"}, {12, "decimalFullWidth", "１２"}, {2, "decimalEnclosedParen", "⑵"},
		{5, "somethingNew", "5"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.n, tt.f); got != tt.want {
			t.Errorf("formatNumber(%d, %q) = %q, want %q", tt.n, tt.f, got, tt.want)
		}
	}
}

// TestDOCXWhereAndPages: every line says where the clerk finds it, and the page once the
// document states its page breaks; a line is the ordinal of its body block, empty paragraphs
// counted.
func TestDOCXWhereAndPages(t *testing.T) {
	row := func(a, b string) string { return `<w:tr>` + cell("", a) + cell("", b) + `</w:tr>` }
	body := para("各成员单位：") + para("") + para("2021年测试区支援合作工作要点") + para("开头") +
		para("一、总体要求") + para("1. 甲。") + para("责任单位：区财政局") +
		`<w:tbl>` + row("序号", "名称") + row("1", "甲") + `</w:tbl>` +
		`<w:p><w:r><w:br w:type="page"/><w:t>附件2</w:t></w:r></w:p>` + para("任务清单") +
		`<w:tbl>` + row("工作事项", "任务内容") + row("组织领导", "乙") + `</w:tbl>` +
		`<w:p><w:r><w:lastRenderedPageBreak/><w:t>附件 三：项目</w:t></w:r></w:p>` +
		`<w:tbl>` + row("序号", "项目名称") + `</w:tbl>` + `<w:tbl>` + row("序号", "项目名称") + `</w:tbl>` +
		`<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr><w:r><w:t>节末</w:t></w:r></w:p>` + para("新节")
	lines, err := readDOCX(docxOf(t, body, nil), &budget{ctx: context.Background()})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		got = append(got, fmt.Sprintf("%d %s p%d", l.line, l.where, l.page))
	}
	want := []string{
		"1 通知第1段 p1", "2  p1", "3 正文标题 p1", "4 正文开头第1段 p1",
		"5 正文“一、总体要求”标题 p1", "6 正文“一、总体要求”第1段 p1", "7 正文“一、总体要求”第2段 p1",
		"8 第1个表格第1行 p1", "9 第1个表格第2行 p1",
		"10 附件2标题 p1", "11 附件2第1段 p2", "12 附件2 表格第1行 p2", "13 附件2 表格第2行 p2",
		"14 附件3标题 p2", "15 附件3 表格第1行 p3", "16 附件3 第2个表格第1行 p3",
		"17 附件3第1段 p3", "18 附件3第2段 p4",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("where (-want +got):\n%s", diff)
	}
	// Without a page break stated, no page.
	lines, _ = readDOCX(docxOf(t, para("甲")+para("乙"), nil), &budget{ctx: context.Background()})
	for _, l := range lines {
		if l.page != 0 {
			t.Errorf("line %d: page %d, want 0 in a document stating no page break", l.line, l.page)
		}
	}
}

// TestDOCXPlan: a small plan in Word with its numbering automatic, a heading by style, a
// footnote and a text box reads as its text would: the footnote is no work point.
func TestDOCXPlan(t *testing.T) {
	body := styled("a5", "2021年测试区支援合作工作要点") +
		styled("Heading1", "总体要求") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>做好甲工作。</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>` +
		para("责任单位：区财政局、区商务局") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>做好乙工作。（区财政局）</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>` +
		styled("Heading1", "加强宣传")
	data := docxOf(t, body, map[string]string{"word/numbering.xml": numberingXML, "word/styles.xml": stylesXML, "word/footnotes.xml": footnotes})
	res, err := Parse("plan.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	p := res.Plan
	if p.Year != 2021 || p.District != "测试区" {
		t.Errorf("year, district = %d, %q, want 2021, 测试区", p.Year, p.District)
	}
	if len(p.Sections) != 2 || p.Sections[0].Title != "总体要求" || p.Sections[1].Title != "加强宣传" {
		t.Errorf("sections = %+v, want 总体要求 and 加强宣传", p.Sections)
	}
	if len(p.Points) != 2 {
		t.Fatalf("%d work points, want 2: %+v", len(p.Points), p.Points)
	}
	if p.Points[0].Number != 1 || p.Points[0].Title != "做好甲工作" || len(p.Points[0].Units) != 2 {
		t.Errorf("point 1 = %+v", p.Points[0])
	}
	// Its footnote goes before the bracket of units ending it.
	if p.Points[1].Number != 2 || len(p.Points[1].Units) != 1 || p.Points[1].Units[0].Unit != "区财政局" || p.Points[1].Text != "做好乙工作。脚注2：含下属单位。" {
		t.Errorf("point 2 = %+v", p.Points[1])
	}
	if len(res.Warnings) > 0 || len(res.Errors) != 0 {
		t.Errorf("errors %v, warnings %v, want none", res.Errors, res.Warnings)
	}
}

// TestDOCXSniffing: a Word document under another name is read as Word; a workbook named .docx
// is refused saying what it is; a damaged .docx says so.
func TestDOCXSniffing(t *testing.T) {
	data := docxOf(t, para("2021年测试区支援合作工作要点")+para("一、总体要求")+para("1. 甲。（区财政局）"), nil)
	for _, name := range []string{"plan.bin", "plan", "plan.doc", "plan.wps", "plan.DOCX", "plan.xlsx"} {
		res, err := Parse(name, data)
		if err != nil || res.Plan.Source.Kind != KindDOCX || len(res.Plan.Points) != 1 {
			t.Errorf("Parse(%s) = %v, %v, want a Word plan of one point", name, res, err)
		}
	}
	wb, err := hostile.ManyRows(3)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("plan.docx", wb.Data)
	if msg := xiezuo.ErrorMessage(err); !strings.Contains(msg, "是 Excel 工作簿") || !strings.Contains(msg, ".xlsx") {
		t.Errorf("Parse(a workbook named plan.docx) = %v, want it to say it is a workbook", err)
	}
	for _, bad := range [][]byte{[]byte("not a zip"), data[:len(data)/2]} {
		_, err = Parse("plan.docx", bad)
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "Word 文档") {
			t.Errorf("Parse(damaged plan.docx) = %v, want a refusal about the Word document", err)
		}
	}
	// A zip with no body.
	noBody, _ := hostile.DocxWith(map[string]string{"word/styles.xml": stylesXML}, nil)
	if _, err = Parse("plan.docx", noBody); !strings.Contains(xiezuo.ErrorMessage(err), "没有正文") {
		t.Errorf("Parse(a .docx without body) = %v", err)
	}
}

// TestDOCXDamagedXML: broken XML and a control character are refused with a message.
func TestDOCXDamagedXML(t *testing.T) {
	for body, want := range map[string]string{
		`<w:p><w:r><w:t>甲</w:r></w:p>`:           "不是有效的 XML",
		`<w:p><w:r><w:t>甲&#1;</w:t></w:r></w:p>`: "XML",
		`<w:p><w:r><w:t>甲</w:t></w:r>`:           "文件已损坏",
	} {
		_, err := Parse("plan.docx", docxOf(t, body, nil))
		if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), want) {
			t.Errorf("Parse(%s) = %v, want a refusal saying %q", body, err, want)
		}
	}
}

// The hostile Word documents: each refused within bounded time and memory, saying why.

func TestDOCXZipBomb(t *testing.T) {
	d, err := hostile.DocxBomb(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "正文解压后有", "超过 64 MB")
}

func TestDOCXBillionLaughs(t *testing.T) {
	d, err := hostile.DocxLaughs()
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "DOCTYPE")
	// In a part beside the body as well.
	data, _ := hostile.DocxWith(map[string]string{
		"word/document.xml": hostile.DocxHead + para("甲") + hostile.DocxTail,
		"word/styles.xml":   `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><w:styles ` + wNS + `/>`,
	}, nil)
	refused(t, hostile.Doc{Name: "styles.docx", Data: data}, 16, "DOCTYPE")
}

func TestDOCXDeepNesting(t *testing.T) {
	d, err := hostile.DocxNesting(10_000)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 16, "嵌套超过 200 层")
	// Within the bound, read.
	d, _ = hostile.DocxNesting(150)
	if res, err := Parse(d.Name, d.Data); err != nil {
		t.Errorf("Parse(150 levels) = %v, want it read", err)
	} else if len(res.Errors) == 0 {
		t.Errorf("Parse(150 levels): no error, want at least 找不到计划年份")
	}
}

func TestDOCXMillionParagraphs(t *testing.T) {
	d, err := hostile.DocxParagraphs(3_000_000)
	if err != nil {
		t.Fatal(err)
	}
	refused(t, d, 150, "第200001行", "超过 200000 段")
}

// TestDOCXHugeParagraph: a paragraph past MaxLineChars is refused while it is read.
func TestDOCXHugeParagraph(t *testing.T) {
	data := docxOf(t, para(strings.Repeat("支援合作", 30_000)), nil)
	refused(t, hostile.Doc{Name: "long.docx", Data: data}, 64, "超过 20000 个字符")
}

// TestDOCXCancel: a read stops when its context is done.
func TestDOCXCancel(t *testing.T) {
	d, err := hostile.DocxParagraphs(100_000)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ParseContext(ctx, d.Name, d.Data); err != context.Canceled {
		t.Errorf("ParseContext(cancelled) = %v, want context.Canceled", err)
	}
}

// TestDOCXFootnoteAmplified: a long footnote referred to from every paragraph is refused once
// what it writes passes the bound, without writing it all.
func TestDOCXFootnoteAmplified(t *testing.T) {
	note := `<w:footnotes ` + wNS + `><w:footnote w:id="1"><w:p><w:r><w:t>` + strings.Repeat("注", 20_000) + `</w:t></w:r></w:p></w:footnote></w:footnotes>`
	body := strings.Repeat(`<w:p><w:r><w:t>甲</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`, 2_000)
	data := docxOf(t, body, map[string]string{"word/footnotes.xml": note})
	refused(t, hostile.Doc{Name: "notes.docx", Data: data}, 400, "连同每处引用的脚注", "超过 64 MB")
}

// TestDOCXWideMerges: cells merged across hundreds of columns, row after row, are refused at the
// bound of cells before they are all written out.
func TestDOCXWideMerges(t *testing.T) {
	row := `<w:tr>` + strings.Repeat(`<w:tc><w:tcPr><w:gridSpan w:val="499"/></w:tcPr><w:p/></w:tc>`, 1) + `</w:tr>`
	data := docxOf(t, `<w:tbl>`+strings.Repeat(row, 2_000)+`</w:tbl>`, nil)
	refused(t, hostile.Doc{Name: "wide.docx", Data: data}, 200, "单元格总数超过 400000 个")
}
