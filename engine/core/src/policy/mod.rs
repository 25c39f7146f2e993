//! The message policy (SPEC §5, §6, §13.3), compiled: filters with their actions, evaluated at
//! intake for each recipient in one pass over the message's headers.
//!
//! [`Policy::compile`] turns `[policy]` settings into compiled filters once, when settings are
//! validated or applied; intake then calls [`Policy::plan`] per recipient with a
//! [`HeaderView`] built once per message from only the headers the rules name. Everything
//! here is pure (the clock is a parameter), so every rule is table-tested.

pub mod filter;
pub mod hold;

use std::collections::HashMap;

use mail_parser::{Address, HeaderValue};

pub use filter::{Filter, FilterError, Target};
pub use hold::{HoldError, HoldWindow};

use crate::config::policy::{ForwardMode, PolicyConfig};

/// One compiled rule.
#[derive(Debug, Clone)]
struct Rule {
    filter: Filter,
    priority: Option<u8>,
    hold: Option<HoldWindow>,
    forward: Option<(String, ForwardMode)>,
    unsubscribe: bool,
}

/// The compiled policy of one settings snapshot.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Strip the application's `Received` headers.
    pub strip_received: bool,
    rules: Vec<Rule>,
    /// Lower-cased header names the rules look at (besides `To`).
    headers: Vec<String>,
}

/// What the policy decides for one recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Priority class (0 high, 1 normal, 2 low).
    pub priority: u8,
    /// Prohibited hours that apply to this recipient.
    pub hold: Option<HoldWindow>,
    /// The recipient as delivered: the original, or the forwarding address of a `rewrite`.
    pub recipient: String,
    /// Extra recipients of `copy` forwards (deduplicated, in rule order).
    pub copies: Vec<String>,
    /// Add the RFC 8058 headers.
    pub unsubscribe: bool,
}

/// No rules at all: for mail the policy does not apply to (a bounce forwarded to the original
/// sender, internal notices) and for tests.
pub static NO_POLICY: Policy = Policy {
    strip_received: false,
    rules: Vec::new(),
    headers: Vec::new(),
};

impl Policy {
    /// Compiles `[policy]`; every problem is returned, each naming its key
    /// (`policy.rules[2].match: invalid regex at position 4: …`).
    pub fn compile(config: &PolicyConfig) -> Result<Policy, Vec<String>> {
        let mut problems = Vec::new();
        let mut rules = Vec::with_capacity(config.rules.len());
        for (i, r) in config.rules.iter().enumerate() {
            let key = format!("policy.rules[{i}]");
            let filter = match Filter::compile(&r.header, &r.pattern) {
                Ok(f) => Some(f),
                Err(e @ FilterError::Regex { .. }) => {
                    problems.push(format!("{key}.match: {e}"));
                    None
                }
                Err(e) => {
                    problems.push(format!("{key}.header: {e}"));
                    None
                }
            };
            let hold = match &r.hold {
                Some(h) => match HoldWindow::new(&h.from, &h.to, &h.time_zone) {
                    Ok(w) => Some(w),
                    Err(e) => {
                        problems.push(format!("{key}.hold: {e}"));
                        None
                    }
                },
                None => None,
            };
            let forward = match &r.forward {
                Some(f) => match hikyaku_smtp::parse_address(f.to.trim(), true) {
                    Ok(a) => Some((a.to_string(), f.mode)),
                    Err(e) => {
                        problems.push(format!(
                            "{key}.forward.to: {:?} is not an address ({e})",
                            f.to
                        ));
                        None
                    }
                },
                None => None,
            };
            if r.priority.is_none() && r.hold.is_none() && r.forward.is_none() && !r.unsubscribe {
                problems.push(format!(
                    "{key}: a rule needs at least one of priority, hold, forward, unsubscribe"
                ));
            }
            if let Some(filter) = filter {
                rules.push(Rule {
                    filter,
                    priority: r.priority.map(|p| p.class()),
                    hold,
                    forward,
                    unsubscribe: r.unsubscribe,
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut headers: Vec<String> = rules
            .iter()
            .filter_map(|r| match r.filter.target() {
                Target::Header(h) => Some(h.clone()),
                Target::Recipient => None,
            })
            .collect();
        headers.sort();
        headers.dedup();
        Ok(Policy {
            strip_received: config.strip_received,
            rules,
            headers,
        })
    }

    /// The header values the rules need, read from `message`'s header block in one pass.
    pub fn view(&self, message: &[u8]) -> HeaderView {
        if self.headers.is_empty() {
            return HeaderView::default();
        }
        self.view_parsed(crate::intake::parse_header_block(message).as_ref())
    }

    /// The same from a header block intake has parsed already (no second parse).
    pub fn view_parsed(&self, parsed: Option<&mail_parser::Message<'_>>) -> HeaderView {
        HeaderView::read(parsed, &self.headers)
    }

    /// The decisions for `recipient` of a message whose headers are `view`: for each action
    /// the first matching rule that sets it; copies accumulate.
    pub fn plan(&self, view: &HeaderView, recipient: &str) -> Plan {
        let mut plan = Plan {
            priority: 1,
            hold: None,
            recipient: recipient.to_string(),
            copies: Vec::new(),
            unsubscribe: false,
        };
        let mut priority = None;
        let mut rewritten = false;
        for rule in &self.rules {
            let value = match rule.filter.target() {
                Target::Recipient => Some(recipient),
                Target::Header(h) => view.get(h),
            };
            if !value.is_some_and(|v| rule.filter.matches(v)) {
                continue;
            }
            if priority.is_none() {
                priority = rule.priority;
            }
            if plan.hold.is_none() {
                plan.hold.clone_from(&rule.hold);
            }
            match &rule.forward {
                Some((to, ForwardMode::Rewrite)) if !rewritten => {
                    plan.recipient.clone_from(to);
                    rewritten = true;
                }
                Some((to, ForwardMode::Copy))
                    if !plan.copies.iter().any(|c| c.eq_ignore_ascii_case(to)) =>
                {
                    plan.copies.push(to.clone());
                }
                _ => {}
            }
            plan.unsubscribe |= rule.unsubscribe;
        }
        plan.priority = priority.unwrap_or(1);
        let delivered = plan.recipient.clone();
        plan.copies.retain(|c| !c.eq_ignore_ascii_case(&delivered));
        plan
    }
}

/// The decoded values of the headers a policy looks at (the first occurrence of each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderView {
    values: HashMap<String, String>,
}

impl HeaderView {
    /// Reads `names` (lower-case) from a parsed header block: RFC 2047 words decoded, folding
    /// removed, address headers as `"Name" <addr>, …`.
    pub fn read(parsed: Option<&mail_parser::Message<'_>>, names: &[String]) -> HeaderView {
        let mut values = HashMap::new();
        let Some(parsed) = parsed.filter(|_| !names.is_empty()) else {
            return HeaderView { values };
        };
        for h in parsed.headers() {
            let name = h.name.as_str().to_ascii_lowercase();
            if names.contains(&name) && !values.contains_key(&name) {
                values.insert(name, display(&h.value));
            }
        }
        HeaderView { values }
    }

    /// The value of a (lower-case) header, if the message has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }
}

/// A header value as text, the way a person reads it.
fn display(value: &HeaderValue<'_>) -> String {
    match value {
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l.join(", "),
        HeaderValue::Address(Address::List(list)) => list
            .iter()
            .map(|a| match (&a.name, &a.address) {
                (Some(n), Some(addr)) => format!("\"{n}\" <{addr}>"),
                (None, Some(addr)) => addr.to_string(),
                (Some(n), None) => n.to_string(),
                (None, None) => String::new(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        HeaderValue::Address(Address::Group(groups)) => groups
            .iter()
            .map(|g| {
                let members: Vec<String> = g
                    .addresses
                    .iter()
                    .filter_map(|a| a.address.as_ref().map(|x| x.to_string()))
                    .collect();
                format!(
                    "{}: {};",
                    g.name.as_deref().unwrap_or_default(),
                    members.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        HeaderValue::DateTime(d) => d.to_rfc822(),
        HeaderValue::ContentType(c) => match &c.c_subtype {
            Some(s) => format!("{}/{}", c.c_type, s),
            None => c.c_type.to_string(),
        },
        HeaderValue::Received(_) | HeaderValue::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests;
