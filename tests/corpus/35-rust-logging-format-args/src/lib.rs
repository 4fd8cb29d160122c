use serde::Deserialize;
use tracing::{error, info};

#[derive(Debug, Deserialize)]
pub struct Signup {
    pub handle: String,
    pub email: String,
    pub mobile_number: Option<String>,
    pub referral_code: Option<String>,
}

pub fn accepted(s: &Signup) {
    let email = &s.email;
    info!("creator signup accepted: {email}");
}

pub fn rejected(s: &Signup, reason: &str) {
    error!(handle = %s.handle, reason, "signup rejected");
    log::debug!(target: "signup", "rejected signup payload: {:?}", s);
}

pub fn sms_queued(s: &Signup) {
    if let Some(m) = s.mobile_number.as_deref() {
        eprintln!("queued sms welcome for {} to {}", s.handle, m);
    }
}

pub fn email_sent(s: &Signup, template_id: u32) {
    info!(template_id, handle = %s.handle, "welcome email sent");
    log::info!("welcome email sent to creator {} (referral: {:?})", s.handle, s.referral_code);
}

pub fn counts(total: usize, with_mobile: usize) {
    println!("{total} signups, {with_mobile} with a mobile number");
}
