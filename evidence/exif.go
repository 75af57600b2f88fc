package evidence

import (
	"encoding/binary"
	"io"
	"time"
)

// China's time, in which a camera's clock without an offset is read.
var shanghai = time.FixedZone("CST", 8*3600)

// Bounds of the capture-time reader: the segments of a JPEG walked before the picture data, and
// the entries of an image file directory read.
const (
	maxJPEGSegments = 64
	maxIFDEntries   = 512
)

// EXIF tags read: the pointer from IFD0 to the Exif IFD, and in it the capture time, the time
// the picture was digitised (the same for a camera; the one a scanner sets) and their offsets.
const (
	tagExifIFD           = 0x8769
	tagDateTimeOriginal  = 0x9003
	tagDateTimeDigitized = 0x9004
	tagOffsetOriginal    = 0x9011
	tagOffsetDigitized   = 0x9012
)

// CaptureTime reads when a JPEG photo was taken from its EXIF data: DateTimeOriginal, with
// OffsetTimeOriginal when the camera wrote it (without one the clock is read as China's time),
// or DateTimeDigitized when only that is there. ok is false for a file without them, or one
// whose EXIF is damaged. Only these tags are read: the location a phone records is never
// looked at, nor shown.
func CaptureTime(r io.ReaderAt, size int64) (t time.Time, ok bool) {
	tiff, ok := exifSegment(r, size)
	if !ok {
		return time.Time{}, false
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return time.Time{}, false
	}
	if bo.Uint16(tiff[2:]) != 42 {
		return time.Time{}, false
	}
	ifd0 := readIFD(tiff, bo, bo.Uint32(tiff[4:]))
	ptr, ok := ifd0[tagExifIFD]
	if !ok || ptr.typ != 4 {
		return time.Time{}, false
	}
	exif := readIFD(tiff, bo, ptr.value)
	for _, tags := range [][2]uint16{{tagDateTimeOriginal, tagOffsetOriginal}, {tagDateTimeDigitized, tagOffsetDigitized}} {
		s, ok := ascii(tiff, exif[tags[0]])
		if !ok {
			continue
		}
		loc := shanghai
		if off, ok := ascii(tiff, exif[tags[1]]); ok {
			if z, err := time.Parse("-07:00", off); err == nil {
				_, secs := z.Zone()
				loc = time.FixedZone(off, secs)
			}
		}
		if t, err := time.ParseInLocation("2006:01:02 15:04:05", s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// exifSegment walks a JPEG's marker segments up to the picture data and returns the TIFF
// structure of its APP1 Exif segment (at most 64 KiB, a segment's largest size).
func exifSegment(r io.ReaderAt, size int64) ([]byte, bool) {
	at := int64(2) // after SOI
	var m [4]byte
	for range maxJPEGSegments {
		if at+4 > size || readFull(r, m[:], at) != nil || m[0] != 0xFF {
			return nil, false
		}
		marker := m[1]
		switch {
		case marker == 0xFF: // fill byte
			at++
			continue
		case marker == 0x01 || marker >= 0xD0 && marker <= 0xD7:
			at += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image: no EXIF before it
			return nil, false
		}
		n := int64(binary.BigEndian.Uint16(m[2:]))
		if n < 2 || at+2+n > size {
			return nil, false
		}
		if marker == 0xE1 && n >= 2+6+8 {
			seg := make([]byte, n-2)
			if readFull(r, seg, at+4) != nil {
				return nil, false
			}
			if string(seg[:6]) == "Exif\x00\x00" {
				return seg[6:], true
			}
		}
		at += 2 + n
	}
	return nil, false
}

// ifdEntry is one entry of an image file directory: its type, count, and its value or the
// offset of its value within the TIFF structure.
type ifdEntry struct {
	typ   uint16
	count uint32
	value uint32
	raw   []byte // the 4 bytes of the value field
}

// readIFD reads the entries of the directory at off, each within the structure; what lies
// outside it is left out.
func readIFD(tiff []byte, bo binary.ByteOrder, off uint32) map[uint16]ifdEntry {
	out := map[uint16]ifdEntry{}
	if int64(off)+2 > int64(len(tiff)) {
		return out
	}
	n := int(bo.Uint16(tiff[off:]))
	for i := 0; i < n && i < maxIFDEntries; i++ {
		p := int64(off) + 2 + int64(i)*12
		if p+12 > int64(len(tiff)) {
			break
		}
		e := tiff[p : p+12]
		out[bo.Uint16(e)] = ifdEntry{typ: bo.Uint16(e[2:]), count: bo.Uint32(e[4:]), value: bo.Uint32(e[8:]), raw: e[8:12]}
	}
	return out
}

// ascii returns an ASCII entry's text without its terminating NUL: within the value field up to
// 4 bytes, at its offset beyond.
func ascii(tiff []byte, e ifdEntry) (string, bool) {
	if e.typ != 2 || e.count == 0 || e.count > 64 {
		return "", false
	}
	var b []byte
	if e.count <= 4 {
		b = e.raw[:e.count]
	} else {
		if int64(e.value)+int64(e.count) > int64(len(tiff)) {
			return "", false
		}
		b = tiff[e.value : e.value+e.count]
	}
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return string(b), true
}
