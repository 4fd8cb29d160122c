CREATE TABLE email_templates (
    id          BIGSERIAL PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    subject     TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    locale      TEXT NOT NULL DEFAULT 'en',
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO email_templates (slug, subject, body_html)
VALUES ('pitch', 'Collaboration with {{brand}}', '<p>Hi {{name}}, reply to this email to hear more.</p>');
