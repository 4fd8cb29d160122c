CREATE TABLE talent_managers (
    id              BIGSERIAL PRIMARY KEY,
    agency_name     TEXT,
    manager_name    TEXT NOT NULL,
    manager_email   TEXT,
    manager_phone   TEXT,
    commission_pct  NUMERIC(5, 2)
);

CREATE TABLE creator_managers (
    creator_id  BIGINT NOT NULL REFERENCES creators (id),
    manager_id  BIGINT NOT NULL REFERENCES talent_managers (id),
    since       DATE,
    PRIMARY KEY (creator_id, manager_id)
);
