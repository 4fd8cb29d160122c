use redis::AsyncCommands;
use serde::{Deserialize, Serialize};

/// What the brand portal shows on a creator's card; cached for an hour.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreatorCard {
    pub handle: String,
    pub followers: u64,
    pub engagement: f32,
    pub booking_email: Option<String>,
    pub manager_phone: Option<String>,
}

/// Rate-limit bookkeeping; nothing personal in it.
#[derive(Debug, Serialize, Deserialize)]
pub struct ScrapeBudget {
    pub remaining: u32,
    pub reset_at: i64,
}

pub fn cache_client() -> anyhow::Result<redis::Client> {
    let host = std::env::var("REDIS_HOST")?;
    let password = std::env::var("REDIS_PASSWORD")?;
    let url = format!("redis://default:{password}@{host}:6379/2");
    Ok(redis::Client::open(url)?)
}

pub fn budget_client() -> redis::RedisResult<redis::Client> {
    redis::Client::open("redis://ratelimit.internal:6379/0")
}

pub async fn put_card(con: &mut redis::aio::MultiplexedConnection, card: &CreatorCard) -> anyhow::Result<()> {
    let json = serde_json::to_string(card)?;
    con.set_ex::<_, _, ()>(format!("card:{}", card.handle), json, 3600).await?;
    Ok(())
}

pub async fn put_budget(con: &mut redis::aio::MultiplexedConnection, b: &ScrapeBudget) -> anyhow::Result<()> {
    con.set::<_, _, ()>("scrape:budget", serde_json::to_vec(b)?).await?;
    Ok(())
}
