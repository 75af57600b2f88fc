package otp

import (
	"bytes"
	"crypto/sha1"
	"encoding/base32"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rfcSecret is the SHA1 seed of RFC 6238, appendix B.
var rfcSecret = []byte("12345678901234567890")

// rfcVectors are the SHA1 rows of RFC 6238, appendix B: Unix time and 8-digit code.
var rfcVectors = []struct {
	unix int64
	code string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestRFC6238(t *testing.T) {
	for _, v := range rfcVectors {
		at := time.Unix(v.unix, 0)
		if got := code(sha1.New, rfcSecret, Step(at), 8); got != v.code {
			t.Errorf("code(SHA1, RFC secret, %d, 8 digits) = %s, want %s", v.unix, got, v.code)
		}
		// Six digits are the last six of eight: the same number taken modulo 10^6.
		if got, want := Code(rfcSecret, at), v.code[2:]; got != want {
			t.Errorf("Code(RFC secret, %d) = %s, want %s", v.unix, got, want)
		}
	}
}

func TestStep(t *testing.T) {
	tests := []struct {
		unix int64
		want int64
	}{
		{0, 0}, {29, 0}, {30, 1}, {59, 1}, {1111111109, 37037036}, {-1, -1}, {-30, -1}, {-31, -2},
	}
	for _, tt := range tests {
		if got := Step(time.Unix(tt.unix, 0)); got != tt.want {
			t.Errorf("Step(%d) = %d, want %d", tt.unix, got, tt.want)
		}
	}
}

func TestVerify(t *testing.T) {
	at := time.Unix(1111111111, 0) // step 37037037
	now := Step(at)
	code := Code(rfcSecret, at) // "050471"
	tests := []struct {
		name     string
		code     string
		at       time.Time
		lastStep int64
		wantStep int64
		wantOK   bool
	}{
		{"now", code, at, 0, now, true},
		{"typed with a space", code[:3] + " " + code[3:], at, 0, now, true},
		{"typed with spaces around", " " + code + " ", at, 0, now, true},
		{"one step late", code, at.Add(Period), 0, now, true},
		{"one step early", code, at.Add(-Period), 0, now, true},
		{"two steps late", code, at.Add(2 * Period), 0, 0, false},
		{"two steps early", code, at.Add(-2 * Period), 0, 0, false},
		{"replayed", code, at, now, 0, false},
		{"replayed a step later", code, at.Add(Period), now, 0, false},
		{"after an older code", code, at, now - 1, now, true},
		{"an older code after a newer one", Code(rfcSecret, at.Add(-Period)), at, now, 0, false},
		{"eight digits of the RFC", "14050471", at, 0, 0, false},
		{"wrong code", "123456", at, 0, 0, false},
		{"five digits", code[:5], at, 0, 0, false},
		{"seven digits", code + "1", at, 0, 0, false},
		{"letters", "05047a", at, 0, 0, false},
		{"sign", "+50471", at, 0, 0, false},
		{"full-width digits", "０５０４７１", at, 0, 0, false},
		{"empty", "", at, 0, 0, false},
	}
	for _, tt := range tests {
		step, ok := TOTP{}.Verify(rfcSecret, tt.code, tt.at, tt.lastStep)
		if step != tt.wantStep || ok != tt.wantOK {
			t.Errorf("%s: Verify(RFC secret, %q, %d, %d) = %d, %v, want %d, %v", tt.name, tt.code, tt.at.Unix(), tt.lastStep, step, ok, tt.wantStep, tt.wantOK)
		}
	}
}

func TestVerifyRejectsWeakSecrets(t *testing.T) {
	at := time.Unix(1111111111, 0)
	for _, secret := range [][]byte{nil, {}, []byte("123456789012345")} {
		c := Code(secret, at) // HMAC takes any key: whoever knows an empty secret knows its codes
		if _, ok := (TOTP{}).Verify(secret, c, at, 0); ok {
			t.Errorf("Verify(%d-byte secret, its own code) = ok, want refused", len(secret))
		}
	}
}

func TestNewSecret(t *testing.T) {
	tests := []struct {
		f    Factor
		size int
	}{
		{TOTP{}, 20},
		{SM3TOTP{}, 32},
	}
	for _, tt := range tests {
		a, err := tt.f.NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		b, err := tt.f.NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != tt.size || len(b) != tt.size {
			t.Errorf("%T.NewSecret() = %d bytes, want %d", tt.f, len(a), tt.size)
		}
		if bytes.Equal(a, b) {
			t.Errorf("%T.NewSecret() twice = %x, want two secrets", tt.f, a)
		}
		at := time.Now()
		if _, ok := tt.f.Verify(a, Code(a, at), at, 0); ok != (tt.size == 20) {
			t.Errorf("%T.Verify(new secret, SHA1 code) = %v, want %v", tt.f, ok, tt.size == 20)
		}
	}
}

// TestSM3TOTP checks that SM3TOTP is a Factor of its own: its codes are not TOTP's.
func TestSM3TOTP(t *testing.T) {
	secret := bytes.Repeat([]byte{0x5a}, 32)
	at := time.Unix(1111111111, 0)
	c := SM3Code(secret, at)
	if len(c) != Digits {
		t.Fatalf("SM3Code = %q, want %d digits", c, Digits)
	}
	// Pinned, so that a device enrolled once keeps working.
	if c != sm3Vector {
		t.Errorf("SM3Code(0x5a×32, 1111111111) = %s, want %s", c, sm3Vector)
	}
	var f Factor = SM3TOTP{}
	step, ok := f.Verify(secret, c, at.Add(Period), 0)
	if !ok || step != Step(at) {
		t.Errorf("SM3TOTP.Verify(its code, one step late) = %d, %v, want %d, true", step, ok, Step(at))
	}
	if _, ok := f.Verify(secret, c, at, step); ok {
		t.Error("SM3TOTP.Verify accepted a replayed code")
	}
	if sha := Code(secret, at); sha != c {
		if _, ok := f.Verify(secret, sha, at, 0); ok {
			t.Errorf("SM3TOTP.Verify accepted the SHA1 code %s", sha)
		}
	}
	if got := f.Name(); got != "国密动态口令（SM3）" {
		t.Errorf("SM3TOTP.Name() = %s, want 国密动态口令（SM3）", got)
	}
	if got := (TOTP{}).Name(); got != "动态口令（TOTP）" {
		t.Errorf("TOTP.Name() = %s, want 动态口令（TOTP）", got)
	}
}

// sm3Vector is SM3Code(0x5a×32, 1111111111), computed independently with OpenSSL's HMAC-SM3
// (Python hmac) and RFC 4226's truncation.
const sm3Vector = "079818"

func TestEnrolURI(t *testing.T) {
	tests := []struct {
		f       Factor
		issuer  string
		account string
		want    string
	}{
		{
			TOTP{}, "xiezuo", "zhangsan", "otpauth://totp/xiezuo:zhangsan?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=xiezuo&algorithm=SHA1&digits=6&period=30",
		},
		{
			TOTP{}, "东城区协作办", "张三", "otpauth://totp/%E4%B8%9C%E5%9F%8E%E5%8C%BA%E5%8D%8F%E4%BD%9C%E5%8A%9E:%E5%BC%A0%E4%B8%89?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E4%B8%9C%E5%9F%8E%E5%8C%BA%E5%8D%8F%E4%BD%9C%E5%8A%9E&algorithm=SHA1&digits=6&period=30",
		},
		{
			TOTP{}, "Co: A&B", "a b@x/y?z", "otpauth://totp/Co%3A%20A&B:a%20b@x%2Fy%3Fz?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Co%3A%20A%26B&algorithm=SHA1&digits=6&period=30",
		},
		{
			TOTP{}, "", "zhangsan", "otpauth://totp/zhangsan?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA1&digits=6&period=30",
		},
		{
			SM3TOTP{}, "xiezuo", "zhangsan", "otpauth://totp/xiezuo:zhangsan?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=xiezuo&algorithm=SM3&digits=6&period=30",
		},
	}
	for _, tt := range tests {
		if got := tt.f.EnrolURI(tt.issuer, tt.account, rfcSecret); got != tt.want {
			t.Errorf("%T.EnrolURI(%q, %q) = %s, want %s", tt.f, tt.issuer, tt.account, got, tt.want)
		}
	}
}

// TestEnrolURIParses reads the URI back as an app would.
func TestEnrolURIParses(t *testing.T) {
	secret := []byte{0xff, 0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90}
	u, err := url.Parse(TOTP{}.EnrolURI("东城区 协作办", "张三@东城", secret))
	if err != nil {
		t.Fatal(err)
	}
	issuer, account, _ := strings.Cut(strings.TrimPrefix(u.Path, "/"), ":")
	q := u.Query()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(q.Get("secret"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{
		"scheme": u.Scheme, "host": u.Host, "label issuer": issuer, "account": account,
		"issuer": q.Get("issuer"), "algorithm": q.Get("algorithm"), "digits": q.Get("digits"), "period": q.Get("period"),
	}
	want := map[string]string{
		"scheme": "otpauth", "host": "totp", "label issuer": "东城区 协作办", "account": "张三@东城",
		"issuer": "东城区 协作办", "algorithm": "SHA1", "digits": "6", "period": "30",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed EnrolURI mismatch (-want +got):\n%s", diff)
	}
	if !bytes.Equal(key, secret) {
		t.Errorf("secret in EnrolURI = %x, want %x", key, secret)
	}
}
