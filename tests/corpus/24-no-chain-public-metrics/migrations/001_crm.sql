CREATE TABLE creator_contacts (
    creator_handle  TEXT PRIMARY KEY,
    email           TEXT,
    phone           TEXT,
    consent_at      TIMESTAMPTZ NOT NULL
);
