mod models;
mod scraper;
mod search;

use axum::{
    extract::{Path, State},
    routing::get,
    Json, Router,
};
use sqlx::PgPool;

use crate::models::Creator;

async fn creator_profile(State(pool): State<PgPool>, Path(handle): Path<String>) -> Json<Creator> {
    let creator = sqlx::query_as::<_, Creator>("SELECT * FROM creators WHERE instagram_handle = $1")
        .bind(handle)
        .fetch_one(&pool)
        .await
        .expect("creator exists");
    Json(creator)
}

async fn health() -> &'static str {
    "ok"
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt::init();
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .expect("database");
    let app = Router::new()
        .route("/health", get(health))
        .route("/creators/:handle", get(creator_profile))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
