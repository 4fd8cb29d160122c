use serde::Serialize;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct TalentContact {
    pub id: i64,
    pub handle: String,
    pub agent_email: String,
    pub agent_phone: Option<String>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct TalentCard {
    pub id: i64,
    pub handle: String,
    pub followers: i64,
    pub niche: Option<String>,
}
