-- Contacts attach to a unit or a project by id, not by a string naming it: a project renamed
-- by a re-import keeps its id, and so its contact. A contact goes with its project when the
-- office confirms the project's deletion.
--
-- The contacts of 0003 are moved over by their subject ("unit/区财政局",
-- "project/2021/内蒙古武川县/武川县稳定就业补贴项目"); those that name nothing stored any more
-- stay in contacts_unattached, the phone still sealed, for the office to look at.
DROP INDEX contacts_phone_index_idx;
ALTER TABLE contacts RENAME TO contacts_unattached;
ALTER TABLE contacts_unattached RENAME CONSTRAINT contacts_pkey TO contacts_unattached_pkey;

CREATE TABLE contacts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district     TEXT NOT NULL,
    unit_id      BIGINT REFERENCES units (id) ON DELETE CASCADE,
    project_id   BIGINT REFERENCES projects (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    phone_sealed BYTEA NOT NULL,
    phone_index  BYTEA NOT NULL,
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT contacts_subject_check CHECK ((unit_id IS NULL) <> (project_id IS NULL))
);
CREATE UNIQUE INDEX contacts_unit_id_key ON contacts (unit_id);
CREATE UNIQUE INDEX contacts_project_id_key ON contacts (project_id);
CREATE INDEX contacts_phone_index_idx ON contacts (phone_index);

INSERT INTO contacts (district, unit_id, name, phone_sealed, phone_index, updated_by, updated_at)
SELECT c.district, u.id, c.name, c.phone_sealed, c.phone_index, c.updated_by, c.updated_at
FROM contacts_unattached c
JOIN units u ON u.district = c.district AND 'unit/' || u.name = c.subject;

INSERT INTO contacts (district, project_id, name, phone_sealed, phone_index, updated_by, updated_at)
SELECT c.district, p.id, c.name, c.phone_sealed, c.phone_index, c.updated_by, c.updated_at
FROM contacts_unattached c
JOIN plans pl ON pl.district = c.district
JOIN projects p ON p.plan_id = pl.id
    AND 'project/' || CAST(pl.year AS TEXT) || '/' || p.region || '/' || p.name = c.subject;

DELETE FROM contacts_unattached
WHERE EXISTS (SELECT 1 FROM units u WHERE u.district = contacts_unattached.district
        AND 'unit/' || u.name = contacts_unattached.subject)
    OR EXISTS (SELECT 1 FROM plans pl JOIN projects p ON p.plan_id = pl.id
        WHERE pl.district = contacts_unattached.district
        AND 'project/' || CAST(pl.year AS TEXT) || '/' || p.region || '/' || p.name = contacts_unattached.subject);
