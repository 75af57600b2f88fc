package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"xiezuo"
)

// The tables upper platforms ask for (table_layouts, migration 0020): each save of a layout is
// a new version of its name in its district, never overwritten; the latest version of a name is
// the one offered.

// AuditLayoutSave is the audit action of a layout's version stored.
const AuditLayoutSave = "layout.save"

// SaveLayout validates l (xiezuo.PlatformLayout.Validate) and stores it as the next version of
// its name in its district, with its audit entry; it sets l's ID, Version, By and At.
func (db *DB) SaveLayout(ctx context.Context, l *xiezuo.PlatformLayout) error {
	if err := l.Validate(); err != nil {
		return err
	}
	cols, err := json.Marshal(l.Columns)
	if err != nil {
		return fmt.Errorf("save layout: %w", err)
	}
	cells, err := json.Marshal(l.Cells)
	if err != nil {
		return fmt.Errorf("save layout: %w", err)
	}
	actor := ActorFrom(ctx)
	now := db.factTime(ctx)
	tx, err := db.begin(ctx, "layouts "+l.District)
	if err != nil {
		return translate(fmt.Errorf("save layout: %w", err))
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM table_layouts WHERE district = $1 AND name = $2`, l.District, l.Name).Scan(&version); err != nil {
		return translate(fmt.Errorf("save layout: %w", err))
	}
	version++
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO table_layouts (district, name, version, kind, file_name, template, sheet, header_first, header_last, data_row, total_row, columns, cells, by_user, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		l.District, l.Name, version, string(l.Kind), l.FileName, l.Template, l.Sheet, l.HeaderFirst, l.HeaderLast, l.DataRow, l.TotalRow, string(cols), string(cells), actor.Username, now).Scan(&id)
	if err != nil {
		return translate(fmt.Errorf("save layout: %w", err))
	}
	e := entryFor(ctx, AuditLayoutSave, "layout", fmt.Sprint(id), fmt.Sprintf("%s第%d版", l.Name, version))
	e.After = mustJSON(map[string]any{"区": l.District, "名称": l.Name, "版本": version, "每行": l.Kind.Text(), "模板": l.FileName,
		"工作表": l.Sheet, "表头": fmt.Sprintf("第%d至%d行", l.HeaderFirst, l.HeaderLast), "数据起始行": l.DataRow, "列": json.RawMessage(cols)})
	if err := db.appendAudit(ctx, tx, e); err != nil {
		return translate(fmt.Errorf("save layout: %w", err))
	}
	if err := tx.Commit(); err != nil {
		return translate(fmt.Errorf("save layout: %w", err))
	}
	l.ID, l.Version, l.By, l.At = id, version, actor.Username, now
	return nil
}

const layoutColumns = `id, district, name, version, kind, file_name, sheet, header_first, header_last, data_row, total_row, columns, cells, by_user, at`

func scanLayout(sc interface{ Scan(...any) error }, withTemplate bool) (xiezuo.PlatformLayout, error) {
	var l xiezuo.PlatformLayout
	var kind, cols, cells string
	dest := []any{&l.ID, &l.District, &l.Name, &l.Version, &kind, &l.FileName, &l.Sheet, &l.HeaderFirst, &l.HeaderLast, &l.DataRow, &l.TotalRow, &cols, &cells, &l.By, &l.At}
	if withTemplate {
		dest = append(dest, &l.Template)
	}
	if err := sc.Scan(dest...); err != nil {
		return l, err
	}
	l.Kind = xiezuo.LayoutKind(kind)
	if err := json.Unmarshal([]byte(cols), &l.Columns); err != nil {
		return l, fmt.Errorf("layout %d columns: %w", l.ID, err)
	}
	if err := json.Unmarshal([]byte(cells), &l.Cells); err != nil {
		return l, fmt.Errorf("layout %d cells: %w", l.ID, err)
	}
	return l, nil
}

// Layouts lists the latest version of each layout of a district, by name, without the
// templates' bytes.
func (db *DB) Layouts(ctx context.Context, district string) ([]xiezuo.PlatformLayout, error) {
	var out []xiezuo.PlatformLayout
	err := each(ctx, db.db, `SELECT `+layoutColumns+` FROM table_layouts t
		WHERE district = $1 AND version = (SELECT MAX(version) FROM table_layouts v WHERE v.district = t.district AND v.name = t.name)
		ORDER BY name`, []any{district}, func(rows *sql.Rows) error {
		l, err := scanLayout(rows, false)
		if err == nil {
			out = append(out, l)
		}
		return err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("layouts of %s: %w", district, err))
	}
	return out, nil
}

// LayoutVersions lists every version of a layout's name in a district, the latest first,
// without the templates' bytes.
func (db *DB) LayoutVersions(ctx context.Context, district, name string) ([]xiezuo.PlatformLayout, error) {
	var out []xiezuo.PlatformLayout
	err := each(ctx, db.db, `SELECT `+layoutColumns+` FROM table_layouts WHERE district = $1 AND name = $2 ORDER BY version DESC`,
		[]any{district, name}, func(rows *sql.Rows) error {
			l, err := scanLayout(rows, false)
			if err == nil {
				out = append(out, l)
			}
			return err
		})
	if err != nil {
		return nil, translate(fmt.Errorf("layout versions: %w", err))
	}
	return out, nil
}

// Layout reads one version of a layout with its template; ENOTFOUND when there is none.
func (db *DB) Layout(ctx context.Context, id int64) (xiezuo.PlatformLayout, error) {
	l, err := scanLayout(db.db.QueryRowContext(ctx, `SELECT `+layoutColumns+`, template FROM table_layouts WHERE id = $1`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return l, xiezuo.Errorf(xiezuo.ENOTFOUND, "没有编号为 %d 的报表格式", id)
	}
	if err != nil {
		return l, translate(fmt.Errorf("layout %d: %w", id, err))
	}
	return l, nil
}
