ALTER TABLE outreach_messages DROP COLUMN bounced;
ALTER TABLE outreach_messages ADD COLUMN bounce_reason TEXT;
