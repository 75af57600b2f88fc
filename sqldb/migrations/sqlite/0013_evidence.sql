-- Evidence files (证明材料) sent with a version of a report. The bytes are kept outside the
-- database, on disk by their SHA-256 (package evidence); a row says which version they were sent
-- with, what they are (the type detected from the content, never from the name) and, for a
-- photo, when it was taken. Rows are never updated.
CREATE TABLE report_evidence (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    sha256    TEXT NOT NULL CHECK (length(sha256) = 64),
    name      TEXT NOT NULL,
    mime      TEXT NOT NULL,
    size      INTEGER NOT NULL CHECK (size > 0),
    taken_at  TIMESTAMP,
    by_user   TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    CONSTRAINT report_evidence_version_fk FOREIGN KEY (report_id, version) REFERENCES report_versions (report_id, version) ON DELETE CASCADE
);
CREATE INDEX report_evidence_report_idx ON report_evidence (report_id, version, id);
CREATE INDEX report_evidence_sha256_idx ON report_evidence (sha256);
