package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"io"
	"sync"
)

// fragments keeps rendered parts of pages that are the same for every reader of a plan version
// (a table of 100 projects, an API list), so a busy deadline day renders each once. Keys hold
// the plan's version, so an import anywhere makes old entries unreachable; they age out of the
// least-recently-used list. The cache is bounded in bytes.
type fragments struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *fragment, most recent first
	byKey map[string]*list.Element
	count cacheCount // lookups, for /metrics
}

type fragment struct {
	key  string
	page cachedPage
}

// cachedPage is a page's rendered content, gzipped (a list of a hundred projects is about ten
// times smaller so), and its title.
type cachedPage struct {
	title string
	gz    []byte
}

// gzipBytes compresses b at the fastest level.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	gz := gzips.Get().(*gzip.Writer)
	gz.Reset(&buf)
	gz.Write(b)
	gz.Close()
	gzips.Put(gz)
	return buf.Bytes()
}

// gunzipInto appends the content of gz to buf.
func gunzipInto(buf *bytes.Buffer, gz []byte) error {
	zr := gunzips.Get().(*gzip.Reader)
	defer gunzips.Put(zr)
	if err := zr.Reset(bytes.NewReader(gz)); err != nil {
		return err
	}
	_, err := buf.ReadFrom(zr)
	return err
}

var (
	gzips   = sync.Pool{New: func() any { gz, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return gz }}
	gunzips = sync.Pool{New: func() any { return new(gzip.Reader) }}
)

func newFragments(maxBytes int) *fragments {
	return &fragments{max: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

func (f *fragments) get(key string) (cachedPage, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	el, ok := f.byKey[key]
	if !f.count.note(ok) {
		return cachedPage{}, false
	}
	f.order.MoveToFront(el)
	return el.Value.(*fragment).page, true
}

func (f *fragments) put(key string, page cachedPage) {
	n := len(page.gz) + len(key)
	if n > f.max/8 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if el, ok := f.byKey[key]; ok {
		f.size -= len(el.Value.(*fragment).page.gz) + len(key)
		f.order.Remove(el)
	}
	f.byKey[key] = f.order.PushFront(&fragment{key, page})
	f.size += n
	for f.size > f.max {
		el := f.order.Back()
		fr := el.Value.(*fragment)
		f.order.Remove(el)
		delete(f.byKey, fr.key)
		f.size -= len(fr.page.gz) + len(fr.key)
	}
}
