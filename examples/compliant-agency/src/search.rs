use elasticsearch::{
    auth::Credentials,
    http::transport::{SingleNodeConnectionPool, TransportBuilder},
    Elasticsearch, IndexParts,
};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CreatorDoc<'a> {
    pub handle: &'a str,
    pub followers: i64,
    pub niches: &'a [String],
}

pub fn client() -> Result<Elasticsearch, Box<dyn std::error::Error>> {
    let url = std::env::var("SEARCH_URL")?.parse()?;
    let password = std::env::var("SEARCH_PASSWORD")?;
    let transport = TransportBuilder::new(SingleNodeConnectionPool::new(url))
        .auth(Credentials::Basic("discovery".into(), password))
        .build()?;
    Ok(Elasticsearch::new(transport))
}

pub async fn index_creator(client: &Elasticsearch, doc: &CreatorDoc<'_>) -> Result<(), elasticsearch::Error> {
    client
        .index(IndexParts::IndexId("creators", doc.handle))
        .body(doc)
        .send()
        .await?;
    Ok(())
}
