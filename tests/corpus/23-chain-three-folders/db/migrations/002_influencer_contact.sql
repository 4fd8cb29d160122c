ALTER TABLE influencers ADD COLUMN contact_email TEXT;
ALTER TABLE influencers ADD COLUMN phone_number TEXT;
CREATE UNIQUE INDEX influencers_contact_email_key ON influencers (lower(contact_email));
