CREATE TABLE influencers (
    id              BIGSERIAL PRIMARY KEY,
    ig_handle       TEXT NOT NULL UNIQUE,
    follower_count  INTEGER NOT NULL DEFAULT 0,
    city            TEXT
);
