//! The data table of the non-standard strategy (`data/markers.txt`).

use std::sync::OnceLock;

const MARKERS: &str = include_str!("../data/markers.txt");

/// Phrase lists of the non-standard strategy, lower-cased.
#[derive(Debug, Default)]
pub struct Markers {
    /// From names/addresses of bounce generators.
    pub bounce_from: Vec<String>,
    /// Bounce subjects.
    pub bounce_subject: Vec<String>,
    /// Lines that open the error block.
    pub start: Vec<String>,
    /// Lines that open the returned original message.
    pub original: Vec<String>,
    /// Auto-reply subjects.
    pub autoreply_subject: Vec<String>,
    /// Text right before a failed recipient.
    pub recipient_prefix: Vec<String>,
    /// Text right before an address that is not a failed recipient.
    pub sender_prefix: Vec<String>,
    /// Auto-reply wording in a body.
    pub autoreply_body: Vec<String>,
    /// Challenge-response requests.
    pub challenge: Vec<String>,
    /// Anti-virus and content-filter notices.
    pub content_filter: Vec<String>,
    /// Mailing-list manager notices (held, moderation).
    pub list_owner: Vec<String>,
    /// Delay warnings.
    pub delay: Vec<String>,
    /// Wording of a permanent failure, which a delay warning never has.
    pub permanent: Vec<String>,
}

impl Markers {
    /// Parses the section format; unknown sections are ignored so newer data
    /// files stay loadable by older code.
    pub fn parse(text: &str) -> Markers {
        let mut m = Markers::default();
        let mut section = String::new();
        for line in text.lines() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if t.starts_with('[') && t.ends_with(']') {
                section = t.trim_matches(['[', ']']).to_string();
                continue;
            }
            let v = t.to_lowercase();
            let list = match section.as_str() {
                "bounce-from" => &mut m.bounce_from,
                "bounce-subject" => &mut m.bounce_subject,
                "start" => &mut m.start,
                "original" => &mut m.original,
                "autoreply-subject" => &mut m.autoreply_subject,
                "recipient-prefix" => &mut m.recipient_prefix,
                "sender-prefix" => &mut m.sender_prefix,
                "autoreply-body" => &mut m.autoreply_body,
                "challenge" => &mut m.challenge,
                "content-filter" => &mut m.content_filter,
                "list-owner" => &mut m.list_owner,
                "delay" => &mut m.delay,
                "permanent" => &mut m.permanent,
                _ => continue,
            };
            list.push(v);
        }
        m
    }

    /// The shipped table, parsed once.
    pub fn builtin() -> &'static Markers {
        static M: OnceLock<Markers> = OnceLock::new();
        M.get_or_init(|| Markers::parse(MARKERS))
    }
}

/// True if any phrase of `list` occurs in `hay` (already lower-cased).
pub fn any_in(list: &[String], hay: &str) -> bool {
    list.iter().any(|p| hay.contains(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_sections_are_filled() {
        let m = Markers::builtin();
        assert!(!m.start.is_empty() && !m.original.is_empty() && !m.bounce_subject.is_empty());
        assert!(!m.autoreply_subject.is_empty() && !m.recipient_prefix.is_empty());
        assert!(!m.challenge.is_empty() && !m.content_filter.is_empty());
        assert!(!m.list_owner.is_empty() && !m.delay.is_empty() && !m.permanent.is_empty());
    }
}
