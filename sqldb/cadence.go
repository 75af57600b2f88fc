package sqldb

import (
	"context"
	"fmt"

	"xiezuo"
)

// AuditCadence is the audit action of the office setting its district's reporting cadence.
const AuditCadence = "supervise.cadence"

// cadenceKey is the setting that keeps a district's reporting cadence (JSON, xiezuo.Cadence).
func cadenceKey(district string) string { return "supervise.cadence." + district }

// Cadence returns the reporting cadence the office of district set, or the default
// (xiezuo.DefaultCadence) when it set none.
func (db *DB) Cadence(ctx context.Context, district string) (xiezuo.Cadence, error) {
	v, ok, err := db.Setting(ctx, cadenceKey(district))
	if err != nil || !ok {
		return xiezuo.DefaultCadence(), err
	}
	var c xiezuo.Cadence
	if err := c.UnmarshalText([]byte(v)); err != nil {
		return xiezuo.DefaultCadence(), fmt.Errorf("cadence of %s: %w", district, err)
	}
	if c.Validate() != nil {
		// A stored value no form would write: the default applies rather than a broken one.
		return xiezuo.DefaultCadence(), nil
	}
	return c, nil
}

// SetCadence sets the reporting cadence of district, checked (xiezuo.Cadence.Validate); the
// change is audited with the value before and after, like every setting.
func (db *DB) SetCadence(ctx context.Context, district string, c xiezuo.Cadence) error {
	if district == "" {
		return xiezuo.Errorf(xiezuo.EINVALID, "请选择区县")
	}
	if err := c.Validate(); err != nil {
		return err
	}
	b, err := c.MarshalText()
	if err != nil {
		return fmt.Errorf("set cadence of %s: %w", district, err)
	}
	return db.setSetting(ctx, cadenceKey(district), string(b), entryFor(ctx, AuditCadence, "cadence", district, "报送频次（"+district+"）"))
}
