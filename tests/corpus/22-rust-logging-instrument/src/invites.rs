use sqlx::PgPool;
use tracing::{debug, instrument, warn};

#[derive(Debug, Clone)]
pub struct Invitee {
    pub id: i64,
    pub handle: String,
    pub email: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct SendStats {
    pub queued: u32,
    pub bounced: u32,
}

#[instrument(skip(pool), fields(email = %u.email))]
pub async fn send_invite(pool: &PgPool, u: &Invitee) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE invites SET sent_at = now() WHERE invitee_id = $1")
        .bind(u.id)
        .execute(pool)
        .await?;
    Ok(())
}

#[instrument(skip(pool, u), fields(invitee_id = u.id, has_phone = u.phone.is_some()))]
pub async fn send_sms_invite(pool: &PgPool, u: &Invitee) -> Result<(), sqlx::Error> {
    if let Some(phone) = &u.phone {
        log::info!(
            "sending sms invite to {} for @{}",
            phone,
            u.handle
        );
    }
    Ok(())
}

pub fn report_bounce(u: &Invitee, reason: &str) {
    warn!(invitee_id = u.id, reason, "invite email bounced");
    log::warn!("bounced email for invitee {}", u.id);
}

pub fn dump(u: &Invitee) {
    debug!(?u, "invitee loaded");
}

pub fn stats(s: SendStats) {
    debug!(?s, "email batch");
    tracing::info!(all_delivered = s.bounced == 0, emails_queued = s.queued, "invite batch done");
}
