PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS shipments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    creator_handle TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    address_line1 TEXT NOT NULL,
    address_line2 TEXT,
    postcode TEXT NOT NULL,
    tracking_no TEXT,
    shipped_at TEXT DEFAULT (datetime('now'))
) STRICT;

CREATE INDEX IF NOT EXISTS shipments_handle ON shipments(creator_handle);

ALTER TABLE shipments ADD COLUMN contact_phone TEXT;
