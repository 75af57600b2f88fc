package xiezuo

import (
	"fmt"
	"time"
)

// LightColor is the colour of a deadline's light.
type LightColor int

// Light colours: Open is a deadline without a date (按计划推进); Done is a duty the office
// closed (销号), which never turns red again.
const (
	LightOpen LightColor = iota
	LightGreen
	LightYellow
	LightRed
	LightDone
)

// lightNames are the colours as the API and filters write them.
var lightNames = [...]string{"open", "green", "yellow", "red", "done"}

// String is the colour as the API writes it: open, green, yellow, red or done.
func (c LightColor) String() string {
	if c < 0 || int(c) >= len(lightNames) {
		return "open"
	}
	return lightNames[c]
}

// Word is the colour in a word, shown beside it so that no page says it by colour alone.
func (c LightColor) Word() string {
	switch c {
	case LightGreen:
		return "正常"
	case LightYellow:
		return "临期"
	case LightRed:
		return "逾期"
	case LightDone:
		return "已销号"
	}
	return "无期限"
}

// ParseLightColor reads a colour as String writes it.
func ParseLightColor(s string) (LightColor, bool) {
	for i, n := range lightNames {
		if n == s {
			return LightColor(i), true
		}
	}
	return LightOpen, false
}

// Light is the state of a deadline on a day: its colour, and the days left until the next date
// not passed (0 for red or open).
type Light struct {
	Color LightColor
	Days  int
}

// WarnDays is how many days before a deadline its light turns yellow unless the office sets
// another number (Cadence.WarnDays): the default of that setting.
const WarnDays = 3

// DeadlineLight is a deadline's light on day today: red when every date has passed, yellow
// within warnDays of the next date, green before; open when the deadline names no date.
func DeadlineLight(d Deadline, today Date, warnDays int) Light {
	if d.Open() {
		return Light{Color: LightOpen}
	}
	for _, due := range d.Dates {
		days := DaysBetween(today, due)
		switch {
		case days < 0:
			continue
		case days <= warnDays:
			return Light{LightYellow, days}
		default:
			return Light{LightGreen, days}
		}
	}
	return Light{Color: LightRed}
}

// Text is the light in words, as pages show it.
func (l Light) Text() string {
	switch l.Color {
	case LightGreen:
		return fmt.Sprintf("还有 %d 天", l.Days)
	case LightYellow:
		if l.Days == 0 {
			return "今天到期"
		}
		return fmt.Sprintf("%d 天后到期", l.Days)
	case LightRed:
		return "已过期"
	case LightDone:
		return "已销号"
	}
	return "按计划推进"
}

// Due reports whether the light asks for attention: yellow or red.
func (l Light) Due() bool { return l.Color == LightYellow || l.Color == LightRed }

// DaysBetween is the number of days from a to b, negative when b is before a.
func DaysBetween(a, b Date) int {
	ta := time.Date(a.Year, a.Month, a.Day, 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// DateOf is the calendar date of t in its location.
func DateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }
