CREATE TABLE creator_payouts (
    id            BIGSERIAL PRIMARY KEY,
    creator_id    BIGINT NOT NULL REFERENCES creators (id),
    iban_last4    CHAR(4),
    payout_email  TEXT,
    amount_cents  BIGINT NOT NULL,
    paid_at       TIMESTAMPTZ
);
