CREATE TABLE campaign_creators (
    campaign_id       BIGINT NOT NULL REFERENCES campaigns (id),
    creator_id        BIGINT NOT NULL REFERENCES creators (id),
    fee_cents         BIGINT,
    status            TEXT NOT NULL DEFAULT 'shortlisted',
    contract_sent_at  TIMESTAMPTZ,
    email_thread_id   TEXT,
    PRIMARY KEY (campaign_id, creator_id)
);
