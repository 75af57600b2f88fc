package plandoc

import (
	"context"

	"xiezuo"
)

// convertToDOCX converts an older Word (.doc) or WPS (.wps) document to .docx with LibreOffice
// when it is installed, in a temporary folder removed afterwards. Owned by the docx reader
// (issue 11, part 2).
func convertToDOCX(ctx context.Context, name string, data []byte) ([]byte, error) {
	return nil, xiezuo.Errorf(xiezuo.EINVALID, "暂不能读取 .doc/.wps 文档")
}
