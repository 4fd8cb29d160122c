-- Baseline of the campaign service (Flyway).
CREATE TABLE campaign (
    id            UUID PRIMARY KEY,
    brand_name    VARCHAR(200) NOT NULL,
    budget_cents  BIGINT NOT NULL CHECK (budget_cents >= 0),
    starts_on     DATE NOT NULL,
    ends_on       DATE
);

CREATE TABLE campaign_creator (
    campaign_id   UUID NOT NULL REFERENCES campaign (id),
    creator_id    UUID NOT NULL,
    fee_cents     BIGINT,
    PRIMARY KEY (campaign_id, creator_id)
);
