use axum::{extract::Request, http::StatusCode, middleware::Next, response::Response};

/// Lets a request through only with a valid staff session cookie.
pub async fn require_staff_session(req: Request, next: Next) -> Result<Response, StatusCode> {
    let has_session = req
        .headers()
        .get("cookie")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.contains("staff_session="));
    if has_session {
        Ok(next.run(req).await)
    } else {
        Err(StatusCode::UNAUTHORIZED)
    }
}
