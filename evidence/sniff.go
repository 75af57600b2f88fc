// Package evidence keeps the files units send with their reports (photos, PDF, Word, Excel):
// it tells a file's type by its content, reads a photo's capture time, and stores each file
// once on disk under its SHA-256. The database keeps only the hash and what is shown about the
// file; the bytes are never changed (they are evidence).
package evidence

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
)

// Kind is a type of file the office accepts as evidence.
type Kind struct {
	MIME  string // the media type served with the file
	Label string // the type in words, shown beside the file
	Ext   string // the extension a file of this type is named with
}

// The kinds of evidence accepted: photos, PDF, Word and Excel.
var (
	JPEG = Kind{"image/jpeg", "JPEG 图片", ".jpg"}
	PNG  = Kind{"image/png", "PNG 图片", ".png"}
	HEIC = Kind{"image/heic", "HEIC 图片", ".heic"}
	PDF  = Kind{"application/pdf", "PDF 文件", ".pdf"}
	DOCX = Kind{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档", ".docx"}
	DOC  = Kind{"application/msword", "Word 文档（97-2003）", ".doc"}
	XLSX = Kind{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格", ".xlsx"}
	XLS  = Kind{"application/vnd.ms-excel", "Excel 表格（97-2003）", ".xls"}
)

var kinds = []Kind{JPEG, PNG, HEIC, PDF, DOCX, DOC, XLSX, XLS}

// KindOf returns the kind of a stored media type; ok is false for one that is not accepted.
func KindOf(mime string) (k Kind, ok bool) {
	for _, k := range kinds {
		if k.MIME == mime {
			return k, true
		}
	}
	return Kind{}, false
}

// Image reports whether a browser can show the file as a picture: JPEG and PNG (HEIC is shown
// by few browsers, so it is offered as a download).
func (k Kind) Image() bool { return k == JPEG || k == PNG }

// Inline reports whether the file is served to be shown in the browser rather than saved: a
// picture or a PDF. Office documents are always downloaded.
func (k Kind) Inline() bool { return k.Image() || k == PDF }

// ErrNotEvidence is returned by Sniff for content that is none of the accepted kinds, whatever
// the file is named.
var ErrNotEvidence = errors.New("evidence: content is not a photo, PDF, Word or Excel file")

// Bounds of what Sniff reads of a container, whatever the file claims: a zip's central
// directory is walked entry by entry (never loaded whole), an OLE2 file's directory chain and
// FAT lookups are counted.
const (
	maxZipEntries = 100_000
	maxOLESectors = 100_000
)

// Sniff tells the kind of a file from its bytes, never from its name: the signature of a JPEG,
// PNG, HEIC or PDF; for a zip, the part that makes it a Word (word/document.xml) or Excel
// (xl/workbook.xml) document, read from the central directory only; for an OLE2 compound file
// (.doc, .xls), the WordDocument or Workbook stream named in its directory. Anything else is
// ErrNotEvidence: an executable renamed .jpg, a zip of other things, an installer package.
func Sniff(r io.ReaderAt, size int64) (Kind, error) {
	head := make([]byte, 512)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return Kind{}, err
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case isHEIC(head):
		return HEIC, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return sniffZip(r, size)
	case bytes.HasPrefix(head, oleMagic):
		return sniffOLE(r, size)
	}
	return Kind{}, ErrNotEvidence
}

// isHEIC reads the ISO base media file's first box: ftyp with a HEVC-coded image brand as its
// major or a compatible brand. Other HEIF images (AVIF) are not accepted.
func isHEIC(head []byte) bool {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return false
	}
	n := int(binary.BigEndian.Uint32(head))
	if n < 16 || n > len(head) {
		n = len(head)
	}
	brands := []string{string(head[8:12])}
	for i := 16; i+4 <= n; i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	for _, b := range brands {
		switch b {
		case "heic", "heix", "heim", "heis", "hevc", "hevx":
			return true
		}
	}
	return false
}

// sniffZip finds the end of central directory record (zip64 too), then walks the central
// directory's entries, streaming, looking for the main part of a Word or Excel document.
func sniffZip(r io.ReaderAt, size int64) (Kind, error) {
	offset, dirSize, entries, ok := zipDirectory(r, size)
	// Each entry takes at least 46 bytes of the directory.
	if !ok || entries > maxZipEntries || entries > uint64(dirSize/46) {
		return Kind{}, ErrNotEvidence
	}
	br := bufio.NewReader(io.NewSectionReader(r, offset, dirSize))
	var h [46]byte
	word, excel := false, false
	for i := uint64(0); i < entries; i++ {
		if _, err := io.ReadFull(br, h[:]); err != nil || string(h[:4]) != "PK\x01\x02" {
			return Kind{}, ErrNotEvidence
		}
		nameLen := int(binary.LittleEndian.Uint16(h[28:]))
		skip := int(binary.LittleEndian.Uint16(h[30:])) + int(binary.LittleEndian.Uint16(h[32:]))
		name := make([]byte, nameLen)
		if _, err := io.ReadFull(br, name); err != nil {
			return Kind{}, ErrNotEvidence
		}
		if _, err := br.Discard(skip); err != nil {
			return Kind{}, ErrNotEvidence
		}
		switch strings.ToLower(strings.ReplaceAll(string(name), "\\", "/")) {
		case "word/document.xml":
			word = true
		case "xl/workbook.xml":
			excel = true
		}
	}
	switch {
	case word && !excel:
		return DOCX, nil
	case excel && !word:
		return XLSX, nil
	}
	return Kind{}, ErrNotEvidence
}

// zipDirectory reads where the central directory is and how many entries it holds, from the
// end of central directory record in the file's last 64 KiB (and the zip64 record it points at
// when the classic fields overflow). ok is false when the record is missing or points outside
// the file.
func zipDirectory(r io.ReaderAt, size int64) (offset, dirSize int64, entries uint64, ok bool) {
	tail := int64(22 + 65535)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, 0, 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < 22 {
		return 0, 0, 0, false
	}
	e := buf[i:]
	entries = uint64(binary.LittleEndian.Uint16(e[10:]))
	dirSize = int64(binary.LittleEndian.Uint32(e[12:]))
	offset = int64(binary.LittleEndian.Uint32(e[16:]))
	if entries == 0xFFFF || dirSize == 0xFFFFFFFF || offset == 0xFFFFFFFF {
		// zip64: the locator sits just before the classic record.
		loc := size - tail + int64(i) - 20
		var l [20]byte
		if loc < 0 || readFull(r, l[:], loc) != nil || string(l[:4]) != "PK\x06\x07" {
			return 0, 0, 0, false
		}
		at := int64(binary.LittleEndian.Uint64(l[8:]))
		var z [56]byte
		if at < 0 || at > size-56 || readFull(r, z[:], at) != nil || string(z[:4]) != "PK\x06\x06" {
			return 0, 0, 0, false
		}
		entries = binary.LittleEndian.Uint64(z[32:])
		dirSize = int64(binary.LittleEndian.Uint64(z[40:]))
		offset = int64(binary.LittleEndian.Uint64(z[48:]))
	}
	if offset < 0 || dirSize < 0 || offset > size || dirSize > size-offset {
		return 0, 0, 0, false
	}
	return offset, dirSize, entries, true
}

func readFull(r io.ReaderAt, b []byte, at int64) error {
	_, err := r.ReadAt(b, at)
	if err == io.EOF {
		err = nil // ReadAt may report EOF with the buffer full at the end of the file
	}
	return err
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// OLE2 sector ids that end a chain or mark a sector that is not in one.
const oleEndOfChain = 0xFFFFFFFE

// sniffOLE reads an OLE2 compound file's directory (following the directory's chain through the
// FAT, every step counted) and looks for the stream that makes it a Word document
// (WordDocument) or an Excel workbook (Workbook, or Book for Excel 5). Other compound files
// (installer packages, PowerPoint, Outlook messages) are not evidence.
func sniffOLE(r io.ReaderAt, size int64) (Kind, error) {
	var h [512]byte
	if readFull(r, h[:], 0) != nil {
		return Kind{}, ErrNotEvidence
	}
	shift := binary.LittleEndian.Uint16(h[0x1E:])
	if shift != 9 && shift != 12 {
		return Kind{}, ErrNotEvidence
	}
	sector := int64(1) << shift
	difat := make([]uint32, 109)
	for i := range difat {
		difat[i] = binary.LittleEndian.Uint32(h[0x4C+4*i:])
	}
	// DIFAT sectors beyond the header's 109 entries, each ending with the next one's id: no
	// more than a file of this size can need (its sectors' FAT fills so many FAT sectors), so a
	// chain that loops costs nothing.
	next := binary.LittleEndian.Uint32(h[0x44:])
	perSector := int(sector / 4)
	needed := int(size/sector)/perSector + 1
	steps := 0
	for next < oleEndOfChain && steps < maxOLESectors && len(difat) < needed {
		steps++
		buf := make([]byte, sector)
		if readFull(r, buf, (int64(next)+1)*sector) != nil {
			return Kind{}, ErrNotEvidence
		}
		for i := 0; i < perSector-1; i++ {
			difat = append(difat, binary.LittleEndian.Uint32(buf[4*i:]))
		}
		next = binary.LittleEndian.Uint32(buf[sector-4:])
	}
	fatEntry := func(sec uint32) (uint32, bool) {
		i := int(sec) / perSector
		if i >= len(difat) || difat[i] >= oleEndOfChain {
			return 0, false
		}
		var b [4]byte
		at := (int64(difat[i])+1)*sector + int64(int(sec)%perSector)*4
		if at+4 > size || readFull(r, b[:], at) != nil {
			return 0, false
		}
		return binary.LittleEndian.Uint32(b[:]), true
	}
	word, excel := false, false
	sec := binary.LittleEndian.Uint32(h[0x30:])
	buf := make([]byte, sector)
	for steps = 0; sec < oleEndOfChain; steps++ {
		at := (int64(sec) + 1) * sector
		// A chain longer than the file has sectors loops.
		if steps >= maxOLESectors || int64(steps) > size/sector || at+sector > size || readFull(r, buf, at) != nil {
			return Kind{}, ErrNotEvidence
		}
		for e := int64(0); e+128 <= sector; e += 128 {
			entry := buf[e : e+128]
			n := int(binary.LittleEndian.Uint16(entry[0x40:]))
			if entry[0x42] != 2 || n < 2 || n > 64 {
				continue // not a stream
			}
			u := make([]uint16, n/2-1)
			for i := range u {
				u[i] = binary.LittleEndian.Uint16(entry[2*i:])
			}
			switch string(utf16.Decode(u)) {
			case "WordDocument":
				word = true
			case "Workbook", "Book":
				excel = true
			}
		}
		var ok bool
		if sec, ok = fatEntry(sec); !ok {
			return Kind{}, ErrNotEvidence
		}
	}
	switch {
	case word && !excel:
		return DOC, nil
	case excel && !word:
		return XLS, nil
	}
	return Kind{}, ErrNotEvidence
}
