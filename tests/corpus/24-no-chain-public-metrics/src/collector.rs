use elasticsearch::{http::transport::Transport, Elasticsearch, IndexParts};
use serde::Serialize;

#[derive(Serialize)]
pub struct PostMetrics<'a> {
    pub post_id: &'a str,
    pub creator_handle: &'a str,
    pub likes: u64,
    pub comments: u64,
    pub reach: u64,
    pub has_contact_email: bool,
}

pub fn client() -> Result<Elasticsearch, elasticsearch::Error> {
    let url = std::env::var("ES_URL").unwrap_or_else(|_| "http://metrics-es:9200".to_string());
    Ok(Elasticsearch::new(Transport::single_node(&url)?))
}

pub async fn push(es: &Elasticsearch, m: &PostMetrics<'_>) -> Result<(), elasticsearch::Error> {
    es.index(IndexParts::IndexId("post-metrics", m.post_id)).body(m).send().await?;
    Ok(())
}
