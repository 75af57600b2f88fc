package gen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"xiezuo"
	"xiezuo/sqldb"
)

// Store imports plans into db as `xiezuo import` would import their documents: each plan with
// its Markdown as the document, under the name FileName gives. Each plan is one transaction; on
// an error the plans before it stay stored.
func Store(ctx context.Context, db *sqldb.DB, plans ...*xiezuo.Plan) error {
	for _, p := range plans {
		content := Markdown(p)
		q := *p
		q.Source = SourceOf(p, content)
		if _, err := db.ImportPlan(ctx, &q, content); err != nil {
			return fmt.Errorf("store %d年%s: %w", p.Year, p.District, err)
		}
	}
	return nil
}

// SourceOf names content, the Markdown of p, as the document p was read from.
func SourceOf(p *xiezuo.Plan, content []byte) xiezuo.Source {
	sum := sha256.Sum256(content)
	return xiezuo.Source{Name: FileName(p, ".md"), SHA256: hex.EncodeToString(sum[:]), Kind: "text"}
}
