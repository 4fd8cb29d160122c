CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE IF NOT EXISTS "Creators" (
    "Id"            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "Handle"        TEXT NOT NULL,
    "Email"         CITEXT,
    -- "Phone"      TEXT,   removed before launch
    "EmailDomain"   TEXT GENERATED ALWAYS AS (split_part("Email"::text, '@', 2)) STORED,
    "Profile"       JSONB NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT creators_email_format CHECK ("Email" IS NULL OR "Email" LIKE '%@%')
);

ALTER TABLE "Creators" ADD COLUMN IF NOT EXISTS "Mobile" TEXT;
ALTER TABLE "Creators" ADD COLUMN IF NOT EXISTS "MobileConsentAt" TIMESTAMPTZ;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'contact_channel') THEN
        CREATE TYPE contact_channel AS ENUM ('email', 'phone', 'whatsapp');
    END IF;
END
$$;

CREATE TABLE creator_events (
    id          BIGSERIAL,
    creator_id  BIGINT NOT NULL,
    channel     contact_channel NOT NULL,
    happened_at TIMESTAMPTZ NOT NULL
) PARTITION BY RANGE (happened_at);

CREATE TABLE creator_events_2024 PARTITION OF creator_events
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE OR REPLACE FUNCTION normalise_email() RETURNS trigger AS $fn$
BEGIN
    NEW."Email" := lower(NEW."Email");
    RETURN NEW;
END;
$fn$ LANGUAGE plpgsql;

UPDATE "Creators" SET "Email" = NULL WHERE "Email" = '';
DELETE FROM "Creators" WHERE "Email" LIKE '%@example.com';
