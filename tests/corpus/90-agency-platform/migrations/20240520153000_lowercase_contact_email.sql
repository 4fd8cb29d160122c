UPDATE creators SET contact_email = lower(contact_email) WHERE contact_email <> lower(contact_email);
DELETE FROM newsletter_subscriptions WHERE unsubscribed_at < now() - INTERVAL '2 years';
