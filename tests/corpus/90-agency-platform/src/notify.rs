use crate::models::campaign::Contract;
use crate::models::creator::{ContactChannel, Creator};

pub fn contract_sent(c: &Contract) {
    tracing::info!(contract_id = c.id, has_signer_email = c.signer_email.is_some(), "contract sent for signature");
}

pub fn pitch_queued(creator: &Creator, channel: ContactChannel) {
    tracing::info!(creator_id = creator.id, ?channel, "pitch queued");
    if channel == ContactChannel::Whatsapp && creator.whatsapp_number.is_none() {
        tracing::warn!(creator_id = creator.id, "whatsapp pitch without a number");
    }
}

pub fn pitch_bounced(creator: &Creator) {
    tracing::warn!("pitch to {:?} bounced", creator.email);
}
