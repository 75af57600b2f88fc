-- The robots' webhook addresses carry their key or access_token, all it takes to post to the
-- group: rows from now on keep them sealed (vault.Sealer, like the 钉钉 secret), the clear
-- columns holding the address masked (xiezuo.MaskWebhookURL) for the page's list. Rows stored
-- before keep their clear address and are still read (sqldb/reminder.go).
ALTER TABLE reminder_channels ADD COLUMN wecom_sealed BYTEA;
ALTER TABLE reminder_channels ADD COLUMN dingtalk_sealed BYTEA;
