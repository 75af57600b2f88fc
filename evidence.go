package xiezuo

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Evidence is a file a unit sent with one version of its report (a photo, a PDF, a Word or
// Excel document): a dated fact, never changed. The bytes are kept by their SHA-256 outside the
// database; the row says what they are.
type Evidence struct {
	ID       int64
	ReportID int64
	Version  int       // the report version it was sent with
	SHA256   string    // the content's hash: where the store keeps it
	Name     string    // the name as uploaded (cleaned by EvidenceName)
	MIME     string    // the type detected from the content, never from the name
	Size     int64     // bytes
	TakenAt  time.Time // when a photo was taken (its EXIF); zero when unknown
	By       string
	At       time.Time
}

// EvidenceLimits bound the files of a report: each file, and all the files of one version,
// by size and by count.
type EvidenceLimits struct {
	File   int64 // bytes of one file
	Report int64 // bytes of all the files of one version
	Files  int   // files of one version
}

// DefaultEvidenceLimits are the limits unless serve is told otherwise: a phone photo is a few
// MB, a scanned PDF rarely more than 20.
var DefaultEvidenceLimits = EvidenceLimits{File: 20 << 20, Report: 50 << 20, Files: 20}

// MB writes a size in megabytes as the messages give it: 20 MB, 20.5 MB.
func MB(n int64) string {
	s := fmt.Sprintf("%.1f", float64(n)/(1<<20))
	return strings.TrimSuffix(s, ".0") + " MB"
}

// mbOver writes a size over limit so that it reads as more than the limit: 20.03 MB, not
// 20 MB, for a file just past 20 MB.
func mbOver(n, limit int64) string {
	if s := MB(n); s != MB(limit) {
		return s
	}
	return fmt.Sprintf("%.2f MB", float64(n)/(1<<20))
}

// Check refuses a set of files sent with a version that already holds have: a file over the
// limit, too many files, or too many bytes in all (ETOOLARGE, naming the file and the limit), or
// an empty file (EINVALID). names and sizes go together.
func (l EvidenceLimits) Check(have []Evidence, names []string, sizes []int64) error {
	total := int64(0)
	for _, e := range have {
		total += e.Size
	}
	for i, n := range sizes {
		switch {
		case n == 0:
			return Errorf(EINVALID, "文件“%s”是空文件，请重新选择", names[i])
		case n > l.File:
			return Errorf(ETOOLARGE, "文件“%s”为 %s，超过每个文件 %s 的上限：请压缩或拆分后再上传", names[i], mbOver(n, l.File), MB(l.File))
		}
		total += n
	}
	if c := len(have) + len(sizes); c > l.Files {
		return Errorf(ETOOLARGE, "一次进展报告最多附 %d 个文件，现为 %d 个", l.Files, c)
	}
	if total > l.Report {
		return Errorf(ETOOLARGE, "一次进展报告的附件合计不能超过 %s，现为 %s", MB(l.Report), mbOver(total, l.Report))
	}
	return nil
}

// maxEvidenceName bounds the name kept of an uploaded file, in characters.
const maxEvidenceName = 120

// EvidenceName is the name kept of an uploaded file: its last path element (a browser may
// send a whole Windows path), without control characters, at most 120 characters keeping the
// extension, "未命名文件" when nothing is left.
func EvidenceName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxEvidenceName {
		ext := ""
		if i := strings.LastIndex(s, "."); i >= 0 && utf8.RuneCountInString(s[i:]) <= 10 {
			ext = s[i:]
		}
		r := []rune(strings.TrimSuffix(s, ext))
		s = string(r[:maxEvidenceName-utf8.RuneCountInString(ext)]) + ext
	}
	if s == "" || s == "." || s == ".." {
		return "未命名文件"
	}
	return s
}

// CanAttach says whether u may add files to report r on a duty of plan p (g resolves its group
// names) now, and why not: only the reporting unit, on a duty it answers for (ReportRole), and
// only its own report (OwnReport: a cadre its regions' projects and its own reports, not those
// of the other cadres who share the unit 前方挂职干部), while the report accepts files
// (AcceptsEvidence).
func (u *User) CanAttach(p *Plan, g Groups, r *Report, now time.Time) error {
	if !OwnReport(p, u, r) || ReportRole(p, r.Duty, u, g) == DutyNone {
		return Errorf(EFORBIDDEN, "只有报送单位可以为本报告上传证明材料")
	}
	state, _, ok := r.StateAt(now)
	if !ok {
		return Errorf(ENOTFOUND, "没有这份进展报告")
	}
	return AcceptsEvidence(state)
}

// AcceptsEvidence says whether files may be added to the latest version of a report in state:
// while it waits (a draft, or submitted and not yet reviewed). A reviewed version is what the
// reviewer decided on: new files go with a new version. Storage asks it again under the
// report's lock, so that a review and an upload at once cannot both pass.
func AcceptsEvidence(state ReportState) error {
	switch state {
	case ReportAccepted:
		return Errorf(ECONFLICT, "本报告已通过审核，不能再添加材料；如需补充，请另行报送")
	case ReportReturned:
		return Errorf(ECONFLICT, "本报告已被退回，请修改后重新报送，并随新版本上传材料")
	}
	return nil
}
