CREATE TABLE creator_addresses (
    creator_id      BIGINT PRIMARY KEY,
    recipient       TEXT NOT NULL,
    street_address  TEXT NOT NULL,
    postal_code     TEXT NOT NULL,
    city            TEXT NOT NULL,
    country_code    CHAR(2) NOT NULL
);
