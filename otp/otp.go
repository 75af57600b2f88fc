// Package otp checks the second factor of a sign-in: GB/T 22239-2019 level 3 asks for two
// authentication factors, one of them cryptographic. The password is the first; a Factor is
// the second. TOTP (RFC 6238), which any authenticator app computes, is built in; SM3TOTP
// computes the same codes with HMAC-SM3 for tokens that follow GM/T 0021.
//
// Secrets are personal data to the server: store them sealed (package vault), never in logs.
package otp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// Factor is a second factor checked at sign-in. TOTP is the built-in one; an SM3-based dynamic
// password (GM/T 0021) or a UKey can implement it too.
type Factor interface {
	// Name is the factor's name shown to users, such as 动态口令（TOTP）.
	Name() string
	// NewSecret returns a new random secret to share with the user's device.
	NewSecret() ([]byte, error)
	// Verify reports whether code is right for secret at the time at, and the time step it
	// belongs to. It rejects a code of a step not after lastStep, the step of the last code
	// accepted for this secret (0 when none was), so that no code is accepted twice: store the
	// step returned and pass it as lastStep next time.
	Verify(secret []byte, code string, at time.Time, lastStep int64) (step int64, ok bool)
	// EnrolURI returns the otpauth:// URI that authenticator apps read from a QR code.
	EnrolURI(issuer, account string, secret []byte) string
}

// Parameters shared by TOTP and SM3TOTP.
const (
	Digits = 6                // digits of a code
	Period = 30 * time.Second // length of a time step
	// Drift is how many steps a code may be early or late, for clocks that differ and
	// for the time a person takes to type.
	Drift = 1
	// MinSecretSize is the shortest secret Verify accepts: 128 bits (RFC 4226, section 4).
	MinSecretSize = 16
)

// TOTP is the time-based one-time password of RFC 6238 with HMAC-SHA1, 6 digits and 30-second
// steps: the codes of Google Authenticator, Microsoft Authenticator, FreeOTP and the mini
// programs of WeChat.
type TOTP struct{}

var _ Factor = TOTP{}

// Name returns 动态口令（TOTP）.
func (TOTP) Name() string { return "动态口令（TOTP）" }

// NewSecret returns 20 random bytes, the size of an HMAC-SHA1 output that RFC 4226 recommends.
func (TOTP) NewSecret() ([]byte, error) { return newSecret(sha1.Size) }

// Verify checks a code with HMAC-SHA1.
func (TOTP) Verify(secret []byte, code string, at time.Time, lastStep int64) (int64, bool) {
	return verify(sha1.New, secret, code, at, lastStep)
}

// EnrolURI returns otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=ISSUER&algorithm=SHA1&digits=6&period=30.
func (TOTP) EnrolURI(issuer, account string, secret []byte) string {
	return enrolURI(issuer, account, secret, "SHA1")
}

// Code returns the TOTP code (HMAC-SHA1, 6 digits) of secret at the time at, as an
// authenticator app shows it.
func Code(secret []byte, at time.Time) string {
	return code(sha1.New, secret, Step(at), Digits)
}

// SM3TOTP is TOTP with HMAC-SM3 in place of HMAC-SHA1: 6 digits and 30-second steps, in the
// manner of the dynamic passwords of GM/T 0021. Common authenticator apps do not compute it; a
// token or an app that supports SM3 does.
type SM3TOTP struct{}

var _ Factor = SM3TOTP{}

// Name returns 国密动态口令（SM3）.
func (SM3TOTP) Name() string { return "国密动态口令（SM3）" }

// NewSecret returns 32 random bytes, the size of an SM3 digest.
func (SM3TOTP) NewSecret() ([]byte, error) { return newSecret(sm3.Size) }

// Verify checks a code with HMAC-SM3.
func (SM3TOTP) Verify(secret []byte, code string, at time.Time, lastStep int64) (int64, bool) {
	return verify(sm3.New, secret, code, at, lastStep)
}

// EnrolURI returns an otpauth:// URI as TOTP's with algorithm=SM3.
func (SM3TOTP) EnrolURI(issuer, account string, secret []byte) string {
	return enrolURI(issuer, account, secret, "SM3")
}

// SM3Code returns the SM3TOTP code of secret at the time at.
func SM3Code(secret []byte, at time.Time) string {
	return code(sm3.New, secret, Step(at), Digits)
}

// Step returns the number of the time step that the time at falls in: whole periods since
// the Unix epoch.
func Step(at time.Time) int64 {
	sec, p := at.Unix(), int64(Period/time.Second)
	step := sec / p
	if sec%p < 0 { // round down before 1970 too
		step--
	}
	return step
}

func newSecret(size int) ([]byte, error) {
	b := make([]byte, size)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("new otp secret: %w", err)
	}
	return b, nil
}

// code computes HOTP (RFC 4226, section 5.3) of the counter step with the hash h, as a string
// of the given number of digits.
func code(h func() hash.Hash, secret []byte, step int64, digits int) string {
	m := hmac.New(h, secret)
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(step))
	m.Write(counter[:])
	sum := m.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// verify checks code against the steps around at that come after lastStep. The code may be
// typed with spaces, as apps show it ("123 456").
func verify(h func() hash.Hash, secret []byte, typed string, at time.Time, lastStep int64) (int64, bool) {
	typed = strings.ReplaceAll(typed, " ", "")
	if len(typed) != Digits || len(secret) < MinSecretSize {
		return 0, false
	}
	for i := 0; i < len(typed); i++ {
		if typed[i] < '0' || typed[i] > '9' {
			return 0, false
		}
	}
	now := Step(at)
	for step := now - Drift; step <= now+Drift; step++ {
		if step <= lastStep || step < 0 {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(code(h, secret, step, Digits)), []byte(typed)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// enrolURI builds the key URI of Google Authenticator's format. The label's issuer and account
// are escaped as path segments, a colon included, since the colon separates them; query values
// are escaped with %20 for a space, which apps read more reliably than +.
func enrolURI(issuer, account string, secret []byte, algorithm string) string {
	label := escapeLabel(account)
	if issuer != "" {
		label = escapeLabel(issuer) + ":" + label
	}
	var q strings.Builder
	q.WriteString("secret=")
	q.WriteString(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret))
	if issuer != "" {
		q.WriteString("&issuer=")
		q.WriteString(strings.ReplaceAll(url.QueryEscape(issuer), "+", "%20"))
	}
	fmt.Fprintf(&q, "&algorithm=%s&digits=%d&period=%d", algorithm, Digits, int(Period/time.Second))
	return "otpauth://totp/" + label + "?" + q.String()
}

// escapeLabel escapes one part of an otpauth label.
func escapeLabel(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}
