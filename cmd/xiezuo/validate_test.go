package main

import (
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
