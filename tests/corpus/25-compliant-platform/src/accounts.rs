use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactChannel {
    Email,
    Phone,
    Whatsapp,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct CreatorAccount {
    pub id: uuid::Uuid,
    pub ig_user_id: String,
    pub contact_ref: Option<uuid::Uuid>,
    pub email_verified: bool,
    pub whatsapp_opt_in: bool,
    pub last_seen_ip_address: Option<String>,
}

/// Form payload; forwarded to the consent service, never stored here.
#[derive(Debug, Deserialize)]
pub struct ContactUpdate {
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub fn audit(acc: &CreatorAccount, channel: ContactChannel) {
    tracing::info!(account = %acc.id, ?channel, email_verified = acc.email_verified, "contact channel changed");
}

pub async fn forward(update: &ContactUpdate, client: &reqwest::Client) -> reqwest::Result<()> {
    let base = std::env::var("CONSENT_URL").unwrap_or_else(|_| "http://consent.internal:8080".into());
    client.post(format!("{base}/v1/contacts")).json(update).send().await?;
    tracing::info!(has_email = update.email.is_some(), has_phone = update.phone.is_some(), "contact update forwarded");
    Ok(())
}
