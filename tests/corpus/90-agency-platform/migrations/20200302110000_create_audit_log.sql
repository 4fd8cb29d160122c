CREATE TABLE audit_log (
    id            BIGSERIAL PRIMARY KEY,
    actor_id      BIGINT REFERENCES staff_users (id),
    action        TEXT NOT NULL,
    target_table  TEXT NOT NULL,
    target_id     BIGINT,
    ip_address    INET,
    user_agent    TEXT,
    happened_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
