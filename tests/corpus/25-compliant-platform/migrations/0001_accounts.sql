-- Contact details live in the consent service; this database keeps references only.
CREATE TABLE creator_accounts (
    id                    UUID PRIMARY KEY,
    ig_user_id            TEXT NOT NULL UNIQUE,
    contact_ref           UUID,
    email_verified        BOOLEAN NOT NULL DEFAULT FALSE,
    email_verified_at     TIMESTAMPTZ,
    phone_country_code    CHAR(2),
    preferred_contact_channel TEXT NOT NULL DEFAULT 'email'
        CHECK (preferred_contact_channel IN ('email', 'phone', 'whatsapp')),
    whatsapp_opt_in       BOOLEAN NOT NULL DEFAULT FALSE,
    last_seen_ip_address  INET,
    mac_address           MACADDR,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE email_templates (
    id           SERIAL PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL,
    body_html    TEXT NOT NULL
);

-- CREATE TABLE legacy_contacts (email TEXT, phone TEXT);

SELECT id FROM creator_accounts WHERE email_verified;
