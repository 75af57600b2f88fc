package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUserAddRefuses checks that `xiezuo user add` refuses what the web form refuses: a cadre
// without its partner region, and a unit in no catalogue (with the near names).
func TestUserAddRefuses(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "x.db")
	env := map[string]string{"USER": "alice"}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--username", "cadre1", "--name", "陈干部", "--unit", "前方挂职干部", "--role", "cadre"}, "协作地区"},
		{[]string{"--username", "cz1", "--name", "李财政", "--unit", "区财政", "--role", "unit"}, "区财政局"},
	}
	for _, tt := range tests {
		args := append([]string{"user", "add", "--db", dsn, "--district", "门头沟区", "--password", "Ceshi#2021pw"}, tt.args...)
		code, out, errs := xzEnv(t, env, "", args...)
		if code == exitOK || !strings.Contains(errs, tt.want) {
			t.Errorf("user add %v = exit %d, %q %q; want a refusal naming %s", tt.args, code, out, errs, tt.want)
		}
	}
}

// TestDBNotAPath: a --db that is neither a path nor a postgres:// URL (sqlite:…, mysql://…) is
// refused with what to write instead, and nothing is made for it: no folder, no key file.
func TestDBNotAPath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, dsn := range []string{"sqlite:" + filepath.Join(dir, "x.db"), "mysql://root:S3cret@127.0.0.1/xiezuo", "host=127.0.0.1 dbname=xiezuo password=S3cret"} {
		code, out, errs := xz(t, "summary", "--json", "--year", "2021", "--district", "门头沟区", "--db", dsn)
		if code == exitOK || !strings.Contains(errs, "既不是 SQLite 文件的路径") {
			t.Errorf("summary --db %s = exit %d: %s%s; want refused saying what --db takes", dsn, code, out, errs)
		}
		if strings.Contains(out+errs, "S3cret") {
			t.Errorf("summary --db %s printed the password: %s%s", dsn, out, errs)
		}
	}
	// A path with a colon in a folder's name is still a path.
	if code, out, errs := xz(t, "summary", "--json", "--year", "2021", "--district", "门头沟区", "--db", "backup-2026-12-02T03:00/xiezuo.db"); strings.Contains(errs, "既不是 SQLite 文件的路径") {
		t.Errorf("summary --db backup-2026-12-02T03:00/xiezuo.db = exit %d: %s%s; want it taken as a path", code, out, errs)
	}
	os.RemoveAll(filepath.Join(dir, "backup-2026-12-02T03:00"))
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("a refused --db left %v in the working folder", ents)
	}
}
