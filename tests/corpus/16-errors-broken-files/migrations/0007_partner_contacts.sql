-- 0007: partner agencies and their contacts
CREATE TABLE partner_agencies (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    country     CHAR(2) NOT NULL
);

CREATE TABLE partner_contacts (
    id          BIGSERIAL PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES partner_agencies (id),
    full_name   TEXT NOT NULL,
    email       TEXT NOT NULL
);

-- merge conflict leftover, never ran in CI
ALTER TABLE partner_contacts ADD COLUMN phone TEXT,,;

CREATE TABLE partner_notes (
    id          BIGSERIAL PRIMARY KEY,
    contact_id  BIGINT NOT NULL REFERENCES partner_contacts (id),
    body        TEXT NOT NULL
);

ALTER TABLE partner_contacts ADD COLUMN office_address TEXT;
ALTER TABLE partner_contacts ADD COLUMN whatsapp TEXT;
