CREATE TABLE agencies (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    billing_email TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
