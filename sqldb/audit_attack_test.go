package sqldb

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/google/go-cmp/cmp"
)

// attackerDigest is the unkeyed SM3 of an entry as anyone who reads sqldb/audit.go can compute
// it: no secret goes in.
func attackerDigest(e AuditEntry) string {
	h := sm3.New()
	prev, _ := hex.DecodeString(e.PrevHash)
	h.Write(prev)
	var n [4]byte
	for _, f := range []string{
		"xiezuo-audit-v1", strconv.FormatInt(e.Seq, 10), e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.UserID, 10), e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID,
		e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail,
	} {
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestAuditRewrittenAndRechained: whoever can write the tables changes entry 3 and recomputes
// the hashes of 3, 4 and 5 without the key. Verify must still name entry 3.
func TestAuditRewrittenAndRechained(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		dropTriggers(t, db)
		entries, _, err := db.SearchAudit(t.Context(), AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		prev := ""
		for i := len(entries) - 1; i >= 0; i-- { // oldest first
			e := entries[i]
			if e.Seq < 3 {
				prev = e.Hash
				continue
			}
			if e.Seq == 3 {
				e.After = `{"field":"phone","n":333}`
			}
			e.PrevHash = prev
			e.Hash = attackerDigest(e)
			prev = e.Hash
			if _, err := db.db.ExecContext(t.Context(), `UPDATE audit_log SET after_json = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
				e.After, e.PrevHash, e.Hash, e.Seq); err != nil {
				t.Fatal(err)
			}
		}
		mustVerify(t, db, 3, 3)
	})
}

// TestAuditForgedPruneAnchor: young entries deleted behind the triggers' back and an
// audit.prune anchor written to vouch for the rest. Verify must refuse an anchor that hides
// entries younger than the retention period.
func TestAuditForgedPruneAnchor(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		var hash3 string
		if err := db.db.QueryRowContext(t.Context(), `SELECT hash FROM audit_log WHERE seq = 3`).Scan(&hash3); err != nil {
			t.Fatal(err)
		}
		dropTriggers(t, db)
		if _, err := db.db.ExecContext(t.Context(), `DELETE FROM audit_log WHERE seq <= 3`); err != nil {
			t.Fatal(err)
		}
		e := entryFor(t.Context(), AuditPrune, "audit_log", "", "审计日志")
		e.After = mustJSON(pruneAnchor{Before: time.Now().UTC(), Deleted: 3, Through: 3, Hash: hash3})
		tx, err := db.begin(t.Context(), auditLockKey)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.appendAudit(t.Context(), tx, e); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		v, err := db.VerifyAudit(t.Context(), AuditMark{})
		if err != nil || v.FirstBad != 4 || !strings.Contains(v.Problem, "未满 180 天") {
			t.Errorf("VerifyAudit(forged anchor) = %+v, %v; want first bad 4, 未满 180 天", v, err)
		}
	})
}

// TestAuditCutTail: the last two entries deleted; the head recorded before tells.
func TestAuditCutTail(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		seq, hash, err := db.AuditHead(t.Context())
		if err != nil || seq != 5 {
			t.Fatalf("AuditHead = %d, %s, %v", seq, hash, err)
		}
		dropTriggers(t, db)
		if _, err := db.db.ExecContext(t.Context(), `DELETE FROM audit_log WHERE seq >= 4`); err != nil {
			t.Fatal(err)
		}
		mustVerifyHead(t, db, AuditMark{seq, hash}, 3, 5)
		mustVerifyHead(t, db, AuditMark{3, hash}, 2, 3) // a head that is not the one recorded
	})
}

// rechainUnkeyed rewrites every entry as the old unkeyed chain, as whoever can write the
// tables but has no key can.
func rechainUnkeyed(t *testing.T, db *DB) { rechainUnkeyedThrough(t, db, 1<<62) }

// rechainUnkeyedThrough rewrites the entries up to seq through as an unkeyed chain.
func rechainUnkeyedThrough(t *testing.T, db *DB, through int64) {
	t.Helper()
	entries, _, err := db.SearchAudit(t.Context(), AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	prev := genesisHash
	for i := len(entries) - 1; i >= 0 && entries[i].Seq <= through; i-- {
		e := entries[i]
		e.PrevHash, e.Chain = prev, chainSM3
		e.Hash = attackerDigest(e)
		prev = e.Hash
		if _, err := db.db.ExecContext(t.Context(), `UPDATE audit_log SET chain = $1, prev_hash = $2, hash = $3 WHERE seq = $4`,
			e.Chain, e.PrevHash, e.Hash, e.Seq); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAuditWholeChainUnkeyed: the whole log rewritten as an unkeyed chain (the attacker
// changes the chain column too) does not verify.
func TestAuditWholeChainUnkeyed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		dropTriggers(t, db)
		rechainUnkeyed(t, db)
		mustVerify(t, db, 5, 1)
	})
}

// TestAuditKeySwitchOver: a log written before the audit key (unkeyed SM3) is refused until
// the operator switches it once (SwitchAuditKey); it then verifies under the old rule up to
// the audit.key entry, and keyed from then on. A second switch is refused.
func TestAuditKeySwitchOver(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		dropTriggers(t, db)
		rechainUnkeyed(t, db) // as the log was before this version
		if err := db.UseAuditKey(t.Context(), testAuditKey); !errors.Is(err, ErrAuditUnkeyed) {
			t.Fatalf("UseAuditKey(unkeyed head) = %v, want ErrAuditUnkeyed", err)
		}
		if err := db.AppendAudit(t.Context(), AuditEntry{Action: "before.switch"}); !errors.Is(err, ErrAuditUnkeyed) {
			t.Fatalf("AppendAudit(unkeyed head) = %v, want ErrAuditUnkeyed", err)
		}
		sw, err := db.SwitchAuditKey(t.Context())
		if err != nil || sw.Seq != 6 || sw.Action != AuditKeyed {
			t.Fatalf("SwitchAuditKey = %+v, %v", sw, err)
		}
		if _, err := db.SwitchAuditKey(t.Context()); err == nil || !strings.Contains(err.Error(), "不能再切换") {
			t.Errorf("SwitchAuditKey twice = %v, want refused", err)
		}
		if err := db.UseAuditKey(t.Context(), testAuditKey); err != nil {
			t.Fatal(err)
		}
		mustAppend(t, db, AuditEntry{Action: "after.key"})
		if diff := cmp.Diff([]string{AuditKeyed, "after.key"}, auditActions(t, db)[5:]); diff != "" {
			t.Errorf("newest audit actions (-want +got):\n%s", diff)
		}
		mustVerify(t, db, 7, 0)
		// Rewriting an entry before the switch is still caught: the switch entry's keyed hash
		// covers the unkeyed chain before it.
		if _, err := db.db.ExecContext(t.Context(), `UPDATE audit_log SET detail = 'x' WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		rechainUnkeyedThrough(t, db, 5)
		mustVerify(t, db, 6, 6)
	})
}

// TestAuditRewrittenUnkeyedNotBlessed: whoever can write the database deletes entries and
// rewrites the whole log as an unkeyed chain, renumbered. The next start must not append a
// switch entry that makes it verify: the key is refused, writes are refused, and verify
// fails without a recorded head.
func TestAuditRewrittenUnkeyedNotBlessed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		appendFive(t, db)
		dropTriggers(t, db)
		ctx := t.Context()
		for _, q := range []string{`DELETE FROM audit_log WHERE seq IN (2, 3)`,
			`UPDATE audit_log SET seq = 2 WHERE seq = 4`, `UPDATE audit_log SET seq = 3 WHERE seq = 5`} {
			if _, err := db.db.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		rechainUnkeyed(t, db)
		if err := db.UseAuditKey(ctx, testAuditKey); !errors.Is(err, ErrAuditUnkeyed) {
			t.Errorf("UseAuditKey(rewritten log) = %v, want ErrAuditUnkeyed", err)
		}
		if err := db.AppendAudit(ctx, AuditEntry{Action: "after.attack"}); !errors.Is(err, ErrAuditUnkeyed) {
			t.Errorf("AppendAudit(rewritten log) = %v, want ErrAuditUnkeyed", err)
		}
		if got := auditActions(t, db); len(got) != 3 || slices.Contains(got, AuditKeyed) {
			t.Errorf("audit actions after the attack = %v, want the 3 rewritten, no switch", got)
		}
		mustVerify(t, db, 3, 1)
	})
}

// TestAuditSwitchEntryChecked: a second switch entry, or keyed entries after unkeyed ones
// without a switch between them, do not verify.
func TestAuditSwitchEntryChecked(t *testing.T) {
	insert := func(t *testing.T, db *DB, e *AuditEntry) {
		t.Helper()
		tx, err := db.begin(t.Context(), auditLockKey)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		var last int64
		var prev string
		if err := tx.QueryRowContext(t.Context(), `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last, &prev); err != nil {
			t.Fatal(err)
		}
		if err := db.insertAudit(t.Context(), tx, e, last, prev); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	forEachDB(t, func(t *testing.T, db *DB) {
		t.Run("second switch", func(t *testing.T) {
			appendFive(t, db)
			insert(t, db, keySwitch(5))
			mustVerify(t, db, 6, 6)
		})
	})
	forEachDB(t, func(t *testing.T, db *DB) {
		t.Run("no switch", func(t *testing.T) {
			appendFive(t, db)
			dropTriggers(t, db)
			rechainUnkeyedThrough(t, db, 3)
			if _, err := db.db.ExecContext(t.Context(), `DELETE FROM audit_log WHERE seq > 3`); err != nil {
				t.Fatal(err)
			}
			insert(t, db, &AuditEntry{Action: "keyed.without.switch"})
			mustVerify(t, db, 4, 4)
		})
	})
	forEachDB(t, func(t *testing.T, db *DB) {
		t.Run("switch first", func(t *testing.T) {
			if _, err := db.SwitchAuditKey(t.Context()); err == nil {
				t.Errorf("SwitchAuditKey(empty log) = nil, want refused")
			}
		})
	})
}

// TestAuditWiped: every entry deleted behind the triggers' back in a database that holds an
// account. Verify must not call the empty log intact, and the key must not be taken up as
// for a fresh log: nothing is written, and key-switch is refused.
func TestAuditWiped(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		mustVerify(t, db, 0, 0) // a fresh database: empty and intact
		mustCreateUser(t, db, testUser("office1", "office"))
		mustSeal(t, db) // its entry chained, then wiped
		dropTriggers(t, db)
		if _, err := db.db.ExecContext(t.Context(), `DELETE FROM audit_log`); err != nil {
			t.Fatal(err)
		}
		v, err := db.VerifyAudit(t.Context(), AuditMark{})
		if err != nil {
			t.Fatal(err)
		}
		if v.OK() || !strings.Contains(v.Problem, "审计日志为空") {
			t.Errorf("VerifyAudit(wiped) = %+v, want the empty log reported", v)
		}
		if err := db.UseAuditKey(t.Context(), testAuditKey); !errors.Is(err, ErrAuditEmptied) {
			t.Errorf("UseAuditKey(wiped) = %v, want ErrAuditEmptied", err)
		}
		// A waiting entry inserted without the key does not pass the log off as a young one.
		forge := `INSERT INTO audit_pending (ref, at, user_id, username, unit, ip, action, object_type,
			object_id, object_label, before_json, after_json, outcome, detail, mac)
			VALUES ('forged-ref', $1, 1, 'office', '领导小组办公室', '', 'user.create', 'user', '1', '', '', '', 'success', '', $2)`
		if _, err := db.db.ExecContext(t.Context(), forge, db.now().UTC(), strings.Repeat("ab", 32)); err != nil {
			t.Fatal(err)
		}
		if err := db.UseAuditKey(t.Context(), testAuditKey); !errors.Is(err, ErrAuditPendingForeign) {
			t.Errorf("UseAuditKey(wiped, a forged entry waiting) = %v, want ErrAuditPendingForeign", err)
		}
		if _, err := db.AuditVerified(t.Context(), v, AuditMark{}); !errors.Is(err, ErrAuditEmptied) {
			t.Errorf("AuditVerified(wiped) = %v, want ErrAuditEmptied", err)
		}
		if _, err := db.SwitchAuditKey(t.Context()); err == nil {
			t.Error("SwitchAuditKey(wiped) = nil, want refused")
		}
		if n, _, _ := db.AuditHead(t.Context()); n != 0 {
			t.Errorf("wiped log now has entry %d, want none written", n)
		}
	})
}

// TestAuditKeyMismatch: a database whose log was chained under one key, opened with another
// (a restored database started with a new key file), is refused and nothing is written;
// opened with its own key it is accepted.
func TestAuditKeyMismatch(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		appendFive(t, db)
		other, err := Open(ctx, db.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.UseAuditKey(ctx, []byte("another audit key, also 32 bytes")); !errors.Is(err, ErrAuditKeyMismatch) {
			t.Fatalf("UseAuditKey(wrong key) = %v, want ErrAuditKeyMismatch", err)
		}
		if err := other.AppendAudit(ctx, AuditEntry{Action: "with.wrong.key"}); err == nil {
			t.Errorf("AppendAudit after the wrong key: no error, want refused")
		}
		if n := countWhere(t, db, `SELECT COUNT(*) FROM audit_log`) + countWhere(t, db, `SELECT COUNT(*) FROM audit_pending`); n != 5 {
			t.Errorf("%d entries after the wrong key, want the 5 there were", n)
		}
		if err := other.UseAuditKey(ctx, testAuditKey); err != nil {
			t.Fatalf("UseAuditKey(its own key) = %v", err)
		}
		if err := other.AppendAudit(ctx, AuditEntry{Action: "with.right.key"}); err != nil {
			t.Fatalf("AppendAudit with its own key = %v", err)
		}
		mustVerify(t, db, 6, 0)
	})
}

// TestAuditWipedReplayed: an honest waiting entry, copied before it was sealed and inserted
// again after the log was emptied, carries the key's HMAC but does not pass the log off as
// young: it accounts for one creation while the database holds an account and a plan more.
// Neither a new start nor the running sealer begins a new chain on it.
func TestAuditWipedReplayed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *DB) {
		ctx := t.Context()
		mustCreateUser(t, db, testUser("office1", "office"))
		mustCreateUser(t, db, testUser("office2", "office"))
		mustSeal(t, db)                   // the accounts' entries chained
		writeDeferred(t, db, 0, 1, false) // an honest entry waiting, copied aside
		if _, err := db.db.ExecContext(ctx, `CREATE TABLE stash AS SELECT * FROM audit_pending`); err != nil {
			t.Fatal(err)
		}
		mustSeal(t, db)
		dropTriggers(t, db)
		wipeAuditLog(t, db)
		if _, err := db.db.ExecContext(ctx, `INSERT INTO audit_pending SELECT * FROM stash`); err != nil {
			t.Fatal(err)
		}
		if err := db.sealPending(ctx); !errors.Is(err, ErrAuditEmptied) {
			t.Errorf("sealPending(wiped, a copied entry waiting) = %v, want ErrAuditEmptied", err)
		}
		if n, _, _ := db.AuditHead(ctx); n != 0 {
			t.Errorf("the sealer began a new chain on the copied entry: head %d", n)
		}
		other, err := Open(ctx, db.dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		if err := other.UseAuditKey(ctx, testAuditKey); !errors.Is(err, ErrAuditEmptied) {
			t.Errorf("UseAuditKey(wiped, a copied entry waiting) = %v, want ErrAuditEmptied", err)
		}
		// The same entries under another key: named as such, not as an emptied log.
		if err := other.UseAuditKey(ctx, []byte("another audit key, also 32 bytes")); !errors.Is(err, ErrAuditPendingForeign) {
			t.Errorf("UseAuditKey(another key, entries waiting) = %v, want ErrAuditPendingForeign", err)
		}
	})
}
