mod models;

use actix_web::{dev::ServiceRequest, get, web, App, Error, HttpResponse, HttpServer};
use actix_web_httpauth::{extractors::bearer::BearerAuth, middleware::HttpAuthentication};
use sqlx::PgPool;

use models::{TalentCard, TalentContact};

async fn validator(req: ServiceRequest, creds: BearerAuth) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    let expected = std::env::var("PORTAL_TOKEN").unwrap_or_default();
    if !expected.is_empty() && creds.token() == expected {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("bad token"), req))
    }
}

#[get("/talent/{id}/contact")]
async fn talent_contact(pool: web::Data<PgPool>, id: web::Path<i64>) -> HttpResponse {
    let row = sqlx::query_as::<_, TalentContact>("SELECT id, handle, agent_email, agent_phone FROM talent WHERE id = $1")
        .bind(*id)
        .fetch_optional(pool.get_ref())
        .await;
    match row {
        Ok(Some(c)) => HttpResponse::Ok().json(c),
        Ok(None) => HttpResponse::NotFound().finish(),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

#[get("/talent/{id}")]
async fn talent_card(pool: web::Data<PgPool>, id: web::Path<i64>) -> HttpResponse {
    let row = sqlx::query_as::<_, TalentCard>("SELECT id, handle, followers, niche FROM talent WHERE id = $1")
        .bind(*id)
        .fetch_optional(pool.get_ref())
        .await;
    match row {
        Ok(Some(c)) => HttpResponse::Ok().json(c),
        _ => HttpResponse::NotFound().finish(),
    }
}

async fn export_contacts(pool: web::Data<PgPool>) -> HttpResponse {
    let rows = sqlx::query_as::<_, TalentContact>("SELECT id, handle, agent_email, agent_phone FROM talent")
        .fetch_all(pool.get_ref())
        .await
        .unwrap_or_default();
    HttpResponse::Ok().json(rows)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let pool = PgPool::connect(&std::env::var("DATABASE_URL").expect("DATABASE_URL"))
        .await
        .expect("db");
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .service(
                web::scope("/staff")
                    .wrap(HttpAuthentication::bearer(validator))
                    .service(talent_contact)
                    .service(web::resource("/export").route(web::get().to(export_contacts))),
            )
            .service(
                web::scope("/partners")
                    .service(talent_card)
                    .service(web::resource("/contacts.json").route(web::get().to(export_contacts))),
            )
    })
    .bind(("0.0.0.0", 8080))?
    .run()
    .await
}
