ALTER TABLE brand_contacts DROP COLUMN mobile_verified;
ALTER TABLE brand_contacts DROP COLUMN mobile;
