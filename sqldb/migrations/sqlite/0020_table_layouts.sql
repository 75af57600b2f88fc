-- The tables upper platforms ask for (xiezuo.PlatformLayout, issue 11): a template workbook of
-- the city or national platform with its mapping of columns to fields. Each save is a new
-- version of the layout's name in its district (version 1, 2, …), never updated nor deleted;
-- the latest version of a name applies. The template's bytes are bounded by the application
-- (xiezuo.MaxLayoutTemplate, 2 MB).
CREATE TABLE table_layouts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    district     TEXT NOT NULL,
    name         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    template     BLOB NOT NULL,
    sheet        TEXT NOT NULL,
    header_first INTEGER NOT NULL,
    header_last  INTEGER NOT NULL,
    data_row     INTEGER NOT NULL,
    total_row    INTEGER NOT NULL DEFAULT 0,
    columns      TEXT NOT NULL,
    cells        TEXT NOT NULL,
    by_user      TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    UNIQUE (district, name, version)
);
