use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StaffUser {
    pub id: i64,
    pub agency_id: i64,
    pub username: String,
    #[serde(skip_serializing)]
    pub password_hash: String,
    pub email: String,
    pub email_verified: bool,
    pub mobile_phone: Option<String>,
    pub mobile_verified_at: Option<chrono::DateTime<chrono::Utc>>,
    pub is_admin: bool,
}

#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct NotificationPrefs {
    pub staff_user_id: i64,
    pub email_digest: bool,
    pub sms_alerts: bool,
    pub phone_alerts_enabled: bool,
}
