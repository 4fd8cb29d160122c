use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CreatorPayout {
    pub id: i64,
    pub creator_id: i64,
    pub iban_last4: Option<String>,
    pub payout_email: Option<String>,
    pub amount_cents: i64,
    pub paid_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TalentManager {
    pub id: i64,
    pub agency_name: Option<String>,
    pub manager_name: String,
    pub manager_email: Option<String>,
    pub manager_phone: Option<String>,
    pub commission_pct: Option<f64>,
}
