package plandoc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"xiezuo"
)

// The bounds of reading a PDF, beside those of limits.go (MaxLines, MaxRows…) that the
// rebuilt lines and rows pass through like any other document's.
const (
	// MaxPDFPages is the most pages a PDF plan may have.
	MaxPDFPages = 2_000
	// MaxPDFWords is the most positioned words a PDF may hold, all pages together.
	MaxPDFWords = 1_000_000
	// maxPDFText is the most bytes of pdftotext's output read.
	maxPDFText = 96 << 20
	// minPDFCharsPerPage is the fewest characters a page of a PDF with a text layer has on
	// average: a page of a plan has hundreds.
	minPDFCharsPerPage = 20
	// pdfTimeout is how long pdftotext may run.
	pdfTimeout = 30 * time.Second
)

// pdfWord is a word as pdftotext places it on its page, in points from the top left corner.
type pdfWord struct {
	x0, y0, x1, y1 float64
	text           string
}

// pdfPage is one page of positioned words.
type pdfPage struct {
	width, height float64
	words         []pdfWord
}

// readPDF reads a PDF with a text layer into lines for the text reader: prose joined back
// into paragraphs, tables rebuilt into rows of cells from the positions of the text, page
// headers, footers and numbers dropped, each line with its page. pdftotext (poppler-utils)
// gives the words and their boxes; the layout is rebuilt here (pdf_layout.go).
func readPDF(ctx context.Context, data []byte, b *budget) ([]srcLine, error) {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "文件不是 PDF（开头没有 %%PDF 标记），可能已损坏或改了扩展名")
	}
	pages, err := pdfWords(ctx, data)
	if err != nil {
		return nil, err
	}
	n, chars := 0, 0
	for _, p := range pages {
		n += len(p.words)
		for _, w := range p.words {
			chars += utf8.RuneCountInString(w.text)
		}
	}
	if n == 0 {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "这是扫描件（图片）PDF，没有文字层，无法读取；请上传 Word 原件或带文字的 PDF")
	}
	// A scanner's stamp (“Scanned by …”) on pictures of pages is no text layer either.
	if len(pages) >= 2 && chars < minPDFCharsPerPage*len(pages) {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "这个 PDF 平均每页不到 %d 个字，可能是扫描件（图片）PDF，无法读取；请上传 Word 原件或带文字的 PDF", minPDFCharsPerPage)
	}
	return layoutPDF(pages, b)
}

// pdftotextPath is the pdftotext program: XIEZUO_PDFTOTEXT, or pdftotext found in PATH.
func pdftotextPath() (string, error) {
	if p := os.Getenv("XIEZUO_PDFTOTEXT"); p != "" {
		return p, nil
	}
	p, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", xiezuo.Errorf(xiezuo.EINVALID, "服务器没有安装 PDF 读取程序 pdftotext（poppler-utils），暂不能读取 PDF；请上传 Word 原件，或请管理员安装 poppler-utils")
	}
	return p, nil
}

// pdfWords runs pdftotext -bbox over the PDF, written to a temporary file removed afterwards,
// and reads its words, within pdfTimeout and maxPDFText bytes of output.
func pdfWords(ctx context.Context, data []byte) ([]pdfPage, error) {
	prog, err := pdftotextPath()
	if err != nil {
		return nil, err
	}
	dir, err := tempDir()
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "plan.pdf")
	if err := os.WriteFile(src, data, 0o600); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	// One page more than the bound is read, to know that the bound was passed.
	cmd := exec.CommandContext(ctx, prog, "-bbox", "-enc", "UTF-8", "-l", strconv.Itoa(MaxPDFPages+1), src, "-")
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 64 << 10}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "服务器没有安装 PDF 读取程序 pdftotext（poppler-utils），暂不能读取 PDF；请上传 Word 原件，或请管理员安装 poppler-utils")
		}
		return nil, fmt.Errorf("pdf: start pdftotext: %w", err)
	}
	lr := &io.LimitedReader{R: out, N: maxPDFText + 1}
	pages, perr := parseBBox(lr)
	if lr.N <= 0 {
		cancel()
		_ = cmd.Wait()
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "PDF 的文字超过 %d MB，超过上限，请拆分后再上传", maxPDFText>>20)
	}
	if perr != nil {
		cancel()
		_, _ = io.Copy(io.Discard, out)
		_ = cmd.Wait()
		return nil, perr
	}
	_, _ = io.Copy(io.Discard, out)
	werr := cmd.Wait()
	if err := parent.Err(); err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, xiezuo.Errorf(xiezuo.EINVALID, "读取 PDF 超过 %d 秒仍未完成，文件可能过大或已损坏，请拆分后再上传", int(pdfTimeout/time.Second))
	}
	if werr != nil {
		return nil, pdftotextError(werr, stderr.String())
	}
	return pages, nil
}

// pdftotextError says in words a clerk understands why pdftotext could not read a PDF.
func pdftotextError(err error, stderr string) error {
	code := -1
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	low := strings.ToLower(stderr)
	switch {
	case strings.Contains(low, "password") || strings.Contains(low, "encrypt"):
		return xiezuo.Errorf(xiezuo.EINVALID, "PDF 设置了打开密码（已加密），无法读取；请上传未加密的 PDF 或 Word 原件")
	case code == 3 || strings.Contains(low, "copying of text"):
		return xiezuo.Errorf(xiezuo.EINVALID, "PDF 设置了禁止复制文字的权限，无法读取；请上传未加限制的 PDF 或 Word 原件")
	default:
		return xiezuo.Errorf(xiezuo.EINVALID, "PDF 文件已损坏或不完整，无法读取；请重新导出 PDF 或上传 Word 原件")
	}
}

// limitedBuffer keeps the first max bytes written to it and drops the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// parseBBox reads the XHTML pdftotext -bbox writes, one element a line:
//
//	<page width="595.3" height="841.9">
//	<word xMin="56.8" yMin="58.6" xMax="182.8" yMax="82.0">关于转发《2021</word>
//
// A hand-written scanner: encoding/xml took 7.5 s over a million words, this takes a tenth.
func parseBBox(r io.Reader) ([]pdfPage, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var pages []pdfPage
	words := 0
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		switch {
		case bytes.HasPrefix(line, []byte("<word ")):
			if len(pages) == 0 {
				continue
			}
			open := bytes.IndexByte(line, '>')
			end := bytes.LastIndex(line, []byte("</word>"))
			if open < 0 || end < open {
				continue
			}
			words++
			if words > MaxPDFWords {
				return nil, xiezuo.Errorf(xiezuo.EINVALID, "PDF 的文字超过 %d 个词，超过上限，请拆分后再上传", MaxPDFWords)
			}
			tag := line[:open]
			text := line[open+1 : end]
			if len(text) > MaxCellChars*4 {
				text = text[:MaxCellChars*4]
			}
			p := &pages[len(pages)-1]
			p.words = append(p.words, pdfWord{
				x0: attrFloat(tag, "xMin"), y0: attrFloat(tag, "yMin"),
				x1: attrFloat(tag, "xMax"), y1: attrFloat(tag, "yMax"),
				text: html.UnescapeString(string(text)),
			})
		case bytes.HasPrefix(line, []byte("<page ")):
			if len(pages) >= MaxPDFPages {
				return nil, xiezuo.Errorf(xiezuo.EINVALID, "PDF 超过 %d 页，超过上限，请拆分后再上传", MaxPDFPages)
			}
			pages = append(pages, pdfPage{width: attrFloat(line, "width"), height: attrFloat(line, "height")})
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, xiezuo.Errorf(xiezuo.EINVALID, "PDF 文件已损坏或不完整，无法读取；请重新导出 PDF 或上传 Word 原件")
		}
		return nil, fmt.Errorf("pdf: read pdftotext output: %w", err)
	}
	return pages, nil
}

// attrFloat reads the number of the attribute name="…" of a tag, 0 when it has none.
func attrFloat(tag []byte, name string) float64 {
	key := []byte(" " + name + `="`)
	i := bytes.Index(tag, key)
	if i < 0 {
		return 0
	}
	rest := tag[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return 0
	}
	f, err := strconv.ParseFloat(string(rest[:j]), 64)
	if err != nil {
		return 0
	}
	return f
}
