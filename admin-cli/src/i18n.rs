//! The language of the human output: English, or Japanese from the catalog
//! `data/ja.toml` (compiled in). SPEC §11 "My account": an account chooses ja or en for the
//! CLI's messages; the CLI learns it at `hikyaku login` (the session answer carries it) and
//! keeps it in its config file next to the session. `--lang` and `HIKYAKU_LANG` override it
//! for one call.
//!
//! Only human output is translated: tables' headers, `key: value` names, status and
//! error-status names, the CLI's own messages and the graphs' texts. `--json` prints the
//! server's answer untouched, since scripts read it.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::OnceLock;

use hikyaku_rpc::types::users::Language;
use serde::Deserialize;

/// A language of the human output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    /// `en` or `ja`, as the API and the config file write it.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "ja" | "japanese" | "jp" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// `en` or `ja`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }
}

/// The Japanese catalog, by section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalog {
    error_status: HashMap<String, String>,
    values: HashMap<String, String>,
    headers: HashMap<String, String>,
    fields: HashMap<String, String>,
    messages: HashMap<String, String>,
    graph: HashMap<String, String>,
}

static JA_TOML: &str = include_str!("../data/ja.toml");

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    // The file is compiled in and checked by a unit test, so a parse failure cannot reach a
    // user; English is the fallback all the same.
    CATALOG.get_or_init(|| toml::from_str(JA_TOML).unwrap_or_default())
}

/// The language in use: 0 English, 1 Japanese.
static LANG: AtomicU8 = AtomicU8::new(0);
/// Chosen for this call by `--lang` or `HIKYAKU_LANG`: the account's preference does not
/// override it.
static EXPLICIT: AtomicBool = AtomicBool::new(false);

fn store(lang: Lang) {
    LANG.store(u8::from(lang == Lang::Ja), Ordering::Relaxed);
}

/// Chooses the language at start: `explicit` (flag or environment) first, else `saved` (the
/// config file's, i.e. the account's at its last login), else English.
pub fn choose(explicit: Option<Lang>, saved: Option<Lang>) {
    EXPLICIT.store(explicit.is_some(), Ordering::Relaxed);
    store(explicit.or(saved).unwrap_or_default());
}

/// Follows the account's preference learnt during this call (a login, an update of "my
/// account"), unless the call chose a language explicitly.
pub fn adopt_account(language: Language) {
    if !EXPLICIT.load(Ordering::Relaxed) {
        store(from_wire(language));
    }
}

/// The API's language as the CLI's.
pub fn from_wire(language: Language) -> Lang {
    match language {
        Language::En => Lang::En,
        Language::Ja => Lang::Ja,
    }
}

/// The language in use.
pub fn lang() -> Lang {
    if LANG.load(Ordering::Relaxed) == 1 {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// Which part of the catalog a text belongs to.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    /// A table's column header.
    Header,
    /// A `key: value` field name.
    Field,
    /// A value such as a status name.
    Value,
    /// A graph's texts.
    Graph,
}

/// `english` in the language in use (unchanged when the catalog has no entry).
pub fn tr(part: Part, english: &str) -> String {
    lookup(lang(), part, english).unwrap_or(english).to_string()
}

fn lookup(lang: Lang, part: Part, english: &str) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    let c = catalog();
    let map = match part {
        Part::Header => &c.headers,
        Part::Field => &c.fields,
        Part::Value => &c.values,
        Part::Graph => &c.graph,
    };
    map.get(english).map(String::as_str)
}

/// A message from its English template (`{}` for each argument, in order) in the language in
/// use; the arguments are inserted where the translation has its `{}`.
pub fn message(template: &str, args: &[&dyn Display]) -> String {
    let text = match lang() {
        Lang::En => template,
        Lang::Ja => catalog()
            .messages
            .get(template)
            .map_or(template, String::as_str),
    };
    fill(text, args)
}

fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// The name of an error status (SPEC §13.5): the catalog's in Japanese, else `english` (the
/// server's label).
pub fn error_status_name(code: &str, english: &str) -> String {
    match lang() {
        Lang::En => english.to_string(),
        Lang::Ja => catalog()
            .error_status
            .get(code)
            .cloned()
            .unwrap_or_else(|| english.to_string()),
    }
}

/// An error status as a table cell: `2 ユーザ不明` in Japanese, the number alone in English
/// (English tables have always shown the number; the reason column names it).
pub fn error_status_cell(code: u8) -> String {
    match lang() {
        Lang::En => code.to_string(),
        Lang::Ja => match catalog().error_status.get(&code.to_string()) {
            Some(name) => format!("{code} {name}"),
            None => code.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses_and_names_every_error_status_and_delivery_status() {
        let c: Catalog = toml::from_str(JA_TOML).expect("data/ja.toml");
        for code in [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "99",
        ] {
            assert!(c.error_status.contains_key(code), "error status {code}");
        }
        for s in ["queued", "succeeded", "failed", "deferred"] {
            assert!(c.values.contains_key(s), "status {s}");
        }
        assert_eq!(c.error_status["2"], "ユーザ不明");
    }

    #[test]
    fn every_message_translation_keeps_the_number_of_arguments() {
        let c: Catalog = toml::from_str(JA_TOML).expect("data/ja.toml");
        for (en, ja) in &c.messages {
            assert_eq!(
                en.matches("{}").count(),
                ja.matches("{}").count(),
                "{en:?} → {ja:?}"
            );
        }
    }

    #[test]
    fn lookups_fall_back_to_english() {
        assert_eq!(lookup(Lang::Ja, Part::Header, "DOMAIN"), Some("ドメイン"));
        assert_eq!(lookup(Lang::Ja, Part::Header, "NO SUCH HEADER"), None);
        assert_eq!(lookup(Lang::En, Part::Header, "DOMAIN"), None);
        assert_eq!(fill("{} ({})", &[&"a", &2]), "a (2)");
        assert_eq!(fill("{} and {}", &[&"only"]), "only and ");
        assert_eq!(Lang::parse(" JA "), Some(Lang::Ja));
        assert_eq!(Lang::parse("fr"), None);
    }
}
