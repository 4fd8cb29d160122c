use mongodb::{options::ClientOptions, Client, Collection};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
struct CreatorRecord {
    handle: String,
    followers: u64,
    #[serde(rename = "emailAddress")]
    email_address: Option<String>,
    #[serde(default)]
    phone_numbers: Vec<String>,
    est_fee_usd: Option<u32>,
}

#[tokio::main]
async fn main() -> mongodb::error::Result<()> {
    let uri = std::env::var("DOCDB_URI").expect("DOCDB_URI");
    let mut opts = ClientOptions::parse(&uri).await?;
    opts.app_name = Some("creator-vault".into());
    let client = Client::with_options(opts)?;
    let creators: Collection<CreatorRecord> = client.database("vault").collection("creators");
    let rec = CreatorRecord {
        handle: "example".into(),
        followers: 0,
        email_address: None,
        phone_numbers: vec![],
        est_fee_usd: None,
    };
    creators.insert_one(rec, None).await?;
    Ok(())
}
