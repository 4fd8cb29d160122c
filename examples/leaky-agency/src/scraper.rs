use crate::search::CreatorDoc;

pub struct ScrapedProfile {
    pub handle: String,
    pub followers: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub fn record(profile: &ScrapedProfile) -> CreatorDoc<'_> {
    tracing::info!(handle = %profile.handle, email = ?profile.email, "scraped business profile");
    if profile.phone.is_some() {
        println!("found phone {:?} for {}", profile.phone, profile.handle);
    }
    CreatorDoc {
        handle: &profile.handle,
        bio: None,
        followers: profile.followers,
        email: profile.email.as_deref(),
        phone: profile.phone.as_deref(),
    }
}
