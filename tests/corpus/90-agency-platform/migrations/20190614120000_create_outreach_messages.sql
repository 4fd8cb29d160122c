CREATE TABLE outreach_messages (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES campaigns (id),
    creator_id   BIGINT NOT NULL REFERENCES creators (id),
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'whatsapp', 'sms')),
    template_id  BIGINT REFERENCES email_templates (id),
    sent_at      TIMESTAMPTZ NOT NULL,
    opened_at    TIMESTAMPTZ,
    bounced      BOOLEAN NOT NULL DEFAULT FALSE
);
