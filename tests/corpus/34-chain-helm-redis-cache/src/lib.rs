use redis::Commands;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct LeadSnapshot {
    pub handle: String,
    pub score: f32,
    pub contact_email: Option<String>,
    pub contact_number: Option<String>,
}

pub fn connect() -> redis::RedisResult<redis::Connection> {
    let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://lead-cache-redis-master:6379".into());
    redis::Client::open(url)?.get_connection()
}

pub fn remember(con: &mut redis::Connection, lead: &LeadSnapshot) -> redis::RedisResult<()> {
    let body = serde_json::to_string(lead).map_err(|e| {
        redis::RedisError::from((redis::ErrorKind::TypeError, "serialize", e.to_string()))
    })?;
    con.hset("leads", &lead.handle, body)
}
