package xiezuo

import (
	"testing"
	"time"
)

func TestLabourEntryStatus(t *testing.T) {
	tests := []struct {
		list             LabourList
		placed, proposed bool
		want             string
	}{
		{ListWilling, false, false, LabourWaiting},
		{ListWorkers, false, false, LabourAtWork},
		{ListWilling, false, true, LabourProposed},
		{ListWorkers, false, true, LabourProposed},
		{ListWilling, true, false, LabourPlaced},
		{ListWilling, true, true, LabourPlaced}, // a placement outranks a match waiting
		{ListWorkers, true, true, LabourPlaced},
	}
	for _, tc := range tests {
		if got := LabourEntryStatus(tc.list, tc.placed, tc.proposed); got != tc.want {
			t.Errorf("LabourEntryStatus(%s, placed %v, proposed %v) = %s, want %s", tc.list, tc.placed, tc.proposed, got, tc.want)
		}
	}
}

func TestMatchState(t *testing.T) {
	tests := []struct {
		kinds  []string
		placed bool
		want   string
	}{
		{nil, false, MatchWaiting},
		{[]string{MatchEventOffice}, false, MatchOffice},
		{[]string{MatchEventEmployer}, false, MatchEmployer},
		{[]string{MatchEventEmployer, MatchEventOffice}, false, MatchBoth},
		{[]string{MatchEventOffice, MatchEventEmployer}, true, MatchPlaced},
		{[]string{MatchEventOffice, MatchEventDecline}, false, MatchDeclined},
		{[]string{MatchEventDecline, MatchEventOffice}, true, MatchDeclined}, // a decline ends it
		{[]string{"unknown"}, false, MatchWaiting},
	}
	for _, tc := range tests {
		if got := MatchState(tc.kinds, tc.placed); got != tc.want {
			t.Errorf("MatchState(%v, placed %v) = %s, want %s", tc.kinds, tc.placed, got, tc.want)
		}
	}
}

func TestOpenPlacement(t *testing.T) {
	d := func(m time.Month, day int) Date { return NewDate(2021, m, day) }
	at := time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	start := Placement{ID: 1, Start: d(3, 1), RecordedAt: at}
	ended := Placement{ID: 2, Supersedes: 1, Start: d(3, 1), End: d(6, 30), RecordedAt: at.Add(time.Hour)}
	withdrawn := Placement{ID: 3, Supersedes: 1, Start: d(3, 1), Withdrawn: true, RecordedAt: at.Add(time.Hour)}
	later := Placement{ID: 4, Start: d(9, 1), RecordedAt: at}
	tests := []struct {
		name string
		all  []Placement
		day  Date
		want bool
	}{
		{"none", nil, d(7, 1), false},
		{"open", []Placement{start}, d(7, 1), true},
		{"ended on the day", []Placement{start, ended}, d(6, 30), true},
		{"ended the day before", []Placement{start, ended}, d(7, 1), false},
		{"withdrawn", []Placement{start, withdrawn}, d(7, 1), false},
		{"begins later", []Placement{later}, d(7, 1), true},
		{"one of two open", []Placement{start, ended, later}, d(7, 1), true},
	}
	for _, tc := range tests {
		if got := OpenPlacement(tc.all, tc.day); got != tc.want {
			t.Errorf("%s: OpenPlacement = %v, want %v", tc.name, got, tc.want)
		}
	}
}
