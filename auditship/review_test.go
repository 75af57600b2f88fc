package auditship

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"xiezuo/sqldb"
)

// collector is a syslog collector over TCP (octet counting) at one address, that can be
// stopped and started again on the same port, as a restarted collector is.
type collector struct {
	t    *testing.T
	addr string
	mu   sync.Mutex
	ln   net.Listener
	cs   []net.Conn
	seqs map[int]bool
	got  chan struct{}
}

func newCollector(t *testing.T) *collector {
	c := &collector{t: t, addr: "127.0.0.1:0", seqs: map[int]bool{}, got: make(chan struct{}, 1000)}
	c.start()
	c.addr = c.ln.Addr().String()
	t.Cleanup(c.stop)
	return c
}

func (c *collector) start() {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	c.ln = ln
	c.mu.Unlock()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			c.mu.Lock()
			c.cs = append(c.cs, conn)
			c.mu.Unlock()
			go c.read(conn)
		}
	}()
}

func (c *collector) read(conn net.Conn) {
	br := bufio.NewReader(conn)
	for {
		n, err := br.ReadString(' ')
		if err != nil {
			return
		}
		size, _ := strconv.Atoi(strings.TrimSpace(n))
		m := make([]byte, size)
		if _, err := io.ReadFull(br, m); err != nil {
			return
		}
		var r Record
		if err := json.Unmarshal(m[strings.Index(string(m), "\ufeff")+3:], &r); err != nil {
			c.t.Errorf("message %q: %v", m, err)
			return
		}
		c.mu.Lock()
		c.seqs[int(r.Seq)] = true
		c.mu.Unlock()
		c.got <- struct{}{}
	}
}

// stop closes the listener and every connection, as a collector that goes down does.
func (c *collector) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ln.Close()
	for _, conn := range c.cs {
		conn.Close()
	}
	c.cs = nil
}

// wait waits for seq to arrive; false when it did not within a long while.
func (c *collector) wait(seq int) bool {
	deadline := time.After(20 * time.Second)
	for {
		c.mu.Lock()
		ok := c.seqs[seq]
		c.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-c.got:
		case <-deadline:
			return false
		}
	}
}

// TestShipTCPCollectorRestart: the collector restarts between entries; every entry arrives
// (at least once), none is lost in the dead connection's buffer with the cursor moved on.
func TestShipTCPCollectorRestart(t *testing.T) {
	db := openKeyed(t, filepath.Join(t.TempDir(), "data", "xiezuo.db"))
	c := newCollector(t)
	target := "syslog+tcp://" + c.addr
	s, err := Open(target)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o := sqldb.ShipOptions{Target: target, Holder: "x", Lease: time.Minute}
	for i := 1; i <= 6; i++ {
		appendN(t, db, i, 1)
		shipAll(t, db, s, o)
		if !c.wait(i) {
			t.Fatalf("entry %d never arrived after the collector restarted (received %v)", i, c.seqs)
		}
		c.stop()
		c.start()
	}
}

// TestShipFileRefusesNonRegular: a FIFO, a symlink or a directory as the file target is
// refused in Chinese at Open (serve's start) and when reopened after rotation, never hangs.
func TestShipFileRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(dir, "real.jsonl")
	os.WriteFile(real, nil, 0o600)
	link := filepath.Join(dir, "link.jsonl")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	// A FIFO with a reader opens without ENXIO: it must still be refused, not written to.
	r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for name, p := range map[string]string{"fifo": fifo, "symlink": link, "directory": dir, "/dev/null": "/dev/null"} {
		if _, err := Open("file:" + p); err == nil || !strings.Contains(err.Error(), "审计日志外送文件") {
			t.Errorf("Open(%s) = %v, want refused in Chinese", name, err)
		}
	}
	// Rotation: the regular file replaced by a FIFO, then by a symlink.
	db := openKeyed(t, filepath.Join(t.TempDir(), "data", "xiezuo.db"))
	path := filepath.Join(dir, "audit.jsonl")
	s, err := Open("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o := sqldb.ShipOptions{Target: "file:" + path, Holder: "x", Lease: time.Minute}
	appendN(t, db, 0, 1)
	shipAll(t, db, s, o)
	for _, swap := range []func() error{
		func() error { return syscall.Mkfifo(path, 0o600) },
		func() error { return os.Symlink(real, path) },
	} {
		os.Remove(path)
		if err := swap(); err != nil {
			t.Fatal(err)
		}
		appendN(t, db, 1, 1)
		if _, _, err := db.ShipAudit(t.Context(), o, s.Send); err == nil || !strings.Contains(err.Error(), "审计日志外送文件") {
			t.Errorf("ShipAudit after the file became a FIFO or symlink = %v, want refused in Chinese", err)
		}
	}
	if data, _ := os.ReadFile(real); len(data) != 0 {
		t.Errorf("written through the symlink: %q", data)
	}
}

// TestRunLogsOnce: while the collector is down, Run logs its failure once, not once a round,
// and once that it works again when the collector is back.
func TestRunLogsOnce(t *testing.T) {
	db := openKeyed(t, filepath.Join(t.TempDir(), "data", "xiezuo.db"))
	c := newCollector(t)
	c.stop()
	appendN(t, db, 0, 1)
	var mu sync.Mutex
	downs, ups := 0, 0
	ctx, cancel := contextWithCancel(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, db, "syslog+tcp://"+c.addr, 5*time.Millisecond,
			func(error) { mu.Lock(); downs++; mu.Unlock() }, func() { mu.Lock(); ups++; mu.Unlock() })
	}()
	for {
		mu.Lock()
		d := downs
		mu.Unlock()
		if d > 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // some 50 rounds more, all failing
	c.start()
	if !c.wait(1) {
		t.Fatal("entry 1 never arrived after the collector came back")
	}
	appendN(t, db, 1, 1)
	if !c.wait(2) {
		t.Fatal("entry 2 never arrived")
	}
	cancel()
	<-done
	if downs != 1 || ups != 1 {
		t.Errorf("Run logged down %d times, up %d times; want once each", downs, ups)
	}
}

// TestShippedLinesCarryHash: every shipped form carries the entry's seq and hash, by which a
// collector drops repeats: the file's JSON line, the syslog message, a UDP datagram cut short.
func TestShippedLinesCarryHash(t *testing.T) {
	e := sqldb.AuditEntry{Seq: 7, Hash: strings.Repeat("ab", 32), Action: "test.ship", Outcome: sqldb.AuditSuccess, Detail: strings.Repeat("长", maxUDP)}
	var r Record
	if err := json.Unmarshal(jsonLine(e), &r); err != nil || r.Seq != 7 || r.Hash != e.Hash {
		t.Errorf("JSON line = %+v, %v; want seq 7 and the hash", r, err)
	}
	m := Message(e, "h", 1)
	if len(m) <= maxUDP {
		t.Fatal("the message is not longer than a datagram")
	}
	if cut := string(m[:maxUDP]); !strings.Contains(cut, `seq="7" hash="`+e.Hash+`"`) {
		t.Errorf("a datagram cut short lost its seq and hash: %q", cut[:200])
	}
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}
