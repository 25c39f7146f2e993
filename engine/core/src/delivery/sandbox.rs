//! The sandbox sink: in sandbox mode deliveries never touch the network; the outcome of each
//! recipient is simulated from its local part (table in `data/sandbox_replies.toml`), so a new
//! user can see every delivery status and error status offline.

use serde::{Deserialize, Serialize};

use super::outcome::Attempt;

/// One simulated behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxRule {
    /// Local-part prefix (case-insensitive).
    pub prefix: String,
    /// Simulated server reply, e.g. `550 5.1.1 user unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// Simulated routing outcome instead of a reply: `nxdomain` or `timeout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    reply: Vec<SandboxRule>,
}

/// A rule table that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// TOML syntax or shape.
    #[error("sandbox reply table: {0}")]
    Parse(String),
    /// A rule's reply or dns value is unusable.
    #[error("sandbox reply rule {prefix:?}: {problem}")]
    Rule {
        /// The rule's prefix.
        prefix: String,
        /// What is wrong.
        problem: String,
    },
}

/// The simulated sink.
#[derive(Debug, Clone)]
pub struct SandboxSink {
    rules: Vec<(String, Attempt)>,
}

impl SandboxSink {
    /// The built-in table.
    pub fn builtin() -> Result<Self, SandboxError> {
        Self::from_toml(include_str!("../../data/sandbox_replies.toml"))
    }

    /// The built-in table with the operator's rules (`sandbox_replies` in the settings) in
    /// front of it: theirs win, the built-in ones still apply to other prefixes.
    pub fn with_overrides(overrides: &[SandboxRule]) -> Result<Self, SandboxError> {
        let mut sink = Self::from_rules(overrides.to_vec())?;
        sink.rules.extend(Self::builtin()?.rules);
        Ok(sink)
    }

    /// Parses a table (same format as the built-in one).
    pub fn from_toml(text: &str) -> Result<Self, SandboxError> {
        let table: Table = toml::from_str(text).map_err(|e| SandboxError::Parse(e.to_string()))?;
        Self::from_rules(table.reply)
    }

    fn from_rules(list: Vec<SandboxRule>) -> Result<Self, SandboxError> {
        let mut rules = Vec::with_capacity(list.len());
        for rule in list {
            if rule.prefix.is_empty() {
                return Err(SandboxError::Rule {
                    prefix: rule.prefix.clone(),
                    problem: "prefix must not be empty".into(),
                });
            }
            let attempt = match (&rule.reply, rule.dns.as_deref()) {
                (Some(reply), None) => {
                    Attempt::from_reply_line(reply).ok_or_else(|| SandboxError::Rule {
                        prefix: rule.prefix.clone(),
                        problem: format!("{reply:?} is not an SMTP reply (\"550 5.1.1 text\")"),
                    })?
                }
                (None, Some("nxdomain")) => Attempt::NoRoute {
                    reason: "sandbox: domain does not exist (simulated NXDOMAIN)".into(),
                },
                (None, Some("timeout")) => Attempt::TempFail {
                    reply: None,
                    reason: "sandbox: connection timed out (simulated)".into(),
                },
                _ => {
                    return Err(SandboxError::Rule {
                        prefix: rule.prefix.clone(),
                        problem: "set exactly one of reply or dns (\"nxdomain\" or \"timeout\")"
                            .into(),
                    })
                }
            };
            rules.push((rule.prefix.to_ascii_lowercase(), attempt));
        }
        Ok(Self { rules })
    }

    /// The simulated outcome for `recipient` (wire form `local@domain`).
    pub fn deliver(&self, recipient: &str) -> Attempt {
        let local = recipient
            .rsplit_once('@')
            .map_or(recipient, |(l, _)| l)
            .trim_matches('"')
            .to_ascii_lowercase();
        self.rules
            .iter()
            .find(|(prefix, _)| local.starts_with(prefix.as_str()))
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| Attempt::Delivered {
                reply: "250 2.0.0 OK: accepted by the hikyaku sandbox sink".into(),
            })
    }

    /// Prefixes and what they simulate, for documentation and `--help`.
    pub fn describe(&self) -> Vec<(String, String)> {
        self.rules
            .iter()
            .map(|(p, a)| (p.clone(), a.summary()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_simulates_each_outcome() {
        let s = SandboxSink::builtin().unwrap();
        assert!(matches!(
            s.deliver("someone@example.com"),
            Attempt::Delivered { .. }
        ));
        match s.deliver("User-Unknown+7@example.com") {
            Attempt::PermFail {
                code: 550,
                enhanced: Some(e),
                ..
            } => assert_eq!(e, "5.1.1"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            s.deliver("tempfail@x.test"),
            Attempt::TempFail { reply: Some(_), .. }
        ));
        assert!(matches!(
            s.deliver("no-such-host@x.test"),
            Attempt::NoRoute { .. }
        ));
        assert!(matches!(
            s.deliver("timeout@x.test"),
            Attempt::TempFail { reply: None, .. }
        ));
        assert!(s.describe().len() >= 8);
    }

    /// The table in docs/operations.md, checked against the classifier.
    #[test]
    fn documented_error_statuses_hold() {
        use crate::delivery::{decide, RetryPolicy};
        let s = SandboxSink::builtin().unwrap();
        let status = |local: &str| {
            let attempt = s.deliver(&format!("{local}@example.com"));
            let d = decide(
                &attempt,
                1,
                0,
                0,
                &RetryPolicy::default(),
                hikyaku_bounce::Classifier::builtin(),
            );
            (d.status, d.error_status)
        };
        use crate::storage::DeliveryStatus::{Deferred, Failed, Succeeded};
        assert_eq!(status("user-unknown"), (Failed, Some(2)));
        assert_eq!(status("mailbox-full"), (Failed, Some(5)));
        assert_eq!(status("oversize"), (Failed, Some(8)));
        assert_eq!(status("spam-reject"), (Failed, Some(4)));
        assert_eq!(status("relay-denied"), (Failed, Some(7)));
        assert_eq!(status("bad-address"), (Failed, Some(9)));
        assert_eq!(status("no-such-host"), (Failed, Some(1)));
        assert_eq!(status("tempfail"), (Deferred, None));
        assert_eq!(status("greylist"), (Deferred, None));
        assert_eq!(status("timeout"), (Deferred, None));
        assert_eq!(status("anyone"), (Succeeded, None));
    }

    #[test]
    fn bad_rules_are_refused_with_their_prefix() {
        let err =
            SandboxSink::from_toml("[[reply]]\nprefix = \"x\"\nreply = \"hello\"\n").unwrap_err();
        assert!(err.to_string().contains("\"x\""), "{err}");
        let err = SandboxSink::from_toml("[[reply]]\nprefix = \"y\"\n").unwrap_err();
        assert!(err.to_string().contains("exactly one"), "{err}");
    }
}
