package xiezuo

import (
	"strings"
	"testing"
)

// TestFormulaCacheKeepsNoLongText: a text refused for its length is not kept by the cache of
// parsed formulas (10,000 previews of a megabyte each would hold 10 GB).
func TestFormulaCacheKeepsNoLongText(t *testing.T) {
	long := strings.Repeat("(", MaxFormulaLen+1) + "unique-atk10"
	if _, err := ParseFormula(long); err == nil {
		t.Fatal("ParseFormula(long) = nil error")
	}
	if _, ok := formulaCache.Load(long); ok {
		t.Errorf("the cache keeps a formula of %d characters", len(long))
	}
}
