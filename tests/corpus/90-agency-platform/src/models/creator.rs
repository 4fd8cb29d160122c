use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Creator {
    pub id: i64,
    pub instagram_handle: String,
    pub full_name: Option<String>,
    pub bio: Option<String>,
    pub follower_count: i32,
    pub city: Option<String>,
    pub country_code: Option<String>,
    /// Business e-mail from the public profile.
    #[sqlx(rename = "contact_email")]
    pub email: Option<String>,
    pub phone_e164: Option<String>,
    pub whatsapp_number: Option<String>,
    pub whatsapp_opt_in: bool,
    pub secondary_emails: Vec<String>,
    pub postal_address: Option<String>,
    pub email_bounced_at: Option<chrono::DateTime<chrono::Utc>>,
    pub contact_source: Option<String>,
}

/// List rows for the discovery grid.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CreatorSummary {
    pub id: i64,
    pub instagram_handle: String,
    pub follower_count: i32,
    pub has_contact: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreatorMetrics {
    pub creator_id: i64,
    pub day: chrono::NaiveDate,
    pub followers: i32,
    pub engagement_rate: Option<f64>,
    pub reach: Option<i32>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CreatorShipping {
    pub creator_id: i64,
    pub recipient_name: String,
    pub street_address: String,
    pub address_line2: Option<String>,
    pub city: String,
    pub postcode: String,
    pub country_code: String,
    pub address_type: String,
}

/// What the public "work with us" form posts; forwarded to sales by mail,
/// never written to the database.
#[derive(Debug, Deserialize)]
pub struct InquiryForm {
    pub handle: String,
    pub email: String,
    pub phone: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactChannel {
    Email,
    Whatsapp,
    Sms,
}
