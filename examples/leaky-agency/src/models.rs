use serde::{Deserialize, Serialize};

/// One Instagram creator as the discovery tool shows it to brand managers.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Creator {
    pub id: i64,
    pub instagram_handle: String,
    pub full_name: String,
    pub bio: Option<String>,
    pub follower_count: i64,
    pub engagement_rate: f32,
    pub city: Option<String>,
    /// Taken from the "Contact" button of business profiles.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub estimated_worth_usd: Option<f64>,
}
