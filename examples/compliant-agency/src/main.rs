mod auth;
mod models;
mod search;

use axum::{
    extract::{Path, State},
    middleware,
    routing::get,
    Json, Router,
};
use sqlx::PgPool;

use crate::models::CreatorProfile;

async fn creator_profile(State(pool): State<PgPool>, Path(handle): Path<String>) -> Json<CreatorProfile> {
    let creator = sqlx::query_as::<_, CreatorProfile>(
        "SELECT id, instagram_handle, follower_count, engagement_rate, crm_contact_id FROM creators WHERE instagram_handle = $1",
    )
    .bind(&handle)
    .fetch_one(&pool)
    .await
    .expect("creator exists");
    tracing::info!(creator_id = creator.id, "profile served");
    Json(creator)
}

async fn health() -> &'static str {
    "ok"
}

#[tokio::main]
async fn main() {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .expect("database");
    let app = Router::new()
        .route("/creators/:handle", get(creator_profile))
        .route_layer(middleware::from_fn(auth::require_staff_session))
        .route("/health", get(health))
        .with_state(pool);
    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
