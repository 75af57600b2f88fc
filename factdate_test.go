package xiezuo

import (
	"strings"
	"testing"
)

func TestFactDateRefusal(t *testing.T) {
	tests := []struct {
		on    Date
		floor Date
		want  string // "" for no refusal
	}{
		{Date{2021, 7, 1}, MoneyDateFloor(2021), ""},
		{Date{2020, 1, 1}, MoneyDateFloor(2021), ""},
		{Date{2019, 12, 31}, MoneyDateFloor(2021), "早于 2020-01-01"},
		{Date{1, 1, 1}, MoneyDateFloor(2021), "0001-01-01 早于 2020-01-01"},
		{Date{0, 1, 1}, MoneyDateFloor(2021), "0000-01-01"},
		{Date{2016, 1, 1}, HistoryDateFloor(2021), ""},
		{Date{2015, 12, 31}, HistoryDateFloor(2021), "早于 2016-01-01"},
		{Date{}, MoneyDateFloor(2021), ""},
	}
	for _, tt := range tests {
		err := FactDateRefusal("拨付", tt.on, 2021, tt.floor)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("FactDateRefusal(%s, floor %s) = %v, want nil", tt.on, tt.floor, err)
		case tt.want != "" && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want)):
			t.Errorf("FactDateRefusal(%s, floor %s) = %v, want EINVALID containing %q", tt.on, tt.floor, err, tt.want)
		}
	}
}
