// Package remindtest holds the receivers the reminder tests send to: a small SMTP server on
// 127.0.0.1 that records the messages it accepts, and a robot that records what a 企业微信 or
// 钉钉 webhook receives. They are real servers on the loopback address, for tests of this
// module only.
package remindtest

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"
)

// Mail is one message an SMTP server accepted.
type Mail struct {
	From    string
	To      []string
	Auth    string // user\x00password of AUTH PLAIN, "" without
	TLS     bool   // the message came after STARTTLS
	Subject string // decoded
	Body    string // decoded
}

// SMTPServer is an SMTP server on 127.0.0.1 speaking enough of the protocol to receive mail:
// EHLO/HELO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
type SMTPServer struct {
	Addr string
	tls  *tls.Config // offered with STARTTLS when set
	ln   net.Listener
	mu   sync.Mutex
	mail []Mail
}

// StartSMTP starts a server that lives until the test ends.
func StartSMTP(t testing.TB) *SMTPServer { return StartSMTPTLS(t, nil) }

// StartSMTPTLS starts a server that offers STARTTLS with cfg (none when nil).
func StartSMTPTLS(t testing.TB, cfg *tls.Config) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Addr: ln.Addr().String(), ln: ln, tls: cfg}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

// Port is the server's port.
func (s *SMTPServer) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Mail returns the messages accepted so far.
func (s *SMTPServer) Mail() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

func (s *SMTPServer) serve(conn net.Conn) {
	c := conn
	defer func() { c.Close() }()
	r := bufio.NewReader(c)
	say := func(format string, args ...any) { fmt.Fprintf(c, format+"\r\n", args...) }
	secure := false
	say("220 127.0.0.1 test SMTP ready")
	var m Mail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			say("250-127.0.0.1 hello")
			say("250-8BITMIME")
			if s.tls != nil && !secure {
				say("250-STARTTLS")
			}
			say("250 AUTH PLAIN")
		case "STARTTLS":
			if s.tls == nil || secure {
				say("502 not offered")
				continue
			}
			say("220 go ahead")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, r, secure = tc, bufio.NewReader(tc), true
		case "HELO":
			say("250 127.0.0.1 hello")
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			b, err := base64.StdEncoding.DecodeString(resp)
			if !strings.EqualFold(mech, "PLAIN") || err != nil {
				say("504 unsupported")
				continue
			}
			m.Auth = strings.TrimPrefix(string(b), "\x00")
			say("235 2.7.0 authenticated")
		case "MAIL":
			m.From = address(arg)
			say("250 ok")
		case "RCPT":
			m.To = append(m.To, address(arg))
			say("250 ok")
		case "DATA":
			say("354 end with .")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			m.Subject, m.Body = decode(data.String())
			m.TLS = secure
			s.mu.Lock()
			s.mail = append(s.mail, m)
			s.mu.Unlock()
			m = Mail{Auth: m.Auth}
			say("250 ok queued")
		case "RSET", "NOOP":
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// address is the address between < and > of a MAIL FROM or RCPT TO argument, whatever
// parameters follow it.
func address(arg string) string {
	_, a, _ := strings.Cut(arg, "<")
	a, _, _ = strings.Cut(a, ">")
	return a
}

// decode reads a message's subject and its base64 or plain body.
func decode(raw string) (subject, body string) {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return "", raw
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	b, _ := io.ReadAll(msg.Body)
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "base64") {
		d, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b)))
		if err == nil {
			b = d
		}
	}
	return subject, string(b)
}

// RobotMessage is one message a robot accepted.
type RobotMessage struct {
	MsgType string
	Content string // 企业微信: markdown.content
	Title   string // 钉钉: markdown.title
	Text    string // 钉钉: markdown.text
}

// Robot is an HTTP receiver playing a 企业微信 (kind "wecom") or 钉钉 (kind "dingtalk") group
// robot: it checks the JSON shape, and for 钉钉 with a secret the timestamp and sign, answering
// errcode 310000 as DingTalk does when the sign does not match. Its first FailFirst calls
// answer HTTP 502, to test retries.
type Robot struct {
	*httptest.Server
	kind, secret string
	failFirst    int
	mu           sync.Mutex
	calls        int
	got          []RobotMessage
	refused      []string
}

// StartRobot starts a robot that lives until the test ends.
func StartRobot(t testing.TB, kind, secret string, failFirst int) *Robot {
	t.Helper()
	r := &Robot{kind: kind, secret: secret, failFirst: failFirst}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

// Messages returns the messages accepted so far.
func (r *Robot) Messages() []RobotMessage {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]RobotMessage(nil), r.got...)
}

// Refused returns why the robot refused the calls it refused (not counting FailFirst).
func (r *Robot) Refused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.refused...)
}

// Calls is how many requests the robot received.
func (r *Robot) Calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

func (r *Robot) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls <= r.failFirst {
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	refuse := func(code int, msg string) {
		r.refused = append(r.refused, msg)
		fmt.Fprintf(w, `{"errcode":%d,"errmsg":%q}`, code, msg)
	}
	if req.Method != http.MethodPost || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
		refuse(40008, "not a JSON POST")
		return
	}
	var body struct {
		MsgType  string `json:"msgtype"`
		Markdown struct {
			Content string `json:"content"`
			Title   string `json:"title"`
			Text    string `json:"text"`
		} `json:"markdown"`
	}
	dec := json.NewDecoder(req.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil || body.MsgType != "markdown" {
		refuse(40035, "bad JSON shape")
		return
	}
	m := RobotMessage{MsgType: body.MsgType, Content: body.Markdown.Content, Title: body.Markdown.Title, Text: body.Markdown.Text}
	switch r.kind {
	case "wecom":
		if m.Content == "" || m.Title != "" || m.Text != "" {
			refuse(40035, "wecom markdown needs content only")
			return
		}
	case "dingtalk":
		if m.Title == "" || m.Text == "" || m.Content != "" {
			refuse(40035, "dingtalk markdown needs title and text")
			return
		}
		if r.secret != "" {
			ts := req.URL.Query().Get("timestamp")
			mac := hmac.New(sha256.New, []byte(r.secret))
			mac.Write([]byte(ts + "\n" + r.secret))
			want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
			if ts == "" || req.URL.Query().Get("sign") != want {
				refuse(310000, "sign not match")
				return
			}
		}
	}
	r.got = append(r.got, m)
	fmt.Fprint(w, `{"errcode":0,"errmsg":"ok"}`)
}
