CREATE INDEX creators_contact_email_idx ON creators (lower(contact_email));
CREATE INDEX creators_phone_idx ON creators (phone) WHERE phone IS NOT NULL;
COMMENT ON COLUMN creators.contact_email IS 'business e-mail from the public profile';
