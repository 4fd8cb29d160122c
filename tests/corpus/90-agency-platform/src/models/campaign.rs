use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub brand_id: i64,
    pub name: String,
    pub budget_cents: i64,
    pub starts_on: Option<chrono::NaiveDate>,
    pub ends_on: Option<chrono::NaiveDate>,
    pub status: String,
    pub brief_template_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CampaignCreator {
    pub campaign_id: i64,
    pub creator_id: i64,
    pub fee_cents: Option<i64>,
    pub status: String,
    pub contract_sent_at: Option<chrono::DateTime<chrono::Utc>>,
    pub email_thread_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Contract {
    pub id: i64,
    pub campaign_id: i64,
    pub creator_id: i64,
    pub signed_pdf_key: Option<String>,
    pub signer_name: Option<String>,
    pub signer_email: Option<String>,
    pub signed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub signer_ip_address: Option<ipnetwork::IpNetwork>,
}
