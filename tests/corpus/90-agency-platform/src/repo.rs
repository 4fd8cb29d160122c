use sqlx::PgPool;

use crate::models::{creator::Creator, messaging::NewsletterSubscription};

pub async fn creator(pool: &PgPool, id: i64) -> sqlx::Result<Option<Creator>> {
    sqlx::query_as::<_, Creator>(
        "SELECT id, instagram_handle, full_name, bio, follower_count, city, country_code, contact_email, \
         phone_e164, whatsapp_number, whatsapp_opt_in, secondary_emails, postal_address, email_bounced_at, \
         contact_source FROM creators WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn update_contact_email(pool: &PgPool, id: i64, email: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE creators SET contact_email = $1, email_bounced_at = NULL WHERE id = $2",
    )
    .bind(email)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn subscribe(pool: &PgPool, email: &str, source: &str) -> sqlx::Result<NewsletterSubscription> {
    sqlx::query_as::<_, NewsletterSubscription>(
        "INSERT INTO newsletter_subscriptions (email, source) VALUES ($1, $2) RETURNING *",
    )
    .bind(email)
    .bind(source)
    .fetch_one(pool)
    .await
}

pub async fn unsubscribe(pool: &PgPool, email: &str) -> sqlx::Result<u64> {
    let res = sqlx::query("UPDATE newsletter_subscriptions SET unsubscribed_at = now() WHERE email = $1")
        .bind(email)
        .execute(pool)
        .await?;
    tracing::info!(rows = res.rows_affected(), "newsletter unsubscribe");
    Ok(res.rows_affected())
}

pub async fn forget_creator(pool: &PgPool, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM creator_shipping WHERE creator_id = $1").bind(id).execute(pool).await?;
    tracing::info!(creator_id = id, "shipping address erased");
    Ok(())
}
