//! (in progress)
use super::tree::Node;
use crate::facts::FileFacts;
use crate::frontend::Ctx;

pub fn analyze_elasticsearch(_docs: &[Node], _ctx: &Ctx, _out: &mut FileFacts) {}
pub fn analyze_mongod(_docs: &[Node], _ctx: &Ctx, _out: &mut FileFacts) {}
