CREATE VIEW creator_shipping AS
SELECT c.brand_name, cc.creator_id, cc.shipping_address
FROM campaign_creator cc
JOIN campaign c ON c.id = cc.campaign_id
WHERE cc.shipping_address IS NOT NULL;

CREATE INDEX campaign_creator_shipping_idx ON campaign_creator (shipping_address);

CREATE TABLE creator_notification_pref (
    creator_id         UUID PRIMARY KEY,
    email_opt_in       BOOLEAN NOT NULL DEFAULT TRUE,
    sms_opt_in         BOOLEAN NOT NULL DEFAULT FALSE,
    preferred_channel  VARCHAR(16) NOT NULL DEFAULT 'email'
);
