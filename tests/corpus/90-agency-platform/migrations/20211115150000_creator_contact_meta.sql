ALTER TABLE creators ADD COLUMN email_bounced_at TIMESTAMPTZ;
ALTER TABLE creators ADD COLUMN contact_source TEXT CHECK (contact_source IN ('profile', 'manager', 'scrape'));
