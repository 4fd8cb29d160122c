-- GDPR access and erasure requests.
CREATE TABLE data_requests (
    id                          BIGSERIAL PRIMARY KEY,
    creator_id                  BIGINT NOT NULL REFERENCES creators (id),
    kind                        TEXT NOT NULL CHECK (kind IN ('access', 'erasure')),
    requested_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at                TIMESTAMPTZ,
    verification_email_sent_at  TIMESTAMPTZ
);
