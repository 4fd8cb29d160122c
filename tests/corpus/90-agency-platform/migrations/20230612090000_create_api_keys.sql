CREATE TABLE api_keys (
    id          BIGSERIAL PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies (id),
    key_hash    TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_by  BIGINT REFERENCES staff_users (id),
    revoked_at  TIMESTAMPTZ
);
