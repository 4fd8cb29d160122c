CREATE TABLE brands (
    id         BIGSERIAL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies (id),
    name       TEXT NOT NULL,
    website    TEXT,
    logo_url   TEXT,
    industry   TEXT
);
