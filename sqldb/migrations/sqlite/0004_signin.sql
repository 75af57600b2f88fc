-- Sign-in hardening (等保 level 3 audit).
--
-- factor_failed_count counts wrong second-factor codes on their own: a right password starts
-- failed_count again but not this one, so alternating the password with guessed codes still
-- locks the account. failed_count now also counts password checks under way (reserved before
-- the hash is checked), so parallel guesses cannot outrun the lock.
ALTER TABLE users ADD COLUMN factor_failed_count INTEGER NOT NULL DEFAULT 0;

-- API tokens end: expires_at is set when a token is made (90 days unless its maker chose,
-- at most 365). A token made before this column existed has none and ends 90 days after it was
-- made (sqldb/apitoken.go).
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;
