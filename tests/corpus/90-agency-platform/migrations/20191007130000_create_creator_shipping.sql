-- Product seeding: where to send samples.
CREATE TABLE creator_shipping (
    creator_id      BIGINT PRIMARY KEY REFERENCES creators (id),
    recipient_name  TEXT NOT NULL,
    street_address  TEXT NOT NULL,
    address_line2   TEXT,
    city            TEXT NOT NULL,
    postcode        TEXT NOT NULL,
    country_code    CHAR(2) NOT NULL,
    address_type    TEXT NOT NULL DEFAULT 'home' CHECK (address_type IN ('home', 'studio', 'agent')),
    verified_at     TIMESTAMPTZ
);
