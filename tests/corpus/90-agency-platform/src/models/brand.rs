use serde::Serialize;

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Brand {
    pub id: i64,
    pub agency_id: i64,
    pub name: String,
    pub website: Option<String>,
    pub industry: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct BrandContact {
    pub id: i64,
    pub brand_id: i64,
    pub name: String,
    pub role: Option<String>,
    pub work_email: Option<String>,
    pub office_phone: Option<String>,
    pub mobile: Option<String>,
    pub linkedin_url: Option<String>,
    pub is_primary: bool,
}
