use diesel::prelude::*;

use crate::schema::brand_contacts;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = brand_contacts)]
pub struct BrandContact {
    pub id: i32,
    pub brand_id: i32,
    pub contact_name: String,
    pub work_email: String,
    pub role_title: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub mobile: Option<String>,
    pub mobile_verified: bool,
}

/// Counts shown on the brand dashboard; computed, never stored.
#[derive(Debug, Default)]
pub struct ContactStats {
    pub with_email: i64,
    pub with_mobile: i64,
}
