ALTER TABLE `influencers`
  ADD COLUMN `whatsapp` VARCHAR(32) NULL AFTER `booking_phone`,
  ADD COLUMN `whatsapp_verified` TINYINT(1) NOT NULL DEFAULT 0 AFTER `whatsapp`,
  MODIFY COLUMN `booking_email` VARCHAR(320) NULL;
