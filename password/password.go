// Package password hashes and checks passwords: argon2id (RFC 9106) with a per-password salt,
// and the password policy of docs/security.md.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"xiezuo"
)

// Parameters of argon2id: the OWASP recommendation (19 MiB, 2 passes, 1 lane). RFC 9106's
// 64 MiB would let a burst of sign-ins alone take a small office server past its memory; the
// web layer also runs at most one hash per core at a time.
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	keyLen    = 32
	saltLen   = 16
)

// MinLength is the shortest password accepted.
const MinLength = 10

// Hash returns the encoded argon2id hash of pw: $argon2id$v=19$m=65536,t=3,p=2$salt$key.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, passes, memoryKiB, lanes, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memoryKiB, passes, lanes, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash. Parameters are read from the hash, so
// hashes made with older parameters still verify.
func Verify(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<21 || t > 16 || p == 0 {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// Check applies the password policy: at least MinLength characters, at least three of the four
// classes (upper case, lower case, digits, symbols), not containing the sign-in name. The error
// is an EINVALID *xiezuo.Error with a message for the user.
func Check(pw, username string) error {
	if len([]rune(pw)) < MinLength {
		return xiezuo.Errorf(xiezuo.EINVALID, "密码至少 %d 位", MinLength)
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r):
			return xiezuo.Errorf(xiezuo.EINVALID, "密码不能含空格")
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return xiezuo.Errorf(xiezuo.EINVALID, "密码应至少包含大写字母、小写字母、数字、符号中的三类")
	}
	if username != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(username)) {
		return xiezuo.Errorf(xiezuo.EINVALID, "密码不能包含登录名")
	}
	return nil
}

// Generate returns a random password that satisfies Check, for initial passwords that the user
// must change at first sign-in.
func Generate() string {
	const (
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lower  = "abcdefghijkmnpqrstuvwxyz"
		digits = "23456789"
		symbol = "#%+-=@_"
	)
	all := upper + lower + digits + symbol
	pick := func(set string) byte {
		b := make([]byte, 1)
		for {
			rand.Read(b)
			if int(b[0]) < 256-256%len(set) {
				return set[int(b[0])%len(set)]
			}
		}
	}
	out := []byte{pick(upper), pick(lower), pick(digits), pick(symbol)}
	for len(out) < 14 {
		out = append(out, pick(all))
	}
	// Shuffle so the classes are not always in the same places.
	for i := len(out) - 1; i > 0; i-- {
		j := int(pick(all)) % (i + 1)
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// NewInitial returns a generated initial password and its hash: the password is shown once to
// the administrator, and the user must change it at first sign-in.
func NewInitial() (pw, hash string, err error) {
	pw = Generate()
	hash, err = Hash(pw)
	return pw, hash, err
}
