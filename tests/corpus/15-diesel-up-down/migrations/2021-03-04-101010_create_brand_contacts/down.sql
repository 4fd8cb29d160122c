DROP TABLE brand_contacts
