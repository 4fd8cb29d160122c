-- Product seeding: we ship samples to creators, so keep where to send them.
ALTER TABLE campaign_creator
    ADD COLUMN shipping_address TEXT,
    ADD COLUMN shipping_phone VARCHAR(32),
    ADD COLUMN shipping_label_printed_at TIMESTAMP;

ALTER TABLE campaign_creator ADD COLUMN address_verified BOOLEAN NOT NULL DEFAULT FALSE;
