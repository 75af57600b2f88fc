// Package auditship ships the audit log, as it is written, to the office's log system: syslog
// over UDP or TCP (RFC 5424, one entry per message) or a file of JSON lines a collector reads.
// Entries go in seq order after they are chained, at least once over TCP and to a file, over
// all instances: the cursor and the lease live in the database (sqldb.ShipAudit). UDP is best
// effort. Every shipped entry carries its seq and hash: a collector drops repeats by seq AND
// hash; the same seq with another hash is another chain (after a restore), not a repeat. An entry holds what the audit log holds, nothing more (no ID numbers: reveal entries
// name the person, never the number).
package auditship

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
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
			// Opened now, so that serve refuses a FIFO, a device or a symlink at its start.
			f, err := openTarget(p)
			if err != nil {
				return nil, err
			}
			return &fileSender{path: p, f: f}, nil
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
		cur, err2 := os.Lstat(s.path)
		if err1 != nil || err2 != nil || !os.SameFile(st, cur) {
			s.f.Close()
			s.f = nil
		}
	}
	if s.f == nil {
		f, err := openTarget(s.path)
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

// openTarget opens the file at path to append to, creating it: only a regular file. A FIFO
// would block the shipper, then serve's shutdown, for ever; a device or a symlink is not
// the log file a collector reads. It is opened without following a symlink and without
// blocking, checked, and then set blocking again.
func openTarget(path string) (*os.File, error) {
	fd, err := syscall.Open(path, syscall.O_WRONLY|syscall.O_APPEND|syscall.O_CREAT|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("审计日志外送文件“%s”是符号链接：只写入普通文件，请改用它指向的文件路径", path)
	}
	if errors.Is(err, syscall.ENXIO) {
		return nil, fmt.Errorf("审计日志外送文件“%s”是命名管道（FIFO）或设备：只写入普通文件", path)
	}
	if err != nil {
		return nil, fmt.Errorf("审计日志外送文件“%s”无法打开：%w", path, err)
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("审计日志外送文件“%s”无法读取其属性：%w", path, err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return nil, fmt.Errorf("审计日志外送文件“%s”不是普通文件（是命名管道、设备、套接字或目录）：只写入普通文件", path)
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("审计日志外送文件“%s”无法打开：%w", path, err)
	}
	return os.NewFile(uintptr(fd), path), nil
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
	if s.network == "udp" {
		// Best effort: a datagram lost on the way, or sent while the collector is down, is not
		// known here and is not sent again.
		if s.conn == nil {
			c, err := net.DialTimeout(s.network, s.addr, 5*time.Second)
			if err != nil {
				return err
			}
			s.conn = c
		}
		for _, e := range batch {
			m := Message(e, s.host, s.pid)
			if len(m) > maxUDP {
				m = m[:maxUDP]
			}
			if _, err := s.conn.Write(m); err != nil {
				s.drop()
				return err
			}
		}
		return nil
	}
	var b bytes.Buffer
	for _, e := range batch {
		m := Message(e, s.host, s.pid)
		b.WriteString(strconv.Itoa(len(m)))
		b.WriteByte(' ')
		b.Write(m)
	}
	// A collector that restarted closed our connection: a write on it would still succeed,
	// into the kernel's buffer, and the batch would be lost with the cursor moved past it.
	// So a connection the peer closed is dropped before the batch, and a failed write is
	// tried once more on a new connection; an error leaves the cursor where it was.
	if s.conn != nil && !s.open() {
		s.drop()
	}
	for try := 0; ; try++ {
		if s.conn == nil {
			c, err := net.DialTimeout(s.network, s.addr, 5*time.Second)
			if err != nil {
				return err
			}
			s.conn = c
		}
		s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		_, err := s.conn.Write(b.Bytes())
		if err == nil {
			return nil
		}
		s.drop()
		if try > 0 {
			return err
		}
	}
}

// open tells whether the connection is still open at the peer, by reading what is waiting on
// the socket without waiting (MSG_DONTWAIT): nothing yet (EAGAIN) is open; end of stream or an
// error (a reset) is closed. The read is always made, however late this runs:
// a read with a short deadline is not even tried once the deadline has passed (seen under
// qemu-user, where the collector's restart went unnoticed and an entry was lost). Whatever the
// collector sent is dropped: syslog collectors send nothing back.
func (s *syslogSender) open() bool {
	sc, ok := s.conn.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	alive := true
	var b [512]byte
	err = rc.Read(func(fd uintptr) bool {
		for {
			n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_DONTWAIT)
			switch {
			case err == syscall.EINTR:
				continue
			case err == syscall.EAGAIN || err == syscall.EWOULDBLOCK:
				alive = true
			case err != nil, n == 0:
				alive = false
			default:
				continue // something the collector sent: dropped
			}
			return true
		}
	})
	return alive && err == nil
}

func (s *syslogSender) drop() {
	s.conn.Close()
	s.conn = nil
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
// entries, then every interval. A failed round is tried again at the next: down is called
// with the error when shipping starts failing, once, and up when it works again.
func Run(ctx context.Context, db *sqldb.DB, target string, interval time.Duration, down func(error), up func()) error {
	s, err := Open(target)
	if err != nil {
		return err
	}
	defer s.Close()
	o := sqldb.ShipOptions{Target: target, Holder: Holder(), Lease: Lease}
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		for {
			n, held, err := db.ShipAudit(ctx, o, s.Send)
			switch {
			case err != nil && ctx.Err() == nil && !failing:
				failing = true
				down(err)
			case err == nil && held && n > 0 && failing:
				failing = false
				up()
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
