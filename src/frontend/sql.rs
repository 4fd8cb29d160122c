//! (in progress)
use super::Ctx;
use crate::facts::{DataKind, FileFacts};
use crate::vocab::Vocabulary;

pub fn analyze(_text: &str, _ctx: &Ctx) -> FileFacts {
    FileFacts::default()
}

/// A contact column that SQL embedded in code creates, inserts or updates.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedColumn {
    pub table: String,
    pub column: String,
    pub kind: DataKind,
    /// Every column name the statement defines or writes, for platform signals.
    pub sibling_columns: Vec<String>,
}

/// Contact columns written by SQL found in a string literal (CREATE TABLE,
/// ALTER TABLE ADD, INSERT, UPDATE; never SELECT/DELETE/WHERE).
pub fn embedded_contact_columns(_sql: &str, _vocab: &Vocabulary) -> Vec<EmbeddedColumn> {
    Vec::new()
}
