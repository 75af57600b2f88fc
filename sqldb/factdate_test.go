package sqldb

import (
	"strings"
	"testing"

	"xiezuo"
)

// TestFactDateFloor: a transaction, step, result or asset dated with a wrong year (0000, 0001,
// 1921) is refused with the same message on both databases and nothing is written; SQLite kept
// the year 0 that PostgreSQL refuses with a driver error.
func TestFactDateFloor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, p1, _ := fundsFixture(t, db)
		for _, on := range []xiezuo.Date{{Year: 0, Month: 1, Day: 1}, {Year: 1, Month: 7, Day: 1}, {Year: 2019, Month: 12, Day: 31}} {
			_, err := db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: p1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 100, On: on})
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "早于 2020-01-01") {
				t.Errorf("AddFundTx(dated %s) = %v, want EINVALID 早于 2020-01-01", on, err)
			}
			_, err = db.ImportFundTxs(ctx, []xiezuo.FundTx{{ProjectID: p1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 100, On: on}}, "测试")
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "早于 2020-01-01") {
				t.Errorf("ImportFundTxs(dated %s) = %v, want EINVALID 早于 2020-01-01", on, err)
			}
		}
		if txs, _ := db.FundTxs(ctx, p1); len(txs) != 0 {
			t.Errorf("refused transactions stored %d rows", len(txs))
		}
		if _, err := db.AddFundTx(ctx, xiezuo.FundTx{ProjectID: p1, Kind: xiezuo.FundAllocation, Source: xiezuo.SourceDistrict, Amount: 100, On: xiezuo.NewDate(2020, 12, 20)}); err != nil {
			t.Errorf("AddFundTx(allocated ahead, 2020-12-20) = %v, want nil", err)
		}
		for _, on := range []xiezuo.Date{{Year: 0, Month: 1, Day: 1}, {Year: 1921, Month: 7, Day: 1}} {
			_, err := db.AddProjectStep(ctx, xiezuo.ProjectStep{ProjectID: p1, Kind: xiezuo.StepStart, On: on})
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "早于 2016-01-01") {
				t.Errorf("AddProjectStep(dated %s) = %v, want EINVALID 早于 2016-01-01", on, err)
			}
			_, err = db.AddProjectResult(ctx, xiezuo.ProjectResult{ProjectID: p1, Kind: xiezuo.ResultPeople, Value: 1, On: on})
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "早于 2016-01-01") {
				t.Errorf("AddProjectResult(dated %s) = %v, want EINVALID 早于 2016-01-01", on, err)
			}
			_, err = db.AddAsset(ctx, xiezuo.Asset{ProjectID: p1, Kind: "公益性资产", Name: "道路", Value: xiezuo.Known(100), Quantity: xiezuo.Known(1),
				Unit: "条", Owner: "村委会", HandoverOn: on, Upkeep: "村委会"})
			if xiezuo.ErrorCode(err) != xiezuo.EINVALID || !strings.Contains(xiezuo.ErrorMessage(err), "早于 2016-01-01") {
				t.Errorf("AddAsset(handed over %s) = %v, want EINVALID 早于 2016-01-01", on, err)
			}
		}
		if steps, _ := db.ProjectSteps(ctx, p1); len(steps) != 0 {
			t.Errorf("refused steps stored %d rows", len(steps))
		}
		if rs, _ := db.ProjectResults(ctx, p1); len(rs) != 0 {
			t.Errorf("refused results stored %d rows", len(rs))
		}
		if as, _ := db.ProjectAssets(ctx, p1); len(as) != 0 {
			t.Errorf("refused assets stored %d rows", len(as))
		}
	})
}

// TestAddAssetOnce: an asset under an Idempotency-Key is stored once; the key again answers it;
// another request with the key is ECONFLICT and stores nothing.
func TestAddAssetOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx, p1, _ := fundsFixture(t, db)
		a := xiezuo.Asset{ProjectID: p1, Kind: "公益性资产", Name: "道路", Value: xiezuo.Known(100), Quantity: xiezuo.Known(1),
			Unit: "条", Owner: "村委会", HandoverOn: xiezuo.NewDate(2021, 9, 1), Upkeep: "村委会"}
		u := mustCreateUser(t, db, &xiezuo.User{Username: "caizheng", Name: "李财政", District: "门头沟区", Unit: "区财政局", Roles: []string{xiezuo.RoleUnit}})
		k := Idem{UserID: u.ID, Key: "asset-1", RequestHash: "h1"}
		first, replayed, err := db.AddAssetOnce(ctx, a, k)
		if err != nil || replayed || first.ID == 0 {
			t.Fatalf("AddAssetOnce = %+v, %v, %v", first, replayed, err)
		}
		again, replayed, err := db.AddAssetOnce(ctx, a, k)
		if err != nil || !replayed || again.ID != first.ID {
			t.Errorf("AddAssetOnce again = %+v, %v, %v; want the first asset replayed", again, replayed, err)
		}
		k.RequestHash = "h2"
		if _, _, err := db.AddAssetOnce(ctx, a, k); xiezuo.ErrorCode(err) != xiezuo.ECONFLICT {
			t.Errorf("AddAssetOnce(another request, same key) = %v, want ECONFLICT", err)
		}
		if as, _ := db.ProjectAssets(ctx, p1); len(as) != 1 {
			t.Errorf("stored assets = %d, want 1", len(as))
		}
	})
}
