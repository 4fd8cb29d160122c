use mongodb::{bson::doc, Collection, Database};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutreachMessage {
    pub creator_handle: String,
    pub channel: String,
    pub whatsapp_number: String,
    pub body: String,
    pub sent_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutreachStats {
    pub campaign_id: i32,
    pub emails_sent: u32,
    pub whatsapp_sent: u32,
    pub replies: u32,
}

pub struct OutreachLog {
    messages: Collection<OutreachMessage>,
}

impl OutreachLog {
    pub fn new(db: &Database) -> Self {
        Self { messages: db.collection("outreach_messages") }
    }

    pub async fn record_all(&self, batch: Vec<OutreachMessage>) -> mongodb::error::Result<()> {
        self.messages.insert_many(batch, None).await?;
        Ok(())
    }

    pub async fn stats(&self, campaign_id: i32) -> mongodb::error::Result<OutreachStats> {
        let n = self.messages.count_documents(doc! { "campaign_id": campaign_id }, None).await?;
        Ok(OutreachStats { campaign_id, emails_sent: 0, whatsapp_sent: n as u32, replies: 0 })
    }
}
