package gongwen

// Stand-ins for the writer being written in parallel (issue 11): the drafts' code links to
// these names; this file is deleted at the merge, when the real writer lands.

import (
	"errors"
	"io"
)

// errNoWriter is what the stand-ins answer until the writer lands.
var errNoWriter = errors.New("gongwen: Word/PDF writer not merged yet")

// WriteDOCX writes d as a .docx (stand-in).
func WriteDOCX(w io.Writer, d Document) error { return errNoWriter }

// Font is a TrueType font for the PDF (stand-in).
type Font struct {
	Name string
	TTF  []byte
}

// FindFont finds a CJK TrueType font on the system (stand-in).
func FindFont() (Font, error) { return Font{}, errNoWriter }

// WritePDF writes d as a PDF in font f (stand-in).
func WritePDF(w io.Writer, d Document, f Font) error { return errNoWriter }
