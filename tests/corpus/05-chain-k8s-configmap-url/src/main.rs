mod profiles;

use anyhow::Context;
use mongodb::{options::ClientOptions, Client};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("PROFILES_MONGO_URL").context("PROFILES_MONGO_URL")?;
    let opts = ClientOptions::parse(&url).await?;
    let client = Client::with_options(opts)?;
    let db = client.database("creator_sync");

    let batch = profiles::fetch_batch().await?;
    let n = profiles::store(&db, &batch).await?;
    tracing::info!(stored = n, "profile batch stored");
    Ok(())
}
