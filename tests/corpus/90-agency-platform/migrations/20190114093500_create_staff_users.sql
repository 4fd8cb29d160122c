CREATE TABLE staff_users (
    id                     BIGSERIAL PRIMARY KEY,
    agency_id              BIGINT NOT NULL REFERENCES agencies (id),
    username               TEXT NOT NULL UNIQUE,
    password_hash          TEXT NOT NULL,
    email                  TEXT NOT NULL,
    email_verified         BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at          TIMESTAMPTZ,
    last_login_ip_address  INET,
    is_admin               BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));
