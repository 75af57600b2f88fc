package evidence

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// tinyJPEG encodes a real 8×8 JPEG and, when exif is given, inserts it after SOI as an APP1
// Exif segment, as a camera writes it.
func tinyJPEG(t *testing.T, exif []byte) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if exif == nil {
		return data
	}
	seg := append([]byte("Exif\x00\x00"), exif...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{}, data[:2]...)
	out = append(out, app1...)
	out = append(out, seg...)
	return append(out, data[2:]...)
}

// tiffEntry is one entry tiffWith writes: an ASCII value, or a LONG when text is empty.
type tiffEntry struct {
	tag  uint16
	text string
	long uint32
}

// exifTIFF builds the TIFF structure of an APP1 segment: IFD0 with the camera's make and a GPS
// pointer, and an Exif IFD with the entries given (ASCII values stored after the directories).
func exifTIFF(bo binary.AppendByteOrder, exifEntries []tiffEntry) []byte {
	var b []byte
	if bo == binary.LittleEndian {
		b = []byte("II")
	} else {
		b = []byte("MM")
	}
	b = bo.AppendUint16(b, 42)
	b = bo.AppendUint32(b, 8)
	ifd0 := []tiffEntry{{tag: 0x010F, text: "Xiezuo"}, {tag: 0x8825, long: 0}, {tag: tagExifIFD}}
	ifd0At := uint32(8)
	exifAt := ifd0At + 2 + uint32(len(ifd0))*12 + 4
	dataAt := exifAt + 2 + uint32(len(exifEntries))*12 + 4
	var data []byte
	dir := func(entries []tiffEntry) {
		b = bo.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = bo.AppendUint16(b, e.tag)
			switch {
			case e.tag == tagExifIFD:
				b = bo.AppendUint16(b, 4)
				b = bo.AppendUint32(b, 1)
				b = bo.AppendUint32(b, exifAt)
			case e.text == "":
				b = bo.AppendUint16(b, 4)
				b = bo.AppendUint32(b, 1)
				b = bo.AppendUint32(b, e.long)
			default:
				s := append([]byte(e.text), 0)
				b = bo.AppendUint16(b, 2)
				b = bo.AppendUint32(b, uint32(len(s)))
				if len(s) <= 4 {
					v := make([]byte, 4)
					copy(v, s)
					b = append(b, v...)
				} else {
					b = bo.AppendUint32(b, dataAt+uint32(len(data)))
					data = append(data, s...)
				}
			}
		}
		b = bo.AppendUint32(b, 0)
	}
	dir(ifd0)
	dir(exifEntries)
	return append(b, data...)
}

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.White)
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tinyXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "培训人数")
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// oleFile builds an OLE2 compound file of 512-byte sectors: sector 0 the FAT, then the
// directory (a root entry and one stream entry per name) over as many sectors as it needs.
func oleFile(names ...string) []byte {
	le := binary.LittleEndian
	entries := append([]string{"Root Entry"}, names...)
	dirSectors := (len(entries) + 3) / 4
	h := make([]byte, 512)
	copy(h, oleMagic)
	le.PutUint16(h[0x18:], 0x3E)
	le.PutUint16(h[0x1A:], 3)
	le.PutUint16(h[0x1C:], 0xFFFE)
	le.PutUint16(h[0x1E:], 9)
	le.PutUint16(h[0x20:], 6)
	le.PutUint32(h[0x2C:], 1)
	le.PutUint32(h[0x30:], 1)
	le.PutUint32(h[0x38:], 4096)
	le.PutUint32(h[0x3C:], oleEndOfChain)
	le.PutUint32(h[0x44:], oleEndOfChain)
	for i := range 109 {
		le.PutUint32(h[0x4C+4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(h[0x4C:], 0)
	fat := make([]byte, 512)
	for i := range 128 {
		le.PutUint32(fat[4*i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat, 0xFFFFFFFD)
	for i := 1; i <= dirSectors; i++ {
		next := uint32(i + 1)
		if i == dirSectors {
			next = oleEndOfChain
		}
		le.PutUint32(fat[4*i:], next)
	}
	dir := make([]byte, 512*dirSectors)
	for i, n := range entries {
		e := dir[128*i:]
		u := utf16.Encode([]rune(n))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*len(u)+2))
		e[0x42] = 2
		if i == 0 {
			e[0x42] = 5
		}
	}
	out := append(h, fat...)
	return append(out, dir...)
}

func TestSniff(t *testing.T) {
	self, err := os.ReadFile(os.Args[0]) // this test binary: an ELF (or PE) executable
	if err != nil {
		t.Fatal(err)
	}
	pe := append([]byte("MZ\x90\x00\x03"), make([]byte, 200)...)
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x00\x00")
	avif := []byte("\x00\x00\x00\x18ftypavif\x00\x00\x00\x00mif1miaf\x00\x00\x00\x00")
	// A zip whose end record claims more entries than the bound, or a directory outside the file.
	manyEntries := zipOf(t, "word/document.xml")
	eocd := bytes.LastIndex(manyEntries, []byte("PK\x05\x06"))
	binary.LittleEndian.PutUint16(manyEntries[eocd+8:], 0xFFFE)
	binary.LittleEndian.PutUint16(manyEntries[eocd+10:], 0xFFFE)
	outside := zipOf(t, "word/document.xml")
	binary.LittleEndian.PutUint32(outside[bytes.LastIndex(outside, []byte("PK\x05\x06"))+16:], 1<<30)
	loop := oleFile("WordDocument")
	binary.LittleEndian.PutUint32(loop[512+4:], 1) // the directory's chain points at itself
	for _, tc := range []struct {
		name string
		data []byte
		want Kind
	}{
		{"photo with EXIF", tinyJPEG(t, exifTIFF(binary.LittleEndian, nil)), JPEG},
		{"photo", tinyJPEG(t, nil), JPEG},
		{"png", tinyPNG(t), PNG},
		{"heic", heic, HEIC},
		{"pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), PDF},
		{"docx", zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), DOCX},
		{"xlsx from excelize", tinyXLSX(t), XLSX},
		{"doc", oleFile("1Table", "WordDocument", "\x05SummaryInformation"), DOC},
		{"xls", oleFile("Workbook", "\x05SummaryInformation"), XLS},
		{"xls of Excel 5", oleFile("Book"), XLS},
		{"doc whose directory spans sectors", oleFile("a", "b", "c", "d", "e", "f", "WordDocument"), DOC},
		{"executable", self, Kind{}},
		{"windows executable", pe, Kind{}},
		{"avif", avif, Kind{}},
		{"zip of other files", zipOf(t, "setup.exe", "readme.txt"), Kind{}},
		{"zip claiming both", zipOf(t, "word/document.xml", "xl/workbook.xml"), Kind{}},
		{"zip cut short", zipOf(t, "word/document.xml")[:40], Kind{}},
		{"zip claiming 65534 entries", manyEntries, Kind{}},
		{"zip whose directory lies outside it", outside, Kind{}},
		{"installer package (OLE2 without a document stream)", oleFile("\u4840\u3b3f\u4577"), Kind{}},
		{"OLE2 whose directory loops", loop, Kind{}},
		{"OLE2 header only", oleFile()[:512], Kind{}},
		{"text", []byte("just some text named .jpg"), Kind{}},
		{"empty", nil, Kind{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Sniff(bytes.NewReader(tc.data), int64(len(tc.data)))
			if tc.want == (Kind{}) {
				if !errors.Is(err, ErrNotEvidence) {
					t.Errorf("Sniff = %v, %v; want ErrNotEvidence", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("Sniff = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestCaptureTime(t *testing.T) {
	le, be := binary.AppendByteOrder(binary.LittleEndian), binary.AppendByteOrder(binary.BigEndian)
	for _, tc := range []struct {
		name string
		tiff []byte
		want string // RFC 3339, "" when none
	}{
		{"with offset", exifTIFF(le, []tiffEntry{{tag: tagDateTimeOriginal, text: "2021:09:10 14:32:05"}, {tag: tagOffsetOriginal, text: "+06:00"}}), "2021-09-10T14:32:05+06:00"},
		{"without offset: China's time", exifTIFF(le, []tiffEntry{{tag: tagDateTimeOriginal, text: "2021:09:10 14:32:05"}}), "2021-09-10T14:32:05+08:00"},
		{"big-endian", exifTIFF(be, []tiffEntry{{tag: tagDateTimeOriginal, text: "2021:08:31 09:00:00"}}), "2021-08-31T09:00:00+08:00"},
		{"digitised only", exifTIFF(le, []tiffEntry{{tag: tagDateTimeDigitized, text: "2021:07:01 08:15:00"}}), "2021-07-01T08:15:00+08:00"},
		{"no capture time", exifTIFF(le, []tiffEntry{{tag: 0x829A, long: 1}}), ""},
		{"blank time", exifTIFF(le, []tiffEntry{{tag: tagDateTimeOriginal, text: "    :  :     :  :  "}}), ""},
		{"value outside the segment", func() []byte {
			b := exifTIFF(le, []tiffEntry{{tag: tagDateTimeOriginal, text: "2021:09:10 14:32:05"}})
			return b[:len(b)-10]
		}(), ""},
		{"no EXIF", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := tinyJPEG(t, tc.tiff)
			got, ok := CaptureTime(bytes.NewReader(data), int64(len(data)))
			switch {
			case tc.want == "" && ok:
				t.Errorf("CaptureTime = %v, want none", got)
			case tc.want != "":
				want, _ := time.Parse(time.RFC3339, tc.want)
				if !ok || !got.Equal(want) {
					t.Errorf("CaptureTime = %v, %v; want %v", got, ok, want)
				}
			}
		})
	}
}

// FuzzSniff: no content makes Sniff or CaptureTime panic or read without end.
func FuzzSniff(f *testing.F) {
	f.Add(tinyJPEG(&testing.T{}, exifTIFF(binary.LittleEndian, []tiffEntry{{tag: tagDateTimeOriginal, text: "2021:09:10 14:32:05"}})))
	f.Add(oleFile("WordDocument"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("\x00\x00\x00\x18ftypheic"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Sniff(bytes.NewReader(data), int64(len(data)))
		CaptureTime(bytes.NewReader(data), int64(len(data)))
	})
}
