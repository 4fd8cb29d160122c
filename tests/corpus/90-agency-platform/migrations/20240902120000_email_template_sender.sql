ALTER TABLE email_templates ADD COLUMN sender_display_name TEXT;
ALTER TABLE email_templates ADD COLUMN email_provider TEXT NOT NULL DEFAULT 'ses';
