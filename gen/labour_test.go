package gen

import (
	"testing"

	"xiezuo"
)

func TestLabourGenValid(t *testing.T) {
	today := xiezuo.Date{Year: 2021, Month: 6, Day: 30}
	for _, l := range xiezuo.LabourLists {
		g := LabourGen{List: l, Rows: 20_000, Seed: 7, Today: today}
		seen := map[string]int{}
		err := g.Each(func(row int, cells []string) error {
			if len(cells) != len(g.Header()) {
				t.Fatalf("%s row %d: %d cells, header has %d", l, row, len(cells), len(g.Header()))
			}
			if l == xiezuo.ListJobs {
				if !xiezuo.ValidCreditCode(cells[2]) {
					t.Errorf("%s row %d: credit code %s invalid", l, row, cells[2])
				}
				return nil
			}
			id, why := xiezuo.NormalizeIDNumber(cells[idColumn], today)
			if why != "" {
				t.Errorf("%s row %d: ID invalid: %s", l, row, why)
			}
			if first, ok := seen[id]; ok {
				t.Errorf("%s row %d: ID of row %d again", l, row, first)
			}
			seen[id] = row
			if _, ok := xiezuo.NormalizePhone(cells[4]); !ok {
				t.Errorf("%s row %d: phone %s invalid", l, row, cells[4])
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestLabourGenPlanted(t *testing.T) {
	g := LabourGen{List: xiezuo.ListWilling, Rows: 30, Seed: 1, Plant: true}
	planted := g.Planted()
	if len(planted) != 6 {
		t.Fatalf("Planted() = %d errors, want 6", len(planted))
	}
	for _, p := range planted {
		row := g.Row(p.Row - LabourHeaderRows - 1)
		switch p.Kind {
		case PlantDuplicate:
			if row[idColumn] != g.Row(0)[idColumn] {
				t.Errorf("duplicate at row %d does not repeat the first row's ID", p.Row)
			}
		case PlantExcel:
			if row[idColumn] != "5.22624E+17" {
				t.Errorf("excel at row %d: ID cell %q", p.Row, row[idColumn])
			}
		case PlantName:
			if row[1] != "" {
				t.Errorf("name at row %d: %q", p.Row, row[1])
			}
		}
	}
	// The same seed, the same rows.
	if a, b := g.Row(3), g.Row(3); a[idColumn] != b[idColumn] || a[1] != b[1] {
		t.Errorf("Row(3) differs between calls: %v, %v", a, b)
	}
}
