-- Sales wants to reach creators directly instead of through DMs.
ALTER TABLE creators ADD COLUMN contact_email TEXT;
ALTER TABLE creators ADD COLUMN phone TEXT;
