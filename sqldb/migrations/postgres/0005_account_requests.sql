-- Districts and the approval of privileged accounts (三员分立).
--
-- The city office (cityoffice) is a role: user_roles's check is made again with it.
-- account_requests are dated facts: a grant of privileged roles or a password reset of a
-- privileged account, asked by the system administrator and decided once by a security
-- administrator; a decided request is never changed. requested_by and decided_by are NULL
-- when the operator acted on the server (seeding, `xiezuo user add`), recorded as the system.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check CHECK (role IN ('office', 'cityoffice', 'unit',
    'teamlead', 'cadre', 'leader', 'sysadmin', 'secadmin', 'auditor'));

CREATE TABLE account_requests (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('grant', 'reset')),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    roles        TEXT NOT NULL DEFAULT '',
    requested_by BIGINT REFERENCES users (id),
    requested_at TIMESTAMPTZ NOT NULL,
    decided_by   BIGINT REFERENCES users (id),
    decided_at   TIMESTAMPTZ,
    decision     TEXT CHECK (decision IN ('approve', 'reject')),
    reason       TEXT NOT NULL DEFAULT '',
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX account_requests_user_idx ON account_requests (user_id, id);
-- One pending request of each kind per account.
CREATE UNIQUE INDEX account_requests_pending_key ON account_requests (user_id, kind) WHERE decision IS NULL;

-- A request is decided once: after that nothing of it changes, and it is never deleted.
CREATE FUNCTION account_requests_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.decision IS NULL THEN
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'account_requests: a decided request cannot be changed';
    END IF;
    RAISE EXCEPTION 'account_requests are kept';
END;
$$;
CREATE TRIGGER account_requests_decided_once BEFORE UPDATE ON account_requests
    FOR EACH ROW EXECUTE FUNCTION account_requests_guard();
CREATE TRIGGER account_requests_no_delete BEFORE DELETE ON account_requests
    FOR EACH ROW EXECUTE FUNCTION account_requests_guard();

-- The half of an approved password the system administrator is to hand over, sealed; deleted
-- once shown.
CREATE TABLE account_request_halves (
    request_id  BIGINT PRIMARY KEY REFERENCES account_requests (id),
    half_sealed BYTEA NOT NULL
);
