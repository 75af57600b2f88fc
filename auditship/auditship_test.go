package auditship

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"xiezuo/sqldb"
	"xiezuo/sqldb/sqldbtest"
)

var testKey = bytes.Repeat([]byte{0x5a}, 32)

func openKeyed(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.UseAuditKey(t.Context(), testKey); err != nil {
		t.Fatal(err)
	}
	return db
}

func appendN(t *testing.T, db *sqldb.DB, from, n int) {
	t.Helper()
	for i := range n {
		if err := db.AppendAudit(t.Context(), sqldb.AuditEntry{Username: "office1", Action: "test.ship", ObjectID: fmt.Sprint(from + i),
			Detail: `含 "引号" 与 ]`}); err != nil {
			t.Fatal(err)
		}
	}
}

// shipAll ships until nothing is left, as holder, and reports whether it held the lease.
func shipAll(t *testing.T, db *sqldb.DB, s Sender, o sqldb.ShipOptions) bool {
	t.Helper()
	for {
		n, held, err := db.ShipAudit(t.Context(), o, s.Send)
		if err != nil {
			t.Fatalf("ShipAudit(%s) = %v", o.Holder, err)
		}
		if !held || n == 0 {
			return held
		}
	}
}

// TestShipTakeOver: two instances (two handles on one PostgreSQL) ship to one real file; one
// holds the lease, the other ships nothing until the lease has run out (its holder died), then
// takes over from the cursor: every entry arrives in seq order, none lost, none twice. The file
// rotated between batches is reopened.
func TestShipTakeOver(t *testing.T) {
	url := sqldbtest.PostgresURL(t)
	a, b := openKeyed(t, url), openKeyed(t, url)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	target := "file:" + path
	sa, err := Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer sa.Close()
	sb, _ := Open(target)
	defer sb.Close()
	oa := sqldb.ShipOptions{Target: target, Holder: "a", Lease: time.Hour, Batch: 7}
	ob := sqldb.ShipOptions{Target: target, Holder: "b", Lease: time.Hour, Batch: 7}
	appendN(t, a, 0, 20)
	appendN(t, b, 100, 10)
	if !shipAll(t, a, sa, oa) {
		t.Fatal("the first instance did not get the lease")
	}
	appendN(t, b, 200, 5)
	if shipAll(t, b, sb, ob) {
		t.Fatal("the second instance shipped while the first held the lease")
	}
	// Rotated: the collector moved the file away.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	// a dies; once its lease has run out, b takes over.
	ob.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	if !shipAll(t, b, sb, ob) {
		t.Fatal("the second instance did not take over after the lease ran out")
	}
	var seqs []int64
	for _, f := range []string{path + ".1", path} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			var r Record
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatalf("%s: line %q: %v", f, line, err)
			}
			seqs = append(seqs, r.Seq)
		}
	}
	head, _, err := a.AuditHead(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(seqs)) != head {
		t.Fatalf("shipped %d entries, the log has %d", len(seqs), head)
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("shipped seqs = %v, want 1 to %d in order, once each", seqs, head)
		}
	}
	if c, err := b.AuditShipCursor(t.Context(), target); err != nil || c != head {
		t.Errorf("cursor = %d, %v; want %d", c, err, head)
	}
}

// TestShipSyslog: entries reach a real UDP and a real TCP listener on 127.0.0.1 as RFC 5424
// messages, one per entry, in seq order (TCP framed by octet counting), on SQLite.
func TestShipSyslog(t *testing.T) {
	db := openKeyed(t, filepath.Join(t.TempDir(), "data", "xiezuo.db"))
	appendN(t, db, 0, 12)
	re := regexp.MustCompile(`^<110>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z \S+ xiezuo \d+ test\.ship \[xiezuo@32473 seq="(\d+)" hash="[0-9a-f]{64}" user="office1" outcome="success"\] \x{feff}\{`)
	check := func(t *testing.T, msgs []string) {
		t.Helper()
		if len(msgs) != 12 {
			t.Fatalf("received %d messages, want 12", len(msgs))
		}
		for i, m := range msgs {
			sub := re.FindStringSubmatch(m)
			if sub == nil || sub[1] != strconv.Itoa(i+1) {
				t.Fatalf("message %d = %q, want RFC 5424 with seq %d", i, m, i+1)
			}
			var r Record
			if err := json.Unmarshal([]byte(m[strings.Index(m, "\ufeff")+3:]), &r); err != nil || r.Seq != int64(i+1) || r.Detail != `含 "引号" 与 ]` {
				t.Errorf("message %d's JSON = %+v, %v", i, r, err)
			}
		}
	}
	t.Run("udp", func(t *testing.T) {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer pc.Close()
		target := "syslog+udp://" + pc.LocalAddr().String()
		s, err := Open(target)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		shipAll(t, db, s, sqldb.ShipOptions{Target: target, Holder: "x", Lease: time.Minute, Batch: 5})
		var msgs []string
		buf := make([]byte, 65536)
		for range 12 {
			pc.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, string(buf[:n]))
		}
		check(t, msgs)
	})
	t.Run("tcp", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		got := make(chan []string, 1)
		go func() {
			c, err := ln.Accept()
			if err != nil {
				got <- nil
				return
			}
			defer c.Close()
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			br := bufio.NewReader(c)
			var msgs []string
			for len(msgs) < 12 {
				n, err := br.ReadString(' ')
				if err != nil {
					break
				}
				size, _ := strconv.Atoi(strings.TrimSpace(n))
				m := make([]byte, size)
				if _, err := io.ReadFull(br, m); err != nil {
					break
				}
				msgs = append(msgs, string(m))
			}
			got <- msgs
		}()
		target := "syslog+tcp://" + ln.Addr().String()
		s, err := Open(target)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		shipAll(t, db, s, sqldb.ShipOptions{Target: target, Holder: "x", Lease: time.Minute, Batch: 5})
		check(t, <-got)
	})
}

// TestOpenRefuses: an address of no known kind is refused in Chinese, naming the kinds.
func TestOpenRefuses(t *testing.T) {
	for _, target := range []string{"syslog://1.2.3.4", "http://x", "file:", "syslog+udp://"} {
		if _, err := Open(target); err == nil || !strings.Contains(err.Error(), "syslog+udp://") {
			t.Errorf("Open(%q) = %v, want refused naming the kinds", target, err)
		}
	}
}

// BenchmarkShipLag: the time from an audited write's commit to its line in the file, with
// serve's Run (a round a second) over PostgreSQL, for 100 writes at about 20 a second.
func BenchmarkShipLag(b *testing.B) {
	db, err := sqldb.Open(b.Context(), sqldbtest.PostgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.UseAuditKey(b.Context(), testKey); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "audit.jsonl")
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, db, "file:"+path, time.Second, func(err error) { b.Error(err) }, func() {})
	}()
	var lags []time.Duration
	for i := range 100 {
		if err := db.AppendAudit(b.Context(), sqldb.AuditEntry{Action: "bench.lag", ObjectID: fmt.Sprint(i)}); err != nil {
			b.Fatal(err)
		}
		at := time.Now()
		for {
			data, _ := os.ReadFile(path)
			if bytes.Count(data, []byte("\n")) > i {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		lags = append(lags, time.Since(at))
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	slices.Sort(lags)
	b.Logf("ship lag over %d writes: p50 %v, p99 %v, max %v", len(lags), lags[len(lags)/2].Round(time.Millisecond),
		lags[len(lags)*99/100].Round(time.Millisecond), lags[len(lags)-1].Round(time.Millisecond))
}
