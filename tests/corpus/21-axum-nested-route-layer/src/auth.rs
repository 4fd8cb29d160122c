use axum::{extract::Request, http::StatusCode, middleware::Next, response::Response};

fn bearer(req: &Request) -> Option<&str> {
    req.headers().get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")
}

pub async fn require_admin(req: Request, next: Next) -> Result<Response, StatusCode> {
    let want = std::env::var("ADMIN_TOKEN").map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    if bearer(&req) == Some(want.as_str()) {
        Ok(next.run(req).await)
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}

pub async fn require_brand(req: Request, next: Next) -> Result<Response, StatusCode> {
    match bearer(&req) {
        Some(t) if t.starts_with("brand_") => Ok(next.run(req).await),
        _ => Err(StatusCode::UNAUTHORIZED),
    }
}
