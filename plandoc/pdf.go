package plandoc

import (
	"context"

	"xiezuo"
)

// readPDF reads a PDF with a text layer into lines for the text reader: prose joined back
// into paragraphs, tables rebuilt into rows of cells from the positions of the text, page
// headers, footers and numbers dropped, each line with its page. Owned by the PDF reader
// (issue 11, part 2).
func readPDF(ctx context.Context, data []byte, b *budget) ([]srcLine, error) {
	return nil, xiezuo.Errorf(xiezuo.EINVALID, "暂不能读取 PDF 文件")
}
