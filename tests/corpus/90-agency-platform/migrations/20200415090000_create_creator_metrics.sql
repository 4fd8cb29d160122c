CREATE TABLE creator_metrics (
    creator_id       BIGINT NOT NULL REFERENCES creators (id),
    day              DATE NOT NULL,
    followers        INTEGER NOT NULL,
    engagement_rate  NUMERIC(6, 3),
    reach            INTEGER,
    impressions      INTEGER,
    PRIMARY KEY (creator_id, day)
);
