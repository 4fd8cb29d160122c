//! (in progress)
use super::Ctx;
use crate::facts::FileFacts;
pub fn analyze(_text: &str, _ctx: &Ctx) -> FileFacts {
    FileFacts::default()
}
