use mongodb::{bson::doc, Client, Collection};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pitch {
    pub creator_handle: String,
    pub brand: String,
    pub creator_email: String,
    pub creator_whatsapp: Option<String>,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    pub token_hash: String,
    pub staff_id: i64,
    pub expires_at: i64,
}

#[tokio::main]
async fn main() -> mongodb::error::Result<()> {
    let pitches_db = Client::with_uri_str(std::env::var("PITCHES_MONGO_URL").expect("PITCHES_MONGO_URL")).await?;
    let sessions_db = Client::with_uri_str(std::env::var("SESSIONS_MONGO_URL").expect("SESSIONS_MONGO_URL")).await?;

    let pitches: Collection<Pitch> = pitches_db.database("pitches").collection("pitches");
    let sessions: Collection<Session> = sessions_db.database("sessions").collection("sessions");

    sessions.delete_many(doc! { "expires_at": { "$lt": 0 } }, None).await?;
    let open = pitches.count_documents(doc! { "status": "open" }, None).await?;
    println!("{open} open pitches");
    Ok(())
}

pub async fn save(pitches: &Collection<Pitch>, p: Pitch) -> mongodb::error::Result<()> {
    pitches.insert_one(p, None).await?;
    Ok(())
}
