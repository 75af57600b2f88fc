package web

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestStylesheetsBalanced: every block of the stylesheets is closed where it is meant to be. An
// unclosed @media once swallowed the rules after it (the dashboard's grid applied only on a
// phone), which no page test of a single feature noticed: here an at-rule may hold only rule
// blocks, and no rule block holds another.
func TestStylesheetsBalanced(t *testing.T) {
	comments := regexp.MustCompile(`(?s)/\*.*?\*/`)
	for _, name := range []string{"static/app.css", "static/notice-print.css", "static/print.css"} {
		b, err := os.ReadFile(name)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		css := comments.ReplaceAllString(string(b), "")
		var stack []bool // true: an at-rule's block
		line := 1
		start := 0
		for i, c := range css {
			switch c {
			case '\n':
				line++
			case '{':
				prelude := strings.TrimSpace(css[start:i])
				at := strings.HasPrefix(prelude, "@")
				if len(stack) > 0 && !stack[len(stack)-1] {
					t.Fatalf("%s:%d: a block opens inside a rule (an unclosed brace before it?)", name, line)
				}
				if at && len(stack) > 0 && stack[len(stack)-1] && !strings.HasPrefix(prelude, "@supports") && !strings.HasPrefix(prelude, "@media") && !strings.HasPrefix(prelude, "@page") && !marginBox(prelude) {
					t.Errorf("%s:%d: %q inside an at-rule", name, line, prelude)
				}
				stack = append(stack, at)
				start = i + 1
			case '}':
				if len(stack) == 0 {
					t.Fatalf("%s:%d: a brace closes nothing", name, line)
				}
				stack = stack[:len(stack)-1]
				start = i + 1
			case ';':
				start = i + 1
			}
		}
		if len(stack) != 0 {
			t.Errorf("%s: %d blocks left open at the end", name, len(stack))
		}
	}
}

// marginBox tells whether an at-rule is a page-margin box (@bottom-center …), which stands
// inside @page.
func marginBox(prelude string) bool {
	for _, side := range []string{"@top-", "@bottom-", "@left-", "@right-"} {
		if strings.HasPrefix(prelude, side) {
			return true
		}
	}
	return false
}
