-- The work summary and the self-assessment drafts (issue 11): each save of the office's edits
-- is a new version of the draft of (district, year, kind, period), never updated nor deleted;
-- the document is the gongwen.Document as JSON (its paragraphs as edited, its tables and
-- charts as they were generated for the day it is as of).

CREATE TABLE draft_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    district TEXT NOT NULL,
    year     INTEGER NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('summary', 'assessment')),
    period   TEXT NOT NULL CHECK (period IN ('h1', 'year')),
    version  INTEGER NOT NULL,
    as_of    TEXT NOT NULL,
    document TEXT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    by_user  TEXT NOT NULL,
    at       TIMESTAMP NOT NULL,
    UNIQUE (district, year, kind, period, version)
);

CREATE TRIGGER draft_versions_no_update BEFORE UPDATE ON draft_versions
BEGIN
    SELECT RAISE(ABORT, 'draft versions are never changed');
END;
CREATE TRIGGER draft_versions_no_delete BEFORE DELETE ON draft_versions
BEGIN
    SELECT RAISE(ABORT, 'draft versions are never deleted');
END;
