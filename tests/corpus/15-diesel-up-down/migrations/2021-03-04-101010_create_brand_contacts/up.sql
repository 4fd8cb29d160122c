CREATE TABLE brand_contacts (
  id SERIAL PRIMARY KEY,
  brand_id INTEGER NOT NULL,
  contact_name VARCHAR NOT NULL,
  work_email VARCHAR NOT NULL,
  role_title VARCHAR,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
)
