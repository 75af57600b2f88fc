// Package auditship ships the audit log, as it is written, to the office's log system: syslog
// over UDP or TCP (RFC 5424, one entry per message) or a file of JSON lines a collector reads.
// Entries go in seq order after they are chained, at least once, over all instances: the
// cursor and the lease live in the database (sqldb.ShipAudit). A collector drops repeats by
// seq. An entry holds what the audit log holds, nothing more (no ID numbers: reveal entries
// name the person, never the number).
package auditship

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"xiezuo/sqldb"
)

// Sender delivers a batch of entries, in order.
type Sender interface {
	Send([]sqldb.AuditEntry) error
	Close() error
}

// Open returns the sender for target: syslog+udp://HOST:PORT, syslog+tcp://HOST:PORT or
// file:/path/audit.jsonl.
func Open(target string) (Sender, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("审计日志外送地址“%s”无法识别：应为 syslog+udp://主机:端口、syslog+tcp://主机:端口 或 file:/路径/audit.jsonl", target)
	}
	switch u.Scheme {
	case "syslog+udp", "syslog+tcp":
		if u.Host == "" {
			break
		}
		host, _ := os.Hostname()
		return &syslogSender{network: strings.TrimPrefix(u.Scheme, "syslog+"), addr: u.Host, host: host, pid: os.Getpid()}, nil
	case "file":
		p := u.Path
		if p == "" {
			p = u.Opaque
		}
		if p != "" {
			return &fileSender{path: p}, nil
		}
	}
	return nil, fmt.Errorf("审计日志外送地址“%s”无法识别：应为 syslog+udp://主机:端口、syslog+tcp://主机:端口 或 file:/路径/audit.jsonl", target)
}

// Record is an entry as shipped: the audit entry's fields, by name.
type Record struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	UserID      int64     `json:"user_id,omitempty"`
	Username    string    `json:"username"`
	Unit        string    `json:"unit,omitempty"`
	IP          string    `json:"ip,omitempty"`
	Action      string    `json:"action"`
	ObjectType  string    `json:"object_type,omitempty"`
	ObjectID    string    `json:"object_id,omitempty"`
	ObjectLabel string    `json:"object_label,omitempty"`
	Before      string    `json:"before,omitempty"`
	After       string    `json:"after,omitempty"`
	Outcome     string    `json:"outcome"`
	Detail      string    `json:"detail,omitempty"`
	PrevHash    string    `json:"prev_hash"`
	Hash        string    `json:"hash"`
}

func record(e sqldb.AuditEntry) Record {
	return Record{e.Seq, e.At.UTC(), e.UserID, e.Username, e.Unit, e.IP, e.Action, e.ObjectType, e.ObjectID,
		e.ObjectLabel, e.Before, e.After, e.Outcome, e.Detail, e.PrevHash, e.Hash}
}

func jsonLine(e sqldb.AuditEntry) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(record(e)) // a struct of strings and numbers: cannot fail
	return b.Bytes()
}

// fileSender appends JSON lines, fsynced once per batch, and reopens the file when it was
// rotated (moved or removed) since the last batch.
type fileSender struct {
	path string
	f    *os.File
}

func (s *fileSender) Send(batch []sqldb.AuditEntry) error {
	if s.f != nil {
		st, err1 := s.f.Stat()
		cur, err2 := os.Stat(s.path)
		if err1 != nil || err2 != nil || !os.SameFile(st, cur) {
			s.f.Close()
			s.f = nil
		}
	}
	if s.f == nil {
		f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		s.f = f
	}
	var b bytes.Buffer
	for _, e := range batch {
		b.Write(jsonLine(e))
	}
	if _, err := s.f.Write(b.Bytes()); err != nil {
		return err
	}
	return s.f.Sync()
}

func (s *fileSender) Close() error {
	if s.f == nil {
		return nil
	}
	return s.f.Close()
}

// syslogSender writes RFC 5424 messages: facility log audit (13), severity informational, or
// warning for a failure; MSGID the action; structured data with the seq and hash; the message
// the entry as JSON. Over TCP each message is framed by its length (RFC 6587 octet counting).
type syslogSender struct {
	network, addr, host string
	pid                 int
	conn                net.Conn
}

// maxUDP bounds a datagram: an entry larger is cut, its structured data (seq, hash) kept.
const maxUDP = 60000

// Message is the RFC 5424 message of e.
func Message(e sqldb.AuditEntry, host string, pid int) []byte {
	sev := 6
	if e.Outcome == sqldb.AuditFailure {
		sev = 4
	}
	msgid := e.Action
	if msgid == "" || len(msgid) > 32 {
		msgid = "-"
	}
	if host == "" {
		host = "-"
	}
	sd := fmt.Sprintf(`[xiezuo@32473 seq="%d" hash="%s" user="%s" outcome="%s"]`, e.Seq, e.Hash, sdEscape(e.Username), sdEscape(e.Outcome))
	var b bytes.Buffer
	fmt.Fprintf(&b, "<%d>1 %s %s xiezuo %d %s %s \ufeff", 13*8+sev, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"), host, pid, msgid, sd)
	b.Write(bytes.TrimSuffix(jsonLine(e), []byte("\n")))
	return b.Bytes()
}

func sdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, `]`, `\]`).Replace(s)
}

func (s *syslogSender) Send(batch []sqldb.AuditEntry) error {
	if s.conn == nil {
		c, err := net.DialTimeout(s.network, s.addr, 5*time.Second)
		if err != nil {
			return err
		}
		s.conn = c
	}
	var b bytes.Buffer
	for _, e := range batch {
		m := Message(e, s.host, s.pid)
		if s.network == "udp" {
			if len(m) > maxUDP {
				m = m[:maxUDP]
			}
			if _, err := s.conn.Write(m); err != nil {
				s.conn.Close()
				s.conn = nil
				return err
			}
			continue
		}
		b.WriteString(strconv.Itoa(len(m)))
		b.WriteByte(' ')
		b.Write(m)
	}
	if s.network == "tcp" {
		s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := s.conn.Write(b.Bytes()); err != nil {
			s.conn.Close()
			s.conn = nil
			return err
		}
	}
	return nil
}

func (s *syslogSender) Close() error {
	if s.conn == nil {
		return nil
	}
	return s.conn.Close()
}

// Holder names this process for the lease: host, process id and a random part.
func Holder() string {
	host, _ := os.Hostname()
	var r [4]byte
	rand.Read(r[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(r[:]))
}

// Lease is how long an instance's lease holds: another takes over this long after it died.
const Lease = 15 * time.Second

// Run ships db's audit log to target until ctx ends: a batch after another while there are
// entries, then every interval. Errors are given to logf and tried again at the next round.
func Run(ctx context.Context, db *sqldb.DB, target string, interval time.Duration, logf func(error)) error {
	s, err := Open(target)
	if err != nil {
		return err
	}
	defer s.Close()
	o := sqldb.ShipOptions{Target: target, Holder: Holder(), Lease: Lease}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for {
			n, _, err := db.ShipAudit(ctx, o, s.Send)
			if err != nil && ctx.Err() == nil {
				logf(err)
			}
			if err != nil || n < 500 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
