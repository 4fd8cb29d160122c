use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub billing_email: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Webhook {
    pub id: i64,
    pub agency_id: i64,
    pub url: String,
    pub secret_hash: String,
    pub email_on_failure: bool,
    pub last_delivery_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub agency_id: i64,
    pub key_hash: String,
    pub label: String,
    pub created_by: Option<i64>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}
