package otp

import (
	"strings"
	"testing"
	"time"
)

// FuzzVerify: a code typed at sign-in is accepted only when it is, spaces left out, the code
// of a step within the drift after the last one used, and the step returned is that step.
// bench/fuzz.sh runs it for minutes.
func FuzzVerify(f *testing.F) {
	secret := []byte("0123456789abcdef0123")
	at := time.Date(2021, 8, 28, 10, 0, 0, 0, time.UTC)
	f.Add(Code(secret, at), int64(0), secret)
	f.Add("123 456", Step(at), secret)
	f.Add(SM3Code(secret, at.Add(Period)), Step(at)-1, secret)
	f.Add("１２３４５６", int64(0), []byte("short"))
	f.Fuzz(func(t *testing.T, typed string, lastStep int64, secret []byte) {
		for _, v := range []struct {
			name   string
			verify func([]byte, string, time.Time, int64) (int64, bool)
			code   func([]byte, time.Time) string
		}{{"TOTP", TOTP{}.Verify, Code}, {"SM3TOTP", SM3TOTP{}.Verify, SM3Code}} {
			step, ok := v.verify(secret, typed, at, lastStep)
			if !ok {
				continue
			}
			now := Step(at)
			if step <= lastStep || step < now-Drift || step > now+Drift || len(secret) < MinSecretSize {
				t.Errorf("%s.Verify(%q, last %d) = step %d, now %d", v.name, typed, lastStep, step, now)
			}
			if want := v.code(secret, time.Unix(step*int64(Period/time.Second), 0)); strings.ReplaceAll(typed, " ", "") != want {
				t.Errorf("%s.Verify(%q) accepted, the code of step %d is %s", v.name, typed, step, want)
			}
		}
	})
}
