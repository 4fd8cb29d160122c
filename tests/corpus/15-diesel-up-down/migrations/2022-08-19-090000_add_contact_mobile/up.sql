ALTER TABLE brand_contacts ADD COLUMN mobile VARCHAR;
ALTER TABLE brand_contacts ADD COLUMN mobile_verified BOOLEAN NOT NULL DEFAULT 'f';
