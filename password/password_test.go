package password

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h, err := Hash("Gongzuo#2021")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("Hash = %s, want argon2id with the documented parameters", h)
	}
	if !Verify(h, "Gongzuo#2021") {
		t.Error("Verify(hash, right password) = false")
	}
	for _, wrong := range []string{"gongzuo#2021", "", "Gongzuo#2021 "} {
		if Verify(h, wrong) {
			t.Errorf("Verify(hash, %q) = true", wrong)
		}
	}
	h2, _ := Hash("Gongzuo#2021")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=65536,t=3,p=2$!!$!!", "$bcrypt$x", "$argon2id$v=19$m=99999999,t=3,p=2$AAAA$AAAA"} {
		if Verify(bad, "x") {
			t.Errorf("Verify(%q) = true", bad)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		pw, user string
		ok       bool
	}{
		{"Gongzuo#2021", "zhang", true},
		{"gongzuo2021#", "zhang", true},
		{"Short#1", "zhang", false},
		{"alllowercase1", "zhang", false},
		{"Zhang#20212021", "zhang", false},
		{"With Space#2021", "zhang", false},
		{"协作平台Abc12345", "zhang", true},
	}
	for _, tt := range tests {
		if err := Check(tt.pw, tt.user); (err == nil) != tt.ok {
			t.Errorf("Check(%q, %q) = %v, want ok = %v", tt.pw, tt.user, err, tt.ok)
		}
	}
	for range 20 {
		if pw := Generate(); Check(pw, "") != nil {
			t.Errorf("Generate() = %q fails the policy: %v", pw, Check(pw, ""))
		}
	}
}
