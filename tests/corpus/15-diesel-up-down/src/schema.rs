// @generated automatically by Diesel CLI.

diesel::table! {
    brand_contacts (id) {
        id -> Int4,
        brand_id -> Int4,
        contact_name -> Varchar,
        work_email -> Varchar,
        role_title -> Nullable<Varchar>,
        created_at -> Timestamp,
        mobile -> Nullable<Varchar>,
        mobile_verified -> Bool,
    }
}
