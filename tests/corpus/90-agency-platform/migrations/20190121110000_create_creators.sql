-- Creators we track. Profile data comes from the public Instagram profile.
CREATE TABLE creators (
    id                BIGSERIAL PRIMARY KEY,
    instagram_handle  TEXT NOT NULL UNIQUE,
    full_name         TEXT,
    bio               TEXT,
    follower_count    INTEGER NOT NULL DEFAULT 0,
    city              TEXT,
    country_code      CHAR(2),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
