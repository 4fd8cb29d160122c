use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct CreatorContact {
    pub creator_id: i64,
    pub handle: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct ShortlistEntry {
    pub creator_id: i64,
    pub handle: String,
    pub followers: i64,
}

pub async fn creator_contact(State(pool): State<PgPool>, Path(id): Path<i64>) -> Result<Json<CreatorContact>, StatusCode> {
    sqlx::query_as::<_, CreatorContact>("SELECT creator_id, handle, email, mobile FROM creator_contacts WHERE creator_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .map(Json)
        .map_err(|_| StatusCode::NOT_FOUND)
}

pub async fn export_all(State(pool): State<PgPool>) -> Json<Vec<CreatorContact>> {
    Json(
        sqlx::query_as::<_, CreatorContact>("SELECT creator_id, handle, email, mobile FROM creator_contacts")
            .fetch_all(&pool)
            .await
            .unwrap_or_default(),
    )
}

pub async fn shortlist(State(pool): State<PgPool>, Path(id): Path<i64>) -> Json<Vec<ShortlistEntry>> {
    Json(
        sqlx::query_as::<_, ShortlistEntry>(
            "SELECT c.creator_id, c.handle, c.followers FROM shortlist_items s JOIN creators c USING (creator_id) WHERE s.shortlist_id = $1",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap_or_default(),
    )
}

pub async fn shortlist_contacts(State(pool): State<PgPool>, Path(id): Path<i64>) -> Json<Vec<CreatorContact>> {
    Json(
        sqlx::query_as::<_, CreatorContact>(
            "SELECT c.creator_id, c.handle, c.email, c.mobile FROM shortlist_items s JOIN creator_contacts c USING (creator_id) WHERE s.shortlist_id = $1",
        )
        .bind(id)
        .fetch_all(&pool)
        .await
        .unwrap_or_default(),
    )
}
