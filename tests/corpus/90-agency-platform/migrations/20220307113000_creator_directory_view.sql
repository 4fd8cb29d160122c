CREATE OR REPLACE VIEW creator_directory AS
SELECT c.id, c.instagram_handle, c.follower_count, c.city, c.contact_email
FROM creators c
WHERE c.contact_email IS NOT NULL;
