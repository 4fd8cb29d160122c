use opensearch::{
    auth::Credentials,
    http::transport::{SingleNodeConnectionPool, TransportBuilder},
    IndexParts, OpenSearch,
};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CreatorDocument<'a> {
    pub handle: &'a str,
    pub bio: &'a str,
    pub city: Option<&'a str>,
    pub followers: u64,
    pub public_email: Option<&'a str>,
    pub topics: Vec<&'a str>,
}

pub fn client() -> anyhow::Result<OpenSearch> {
    let url = url::Url::parse("https://search.internal:9200")?;
    let pool = SingleNodeConnectionPool::new(url);
    let user = std::env::var("OPENSEARCH_USER")?;
    let pass = std::env::var("OPENSEARCH_PASSWORD")?;
    let transport = TransportBuilder::new(pool)
        .auth(Credentials::Basic(user, pass))
        .build()?;
    Ok(OpenSearch::new(transport))
}

pub async fn index(client: &OpenSearch, doc: &CreatorDocument<'_>) -> anyhow::Result<()> {
    client
        .index(IndexParts::IndexId("creators", doc.handle))
        .body(doc)
        .send()
        .await?
        .error_for_status_code()?;
    Ok(())
}
