CREATE TABLE brand_contacts (
    id            BIGSERIAL PRIMARY KEY,
    brand_id      BIGINT NOT NULL REFERENCES brands (id),
    name          TEXT NOT NULL,
    role          TEXT,
    work_email    TEXT,
    office_phone  TEXT,
    mobile        TEXT,
    linkedin_url  TEXT,
    is_primary    BOOLEAN NOT NULL DEFAULT FALSE
);
