CREATE TABLE creator_embeddings (
    creator_id  BIGINT PRIMARY KEY REFERENCES creators (id),
    model       TEXT NOT NULL,
    embedding   REAL[] NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
