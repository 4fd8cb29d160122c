//! Knowledge that changes with the world, read from rules/vocabulary/:
//! the contact-data vocabulary (which names store contact data) and the
//! datastore catalogue (engines, images, ports, auth settings).

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::facts::DataKind;

pub const CONTACT_YAML: &str = include_str!("../rules/vocabulary/contact.yaml");
pub const DATASTORES_YAML: &str = include_str!("../rules/vocabulary/datastores.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindVocab {
    pub kind: DataKind,
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub phrases: Vec<Vec<String>>,
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Tokens that may follow this kind's word besides the shared
    /// `head_suffixes` (`address_zip`, `address_city`).
    #[serde(default)]
    pub suffixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub phrases: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactVocab {
    pub kinds: Vec<KindVocab>,
    pub head_suffixes: Vec<String>,
    pub blocking_prefixes: Vec<String>,
    pub platform_signals: Signals,
    pub non_text_types: Vec<String>,
    pub date_types: Vec<String>,
    /// Wide integer types that can hold a phone number (`msisdn BIGINT`).
    #[serde(default)]
    pub phone_number_types: Vec<String>,
}

/// User additions to the contact vocabulary (config `vocabulary:`).
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContactVocabExtension {
    /// Extra words per kind: `{ email: [courriel] }`.
    #[serde(default)]
    pub words: std::collections::BTreeMap<DataKind, Vec<String>>,
    /// Names that must never be treated as contact fields.
    #[serde(default)]
    pub ignore_names: Vec<String>,
    #[serde(default)]
    pub platform_signals: Vec<String>,
}

/// Splits an identifier into lower-case tokens at `_`, `-`, `.`, spaces,
/// quotes and camelCase humps; drops a trailing plural `s` of longer tokens.
pub fn tokenize(name: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // "contactEmail" and "HTTPServer" -> split before the hump.
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                tokens.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    tokens.into_iter().map(singular).collect()
}

fn singular(t: String) -> String {
    if t.len() > 3 && t.ends_with('s') && !t.ends_with("ss") && !t.ends_with("us") {
        let mut t = t;
        t.pop();
        if t.ends_with("sse") {
            // "addresses" -> "addresse" -> "address"
            t.pop();
        }
        t
    } else {
        t
    }
}

/// Normalises a type name for the type tables: lower case, no arguments,
/// no path, no reference or `Option`/`Vec` wrapper.
pub fn base_type(ty: &str) -> String {
    let t = ty.trim().to_ascii_lowercase();
    let t = t.split(['(', ' ', '[']).next().unwrap_or("").to_string();
    t.rsplit("::").next().unwrap_or("").to_string()
}

#[derive(Debug, Clone)]
struct KindTable {
    kind: DataKind,
    words: BTreeSet<String>,
    phrases: Vec<Vec<String>>,
    not_after: BTreeSet<String>,
    suffixes: BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct Classifier {
    /// Every token that can start a match of some kind (its words and the
    /// first word of its phrases): a name with none of them is no contact
    /// field, which settles most names without the full matching.
    starters: Lexicon,
    kinds: Vec<KindTable>,
    suffixes: BTreeSet<String>,
    blocking: BTreeSet<String>,
    ignore_names: BTreeSet<String>,
    signal_words: BTreeSet<String>,
    signal_phrases: Vec<Vec<String>>,
    non_text: BTreeSet<String>,
    date_types: BTreeSet<String>,
    phone_types: BTreeSet<String>,
}

/// A set of lower-case ASCII words with a cheap first test: which
/// (first byte, length) pairs occur at all, so most lookups end without
/// comparing a string.
#[derive(Debug, Clone, Default)]
struct Lexicon {
    /// Bit `len` of entry `first byte` is set when a word of that length
    /// (below 64) starts with that byte.
    shapes: Vec<u64>,
    words: std::collections::HashSet<Box<[u8]>>,
}

impl Lexicon {
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        let mut lex = Lexicon {
            shapes: vec![0; 256],
            words: Default::default(),
        };
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                if w.len() < 64 {
                    lex.shapes[usize::from(b)] |= 1 << w.len();
                } else {
                    // Too long for the shape test: admit every long word
                    // with this first byte to the full lookup.
                    lex.shapes[usize::from(b)] |= 1;
                }
                lex.words.insert(w.as_bytes().into());
            }
        }
        lex
    }

    fn contains(&self, w: &[u8]) -> bool {
        let Some(&b) = w.first() else {
            return false;
        };
        let shape = self.shapes.get(usize::from(b)).copied().unwrap_or(0);
        let bit = if w.len() < 64 { 1u64 << w.len() } else { 1 };
        shape & bit != 0 && self.words.contains(w)
    }
}

/// Whether some token of `name`, as [`tokenize`] and the bare-token rule of
/// the classifier read it, is in `lex`. Never false when the full reading
/// would find one: names that are not plain ASCII, and overlong tokens, are
/// answered true and left to the full reading.
fn may_mention(name: &str, lex: &Lexicon) -> bool {
    if !name.is_ascii() {
        return true;
    }
    let b = name.as_bytes();
    // The current token, lower-cased; tokens longer than this buffer are
    // passed on to the full reading.
    let mut buf = [0u8; 48];
    let mut len = 0usize;
    let mut overlong = false;
    let mut hit = false;
    let mut flush = |buf: &mut [u8; 48], len: &mut usize, overlong: &mut bool| {
        if *len > 0 {
            hit |= *overlong || lex.contains(bare_token(singular_bytes(&buf[..*len])));
        }
        *len = 0;
        *overlong = false;
    };
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            flush(&mut buf, &mut len, &mut overlong);
            continue;
        }
        if c.is_ascii_uppercase() && (len > 0 || overlong) {
            // As in `tokenize`: split before a camelCase hump.
            let prev = b[i - 1];
            let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                flush(&mut buf, &mut len, &mut overlong);
            }
        }
        match buf.get_mut(len) {
            Some(slot) => {
                *slot = c.to_ascii_lowercase();
                len += 1;
            }
            None => overlong = true,
        }
    }
    flush(&mut buf, &mut len, &mut overlong);
    hit
}

/// [`singular`] on a lower-case ASCII token.
fn singular_bytes(t: &[u8]) -> &[u8] {
    if t.len() > 3 && t.ends_with(b"s") && !t.ends_with(b"ss") && !t.ends_with(b"us") {
        let t = &t[..t.len() - 1];
        if t.ends_with(b"sse") {
            &t[..t.len() - 1]
        } else {
            t
        }
    } else {
        t
    }
}

/// A token without its trailing number (`email2`), unless it is all digits.
fn bare_token(t: &[u8]) -> &[u8] {
    let end = t
        .iter()
        .rposition(|c| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    if end == 0 { t } else { &t[..end] }
}

fn set(v: &[String]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_lowercase()).collect()
}

fn find_phrase(tokens: &[String], phrase: &[String]) -> Option<(usize, usize)> {
    if phrase.is_empty() || phrase.len() > tokens.len() {
        return None;
    }
    (0..=tokens.len() - phrase.len())
        .find(|&i| tokens[i..i + phrase.len()] == *phrase)
        .map(|i| (i, i + phrase.len()))
}

impl Classifier {
    pub fn new(v: &ContactVocab, ext: &ContactVocabExtension) -> Self {
        let kinds: Vec<KindTable> = v
            .kinds
            .iter()
            .map(|k| {
                let mut words = set(&k.words);
                if let Some(extra) = ext.words.get(&k.kind) {
                    words.extend(extra.iter().map(|w| w.to_lowercase()));
                }
                let phrases = k
                    .phrases
                    .iter()
                    .map(|p| p.iter().map(|w| w.to_lowercase()).collect())
                    .collect();
                KindTable {
                    kind: k.kind,
                    words,
                    phrases,
                    not_after: set(&k.not_after),
                    suffixes: set(&k.suffixes),
                }
            })
            .collect();
        let starters = Lexicon::new(kinds.iter().flat_map(|k: &KindTable| {
            k.words.iter().map(String::as_str).chain(
                k.phrases
                    .iter()
                    .filter_map(|p| p.first().map(String::as_str)),
            )
        }));
        let mut signal_words = set(&v.platform_signals.words);
        signal_words.extend(ext.platform_signals.iter().map(|s| s.to_lowercase()));
        Classifier {
            starters,
            kinds,
            suffixes: set(&v.head_suffixes),
            blocking: set(&v.blocking_prefixes),
            ignore_names: ext.ignore_names.iter().map(|s| s.to_lowercase()).collect(),
            signal_words,
            signal_phrases: v
                .platform_signals
                .phrases
                .iter()
                .map(|p| p.iter().map(|w| w.to_lowercase()).collect())
                .collect(),
            non_text: set(&v.non_text_types),
            date_types: set(&v.date_types),
            phone_types: set(&v.phone_number_types),
        }
    }

    /// The kind of contact data a stored field of this name and (optional)
    /// type holds, or `None` for names that only mention contact data.
    pub fn classify(&self, name: &str, ty: Option<&str>) -> Option<DataKind> {
        // Without a token that can start a match there is no kind: most
        // names end here, before any allocation.
        if !may_mention(name, &self.starters) {
            return None;
        }
        self.classify_fully(name, ty)
    }

    /// [`Self::classify`] without the first test.
    fn classify_fully(&self, name: &str, ty: Option<&str>) -> Option<DataKind> {
        if !self.ignore_names.is_empty() && self.ignore_names.contains(&name.to_lowercase()) {
            return None;
        }
        let tokens = tokenize(name);
        if tokens.is_empty() {
            return None;
        }
        let kind = self.kind_of_tokens(&tokens)?;
        if let Some(ty) = ty {
            let base = base_type(ty);
            if !base.is_empty() {
                let is_date = self.date_types.contains(&base);
                if kind == DataKind::DateOfBirth {
                    // A birth date is a date or text; never a flag or number.
                    if self.non_text.contains(&base) && !is_date {
                        return None;
                    }
                } else if self.non_text.contains(&base)
                    && !(kind == DataKind::Phone && self.phone_types.contains(&base))
                {
                    return None;
                }
            }
        }
        Some(kind)
    }

    fn kind_of_tokens(&self, tokens: &[String]) -> Option<DataKind> {
        // `email2`, `address1`: a trailing number keeps the word.
        let bare: Vec<&str> = tokens
            .iter()
            .map(|t| {
                let s = t.trim_end_matches(|c: char| c.is_ascii_digit());
                if s.is_empty() { t.as_str() } else { s }
            })
            .collect();
        // The earliest mention of any kind decides; at one position the
        // longest match wins (`mobile_phone` is the phrase, not `mobile`).
        let mut best: Option<(usize, usize, &KindTable)> = None;
        for k in &self.kinds {
            let mut hits: Vec<(usize, usize)> = bare
                .iter()
                .enumerate()
                .filter(|(_, t)| k.words.contains(**t))
                .map(|(i, _)| (i, i + 1))
                .collect();
            for p in &k.phrases {
                if p.is_empty() || p.len() > bare.len() {
                    continue;
                }
                hits.extend(
                    (0..=bare.len() - p.len())
                        .filter(|&i| bare[i..i + p.len()].iter().zip(p).all(|(a, b)| *a == b))
                        .map(|i| (i, i + p.len())),
                );
            }
            for (s, e) in hits {
                let better = match best {
                    None => true,
                    Some((bs, be, _)) => s < bs || (s == bs && e > be),
                };
                if better {
                    best = Some((s, e, k));
                }
            }
        }
        let (start, end, k) = best?;
        let before = &bare[..start];
        if before
            .iter()
            .any(|t| self.blocking.contains(*t) || k.not_after.contains(*t))
        {
            return None;
        }
        // Every later token must keep the field the value itself.
        // A suffix is judged as written too (`e164` would be `e` bare).
        let after_ok = bare[end..].iter().zip(&tokens[end..]).all(|(t, raw)| {
            self.suffixes.contains(*t)
                || k.suffixes.contains(*t)
                || k.words.contains(*t)
                || self.suffixes.contains(raw.as_str())
        });
        after_ok.then_some(k.kind)
    }

    /// Which platform signals a set of names carries (deduplicated, sorted).
    pub fn platform_signals<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut out = BTreeSet::new();
        for name in names {
            let tokens = tokenize(name);
            let direct = tokens.iter().any(|t| self.signal_words.contains(t));
            let phrase = self
                .signal_phrases
                .iter()
                .any(|p| find_phrase(&tokens, p).is_some());
            if direct || phrase {
                out.insert(name.to_string());
            }
        }
        out.into_iter().collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub defaults: CatalogueDefaults,
    pub engines: Vec<Engine>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueDefaults {
    pub weak_passwords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engine {
    pub id: String,
    pub name: String,
    pub family: String,
    pub images: Vec<String>,
    #[serde(default)]
    pub charts: Vec<String>,
    pub ports: Vec<u16>,
    #[serde(default)]
    pub url_schemes: Vec<String>,
    pub auth: AuthModel,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthModel {
    pub default: AuthDefault,
    /// Off by default in image versions older than this one.
    #[serde(default)]
    pub off_before: Option<String>,
    #[serde(default)]
    pub off: Vec<SettingMatch>,
    #[serde(default)]
    pub on: Vec<SettingMatch>,
    #[serde(default)]
    pub passwords: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub enum AuthDefault {
    On,
    Off,
}

/// One setting: an environment variable, a config key or a command-line
/// flag; `equals` restricts the values that count (case-insensitive).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingMatch {
    #[serde(default)]
    pub env: Option<String>,
    #[serde(default)]
    pub setting: Option<String>,
    #[serde(default)]
    pub arg: Option<String>,
    #[serde(default)]
    pub equals: Vec<String>,
    #[serde(default)]
    pub contains: Option<String>,
}

impl SettingMatch {
    /// Whether a value satisfies `equals`/`contains` (no constraint: any).
    pub fn value_matches(&self, value: &str) -> bool {
        let v = value.trim().trim_matches(['"', '\'']);
        if !self.equals.is_empty() && !self.equals.iter().any(|e| e.eq_ignore_ascii_case(v)) {
            return false;
        }
        if let Some(c) = &self.contains {
            return v.contains(c.as_str());
        }
        true
    }
}

impl Catalogue {
    pub fn engine(&self, id: &str) -> Option<&Engine> {
        self.engines.iter().find(|e| e.id == id)
    }

    /// The engine a container image runs, by repository path (any registry
    /// prefix, tag or digest).
    pub fn engine_for_image(&self, image: &str) -> Option<&Engine> {
        let repo = image_repository(image);
        let last = repo.rsplit('/').next().unwrap_or(&repo);
        // A full-path entry (`bitnami/mongodb`) is more specific than a bare
        // name, so try those first.
        self.engines
            .iter()
            .find(|e| {
                e.images
                    .iter()
                    .any(|i| i.contains('/') && repo.ends_with(i.as_str()))
            })
            .or_else(|| {
                self.engines
                    .iter()
                    .find(|e| e.images.iter().any(|i| !i.contains('/') && i == last))
            })
    }

    pub fn engine_for_chart(&self, chart: &str) -> Option<&Engine> {
        let last = chart.rsplit('/').next().unwrap_or(chart);
        self.engines
            .iter()
            .find(|e| e.charts.iter().any(|c| c == last))
    }

    pub fn engine_for_scheme(&self, scheme: &str) -> Option<&Engine> {
        let s = scheme.to_ascii_lowercase();
        self.engines.iter().find(|e| e.url_schemes.contains(&s))
    }

    /// Engines whose default ports include this one.
    pub fn engines_for_port(&self, port: u16) -> impl Iterator<Item = &Engine> {
        self.engines.iter().filter(move |e| e.ports.contains(&port))
    }

    pub fn is_weak_password(&self, value: &str) -> bool {
        let v = value.trim();
        self.defaults
            .weak_passwords
            .iter()
            .any(|w| w.eq_ignore_ascii_case(v))
    }
}

/// `docker.elastic.co/elasticsearch/elasticsearch:8.1@sha256:…` ->
/// `elasticsearch/elasticsearch`; `mongo` -> `mongo`; the registry host (a
/// first segment with a dot or colon, or `localhost`) is dropped, as is
/// `library/`.
pub fn image_repository(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or("");
    let mut parts: Vec<&str> = no_digest.split('/').collect();
    if parts.len() > 1 {
        let first = parts[0];
        if first.contains('.') || first.contains(':') || first == "localhost" {
            parts.remove(0);
        }
    }
    if let Some(last) = parts.last_mut() {
        *last = last.split(':').next().unwrap_or("");
    }
    if parts.len() > 1 && parts[0] == "library" {
        parts.remove(0);
    }
    parts.join("/").to_ascii_lowercase()
}

/// The tag of an image reference, if any (`elasticsearch:7.17.21` -> `7.17.21`).
pub fn image_tag(image: &str) -> Option<String> {
    let no_digest = image.split('@').next().unwrap_or("");
    let last = no_digest.rsplit('/').next().unwrap_or("");
    last.split_once(':').map(|(_, t)| t.to_string())
}

/// Compares dotted version prefixes numerically: is `version` < `bound`?
/// Non-numeric tags (`latest`) are not older than anything.
pub fn version_before(version: &str, bound: &str) -> bool {
    let parse = |s: &str| -> Option<Vec<u64>> {
        let s = s.trim_start_matches('v');
        let numeric: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        if numeric.is_empty() {
            return None;
        }
        numeric
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect()
    };
    match (parse(version), parse(bound)) {
        (Some(v), Some(b)) => v < b,
        _ => false,
    }
}

/// The vocabularies in force for a run.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    pub classifier: Classifier,
    pub catalogue: Catalogue,
}

impl Vocabulary {
    pub fn builtin() -> Self {
        Self::with_extension(&ContactVocabExtension::default())
    }

    pub fn with_extension(ext: &ContactVocabExtension) -> Self {
        let contact: ContactVocab =
            serde_yaml::from_str(CONTACT_YAML).expect("built-in contact vocabulary is valid");
        let catalogue: Catalogue =
            serde_yaml::from_str(DATASTORES_YAML).expect("built-in datastore catalogue is valid");
        Vocabulary {
            classifier: Classifier::new(&contact, ext),
            catalogue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str, ty: Option<&str>) -> Option<DataKind> {
        Vocabulary::builtin().classifier.classify(name, ty)
    }

    #[test]
    fn tokenizes_naming_styles() {
        assert_eq!(tokenize("contactPhoneNo"), ["contact", "phone", "no"]);
        assert_eq!(tokenize("WHATSAPP_NUMBER"), ["whatsapp", "number"]);
        assert_eq!(tokenize("secondary_emails"), ["secondary", "email"]);
        assert_eq!(tokenize("EmailAddr"), ["email", "addr"]);
        assert_eq!(tokenize("home-addresses"), ["home", "address"]);
    }

    #[test]
    fn contact_names_in_every_style() {
        for n in [
            "email",
            "influencer_email",
            "contactPhone",
            "emailAddr",
            "mobile_no",
            "ph_number",
            "alt_email",
            "whatsapp_number",
            "PhoneNumber",
            "business-email",
            "CONTACT_NUMBER",
            "telefono",
            "correo",
            "secondary_emails",
            "mobilePhone",
            "phone_mobile",
            "WhatsAppNumber",
            "whatsapp",
            "email2",
            "addressLine1",
            "address_line_1",
            "home_address_zip",
            "e_mail",
            "mob_no",
            "fax_number",
            "msisdn",
            "cell_phone",
            "EMAIL_ADDRESS",
            "\"phoneNumber\"",
            "street_address",
            "notification_email",
            "unconfirmed_email",
            "phone_e164",
            "whatsapp_e164",
        ] {
            assert!(kind(n, None).is_some(), "{n} should be contact data");
        }
        assert_eq!(kind("postal_address", None), Some(DataKind::Address));
        assert_eq!(kind("email_address", None), Some(DataKind::Email));
        assert_eq!(
            kind("date_of_birth", Some("DATE")),
            Some(DataKind::DateOfBirth)
        );
    }

    #[test]
    fn mentions_are_not_contact_fields() {
        for n in [
            "email_verified",
            "phone_verified_at",
            "email_sent_at",
            "email_template_id",
            "contact_count",
            "has_phone",
            "email_enabled",
            "address_type",
            "ip_address",
            "last_login_ip_address",
            "email_opt_in",
            "whatsapp_opt_in",
            "crm_contact_id",
            "send_email",
            "postcode",
            "zip_code",
            "address_city",
            "email_hash",
            "phone_country_code",
            "mobile_app_version",
            "email_domain",
            "mail_server",
            "mac_address",
            "wallet_address",
            "phone_ext",
            "contact_info",
        ] {
            assert_eq!(kind(n, None), None, "{n} only mentions contact data");
        }
    }

    #[test]
    fn types_settle_doubt() {
        assert_eq!(kind("email", Some("BOOLEAN")), None);
        assert_eq!(kind("phone", Some("bool")), None);
        assert_eq!(kind("phone_verified", Some("i64")), None);
        // A wide integer can hold a phone number, never an e-mail address.
        assert_eq!(kind("msisdn", Some("BIGINT")), Some(DataKind::Phone));
        assert_eq!(kind("email", Some("i64")), None);
        assert_eq!(kind("email", Some("VARCHAR(320)")), Some(DataKind::Email));
        assert_eq!(
            kind("secondary_emails", Some("TEXT[]")),
            Some(DataKind::Email)
        );
        assert_eq!(kind("phone", Some("keyword")), Some(DataKind::Phone));
        assert_eq!(kind("email", Some("boolean")), None);
        assert_eq!(kind("phone", Some("long")), None);
        assert_eq!(kind("address", Some("inet")), None);
    }

    proptest::proptest! {
        /// The first test never turns away a name the full reading accepts.
        #[test]
        fn first_test_is_exact(
            parts in proptest::collection::vec(
                "(email|Emails|e|Mail|phone|PHONE|ph|no|Number|address|addr|dob|birth|Date|of|is|has|ip|id|x|User|\\d{1,3}|é|[a-zA-Z0-9]{1,6})",
                0..6,
            ),
            seps in proptest::collection::vec("(_|-|\\.| |)", 6),
            ty in proptest::option::of("(TEXT|BOOLEAN|i64|BIGINT|DATE|String)"),
        ) {
            let v = Vocabulary::builtin();
            let mut name = String::new();
            for (p, s) in parts.iter().zip(&seps) {
                name.push_str(p);
                name.push_str(s);
            }
            let c = &v.classifier;
            proptest::prop_assert_eq!(
                c.classify(&name, ty.as_deref()),
                c.classify_fully(&name, ty.as_deref()),
                "{}", name
            );
        }
    }

    #[test]
    fn images_with_registry_tag_and_digest() {
        let v = Vocabulary::builtin();
        let c = &v.catalogue;
        let id = |i: &str| c.engine_for_image(i).map(|e| e.id.clone());
        assert_eq!(
            id("docker.elastic.co/elasticsearch/elasticsearch:8.11.1").as_deref(),
            Some("elasticsearch")
        );
        assert_eq!(id("bitnami/mongodb@sha256:abc").as_deref(), Some("mongodb"));
        assert_eq!(id("mongo").as_deref(), Some("mongodb"));
        assert_eq!(id("nginx:1.25"), None);
        assert!(version_before("7.17.21", "8.0"));
        assert!(!version_before("8.11.1", "8.0"));
        assert!(!version_before("latest", "8.0"));
    }
}
