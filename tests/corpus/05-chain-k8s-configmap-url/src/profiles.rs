use mongodb::{bson::doc, Collection, Database};
use serde::{Deserialize, Serialize};

/// One creator as returned by the partner API, kept as-is in Mongo.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatorProfile {
    #[serde(rename = "_id")]
    pub instagram_id: String,
    pub username: String,
    pub follower_count: u64,
    pub avg_likes: f32,
    pub public_email: Option<String>,
    pub contact_phone_number: Option<String>,
    pub business_address: Option<String>,
    pub is_business_account: bool,
}

pub async fn fetch_batch() -> anyhow::Result<Vec<CreatorProfile>> {
    // The partner client lives in another crate; stubbed for the sync job.
    Ok(Vec::new())
}

pub async fn store(db: &Database, batch: &[CreatorProfile]) -> anyhow::Result<usize> {
    if batch.is_empty() {
        return Ok(0);
    }
    let profiles: Collection<CreatorProfile> = db.collection("profiles");
    profiles.delete_many(doc! { "followerCount": { "$lt": 1000 } }, None).await?;
    let res = profiles.insert_many(batch.to_vec(), None).await?;
    Ok(res.inserted_ids.len())
}
