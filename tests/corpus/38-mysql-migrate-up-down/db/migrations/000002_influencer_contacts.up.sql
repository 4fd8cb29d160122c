ALTER TABLE `influencers`
  ADD (`booking_email` VARCHAR(255) NULL, `booking_phone` VARCHAR(32) NULL),
  ADD INDEX `idx_booking_email` (`booking_email`);
