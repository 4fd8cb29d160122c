-- Public profile statistics. Contact details live in the CRM, with the
-- creator's consent on record; only the CRM's id is kept here.
CREATE TABLE IF NOT EXISTS creators (
    id               BIGSERIAL PRIMARY KEY,
    instagram_handle VARCHAR(64) NOT NULL UNIQUE,
    follower_count   BIGINT NOT NULL DEFAULT 0,
    engagement_rate  REAL,
    crm_contact_id   TEXT,
    email_opt_in     BOOLEAN NOT NULL DEFAULT FALSE,
    refreshed_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
