ALTER TABLE staff_users ADD COLUMN mobile_phone TEXT;
ALTER TABLE staff_users ADD COLUMN mobile_verified_at TIMESTAMPTZ;
