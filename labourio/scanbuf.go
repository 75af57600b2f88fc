package labourio

import (
	"bufio"
	"bytes"
	"io"
)

// scanBuf is the sheet scanner's read buffer: bufio.Reader's ReadSlice, Peek and Discard, with
// the same results (bufio.ErrBufferFull when the buffer fills without the byte sought), and the
// buffer in reach of the scanner, so that the most common text of a sheet, none between a '>'
// and the next '<', is passed over without a call.
type scanBuf struct {
	rd   io.Reader
	buf  []byte
	r, w int   // buf[r:w] is read and not yet taken
	err  error // the error of the last read, given once the buffer is taken
}

func newScanBuf(rd io.Reader, size int) *scanBuf {
	return &scanBuf{rd: rd, buf: make([]byte, size)}
}

// fill reads more into the buffer (which is not full), as bufio.Reader does.
func (b *scanBuf) fill() {
	if b.r > 0 {
		copy(b.buf, b.buf[b.r:b.w])
		b.w -= b.r
		b.r = 0
	}
	for i := 100; i > 0; i-- {
		n, err := b.rd.Read(b.buf[b.w:])
		if n < 0 {
			panic("labourio: reader returned negative count from Read")
		}
		b.w += n
		if err != nil {
			b.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	b.err = io.ErrNoProgress
}

func (b *scanBuf) readErr() error {
	err := b.err
	b.err = nil
	return err
}

// ReadSlice is bufio.Reader.ReadSlice.
func (b *scanBuf) ReadSlice(delim byte) (line []byte, err error) {
	s := 0
	for {
		if i := bytes.IndexByte(b.buf[b.r+s:b.w], delim); i >= 0 {
			i += s
			line = b.buf[b.r : b.r+i+1]
			b.r += i + 1
			return line, nil
		}
		if b.err != nil {
			line = b.buf[b.r:b.w]
			b.r = b.w
			return line, b.readErr()
		}
		if b.w-b.r >= len(b.buf) {
			b.r = b.w
			return b.buf, bufio.ErrBufferFull
		}
		s = b.w - b.r
		b.fill()
	}
}

// Peek is bufio.Reader.Peek.
func (b *scanBuf) Peek(n int) ([]byte, error) {
	for b.w-b.r < n && b.w-b.r < len(b.buf) && b.err == nil {
		b.fill()
	}
	if n > len(b.buf) {
		return b.buf[b.r:b.w], bufio.ErrBufferFull
	}
	var err error
	if avail := b.w - b.r; avail < n {
		n = avail
		err = b.readErr()
		if err == nil {
			err = bufio.ErrBufferFull
		}
	}
	return b.buf[b.r : b.r+n], err
}

// Discard is bufio.Reader.Discard (n ≥ 0).
func (b *scanBuf) Discard(n int) (int, error) {
	remain := n
	for remain > 0 {
		skip := b.w - b.r
		if skip == 0 {
			b.fill()
			skip = b.w - b.r
		}
		skip = min(skip, remain)
		b.r += skip
		remain -= skip
		if remain > 0 && b.err != nil {
			return n - remain, b.readErr()
		}
	}
	return n, nil
}
