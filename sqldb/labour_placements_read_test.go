package sqldb

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"xiezuo"
)

// insertPlacementPerson stores a person row as part B's import would (the sealed number and
// its index are stand-ins here: this test reads no ID number).
func insertPlacementPerson(t *testing.T, db *DB, id int64, name string) {
	t.Helper()
	if _, err := db.db.ExecContext(t.Context(), `INSERT INTO labour_people (id, id_index, id_sealed, name, sex, created_at)
		VALUES ($1, $2, $3, $4, '男', $5)`, id, []byte(fmt.Sprintf("index-%d", id)), []byte("sealed"), name, time.Now().UTC()); err != nil {
		t.Fatalf("insert person: %v", err)
	}
}

// insertPlacement stores a placement row as RecordPlacement would.
func insertPlacement(t *testing.T, db *DB, p xiezuo.Placement) {
	t.Helper()
	var supersedes any
	if p.Supersedes != 0 {
		supersedes = p.Supersedes
	}
	if _, err := db.db.ExecContext(t.Context(), `INSERT INTO labour_placements (id, district, person_id, employer, post, place_code,
		start_on, end_on, poor, home_code, region, source, supersedes, withdrawn, reason, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		p.ID, p.District, p.PersonID, p.Employer, p.Post, p.PlaceCode, p.Start, p.End, p.Poor, p.HomeCode, p.Region, p.Source,
		supersedes, p.Withdrawn, p.Reason, "renshe", p.RecordedAt); err != nil {
		t.Fatalf("insert placement %d: %v", p.ID, err)
	}
}

// TestLabourPlacementsIndicators: placement rows stored in the database are read back with the
// person's name masked, as of a moment, and counted by the labour indicators of the district's
// and of the city's scorecards.
func TestLabourPlacementsIndicators(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		store2021(t, db)
		ctx := t.Context()
		p, err := db.LoadPlan(ctx, "门头沟区", 2021)
		if err != nil {
			t.Fatal(err)
		}
		region := p.Regions[0].Name
		insertPlacementPerson(t, db, 1, "张三")
		insertPlacementPerson(t, db, 2, "欧阳修")
		rec := func(s string) time.Time {
			d, _ := xiezuo.ParseDate(s)
			return time.Date(d.Year, d.Month, d.Day, 2, 0, 0, 0, time.UTC)
		}
		day := func(s string) xiezuo.Date { d, _ := xiezuo.ParseDate(s); return d }
		rows := []xiezuo.Placement{
			{ID: 1, District: "门头沟区", PersonID: 1, Employer: "北京某物业公司", Post: "电工", PlaceCode: "110109", Start: day("2021-03-01"),
				Poor: xiezuo.PoorLifted, HomeCode: "150125", Region: region, Source: xiezuo.PlacementFromMatch, RecordedAt: rec("2021-03-02")},
			{ID: 2, District: "门头沟区", PersonID: 2, Employer: "呼和浩特某厂", PlaceCode: "150102", Start: day("2021-11-01"),
				HomeCode: "150125", Region: region, Source: xiezuo.PlacementRecorded, RecordedAt: rec("2021-11-02")},
			{ID: 3, District: "门头沟区", PersonID: 2, Employer: "呼和浩特某厂", PlaceCode: "150102", Start: day("2021-11-01"),
				HomeCode: "150125", Region: region, Source: xiezuo.PlacementRecorded, Supersedes: 2, Withdrawn: true, Reason: "重复登记",
				RecordedAt: rec("2021-11-20")},
			// Another district's placement is not read.
			{ID: 4, District: "延庆区", PersonID: 2, Employer: "某公司", PlaceCode: "110119", Start: day("2021-05-01"),
				HomeCode: "150125", Region: region, Source: xiezuo.PlacementRecorded, RecordedAt: rec("2021-05-02")},
		}
		for _, r := range rows {
			insertPlacement(t, db, r)
		}
		all, err := db.LabourPlacements(ctx, "门头沟区", time.Time{})
		if err != nil || len(all) != 3 {
			t.Fatalf("LabourPlacements = %d rows, %v; want 3", len(all), err)
		}
		want := rows[0]
		want.Name, want.RecordedBy = "张*", "renshe"
		if diff := cmp.Diff(want, all[0]); diff != "" {
			t.Errorf("LabourPlacements[0] (-want +got):\n%s", diff)
		}
		if all[2].Supersedes != 2 || !all[2].Withdrawn || all[2].Name != "欧**" || !all[2].End.IsZero() {
			t.Errorf("LabourPlacements[2] = %+v", all[2])
		}
		then, err := db.LabourPlacements(ctx, "门头沟区", rec("2021-11-10"))
		if err != nil || len(then) != 2 {
			t.Errorf("LabourPlacements(2021-11-10) = %d rows, %v; want 2", len(then), err)
		}

		values := func(d xiezuo.ScoreData, asOf string) string {
			card := xiezuo.Score(xiezuo.ShippedIndicators(2021), d, day(asOf), xiezuo.ByDimension)
			out := ""
			for _, r := range card.Rows() {
				switch r.Indicator.Code {
				case "gg-07", "gg-08", "gg-09", "gg-10":
					out += r.Indicator.Code + "=" + r.Value.String() + " "
				}
			}
			return out
		}
		d, err := db.ScoreData(ctx, "门头沟区", 2021, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := values(d, "2021-12-31"), "gg-07=1 gg-08=1 gg-09=0 gg-10=1 "; got != want {
			t.Errorf("ScoreData now, as of 2021-12-31: %s, want %s", got, want)
		}
		// As it stood on 10 November, before the withdrawal.
		d, err = db.ScoreData(ctx, "门头沟区", 2021, xiezuo.ScoreAt(day("2021-11-10")))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := values(d, "2021-11-10"), "gg-07=2 gg-08=1 gg-09=1 gg-10=1 "; got != want {
			t.Errorf("ScoreData as of 2021-11-10: %s, want %s", got, want)
		}

		// The city's copy: the same, then a new placement read on the next call.
		city := func() string {
			cs, err := db.CityScoreData(ctx, []string{"门头沟区"}, []int{2021}, time.Time{})
			if err != nil || len(cs) != 1 {
				t.Fatalf("CityScoreData = %d, %v", len(cs), err)
			}
			return values(cs[0].Data, "2021-12-31")
		}
		if got, want := city(), "gg-07=1 gg-08=1 gg-09=0 gg-10=1 "; got != want {
			t.Errorf("CityScoreData: %s, want %s", got, want)
		}
		insertPlacement(t, db, xiezuo.Placement{ID: 5, District: "门头沟区", PersonID: 2, Employer: "武川某合作社", PlaceCode: "150125",
			Start: day("2021-12-01"), Poor: xiezuo.PoorLifted, HomeCode: "150125", Region: region, Source: xiezuo.PlacementRecorded,
			RecordedAt: rec("2021-12-01")})
		if got, want := city(), "gg-07=2 gg-08=2 gg-09=1 gg-10=1 "; got != want {
			t.Errorf("CityScoreData after a new placement: %s, want %s", got, want)
		}
	})
}
