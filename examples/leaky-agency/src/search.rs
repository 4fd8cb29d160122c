use elasticsearch::{http::transport::Transport, Elasticsearch, IndexParts};
use serde::Serialize;

/// The document indexed for full-text creator search.
#[derive(Debug, Serialize)]
pub struct CreatorDoc<'a> {
    pub handle: &'a str,
    pub bio: Option<&'a str>,
    pub followers: i64,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
}

pub fn client() -> Result<Elasticsearch, elasticsearch::Error> {
    let transport = Transport::single_node("http://search:9200")?;
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
