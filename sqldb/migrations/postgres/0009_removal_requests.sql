-- Removing a security or audit administrator waits for another security administrator like a
-- grant (三员分立): account_requests take two more kinds, revoke (the account's roles after
-- approval, without a guarded role it held) and disable.
ALTER TABLE account_requests DROP CONSTRAINT account_requests_kind_check;
ALTER TABLE account_requests ADD CONSTRAINT account_requests_kind_check CHECK (kind IN ('grant', 'reset', 'revoke', 'disable'));
