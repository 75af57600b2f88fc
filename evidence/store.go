package evidence

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"xiezuo"
)

// Store keeps files on disk by the SHA-256 of their content, under dir/ab/cd/<hash>: the same
// content sent twice (the same photo with two reports) is one file. A file is written to a
// temporary file, synced, and renamed into place, so a crash leaves either the whole file or a
// temporary file the next Sweep removes; a file never changes once it has its name.
type Store struct {
	dir string
}

// NewStore opens the store at dir, creating it when missing (readable by the server's user
// only: evidence is shown only to those who may see its report).
func NewStore(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("evidence store %s: %w", dir, err)
	}
	return &Store{dir: dir}, nil
}

// Dir is the folder the store keeps its files under.
func (s *Store) Dir() string { return s.dir }

// ValidSum reports whether sum is a SHA-256 as the store names files: 64 lowercase hex digits.
func ValidSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for _, c := range sum {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func (s *Store) path(sum string) string {
	return filepath.Join(s.dir, sum[:2], sum[2:4], sum)
}

// Put writes r's content into the store and returns its SHA-256 and size. Content already
// stored is not written again.
func (s *Store) Put(r io.Reader) (sum string, size int64, err error) {
	tmp, err := s.TempFile()
	if err != nil {
		return "", 0, err
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // gone already when Place renamed it
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", 0, fmt.Errorf("evidence put: %w", err)
	}
	sum = hex.EncodeToString(h.Sum(nil))
	if err := s.Place(tmp, sum, size); err != nil {
		return "", 0, err
	}
	return sum, size, nil
}

// TempFile creates a temporary file in the store's folder, for content on its way in (an
// upload being read): Place then moves it into the store without copying it. Sweep removes
// those a crash left.
func (s *Store) TempFile() (*os.File, error) {
	f, err := os.CreateTemp(filepath.Join(s.dir, "tmp"), "put-*")
	if err != nil {
		return nil, fmt.Errorf("evidence temp file: %w", err)
	}
	return f, nil
}

// Place puts tmp, a file made by TempFile holding size bytes whose SHA-256 is sum, into the
// store under its hash: synced and renamed, its folder synced, so a report acknowledged after
// it never points at a file a power cut took away. Content already stored is only touched (a
// Sweep running now then keeps it for the report about to refer to it) and tmp is left for the
// caller to remove.
func (s *Store) Place(tmp *os.File, sum string, size int64) error {
	if !ValidSum(sum) {
		return fmt.Errorf("evidence place: bad hash %q", sum)
	}
	final := s.path(sum)
	if st, err := os.Stat(final); err == nil && st.Size() == size {
		now := time.Now()
		if err := os.Chtimes(final, now, now); err != nil {
			return fmt.Errorf("evidence place: %w", err)
		}
		return nil
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("evidence place: %w", err)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("evidence place: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("evidence place: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("evidence place: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("evidence place: %w", err)
	}
	err = d.Sync()
	d.Close()
	if err != nil {
		return fmt.Errorf("evidence place: sync %s: %w", dir, err)
	}
	return nil
}

// Open opens the stored file of sum; a sum the store does not hold is ENOTFOUND.
func (s *Store) Open(sum string) (*os.File, error) {
	if !ValidSum(sum) {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有这个文件")
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "证明材料文件已不在存储中，请联系管理员")
	}
	if err != nil {
		return nil, fmt.Errorf("evidence open: %w", err)
	}
	return f, nil
}

// Sweep removes what no report refers to: temporary files older than before (a Put that did
// not finish) and stored files older than before whose hash inUse says nothing refers to (the
// files of a submission refused after they were stored). Files newer than before are kept, so a
// submission under way keeps its files. A file is first moved aside, then looked at again: had
// a Put of the same content touched it meanwhile (a report about to refer to it), it is put
// back; a Put that finds it gone writes its own copy, and one whose touch comes too late fails,
// so no acknowledged report loses its file. Several instances sharing the folder may sweep at
// once: a file another sweep removed or moved meanwhile is passed over, not an error. It
// returns how many files it removed.
func (s *Store) Sweep(inUse func(sum string) (bool, error), before time.Time) (int, error) {
	removed := 0
	trash := filepath.Join(s.dir, "tmp")
	// gone is a file another instance's sweep (or Put) took away meanwhile: not an error.
	gone := func(err error) bool { return errors.Is(err, fs.ErrNotExist) }
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if gone(err) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if gone(err) {
			return nil
		}
		if err != nil || !info.ModTime().Before(before) {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, "put-") || strings.HasPrefix(name, "sweep-") {
			if err := os.Remove(p); gone(err) {
				return nil
			} else if err != nil {
				return err
			}
			removed++
			return nil
		}
		if !ValidSum(name) || p != s.path(name) {
			return nil // not ours
		}
		used, err := inUse(name)
		if err != nil || used {
			return err
		}
		// The name aside is this sweep's own, so that two sweeps never take each other's.
		aside := filepath.Join(trash, "sweep-"+name+"-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
		if err := os.Rename(p, aside); gone(err) {
			return nil
		} else if err != nil {
			return err
		}
		if st, err := os.Stat(aside); err != nil || !st.ModTime().Before(before) {
			// Touched by a Put since: it is about to be used. (Gone: another sweep took it
			// from the trash; a Put after the move wrote its own copy.)
			if err := os.Rename(aside, p); err != nil && !errors.Is(err, fs.ErrExist) && !gone(err) {
				return err
			}
			return nil
		}
		if err := os.Remove(aside); gone(err) {
			return nil
		} else if err != nil {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("evidence sweep: %w", err)
	}
	return removed, nil
}

// Keep checks an uploaded file by its content and stores it, returning what the database keeps
// of it: the hash, the name as uploaded (cleaned), the type detected and, for a photo, when it
// was taken. Content of any other type is refused (EINVALID) and not stored, whatever its name
// says. A file whose name gives another type than its content (a PDF named .jpg, a .docx saved
// as .doc) is kept by its content: the page shows the type detected and the download carries
// the extension of that type (DownloadName), so nothing opens it as what it is not. Sizes are
// checked before, by xiezuo.EvidenceLimits, while the upload is read.
func (s *Store) Keep(name string, f io.ReaderAt, size int64) (xiezuo.Evidence, error) {
	e, err := check(name, f, size)
	if err != nil {
		return e, err
	}
	e.SHA256, e.Size, err = s.Put(io.NewSectionReader(f, 0, size))
	if err != nil {
		return xiezuo.Evidence{}, err
	}
	return e, nil
}

// KeepTemp is Keep for an upload already read into a file of TempFile whose SHA-256 was
// computed while it was read: the file is moved into the store, not copied.
func (s *Store) KeepTemp(name string, tmp *os.File, size int64, sum string) (xiezuo.Evidence, error) {
	e, err := check(name, tmp, size)
	if err != nil {
		return e, err
	}
	if err := s.Place(tmp, sum, size); err != nil {
		return xiezuo.Evidence{}, err
	}
	e.SHA256, e.Size = sum, size
	return e, nil
}

// check tells an upload's kind by its content and reads a photo's capture time.
func check(name string, f io.ReaderAt, size int64) (xiezuo.Evidence, error) {
	name = xiezuo.EvidenceName(name)
	k, err := Sniff(f, size)
	if errors.Is(err, ErrNotEvidence) {
		return xiezuo.Evidence{}, xiezuo.Errorf(xiezuo.EINVALID, "文件“%s”的内容不是图片、PDF、Word 或 Excel 文件", name)
	}
	if err != nil {
		return xiezuo.Evidence{}, fmt.Errorf("evidence keep %s: %w", name, err)
	}
	e := xiezuo.Evidence{Name: name, MIME: k.MIME}
	if k == JPEG {
		if t, ok := CaptureTime(f, size); ok {
			e.TakenAt = t
		}
	}
	return e, nil
}

// DownloadName is the name a stored file is served under: the uploaded name, its extension
// replaced by that of the detected type when they differ (报告.jpg holding a PDF is served as
// 报告.pdf; 照片.jpeg stays).
func DownloadName(name, mime string) string {
	k, ok := KindOf(mime)
	if !ok {
		return name
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == k.Ext || k == JPEG && (ext == ".jpeg" || ext == ".jfif") || k == HEIC && ext == ".heif" {
		return name
	}
	return strings.TrimSuffix(name, filepath.Ext(name)) + k.Ext
}
