-- Courier no longer needs a phone number.
ALTER TABLE campaign_creator DROP COLUMN shipping_phone;

UPDATE campaign_creator SET address_verified = TRUE WHERE shipping_address IS NOT NULL;
