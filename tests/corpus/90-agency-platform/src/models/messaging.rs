use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EmailTemplate {
    pub id: i64,
    pub slug: String,
    pub subject: String,
    pub body_html: String,
    pub locale: String,
    pub sender_display_name: Option<String>,
    pub email_provider: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutreachMessage {
    pub id: i64,
    pub campaign_id: i64,
    pub creator_id: i64,
    pub channel: String,
    pub template_id: Option<i64>,
    pub sent_at: chrono::DateTime<chrono::Utc>,
    pub opened_at: Option<chrono::DateTime<chrono::Utc>>,
    pub bounce_reason: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SmsLogEntry {
    pub id: i64,
    pub creator_id: Option<i64>,
    pub msisdn: String,
    pub provider_message_id: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NewsletterSubscription {
    pub id: i64,
    pub email: String,
    pub subscribed_at: chrono::DateTime<chrono::Utc>,
    pub unsubscribed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub source: Option<String>,
}
