//! Folders of reported paths (`/`-separated, relative to where the user
//! stands), shared by the steps that reason about proximity: crate roots,
//! compose projects, Helm charts and the linker.

/// The folder part of a reported path (`a/b` for `a/b/c`, empty for a bare
/// name).
pub fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// A folder and its ancestors, deepest first, ending with the empty path.
pub fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next?;
        next = (!d.is_empty()).then(|| dir_of(d));
        Some(d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_their_ancestors() {
        assert_eq!(dir_of("a/b/c.rs"), "a/b");
        assert_eq!(dir_of("c.rs"), "");
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), ["a/b", "a", ""]);
        assert_eq!(ancestors("/a").collect::<Vec<_>>(), ["/a", ""]);
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
    }
}
