use serde::Serialize;

/// Public statistics only; consented contact details stay in the CRM and
/// are referenced by id.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CreatorProfile {
    pub id: i64,
    pub instagram_handle: String,
    pub follower_count: i64,
    pub engagement_rate: f32,
    pub crm_contact_id: Option<String>,
}
