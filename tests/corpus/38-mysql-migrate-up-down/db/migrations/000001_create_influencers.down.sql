DROP TABLE IF EXISTS `influencers`;
