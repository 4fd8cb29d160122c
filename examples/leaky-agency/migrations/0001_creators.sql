-- Creator profiles scraped from Instagram business accounts.
CREATE TABLE IF NOT EXISTS creators (
    id                  BIGSERIAL PRIMARY KEY,
    instagram_handle    VARCHAR(64) NOT NULL UNIQUE,
    full_name           TEXT NOT NULL,
    bio                 TEXT,
    follower_count      BIGINT NOT NULL DEFAULT 0,
    engagement_rate     REAL,
    city                TEXT,
    email               TEXT,
    phone               VARCHAR(32),
    email_verified      BOOLEAN NOT NULL DEFAULT FALSE,
    estimated_worth_usd NUMERIC(12, 2),
    scraped_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX creators_followers_idx ON creators (follower_count DESC);
