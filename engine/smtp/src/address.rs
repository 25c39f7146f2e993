//! Mail addresses as SPEC §13.1 defines them.
//!
//! The rules are deliberately more lenient than RFC 5321's `Mailbox` grammar: customers
//! send to addresses such as `irregular..pattern@example.com` that real mailbox providers
//! accept, so instead of refusing them we *quote* the local part
//! (`"irregular..pattern"@example.com`), which is the only RFC-valid way to carry it.
//! This is also why the session does not use `smtp-proto`'s address parser: it refuses
//! exactly these irregular local parts.
//!
//! An [`Address`] always stores the local part in the form it must be sent on the wire, so
//! `Display` followed by [`parse_address`] gives back the same value.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// An envelope address (`local@domain`) whose local part is already in wire form.
///
/// Kept as two strings because routing only looks at the domain and the local part must
/// never be re-interpreted once quoted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address {
    local: String,
    domain: String,
}

/// Why an address was refused; the session maps every variant to one `553` reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// There is no `@` separating local part and domain.
    #[error("address has no '@'")]
    MissingAt,
    /// Nothing (or an empty quoted string) before the `@`.
    #[error("empty local part")]
    EmptyLocalPart,
    /// The domain breaks the §13.1 domain rules.
    #[error("invalid domain")]
    InvalidDomain,
    /// A control character (CR, LF, NUL, DEL, C1 ...) appears anywhere in the address.
    #[error("control character in address")]
    ControlCharacter,
    /// Non-ASCII text without SMTPUTF8 having been requested for the transaction.
    #[error("non-ASCII address without SMTPUTF8")]
    NonAscii,
}

impl Address {
    /// The local part exactly as it must be sent (quoted when it is irregular), so callers
    /// never have to know the quoting rules.
    pub fn local(&self) -> &str {
        &self.local
    }

    /// The domain as the client wrote it; kept verbatim so bounces quote the original.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The domain for lookups and comparisons, which are case-insensitive (§13.1).
    pub fn domain_lowercase(&self) -> String {
        self.domain.to_lowercase()
    }

    /// Whether delivering this address needs a peer that supports SMTPUTF8.
    pub fn is_utf8(&self) -> bool {
        !self.local.is_ascii() || !self.domain.is_ascii()
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

/// Parses the text between `<` and `>` of a path.
///
/// `smtputf8` says whether the client asked for SMTPUTF8 on this transaction; without it
/// any non-ASCII byte is refused so that we never relay an address the next hop cannot
/// represent.
pub fn parse_address(s: &str, smtputf8: bool) -> Result<Address, AddressError> {
    if s.chars().any(char::is_control) {
        return Err(AddressError::ControlCharacter);
    }
    if !smtputf8 && !s.is_ascii() {
        return Err(AddressError::NonAscii);
    }
    // The domain can never contain '@', a quoted local part can: split at the last one.
    let (local, domain) = s.rsplit_once('@').ok_or(AddressError::MissingAt)?;
    if local.is_empty() || local == "\"\"" {
        return Err(AddressError::EmptyLocalPart);
    }
    if !is_valid_domain(domain) {
        return Err(AddressError::InvalidDomain);
    }
    let local = if is_dot_atom(local) || is_quoted_string(local) {
        local.to_owned()
    } else {
        quote(local)
    };
    Ok(Address {
        local,
        domain: domain.to_owned(),
    })
}

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^\\_`{|}~".contains(c) || !c.is_ascii()
}

/// §13.1 regular local part; a trailing dot and `..` are treated as irregular too because
/// RFC 5321 forbids them unquoted and strict receivers refuse them.
fn is_dot_atom(local: &str) -> bool {
    !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c == '.' || is_atext(c))
}

/// An already quoted local part: `"` ... `"` with every inner `"` and `\` escaped.
fn is_quoted_string(local: &str) -> bool {
    let Some(inner) = local
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '\\' => {}
            '"' => return false,
            _ => {}
        }
    }
    true
}

fn quote(local: &str) -> String {
    let mut out = String::with_capacity(local.len() + 4);
    out.push('"');
    for c in local.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn is_valid_domain(domain: &str) -> bool {
    if let Some(literal) = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        return is_address_literal(literal);
    }
    !domain.is_empty() && domain.split('.').all(is_valid_label)
}

fn is_valid_label(label: &str) -> bool {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if first.is_alphanumeric() => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii())
}

/// RFC 5321 §4.1.3 address literals (`[192.0.2.1]`, `[IPv6:2001:db8::1]`), which some
/// clients use for postmaster addresses of hosts without DNS names.
fn is_address_literal(literal: &str) -> bool {
    if literal.parse::<Ipv4Addr>().is_ok() {
        return true;
    }
    literal
        .get(..5)
        .filter(|tag| tag.eq_ignore_ascii_case("IPv6:"))
        .and_then(|_| literal.get(5..))
        .is_some_and(|v6| v6.parse::<Ipv6Addr>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        parse_address(s, false).unwrap().to_string()
    }

    #[test]
    fn regular_addresses_are_kept() {
        assert_eq!(ok("user@example.com"), "user@example.com");
        assert_eq!(
            ok("a.b+tag@sub_domain.example.com"),
            "a.b+tag@sub_domain.example.com"
        );
        assert_eq!(ok("!#$%&'*+-/=?^_`{|}~@x.io"), "!#$%&'*+-/=?^_`{|}~@x.io");
        assert_eq!(ok("User@Example.COM"), "User@Example.COM");
    }

    #[test]
    fn spec_examples_are_quoted() {
        assert_eq!(
            ok("irregular..pattern@example.com"),
            "\"irregular..pattern\"@example.com"
        );
        assert_eq!(
            ok("hello\\(^^)@example.com"),
            "\"hello\\\\(^^)\"@example.com"
        );
        let a = parse_address("irregular..pattern@example.com", false).unwrap();
        assert_eq!(a.local(), "\"irregular..pattern\"");
        assert_eq!(a.domain(), "example.com");
    }

    #[test]
    fn irregular_dots_are_quoted() {
        assert_eq!(ok(".lead@x.com"), "\".lead\"@x.com");
        assert_eq!(ok("trail.@x.com"), "\"trail.\"@x.com");
        assert_eq!(ok("a b@x.com"), "\"a b\"@x.com");
        assert_eq!(ok("a\"b@x.com"), "\"a\\\"b\"@x.com");
        assert_eq!(ok("a@b@x.com"), "\"a@b\"@x.com");
    }

    #[test]
    fn quoted_local_parts_are_kept() {
        assert_eq!(ok("\"a b\"@x.com"), "\"a b\"@x.com");
        assert_eq!(ok("\"a\\\"b\"@x.com"), "\"a\\\"b\"@x.com");
        // Not a valid quoted string: quoted as a whole instead of refused.
        assert_eq!(ok("\"a\"b\"@x.com"), "\"\\\"a\\\"b\\\"\"@x.com");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        let err = |s: &str| parse_address(s, false).unwrap_err();
        assert_eq!(err("nobody"), AddressError::MissingAt);
        assert_eq!(err("@x.com"), AddressError::EmptyLocalPart);
        assert_eq!(err("\"\"@x.com"), AddressError::EmptyLocalPart);
        assert_eq!(err("a@"), AddressError::InvalidDomain);
        assert_eq!(err("a@.x.com"), AddressError::InvalidDomain);
        assert_eq!(err("a@x.com."), AddressError::InvalidDomain);
        assert_eq!(err("a@x..com"), AddressError::InvalidDomain);
        assert_eq!(err("a@-x.com"), AddressError::InvalidDomain);
        assert_eq!(err("a@_x.com"), AddressError::InvalidDomain);
        assert_eq!(err("a@x!.com"), AddressError::InvalidDomain);
        assert_eq!(err("a\r\nb@x.com"), AddressError::ControlCharacter);
        assert_eq!(err("a\0@x.com"), AddressError::ControlCharacter);
        assert_eq!(err("jörg@x.com"), AddressError::NonAscii);
        assert_eq!(err("a@bücher.de"), AddressError::NonAscii);
    }

    #[test]
    fn domains() {
        assert_eq!(ok("a@x-y_z.example"), "a@x-y_z.example");
        assert_eq!(ok("a@1.example"), "a@1.example");
        assert_eq!(ok("a@[192.0.2.1]"), "a@[192.0.2.1]");
        assert_eq!(ok("a@[IPv6:2001:db8::1]"), "a@[IPv6:2001:db8::1]");
        assert!(parse_address("a@[300.0.0.1]", false).is_err());
        let a = parse_address("a@Example.COM", false).unwrap();
        assert_eq!(a.domain_lowercase(), "example.com");
    }

    #[test]
    fn utf8_only_with_smtputf8() {
        let a = parse_address("jörg@bücher.de", true).unwrap();
        assert!(a.is_utf8());
        assert_eq!(a.to_string(), "jörg@bücher.de");
        assert!(!parse_address("a@b.de", true).unwrap().is_utf8());
        assert_eq!(
            parse_address("jö..rg@x.de", true).unwrap().local(),
            "\"jö..rg\""
        );
        assert_eq!(
            parse_address("a\u{85}@x.de", true).unwrap_err(),
            AddressError::ControlCharacter
        );
    }
}
