//! (in progress)
use super::tree::Node;
use crate::facts::FileFacts;
use crate::frontend::Ctx;

pub fn analyze(_docs: &[Node], _ctx: &Ctx, _out: &mut FileFacts) {}
