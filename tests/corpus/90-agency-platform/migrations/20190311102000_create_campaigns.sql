CREATE TABLE campaigns (
    id                 BIGSERIAL PRIMARY KEY,
    brand_id           BIGINT NOT NULL REFERENCES brands (id),
    name               TEXT NOT NULL,
    budget_cents       BIGINT NOT NULL DEFAULT 0,
    starts_on          DATE,
    ends_on            DATE,
    status             TEXT NOT NULL DEFAULT 'draft',
    brief_template_id  BIGINT
);
