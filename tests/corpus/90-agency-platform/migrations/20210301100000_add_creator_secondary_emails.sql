ALTER TABLE creators ADD COLUMN secondary_emails TEXT[] NOT NULL DEFAULT '{}';
