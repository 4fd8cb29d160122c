ALTER TABLE `influencers` DROP COLUMN `whatsapp_verified`, DROP COLUMN `whatsapp`;
