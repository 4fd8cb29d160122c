mod auth;
mod contacts;

use axum::{middleware, routing::get, Router};
use sqlx::PgPool;
use tower_http::trace::TraceLayer;

fn admin_routes() -> Router<PgPool> {
    Router::new()
        .route("/creators/:id/contact", get(contacts::creator_contact))
        .route("/creators/export", get(contacts::export_all))
        .route_layer(middleware::from_fn(auth::require_admin))
}

fn brand_routes() -> Router<PgPool> {
    Router::new()
        .route("/shortlist/:id", get(contacts::shortlist))
        .route_layer(middleware::from_fn(auth::require_brand))
        .route("/shortlist/:id/contacts", get(contacts::shortlist_contacts))
}

#[tokio::main]
async fn main() {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .expect("db");
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .nest("/admin", admin_routes())
        .nest("/brand", brand_routes())
        .layer(TraceLayer::new_for_http())
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
