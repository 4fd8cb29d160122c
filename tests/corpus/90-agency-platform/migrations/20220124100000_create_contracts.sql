CREATE TABLE contracts (
    id                 BIGSERIAL PRIMARY KEY,
    campaign_id        BIGINT NOT NULL REFERENCES campaigns (id),
    creator_id         BIGINT NOT NULL REFERENCES creators (id),
    signed_pdf_key     TEXT,
    signer_name        TEXT,
    signer_email       TEXT,
    signed_at          TIMESTAMPTZ,
    signer_ip_address  INET
);
