CREATE TABLE sms_log (
    id                   BIGSERIAL PRIMARY KEY,
    creator_id           BIGINT REFERENCES creators (id),
    msisdn               TEXT NOT NULL,
    provider_message_id  TEXT,
    status               TEXT NOT NULL,
    sent_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
