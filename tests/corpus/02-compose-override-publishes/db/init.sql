-- Outreach CRM: brands we pitch creators to, and the creators themselves.
CREATE TABLE brands (
    id           SERIAL PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    website      VARCHAR(300),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE creator_leads (
    id               SERIAL PRIMARY KEY,
    brand_id         INTEGER REFERENCES brands (id),
    ig_username      VARCHAR(64) NOT NULL,
    followers        INTEGER,
    engagement_rate  NUMERIC(5, 2),
    manager_email    VARCHAR(320),
    mobile_number    VARCHAR(32),
    pitched_at       TIMESTAMPTZ,
    reply_received   BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX creator_leads_email_idx ON creator_leads (manager_email);
