mod models;

use axum::{extract::State, routing::get, Json, Router};
use sqlx::PgPool;

async fn top(State(pool): State<PgPool>) -> Json<Vec<(i64, String)>> {
    Json(
        sqlx::query_as("SELECT id, ig_handle FROM influencers ORDER BY follower_count DESC LIMIT 50")
            .fetch_all(&pool)
            .await
            .unwrap_or_default(),
    )
}

#[tokio::main]
async fn main() {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL")).await.expect("db");
    let app = Router::new().route("/top", get(top)).with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
