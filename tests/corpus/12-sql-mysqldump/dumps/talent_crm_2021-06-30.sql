-- MySQL dump 10.13  Distrib 8.0.25, for Linux (x86_64)
--
-- Host: 10.0.1.12    Database: talent_crm
-- ------------------------------------------------------
-- Server version	8.0.25

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;

--
-- Table structure for table `influencer_contacts`
--

DROP TABLE IF EXISTS `influencer_contacts`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `influencer_contacts` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `ig_handle` varchar(64) NOT NULL,
  `full_name` varchar(255) DEFAULT NULL,
  `followers` int unsigned DEFAULT '0',
  `contact_email` varchar(255) DEFAULT NULL,
  `whatsapp_number` varchar(32) DEFAULT NULL,
  `email_opt_in` tinyint(1) NOT NULL DEFAULT '0',
  `phone_verified_at` datetime DEFAULT NULL,
  `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_ig_handle` (`ig_handle`),
  KEY `idx_contact_email` (`contact_email`)
) ENGINE=InnoDB AUTO_INCREMENT=48213 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `influencer_contacts`
--

LOCK TABLES `influencer_contacts` WRITE;
/*!40000 ALTER TABLE `influencer_contacts` DISABLE KEYS */;
INSERT INTO `influencer_contacts` VALUES (1,'travelwithmira','Mira K.',182000,'mira@example.com','+15550100',1,NULL,'2021-06-01 10:00:00'),(2,'chefnoor','Noor A.',96000,NULL,'+15550101',0,NULL,'2021-06-02 11:30:00');
/*!40000 ALTER TABLE `influencer_contacts` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `contact_audit`
--

DROP TABLE IF EXISTS `contact_audit`;
CREATE TABLE `contact_audit` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `contact_id` int unsigned NOT NULL,
  `changed_field` varchar(64) NOT NULL,
  `changed_at` datetime NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`crm`@`%`*/ /*!50003 TRIGGER `trg_contact_email_change` AFTER UPDATE ON `influencer_contacts` FOR EACH ROW BEGIN
  IF NOT (OLD.contact_email <=> NEW.contact_email) THEN
    INSERT INTO contact_audit (contact_id, changed_field, changed_at) VALUES (NEW.id, 'contact_email', NOW());
  END IF;
END */;;
DELIMITER ;

--
-- Table structure for table `agencies`
--

DROP TABLE IF EXISTS `agencies`;
CREATE TABLE `agencies` (
  `id` int NOT NULL AUTO_INCREMENT,
  `name` varchar(255) NOT NULL,
  `billing_address` text,
  `office_phone` varchar(32) DEFAULT NULL,
  `vat_id` varchar(32) DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2021-06-30  2:14:07
