//! Cross-file linking (in progress).
use crate::engine::ScannedFile;
use crate::facts::Fact;
use crate::vocab::Vocabulary;
pub fn link(_files: &[ScannedFile], _vocab: &Vocabulary) -> Vec<(String, Fact)> {
    Vec::new()
}
