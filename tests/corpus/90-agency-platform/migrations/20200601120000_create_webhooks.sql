CREATE TABLE webhooks (
    id                BIGSERIAL PRIMARY KEY,
    agency_id         BIGINT NOT NULL REFERENCES agencies (id),
    url               TEXT NOT NULL,
    secret_hash       TEXT NOT NULL,
    email_on_failure  BOOLEAN NOT NULL DEFAULT TRUE,
    last_delivery_at  TIMESTAMPTZ
);
