package xiezuo

import "time"

// API tokens last a limited time (等保: 鉴别信息定期更换): APITokenDays unless their maker
// chooses, at most APITokenMaxDays.
const (
	APITokenDays    = 90
	APITokenMaxDays = 365
)

// APITokenExpiry returns when a token made at made for days days ends; days 0 is the default,
// APITokenDays. Outside 1 to APITokenMaxDays days it is an EINVALID error.
func APITokenExpiry(made time.Time, days int) (time.Time, error) {
	if days == 0 {
		days = APITokenDays
	}
	if days < 1 || days > APITokenMaxDays {
		return time.Time{}, Errorf(EINVALID, "API 令牌的有效期应为 1 到 %d 天", APITokenMaxDays)
	}
	return made.AddDate(0, 0, days), nil
}
