package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"xiezuo"
)

// Uploads are documents the office uploaded to import, kept between the check and the
// confirmation, never longer.

// DeleteOldUploads removes uploads made before a time: never confirmed, they are not kept.
func (db *DB) DeleteOldUploads(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM uploads WHERE created_at < $1`, before.UTC())
	if err != nil {
		return 0, translate(fmt.Errorf("delete old uploads: %w", err))
	}
	return res.RowsAffected()
}

// SaveUpload keeps an uploaded document until the office confirms its import.
func (db *DB) SaveUpload(ctx context.Context, userID int64, name string, content []byte, at time.Time) (int64, error) {
	var id int64
	err := db.db.QueryRowContext(ctx, `INSERT INTO uploads (user_id, name, content, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		userID, name, content, at.UTC()).Scan(&id)
	if err != nil {
		return 0, translate(fmt.Errorf("save upload: %w", err))
	}
	return id, nil
}

// Upload reads an upload of the user; another user's upload is not found.
func (db *DB) Upload(ctx context.Context, id, userID int64) (name string, content []byte, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT name, content FROM uploads WHERE id = $1 AND user_id = $2`, id, userID).Scan(&name, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, xiezuo.Errorf(xiezuo.ENOTFOUND, "上传的文件已过期或不存在，请重新上传")
	}
	if err != nil {
		return "", nil, translate(fmt.Errorf("read upload: %w", err))
	}
	return name, content, nil
}

// DeleteUpload removes an upload once imported.
func (db *DB) DeleteUpload(ctx context.Context, id int64) error {
	if _, err := db.db.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1`, id); err != nil {
		return translate(fmt.Errorf("delete upload: %w", err))
	}
	return nil
}
