-- Normalise phone numbers to E.164; the old free-text column goes away.
ALTER TABLE creators ADD COLUMN phone_e164 TEXT;
UPDATE creators SET phone_e164 = regexp_replace(phone, '[^0-9+]', '', 'g') WHERE phone IS NOT NULL;
ALTER TABLE creators DROP COLUMN phone;
