package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xiezuo"
)

// files lists the files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return err
	})
	return out
}

func TestStoreKeepsOnceByHash(t *testing.T) {
	dir := t.TempDir()
	s, err := NewStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	photo := tinyJPEG(t, exifTIFF(binary.LittleEndian, []tiffEntry{{tag: tagDateTimeOriginal, text: "2021:09:10 14:32:00"}}))
	a, err := s.Keep(`C:\Users\张三\Desktop\现场.jpg`, bytes.NewReader(photo), int64(len(photo)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Keep("again.jpg", bytes.NewReader(photo), int64(len(photo)))
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256 != b.SHA256 || a.Name != "现场.jpg" || a.MIME != "image/jpeg" || a.Size != int64(len(photo)) {
		t.Errorf("Keep = %+v and %+v; want one hash, the base name, image/jpeg, %d bytes", a, b, len(photo))
	}
	if want := time.Date(2021, 9, 10, 14, 32, 0, 0, shanghai); !a.TakenAt.Equal(want) {
		t.Errorf("Keep: taken at %v, want %v", a.TakenAt, want)
	}
	got := files(t, dir)
	want := filepath.Join(a.SHA256[:2], a.SHA256[2:4], a.SHA256)
	if len(got) != 1 || got[0] != want {
		t.Errorf("store holds %v, want only %s", got, want)
	}
	f, err := s.Open(a.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	if st.Size() != int64(len(photo)) || st.Mode().Perm() != 0o600 {
		t.Errorf("stored file: %d bytes, mode %v; want %d, 0600", st.Size(), st.Mode().Perm(), len(photo))
	}
	for _, sum := range []string{"../../etc/passwd", strings.Repeat("0", 64), strings.ToUpper(a.SHA256)} {
		if _, err := s.Open(sum); xiezuo.ErrorCode(err) != xiezuo.ENOTFOUND {
			t.Errorf("Open(%q) = %v, want ENOTFOUND", sum, err)
		}
	}
}

func TestStoreRefusesByContent(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewStore(dir)
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Keep("现场照片.jpg", bytes.NewReader(self), int64(len(self)))
	if xiezuo.ErrorCode(err) != xiezuo.EINVALID || xiezuo.ErrorMessage(err) != "文件“现场照片.jpg”的内容不是图片、PDF、Word 或 Excel 文件" {
		t.Errorf("Keep(executable named .jpg) = %v", err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("store holds %v after a refusal, want nothing", got)
	}
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	e, err := s.Keep("扫描件.jpg", bytes.NewReader(pdf), int64(len(pdf)))
	if err != nil || e.MIME != "application/pdf" || DownloadName(e.Name, e.MIME) != "扫描件.pdf" {
		t.Errorf("Keep(PDF named .jpg) = %+v, %v; want application/pdf served as 扫描件.pdf", e, err)
	}
}

func TestDownloadName(t *testing.T) {
	for _, tc := range []struct{ name, mime, want string }{
		{"现场.jpg", JPEG.MIME, "现场.jpg"},
		{"现场.JPEG", JPEG.MIME, "现场.JPEG"},
		{"扫描件.jpg", PDF.MIME, "扫描件.pdf"},
		{"台账.doc", DOCX.MIME, "台账.docx"},
		{"无扩展名", XLSX.MIME, "无扩展名.xlsx"},
	} {
		if got := DownloadName(tc.name, tc.mime); got != tc.want {
			t.Errorf("DownloadName(%q, %q) = %q, want %q", tc.name, tc.mime, got, tc.want)
		}
	}
}

func TestSweep(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewStore(dir)
	used, _, _ := s.Put(strings.NewReader("kept by a report"))
	orphan, _, _ := s.Put(strings.NewReader("its report was refused"))
	tmp, _ := os.CreateTemp(filepath.Join(dir, "tmp"), "put-*")
	tmp.Close()
	old := time.Now().Add(-2 * time.Hour)
	for _, p := range []string{s.path(used), s.path(orphan), tmp.Name()} {
		os.Chtimes(p, old, old)
	}
	fresh, _, _ := s.Put(strings.NewReader("a submission under way"))
	n, err := s.Sweep(func(sum string) (bool, error) { return sum == used, nil }, time.Now().Add(-time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("Sweep = %d, %v; want 2 removed", n, err)
	}
	for sum, want := range map[string]bool{used: true, orphan: false, fresh: true} {
		if _, err := os.Stat(s.path(sum)); (err == nil) != want {
			t.Errorf("after Sweep, %s present = %v, want %v", sum[:8], err == nil, want)
		}
	}
	// A Put of content already stored makes it new again, so a sweep does not take it from the
	// report about to refer to it.
	os.Chtimes(s.path(used), old, old)
	s.Put(strings.NewReader("kept by a report"))
	if n, _ := s.Sweep(func(string) (bool, error) { return false, nil }, time.Now().Add(-time.Hour)); n != 0 {
		t.Errorf("Sweep removed %d files just put again, want 0", n)
	}
}

// TestSweepBesideAnotherSweep: instances sharing one folder sweep it at once. A file that
// another sweep removed while this one looked at it (here: while inUse was asked) is passed
// over, not an error that stops the sweep; the files nobody refers to are all removed, once,
// and the used one stays.
func TestSweepBesideAnotherSweep(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewStore(dir)
	used, _, _ := s.Put(strings.NewReader("kept by a report"))
	var orphans []string
	for i := range 4 {
		sum, _, _ := s.Put(strings.NewReader(fmt.Sprintf("orphan %d", i)))
		orphans = append(orphans, sum)
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, sum := range append([]string{used}, orphans...) {
		os.Chtimes(s.path(sum), old, old)
	}
	other, _ := NewStore(dir) // another instance's store over the same folder
	byOther := 0
	n, err := s.Sweep(func(sum string) (bool, error) {
		if sum == used {
			return true, nil
		}
		if sum == orphans[0] || sum == orphans[2] {
			// The other instance sweeps now and removes this very file.
			m, err := other.Sweep(func(s string) (bool, error) { return s == used, nil }, time.Now().Add(-time.Hour))
			if err != nil {
				t.Errorf("the other instance's Sweep = %v", err)
			}
			byOther += m
		}
		return false, nil
	}, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatalf("Sweep beside another = %d, %v; want no error", n, err)
	}
	if n+byOther != len(orphans) {
		t.Errorf("the two sweeps removed %d + %d files, want %d in all", n, byOther, len(orphans))
	}
	for _, sum := range orphans {
		if _, err := os.Stat(s.path(sum)); err == nil {
			t.Errorf("orphan %s still stored", sum[:8])
		}
	}
	if _, err := os.Stat(s.path(used)); err != nil {
		t.Errorf("the used file was removed: %v", err)
	}
}

// TestKeepTemp: an upload read into a temporary file of the store is moved into place, not
// copied; the same content again leaves its temporary file to the caller.
func TestKeepTemp(t *testing.T) {
	dir := t.TempDir()
	s, _ := NewStore(dir)
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	sum := fmt.Sprintf("%x", sha256.Sum256(pdf))
	for i := range 2 {
		tmp, err := s.TempFile()
		if err != nil {
			t.Fatal(err)
		}
		tmp.Write(pdf)
		e, err := s.KeepTemp("纪要.pdf", tmp, int64(len(pdf)), sum)
		if err != nil || e.SHA256 != sum || e.MIME != PDF.MIME {
			t.Fatalf("KeepTemp #%d = %+v, %v", i, e, err)
		}
		_, statErr := os.Stat(tmp.Name())
		if moved := os.IsNotExist(statErr); moved != (i == 0) {
			t.Errorf("KeepTemp #%d: temporary file moved = %v, want %v", i, moved, i == 0)
		}
		tmp.Close()
		os.Remove(tmp.Name())
	}
	if got := files(t, dir); len(got) != 1 || got[0] != filepath.Join(sum[:2], sum[2:4], sum) {
		t.Errorf("store holds %v, want only the PDF", got)
	}
}
