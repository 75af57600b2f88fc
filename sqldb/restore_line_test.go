package sqldb

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

// readLine reads lines of any length up to the bound in linear time, the last one without its
// newline too, and refuses a longer one.
func TestReadLine(t *testing.T) {
	defer func(n int) { maxBackupLine = n }(maxBackupLine)
	maxBackupLine = 1000
	long := strings.Repeat("x", 900)
	br := bufio.NewReaderSize(strings.NewReader("a\n"+long+"\n\nlast"), 16)
	var got []string
	var buf []byte
	for {
		var err error
		buf, err = readLine(br, buf[:0])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(buf))
	}
	if want := []string{"a", long, "", "last"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines = %q, want %q", got, want)
	}
	br = bufio.NewReaderSize(strings.NewReader(strings.Repeat(" ", 5000)+"\n"), 16)
	if _, err := readLine(br, nil); err == nil || !strings.Contains(err.Error(), "一行超过") {
		t.Errorf("readLine(5,000 bytes) = %v, want the line refused", err)
	}
}
