//go:build unix

package sqldb

import (
	"os/exec"
	"strings"
	"testing"

	"xiezuo"
)

// TestEvidenceRoom: a restore whose evidence files do not fit the evidence folder's file
// system is refused before the database is written (a 1 MiB tmpfs; skipped where mounting one
// is not allowed).
func TestEvidenceRoom(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	sum := strings.Repeat("ab", 32)
	m := BackupManifest{Evidence: []BackupEvidence{{File: "evidence/ab/ab/" + sum, Size: 2 << 20, SHA256: sum}}}
	err := evidenceRoom(dir, m)
	if msg := xiezuo.ErrorMessage(err); !strings.Contains(msg, "空间不足") || !strings.Contains(msg, "需要 2.0 MB") || !strings.Contains(msg, "未写入任何数据") {
		t.Errorf("evidenceRoom(2 MiB into 1 MiB) = %q, want the room named", msg)
	}
	m.Evidence[0].Size = 100 << 10
	if err := evidenceRoom(dir, m); err != nil {
		t.Errorf("evidenceRoom(100 KiB into 1 MiB) = %v, want nil", err)
	}
}
