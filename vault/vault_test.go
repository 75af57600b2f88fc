package vault

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// unhex decodes hex digits in a test; spaces are ignored.
func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testKeys returns fixed keys whose bytes all equal b, with key id id.
func testKeys(id, b byte) Keys {
	return Keys{ID: id, Enc: bytes.Repeat([]byte{b}, EncKeySize), Index: bytes.Repeat([]byte{b}, IndexKeySize)}
}

// newTestSM4 returns an SM4 with testKeys(id, b).
func newTestSM4(t *testing.T, id, b byte) *SM4 {
	t.Helper()
	s, err := NewSM4(testKeys(id, b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSM4KnownAnswer checks gmsm against the example of GB/T 32907-2016 (appendix A.1) and
// SM3 against the first example of GB/T 32905-2016.
func TestSM4KnownAnswer(t *testing.T) {
	key := unhex(t, "0123456789abcdeffedcba9876543210")
	block, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 16)
	block.Encrypt(got, key)
	if want := "681edf34d206965e86b3e94f536e4246"; hex.EncodeToString(got) != want {
		t.Errorf("SM4 encrypt(%x) = %x, want %s", key, got, want)
	}
	back := make([]byte, 16)
	block.Decrypt(back, got)
	if !bytes.Equal(back, key) {
		t.Errorf("SM4 decrypt(%x) = %x, want %x", got, back, key)
	}

	sum := sm3.Sum([]byte("abc"))
	if want := "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"; hex.EncodeToString(sum[:]) != want {
		t.Errorf("SM3(abc) = %x, want %s", sum, want)
	}
}

// TestGCMImplementationsAgree checks that the GCM that gmsm provides for its block, which NewSM4
// prefers, computes what the generic GCM of crypto/cipher computes.
func TestGCMImplementationsAgree(t *testing.T) {
	key := unhex(t, "0123456789abcdeffedcba9876543210")
	fast, err := newGCM(key)
	if err != nil {
		t.Fatal(err)
	}
	block, err := sm4.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	generic, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	nonce := unhex(t, "00112233445566778899aabb")
	for _, n := range []int{0, 1, 15, 16, 17, 64, 255, 1000} {
		plaintext := bytes.Repeat([]byte{byte(n)}, n)
		ad := []byte("users.phone")
		a := fast.Seal(nil, nonce, plaintext, ad)
		b := generic.Seal(nil, nonce, plaintext, ad)
		if !bytes.Equal(a, b) {
			t.Errorf("%d bytes: gmsm GCM = %x, crypto/cipher GCM = %x", n, a, b)
		}
		if _, err := generic.Open(nil, nonce, a, ad); err != nil {
			t.Errorf("%d bytes: crypto/cipher GCM cannot open gmsm GCM: %v", n, err)
		}
	}
}

func TestSealOpen(t *testing.T) {
	s := newTestSM4(t, 7, 1)
	for _, plaintext := range []string{"", "13812341234", "11010519491231002X", "张三丰", strings.Repeat("收入", 500)} {
		sealed, err := s.Seal([]byte(plaintext), "users.phone")
		if err != nil {
			t.Fatalf("Seal(%q) error: %v", plaintext, err)
		}
		if got, want := len(sealed), Overhead+len(plaintext); got != want {
			t.Errorf("len(Seal(%q)) = %d, want %d", plaintext, got, want)
		}
		if sealed[0] != version || sealed[1] != 7 {
			t.Errorf("Seal(%q) starts %x, want version %d and key id 7", plaintext, sealed[:2], version)
		}
		if len(plaintext) > 4 && bytes.Contains(sealed, []byte(plaintext)) {
			t.Errorf("Seal(%q) contains the plaintext", plaintext)
		}
		got, err := s.Open(sealed, "users.phone")
		if err != nil {
			t.Fatalf("Open(Seal(%q)) error: %v", plaintext, err)
		}
		if string(got) != plaintext {
			t.Errorf("Open(Seal(%q)) = %q, want %q", plaintext, got, plaintext)
		}
	}
}

func TestSealDiffers(t *testing.T) {
	s := newTestSM4(t, 1, 1)
	a, err := s.Seal([]byte("13812341234"), "users.phone")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Seal([]byte("13812341234"), "users.phone")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Errorf("two Seals of one value are equal (%x): the nonce is not fresh", a)
	}
	if bytes.Equal(a[2:2+NonceSize], b[2:2+NonceSize]) {
		t.Errorf("two Seals share the nonce %x", a[2:2+NonceSize])
	}
}

func TestOpenRejects(t *testing.T) {
	s := newTestSM4(t, 1, 1)
	sealed, err := s.Seal([]byte("11010519491231002X"), "people.id_number")
	if err != nil {
		t.Fatal(err)
	}
	// Every single changed byte, whether in the header, the nonce, the ciphertext or the tag.
	for i := range sealed {
		tampered := bytes.Clone(sealed)
		tampered[i] ^= 0x01
		if got, err := s.Open(tampered, "people.id_number"); err == nil {
			t.Errorf("Open(sealed with byte %d changed) = %q, want an error", i, got)
		}
	}
	otherKey := newTestSM4(t, 1, 2) // same key id, another key
	unknownID := newTestSM4(t, 9, 1)
	tests := []struct {
		name   string
		s      *SM4
		sealed []byte
		field  string
	}{
		{"wrong field", s, sealed, "people.phone"},
		{"field with a suffix", s, sealed, "people.id_number2"},
		{"wrong key", otherKey, sealed, "people.id_number"},
		{"unknown key id", unknownID, sealed, "people.id_number"},
		{"truncated tag", s, sealed[:len(sealed)-1], "people.id_number"},
		{"header only", s, sealed[:2], "people.id_number"},
		{"one byte", s, sealed[:1], "people.id_number"},
		{"empty", s, nil, "people.id_number"},
		{"appended byte", s, append(bytes.Clone(sealed), 0), "people.id_number"},
	}
	for _, tt := range tests {
		if got, err := tt.s.Open(tt.sealed, tt.field); err == nil {
			t.Errorf("%s: Open(%x, %q) = %q, want an error", tt.name, tt.sealed, tt.field, got)
		}
	}
}

// TestSealedFormat opens a value sealed when the format was written, so that a change of the
// format or of the additional data cannot pass unnoticed: stored values would stop opening.
func TestSealedFormat(t *testing.T) {
	s := newTestSM4(t, 1, 1)
	sealed := unhex(t, sealedVector)
	got, err := s.Open(sealed, "users.phone")
	if err != nil {
		t.Fatalf("Open(%s) error: %v", sealedVector, err)
	}
	if want := "13812341234"; string(got) != want {
		t.Errorf("Open(%s) = %q, want %q", sealedVector, got, want)
	}
}

// sealedVector is 13812341234 sealed for users.phone under testKeys(1, 1). It was checked
// with OpenSSL's SM4-GCM (Python cryptography 48), additional data 01 01 "users.phone".
const sealedVector = "0101fa756caa65fd2947bbbead7f109fd753a60eb1b7ae4e3b0c6a575c56678823cbeb40b429e8a110"

func TestIndex(t *testing.T) {
	s := newTestSM4(t, 1, 1)
	a := s.Index([]byte("13812341234"), "users.phone")
	if len(a) != IndexSize || IndexSize != 32 {
		t.Fatalf("len(Index) = %d, want 32", len(a))
	}
	if got := s.Index([]byte("13812341234"), "users.phone"); !bytes.Equal(got, a) {
		t.Errorf("Index is not deterministic: %x, then %x", a, got)
	}
	// The index of a key does not depend on the encryption key or its id: rotating the
	// encryption key keeps every index.
	rotated, err := NewSM4(Keys{ID: 2, Enc: bytes.Repeat([]byte{9}, EncKeySize), Index: bytes.Repeat([]byte{1}, IndexKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	if got := rotated.Index([]byte("13812341234"), "users.phone"); !bytes.Equal(got, a) {
		t.Errorf("Index after rotating the encryption key = %x, want %x", got, a)
	}
	differ := []struct {
		name  string
		s     *SM4
		value string
		field string
	}{
		{"another value", s, "13812341235", "users.phone"},
		{"another field", s, "13812341234", "people.phone"},
		{"another index key", newTestSM4(t, 1, 2), "13812341234", "users.phone"},
		{"field and value split elsewhere", s, "phone\x0013812341234", "users."},
	}
	for _, tt := range differ {
		if got := tt.s.Index([]byte(tt.value), tt.field); bytes.Equal(got, a) {
			t.Errorf("%s: Index(%q, %q) = %x, the same as Index(13812341234, users.phone)", tt.name, tt.value, tt.field, got)
		}
	}
	// Pinned, like sealedVector: a changed index would no longer find stored rows.
	if got := hex.EncodeToString(a); got != indexVector {
		t.Errorf("Index(13812341234, users.phone) = %s, want %s", got, indexVector)
	}
}

// indexVector is the index of 13812341234 for users.phone under testKeys(1, 1). It was
// checked with OpenSSL's HMAC-SM3 (Python hmac.new(key, b"users.phone\x00" + value, "sm3")).
const indexVector = "624dd47f73b068f6e14e308c95ba64cde7e878c7c826f94dad73972ddf4fb7da"

func TestRotation(t *testing.T) {
	before := newTestSM4(t, 1, 1)
	old, err := before.Seal([]byte("13812341234"), "users.phone")
	if err != nil {
		t.Fatal(err)
	}
	keys := testKeys(2, 2)
	keys.Old = map[byte][]byte{1: bytes.Repeat([]byte{1}, EncKeySize)}
	after, err := NewSM4(keys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := after.Open(old, "users.phone")
	if err != nil || string(got) != "13812341234" {
		t.Errorf("after rotation, Open(old value) = %q, %v; want 13812341234, nil", got, err)
	}
	sealed, err := after.Seal([]byte("13812341234"), "users.phone")
	if err != nil {
		t.Fatal(err)
	}
	if sealed[1] != 2 {
		t.Errorf("after rotation, Seal uses key id %d, want 2", sealed[1])
	}
	if got, err := before.Open(sealed, "users.phone"); err == nil {
		t.Errorf("a Sealer without the new key opened a new value: %q", got)
	}
	got, err = after.Open(sealed, "users.phone")
	if err != nil || string(got) != "13812341234" {
		t.Errorf("after rotation, Open(new value) = %q, %v; want 13812341234, nil", got, err)
	}
}

func TestNewSM4Errors(t *testing.T) {
	good := testKeys(1, 1)
	tests := []struct {
		name string
		keys Keys
		want string
	}{
		{"short enc", Keys{ID: 1, Enc: make([]byte, 15), Index: good.Index}, "加密密钥应为 16 字节，实际为 15 字节"},
		{"no enc", Keys{ID: 1, Index: good.Index}, "加密密钥应为 16 字节，实际为 0 字节"},
		{"short index", Keys{ID: 1, Enc: good.Enc, Index: make([]byte, 16)}, "索引密钥应为 32 字节，实际为 16 字节"},
		{"old key with current id", Keys{ID: 1, Enc: good.Enc, Index: good.Index, Old: map[byte][]byte{1: good.Enc}}, "旧密钥编号 1 与当前密钥编号相同"},
		{"short old key", Keys{ID: 1, Enc: good.Enc, Index: good.Index, Old: map[byte][]byte{3: {1, 2}}}, "旧密钥 3 应为 16 字节，实际为 2 字节"},
	}
	for _, tt := range tests {
		_, err := NewSM4(tt.keys)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: NewSM4 error = %v, want %s", tt.name, err, tt.want)
		}
	}
}

func TestKeysDoNotPrint(t *testing.T) {
	k := testKeys(1, 0xab)
	k.Old = map[byte][]byte{0: bytes.Repeat([]byte{0xab}, EncKeySize)}
	s, err := NewSM4(k)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{k, &k, s, struct{ K Keys }{k}} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
			if got := fmt.Sprintf(verb, v); strings.Contains(got, "abab") || strings.Contains(got, "171 171") {
				t.Errorf("Sprintf(%s, %T) = %s, shows a key", verb, v, got)
			}
		}
	}
}

// TestIndexPooled checks that Index, which reuses keyed hashes, gives what a fresh
// hmac.New(sm3.New, key) gives, for many values and fields, in turn and at once: the stored
// blind indexes must not change.
func TestIndexPooled(t *testing.T) {
	key := make([]byte, IndexKeySize)
	for i := range key {
		key[i] = byte(i*7 + 3)
	}
	s, err := NewSM4(Keys{ID: 1, Enc: bytes.Repeat([]byte{5}, EncKeySize), Index: key})
	if err != nil {
		t.Fatal(err)
	}
	want := func(value []byte, field string) []byte {
		m := hmac.New(sm3.New, key)
		m.Write([]byte(field))
		m.Write([]byte{0})
		m.Write(value)
		return m.Sum(nil)
	}
	fields := []string{"", "users.phone", "labour_people.id_number", strings.Repeat("f", 100)}
	check := func(i int) {
		value := []byte(strings.Repeat(strconv.Itoa(i), i%150))
		field := fields[i%len(fields)]
		if got, w := s.Index(value, field), want(value, field); !bytes.Equal(got, w) {
			t.Errorf("Index(%q, %q) = %x, want %x", value, field, got, w)
		}
	}
	for i := 0; i < 2000; i++ {
		check(i)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				check(g*1000 + i)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkIndex measures Index beside a fresh hmac.New per call (what Index did before).
func BenchmarkIndex(b *testing.B) {
	keys := testKeys(1, 1)
	s, err := NewSM4(keys)
	if err != nil {
		b.Fatal(err)
	}
	v := []byte("110101199003074477")
	b.Run("pooled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Index(v, "labour_people.id_number")
		}
	})
	b.Run("hmac.New", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(sm3.New, keys.Index)
			m.Write([]byte("labour_people.id_number"))
			m.Write([]byte{0})
			m.Write(v)
			m.Sum(nil)
		}
	})
}
