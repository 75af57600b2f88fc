// Package remind runs the daily reminder job (督办提醒) and delivers its messages: the job asks a
// source for what is due, yellow, red or unanswered, stores it once per day whatever the number
// of instances (sqldb.StoreReminderRun), and the worker sends the outbox to each unit's e-mail
// addresses over SMTP and to its 企业微信 and 钉钉 group robots, retrying failures with back-off
// (xiezuo.RetryDelay) until they are given up and shown to the office.
package remind

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"xiezuo"
)

// sendTimeout bounds one delivery: a mail server or robot that hangs is a failure to retry.
const sendTimeout = 30 * time.Second

// SendMail sends a plain-text UTF-8 message to the addresses over the SMTP server of s: STARTTLS
// when the server offers it, PLAIN authentication when a user is set (net/smtp sends the
// password only over TLS or to localhost).
func SendMail(ctx context.Context, s xiezuo.SMTPSettings, to []string, subject, body string) error {
	return sendMail(ctx, s, to, subject, body, &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12})
}

// sendMail is SendMail with the TLS configuration of STARTTLS (tests give their own roots).
func sendMail(ctx context.Context, s xiezuo.SMTPSettings, to []string, subject, body string, tc *tls.Config) error {
	if !s.Configured() {
		return fmt.Errorf("未设置 SMTP 服务器，无法发送电子邮件")
	}
	if len(to) == 0 {
		return fmt.Errorf("没有收件人")
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	// Every address the host resolves to is checked as the connection is made: a name pointing
	// at the cloud's metadata service is refused as its address would be (xiezuo.SMTPAddrAllowed).
	d := net.Dialer{Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return err
		}
		return xiezuo.CheckSMTPAddr(s.Host, ip)
	}}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return smtpFailure("连接失败", fmt.Errorf("connect %s: %w", addr, err))
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return smtpFailure("服务器应答异常", fmt.Errorf("greeting of %s: %w", addr, err))
	}
	defer c.Close()
	if err := c.Hello("xiezuo"); err != nil {
		return smtpFailure("服务器应答异常", fmt.Errorf("HELO: %w", err))
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tc); err != nil {
			return smtpFailure("加密连接（STARTTLS）失败", fmt.Errorf("STARTTLS: %w", err))
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return smtpFailure("认证失败", fmt.Errorf("AUTH as %s: %w", s.Username, err))
		}
	}
	if err := c.Mail(s.From); err != nil {
		return smtpFailure("服务器拒收", fmt.Errorf("MAIL FROM %s: %w", s.From, err))
	}
	for _, a := range to {
		if err := c.Rcpt(a); err != nil {
			return smtpFailure("服务器拒收", fmt.Errorf("RCPT TO %s: %w", a, err))
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpFailure("服务器拒收", fmt.Errorf("DATA: %w", err))
	}
	if _, err := w.Write(mailMessage(s.From, to, subject, body, time.Now())); err != nil {
		return smtpFailure("发送中断", fmt.Errorf("writing the message: %w", err))
	}
	if err := w.Close(); err != nil {
		return smtpFailure("服务器拒收", fmt.Errorf("end of DATA: %w", err))
	}
	if err := c.Quit(); err != nil {
		return smtpFailure("服务器应答异常", fmt.Errorf("QUIT: %w", err))
	}
	return nil
}

// mailMessage is the message as sent: headers with the subject in RFC 2047 encoding, the body
// in base64 lines of 76 characters.
func mailMessage(from string, to []string, subject, body string, at time.Time) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", from)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(to, ", "))
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.BEncoding.Encode("UTF-8", subject))
	fmt.Fprintf(&b, "Date: %s\r\n", at.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// PostWeCom sends a Markdown message to a 企业微信 group robot.
func PostWeCom(ctx context.Context, client *http.Client, webhook, content string) error {
	msg := map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": content}}
	return postRobot(ctx, client, webhook, msg)
}

// PostDingTalk sends a Markdown message to a 钉钉 group robot; with a 加签 secret the URL carries
// timestamp and sign (DingTalkSign) of the time at.
func PostDingTalk(ctx context.Context, client *http.Client, webhook, secret, title, text string, at time.Time) error {
	if secret != "" {
		u, err := url.Parse(webhook)
		if err != nil {
			return fmt.Errorf("钉钉机器人地址无效：%w", err)
		}
		ts := strconv.FormatInt(at.UnixMilli(), 10)
		q := u.Query()
		q.Set("timestamp", ts)
		q.Set("sign", DingTalkSign(ts, secret))
		u.RawQuery = q.Encode()
		webhook = u.String()
	}
	msg := map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": title, "text": text}}
	return postRobot(ctx, client, webhook, msg)
}

// DingTalkSign is the 钉钉 robot's 加签: base64 of HMAC-SHA256 keyed with the secret over
// "timestamp\nsecret", as DingTalk documents it (the caller URL-encodes it in the query).
func DingTalkSign(timestamp, secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// postRobot posts msg as JSON; anything but a 200 answer with errcode 0 is a failure whose
// text says the HTTP status and the robot's errcode and errmsg, never the body: the office's
// page shows it, and a body is whatever the far end chose to say. A redirect is not followed
// (it is a failure with its status): a robot does not redirect, and following one would take
// the server wherever the answer pointed.
func postRobot(ctx context.Context, client *http.Client, webhook string, msg any) error {
	noRedirect := *client
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client = &noRedirect
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhook, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("机器人地址无效：%w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := client.Do(req)
	if err != nil {
		text := "发送到机器人失败：连接失败"
		if timedOut(err) {
			text = "发送到机器人失败：超时"
		}
		return &Failure{Text: text, Err: redact(err)}
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var r struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	jsonErr := json.Unmarshal(answer, &r)
	said := ""
	if jsonErr == nil && r.ErrCode != nil {
		said = fmt.Sprintf("errcode %d：%s", *r.ErrCode, short([]byte(r.ErrMsg)))
	}
	switch {
	case resp.StatusCode != http.StatusOK && said != "":
		return fmt.Errorf("机器人返回 HTTP %d，%s", resp.StatusCode, said)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("机器人返回 HTTP %d", resp.StatusCode)
	case said == "":
		return fmt.Errorf("机器人的应答不是预期的 JSON（HTTP 200，%d 字节，无 errcode）", len(answer))
	case *r.ErrCode != 0:
		return fmt.Errorf("机器人返回错误 %s", said)
	}
	return nil
}

// redact drops the query of the URL in a transport error: robot URLs carry their access key.
func redact(err error) error {
	var ue *url.Error
	if e, ok := err.(*url.Error); ok {
		ue = e
		u, perr := url.Parse(ue.URL)
		if perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// short is a robot's errmsg as a failure quotes it: valid UTF-8, at most 200 characters, on
// one line.
func short(b []byte) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "?")), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

// Failure is a delivery's failure as the office's pages show it: a category (连接失败, 认证失败,
// 服务器拒收, 超时 …) with the SMTP status code or the robot's errcode when there is one, never
// the far end's own words nor the addresses the dialler used: the settings may point at a
// service inside the server's network, whose banner must not reach the page. Err is the full
// error, which the server logs (Detail).
type Failure struct {
	Text string
	Err  error
}

// Error is the text the pages show.
func (f *Failure) Error() string { return f.Text }

// Unwrap is the full error.
func (f *Failure) Unwrap() error { return f.Err }

// Detail is err in full, for the server's log: a Failure's underlying error after its text.
// Robot addresses in it have their query dropped (redact); the SMTP password is never in it.
func Detail(err error) string {
	var f *Failure
	if errors.As(err, &f) && f.Err != nil {
		return f.Text + ": " + f.Err.Error()
	}
	return err.Error()
}

// timedOut reports whether err is a time-out: of the network or of the delivery's context.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// smtpFailure is err at stage of a mail delivery as a Failure: the stage's category, the SMTP
// status code when the server answered with one, 超时 for a time-out, and our own refusal of
// an address (xiezuo.CheckSMTPAddr) in its words.
func smtpFailure(stage string, err error) error {
	text := stage
	var te *textproto.Error
	var xe *xiezuo.Error
	switch {
	case errors.As(err, &xe):
		text = xe.Message
	case timedOut(err):
		text = "超时"
	case errors.As(err, &te):
		text += fmt.Sprintf("（SMTP %d）", te.Code)
	}
	return &Failure{Text: "电子邮件发送失败：" + text, Err: err}
}
