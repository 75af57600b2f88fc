package plandoc

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// A small streaming XML tokenizer for the body of a Word document. encoding/xml allocates every
// name, attribute and text of every token: a 200-page plan (20 MB of XML, four tokens a cell)
// spent a second and a half in it. This one reads through a window of the stream, interns
// names, keeps attributes and text as slices of the window until they are asked for, and knows
// no DTD: a DOCTYPE is an error, so no entity is ever defined, let alone expanded.

const (
	tokStart = iota + 1
	tokEnd
	tokText
)

// maxToken is the largest tag or text between two tags: a paragraph of MaxLineChars characters
// with its markup is far less.
const maxToken = 1 << 20

var (
	errXMLSyntax  = errors.New("xml syntax")
	errXMLDoctype = errors.New("xml doctype")
	errXMLToken   = errors.New("xml token too large")
)

type xattr struct {
	prefix, local string
	raw           []byte // the value as written, entities not yet replaced
}

type xmlTokenizer struct {
	r          io.Reader
	buf        []byte
	start, end int
	eof        bool
	names      map[string]string

	kind          int
	prefix, local string
	attrs         []xattr
	raw           []byte // text as written
	pendingEnd    bool   // a self-closing tag's end is the next token
	scratch       []byte
}

func newXMLTokenizer(r io.Reader) *xmlTokenizer {
	return &xmlTokenizer{r: r, buf: make([]byte, 64<<10), names: map[string]string{}}
}

// fill reads more of the stream into the window, keeping what is unread; false at the end.
func (z *xmlTokenizer) fill() (bool, error) {
	if z.eof {
		return false, nil
	}
	if z.start > 0 {
		n := copy(z.buf, z.buf[z.start:z.end])
		z.start, z.end = 0, n
	}
	if z.end == len(z.buf) {
		if len(z.buf) >= maxToken {
			return false, errXMLToken
		}
		nb := make([]byte, 2*len(z.buf))
		copy(nb, z.buf[:z.end])
		z.buf = nb
	}
	n, err := z.r.Read(z.buf[z.end:])
	z.end += n
	if errors.Is(err, io.EOF) {
		z.eof = true
		return n > 0, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// find returns the index (from start) of sep in the unread window, reading more as needed, or
// -1 at the end of the stream.
func (z *xmlTokenizer) find(sep []byte, from int) (int, error) {
	for {
		if i := bytes.Index(z.buf[z.start+from:z.end], sep); i >= 0 {
			return from + i, nil
		}
		from = max(from, z.end-z.start-len(sep)+1)
		more, err := z.fill()
		if err != nil {
			return -1, err
		}
		if !more {
			return -1, nil
		}
	}
}

func (z *xmlTokenizer) intern(b []byte) string {
	if s, ok := z.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(z.names) < 4096 {
		z.names[s] = s
	}
	return s
}

func (z *xmlTokenizer) name(b []byte) (prefix, local string) {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		return z.intern(b[:i]), z.intern(b[i+1:])
	}
	return "", z.intern(b)
}

// next reads the next token; io.EOF at the end of the stream.
func (z *xmlTokenizer) next() error {
	if z.pendingEnd {
		z.pendingEnd = false
		z.kind = tokEnd
		return nil
	}
	for {
		if z.start == z.end {
			more, err := z.fill()
			if err != nil {
				return err
			}
			if !more {
				return io.EOF
			}
		}
		if z.buf[z.start] != '<' {
			i, err := z.find([]byte("<"), 0)
			if err != nil {
				return err
			}
			if i < 0 {
				i = z.end - z.start
			}
			z.raw = z.buf[z.start : z.start+i]
			z.start += i
			z.kind = tokText
			return nil
		}
		// A tag: at least two bytes to tell its kind.
		for z.end-z.start < 9 {
			more, err := z.fill()
			if err != nil {
				return err
			}
			if !more {
				break
			}
		}
		w := z.buf[z.start:z.end]
		switch {
		case bytes.HasPrefix(w, []byte("<!--")):
			i, err := z.find([]byte("-->"), 4)
			if err != nil || i < 0 {
				return orSyntax(err)
			}
			z.start += i + 3
			continue
		case bytes.HasPrefix(w, []byte("<![CDATA[")):
			i, err := z.find([]byte("]]>"), 9)
			if err != nil || i < 0 {
				return orSyntax(err)
			}
			z.raw = z.buf[z.start+9 : z.start+i]
			z.start += i + 3
			z.kind = tokText
			return z.cdata()
		case bytes.HasPrefix(w, []byte("<?")):
			i, err := z.find([]byte("?>"), 2)
			if err != nil || i < 0 {
				return orSyntax(err)
			}
			z.start += i + 2
			continue
		case bytes.HasPrefix(w, []byte("<!")):
			return errXMLDoctype // DOCTYPE, ENTITY, ELEMENT…: nothing Word writes in a part
		}
		return z.tag()
	}
}

// cdata makes a CDATA section's text read as written: its entities are not entities.
func (z *xmlTokenizer) cdata() error {
	z.scratch = append(z.scratch[:0], z.raw...)
	z.scratch = bytes.ReplaceAll(z.scratch, []byte("&"), []byte("&amp;"))
	z.raw = z.scratch
	return nil
}

func orSyntax(err error) error {
	if err != nil {
		return err
	}
	return errXMLSyntax
}

// tag reads a start or end tag at the window's start, quotes respected.
func (z *xmlTokenizer) tag() error {
	// Find the closing '>' outside quotes.
	i, quote := 1, byte(0)
	for {
		w := z.buf[z.start+i : z.end]
		if quote != 0 {
			if k := bytes.IndexByte(w, quote); k >= 0 {
				i += k + 1
				quote = 0
				continue
			}
		} else {
			gt := bytes.IndexByte(w, '>')
			lim := len(w)
			if gt >= 0 {
				lim = gt
			}
			if q := indexQuote(w[:lim]); q >= 0 {
				quote = w[q]
				i += q + 1
				continue
			}
			if gt >= 0 {
				i += gt
				goto found
			}
		}
		i = z.end - z.start
		more, err := z.fill()
		if err != nil {
			return err
		}
		if !more {
			return errXMLSyntax
		}
	}
found:
	t := z.buf[z.start+1 : z.start+i]
	z.start += i + 1
	if len(t) > 0 && t[0] == '/' {
		n := bytes.TrimRight(t[1:], " \t\r\n")
		if len(n) == 0 {
			return errXMLSyntax
		}
		z.prefix, z.local = z.name(n)
		z.kind = tokEnd
		return nil
	}
	self := len(t) > 0 && t[len(t)-1] == '/'
	if self {
		t = t[:len(t)-1]
	}
	k := 0
	for k < len(t) && !isSpace(t[k]) {
		k++
	}
	if k == 0 {
		return errXMLSyntax
	}
	z.prefix, z.local = z.name(t[:k])
	z.attrs = z.attrs[:0]
	rest := t[k:]
	for {
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 {
			break
		}
		eq := bytes.IndexByte(rest, '=')
		if eq <= 0 {
			return errXMLSyntax
		}
		an := bytes.TrimRight(rest[:eq], " \t\r\n")
		rest = bytes.TrimLeft(rest[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return errXMLSyntax
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return errXMLSyntax
		}
		p, l := z.name(an)
		z.attrs = append(z.attrs, xattr{prefix: p, local: l, raw: rest[1 : 1+end]})
		rest = rest[2+end:]
	}
	z.kind = tokStart
	z.pendingEnd = self
	return nil
}

// indexQuote is the index of the first quote of s, or -1.
func indexQuote(s []byte) int {
	a, b := bytes.IndexByte(s, '"'), bytes.IndexByte(s, '\'')
	if a < 0 || (b >= 0 && b < a) {
		return b
	}
	return a
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// attr returns the value of the attribute of the current start tag named local (any prefix
// but xmlns), entities replaced; "" when it has none.
func (z *xmlTokenizer) attr(local string) string {
	for _, a := range z.attrs {
		if a.local == local && a.prefix != "xmlns" {
			s, err := unescape(nil, a.raw)
			if err != nil {
				return ""
			}
			return string(s)
		}
	}
	return ""
}

// text returns the current text token, entities replaced.
func (z *xmlTokenizer) text() (string, error) {
	if bytes.IndexByte(z.raw, '&') < 0 {
		return string(z.raw), nil
	}
	s, err := unescape(z.scratch[:0], z.raw)
	if err != nil {
		return "", err
	}
	z.scratch = s
	return string(s), nil
}

// unescape appends raw to dst with the five predefined entities and character references
// replaced; any other entity, or a reference to a character XML does not allow, is an error.
func unescape(dst, raw []byte) ([]byte, error) {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i+1:]
		j := bytes.IndexByte(raw, ';')
		if j <= 0 || j > 12 {
			return nil, errXMLSyntax
		}
		ent := raw[:j]
		raw = raw[j+1:]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if ent[0] != '#' {
				return nil, errXMLSyntax
			}
			var n uint64
			var err error
			if len(ent) > 1 && (ent[1] == 'x' || ent[1] == 'X') {
				n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
			}
			r := rune(n)
			if err != nil || !utf8.ValidRune(r) || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
				return nil, errXMLSyntax
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
}
