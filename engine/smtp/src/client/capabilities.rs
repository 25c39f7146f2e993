//! The server's EHLO extensions, as far as the client acts on them.

/// What the server offered in its last EHLO reply (all `false` after a HELO fallback).
///
/// Forgotten and re-read after STARTTLS, as RFC 3207 §4.2 requires: a man in the middle
/// could have edited the plain-text list (for example removed STARTTLS or SIZE).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// The server answered EHLO (not only HELO), so ESMTP parameters may be used.
    pub esmtp: bool,
    /// RFC 2920: MAIL, RCPT and DATA may be sent in one write.
    pub pipelining: bool,
    /// RFC 3207: the connection can be upgraded to TLS.
    pub starttls: bool,
    /// RFC 1870: `Some(limit)` when SIZE is offered; `Some(0)` means no fixed limit.
    pub size: Option<u64>,
    /// RFC 6531: internationalized addresses and headers are accepted.
    pub smtputf8: bool,
    /// RFC 6152: `BODY=8BITMIME` is accepted.
    pub eight_bit_mime: bool,
    /// RFC 3030: BDAT is available (recorded; the client always uses DATA).
    pub chunking: bool,
    /// RFC 2034: replies carry enhanced status codes.
    pub enhanced_status_codes: bool,
    /// RFC 4954: the SASL mechanisms offered, upper-cased.
    pub auth: Vec<String>,
}

impl Capabilities {
    /// Reads the lines of a 2xx EHLO reply. The first line is the server's name and
    /// greeting; each later line is a keyword with optional parameters, matched
    /// case-insensitively (RFC 5321 §4.1.1.1). Unknown keywords are ignored.
    pub(super) fn from_ehlo(lines: &[String]) -> Capabilities {
        let mut caps = Capabilities {
            esmtp: true,
            ..Capabilities::default()
        };
        for line in lines.iter().skip(1) {
            let mut words = line.split_ascii_whitespace();
            let Some(keyword) = words.next() else {
                continue;
            };
            let keyword = keyword.to_ascii_uppercase();
            // Old servers wrote `AUTH=PLAIN LOGIN` for pre-standard clients.
            let (keyword, first_param) = match keyword.split_once('=') {
                Some((k, p)) => (k.to_owned(), Some(p.to_owned())),
                None => (keyword.clone(), None),
            };
            match keyword.as_str() {
                "PIPELINING" => caps.pipelining = true,
                "STARTTLS" => caps.starttls = true,
                // A missing or unreadable number is treated as "no fixed limit" rather than
                // refusing everything: the server's final reply still enforces its limit.
                "SIZE" => caps.size = Some(words.next().and_then(|n| n.parse().ok()).unwrap_or(0)),
                "SMTPUTF8" => caps.smtputf8 = true,
                "8BITMIME" => caps.eight_bit_mime = true,
                "CHUNKING" => caps.chunking = true,
                "ENHANCEDSTATUSCODES" => caps.enhanced_status_codes = true,
                "AUTH" => {
                    for mechanism in first_param.as_deref().into_iter().chain(words) {
                        let mechanism = mechanism.to_ascii_uppercase();
                        if !mechanism.is_empty() && !caps.auth.contains(&mechanism) {
                            caps.auth.push(mechanism);
                        }
                    }
                }
                _ => {}
            }
        }
        caps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(lines: &[&str]) -> Capabilities {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        Capabilities::from_ehlo(&lines)
    }

    #[test]
    fn keywords_case_insensitive() {
        let c = parse(&[
            "mx.test Hello",
            "pipelining",
            "Size 1000",
            "STARTTLS",
            "smtputf8",
            "8bitmime",
            "CHUNKING",
            "EnhancedStatusCodes",
            "AUTH plain LOGIN",
            "AUTH=CRAM-MD5 PLAIN",
            "X-UNKNOWN foo",
            "",
        ]);
        assert_eq!(
            c,
            Capabilities {
                esmtp: true,
                pipelining: true,
                starttls: true,
                size: Some(1000),
                smtputf8: true,
                eight_bit_mime: true,
                chunking: true,
                enhanced_status_codes: true,
                auth: vec!["PLAIN".into(), "LOGIN".into(), "CRAM-MD5".into()],
            }
        );
    }

    #[test]
    fn greeting_line_is_not_a_keyword_and_size_defaults() {
        let c = parse(&["PIPELINING"]);
        assert!(c.esmtp && !c.pipelining);
        assert_eq!(parse(&["x", "SIZE"]).size, Some(0));
        assert_eq!(parse(&["x", "SIZE abc"]).size, Some(0));
        assert_eq!(parse(&["x"]).size, None);
    }
}
