package plandoc

import "xiezuo"

// readDOCX reads a Word document (.docx) into lines for the text reader: one srcLine per
// paragraph (its automatic numbering written before its text, as the clerk sees it) and one
// per table row (cells split, merged cells filled as htmlRows fills them), each with where it
// is as the clerk sees it. Owned by the docx reader (issue 11, part 1).
func readDOCX(data []byte, b *budget) ([]srcLine, error) {
	return nil, xiezuo.Errorf(xiezuo.EINVALID, "暂不能读取 Word 文档")
}
