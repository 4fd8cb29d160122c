CREATE TABLE notification_prefs (
    staff_user_id         BIGINT PRIMARY KEY REFERENCES staff_users (id),
    email_digest          BOOLEAN NOT NULL DEFAULT TRUE,
    sms_alerts            BOOLEAN NOT NULL DEFAULT FALSE,
    phone_alerts_enabled  BOOLEAN NOT NULL DEFAULT FALSE,
    quiet_hours           INT4RANGE
);
