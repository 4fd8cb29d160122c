use sqlx::postgres::{PgPool, PgPoolOptions};

#[derive(Debug, sqlx::FromRow)]
pub struct CreatorAddress {
    pub creator_id: i64,
    pub recipient: String,
    pub street_address: String,
    pub postal_code: String,
    pub city: String,
    pub country_code: String,
}

pub async fn pool() -> anyhow::Result<PgPool> {
    let url = std::env::var("DATABASE_URL")?;
    Ok(PgPoolOptions::new().max_connections(8).connect(&url).await?)
}

pub async fn mongo() -> anyhow::Result<mongodb::Client> {
    let user = std::env::var("MONGO_USER")?;
    let password = std::env::var("MONGO_PASSWORD")?;
    let host = std::env::var("MONGO_HOST").unwrap_or_else(|_| "localhost".into());
    let uri = format!("mongodb://{user}:{password}@{host}:27017/agency?authSource=admin");
    Ok(mongodb::Client::with_uri_str(&uri).await?)
}

pub async fn count_creators(pool: &PgPool) -> anyhow::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM creators").fetch_one(pool).await?;
    Ok(n)
}

pub async fn save_address(pool: &PgPool, a: &CreatorAddress) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO creator_addresses (creator_id, recipient, street_address, postal_code, city, country_code) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.creator_id)
    .bind(&a.recipient)
    .bind(&a.street_address)
    .bind(&a.postal_code)
    .bind(&a.city)
    .bind(&a.country_code)
    .execute(pool)
    .await?;
    Ok(())
}
