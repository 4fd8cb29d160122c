ALTER TABLE `influencers` DROP INDEX `idx_booking_email`, DROP COLUMN `booking_email`, DROP COLUMN `booking_phone`;
