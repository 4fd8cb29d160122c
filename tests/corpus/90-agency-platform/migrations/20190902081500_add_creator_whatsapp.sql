ALTER TABLE creators
    ADD COLUMN whatsapp_number TEXT,
    ADD COLUMN whatsapp_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
