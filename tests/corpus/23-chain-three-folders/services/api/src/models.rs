use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow)]
pub struct Influencer {
    pub id: i64,
    pub ig_handle: String,
    pub follower_count: i32,
    pub city: Option<String>,
    #[serde(rename = "contactEmail")]
    #[sqlx(rename = "contact_email")]
    pub contact: Option<String>,
    pub phone_number: Option<String>,
}
