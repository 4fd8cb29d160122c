ALTER TABLE creators ADD COLUMN postal_address TEXT;
ALTER TABLE creators ADD COLUMN home_city TEXT;
