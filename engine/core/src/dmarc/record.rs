//! DMARC records without I/O: the record `dmarc.record` prints, and the effective record of a
//! domain given what a DNS tree walk found (the inheritance of the seed FAQ: a parent's record
//! covers subdomains that publish none, with its `sp=` policy).

use std::sync::Arc;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Dmarc, Policy as MaPolicy, Psd};

use super::DmarcError;
use crate::config::Config;

/// A DMARC policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Monitor only.
    None,
    /// Treat failing mail as suspicious (spam folder).
    Quarantine,
    /// Refuse failing mail.
    Reject,
}

impl Policy {
    /// The tag value.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    /// From mail-auth's policy (`Unspecified` has no meaning once a record applies).
    pub fn of(p: MaPolicy) -> Option<Policy> {
        match p {
            MaPolicy::None => Some(Policy::None),
            MaPolicy::Quarantine => Some(Policy::Quarantine),
            MaPolicy::Reject => Some(Policy::Reject),
            MaPolicy::Unspecified => None,
        }
    }
}

/// What `dmarc.record` asks for.
#[derive(Debug, Clone)]
pub struct RecordRequest<'a> {
    /// The From domain.
    pub domain: &'a str,
    /// `p=`.
    pub policy: Policy,
    /// `pct=`, 1–100 (default 100).
    pub pct: Option<u8>,
    /// Report address (`rua`); default `dmarc.report_address`.
    pub rua: Option<&'a str>,
}

/// A record to publish, with the authorisation record an outside report domain needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordToPublish {
    /// `_dmarc.DOMAIN`.
    pub record_name: String,
    /// The TXT text.
    pub record_value: String,
    /// The report address used.
    pub rua: String,
    /// When the report address is outside the domain (RFC 7489 §7.1), the record its domain
    /// must publish so receivers send reports there: (name, value).
    pub report_authorization: Option<(String, String)>,
}

/// Builds the record. The report address must be on a domain the receiving listener accepts,
/// otherwise the reports would be refused (`550`) and lost.
pub fn build(config: &Config, req: &RecordRequest<'_>) -> Result<RecordToPublish, DmarcError> {
    let domain = crate::spf::normalise_domain(req.domain).map_err(|_| {
        DmarcError::invalid("domain", format!("{:?} is not a domain name", req.domain))
    })?;
    let pct = req.pct.unwrap_or(100);
    if !(1..=100).contains(&pct) {
        return Err(DmarcError::invalid(
            "pct",
            format!("must be 1 to 100, got {pct}"),
        ));
    }
    let rua = match req.rua.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => r.strip_prefix("mailto:").unwrap_or(r).to_string(),
        None if !config.dmarc.report_address.is_empty() => config.dmarc.report_address.clone(),
        None => {
            return Err(DmarcError::invalid(
                "rua",
                "no rua given and dmarc.report_address is not configured",
            ))
        }
    };
    let rua_domain = match rua.rsplit_once('@') {
        Some((local, d)) if !local.is_empty() && crate::config::is_domain(d) => {
            d.to_ascii_lowercase()
        }
        _ => {
            return Err(DmarcError::invalid(
                "rua",
                format!("{rua:?} is not an email address"),
            ))
        }
    };
    let accepted = config
        .bounce
        .bounce_domains()
        .iter()
        .chain(&config.receive.inbound_domains)
        .any(|d| d.eq_ignore_ascii_case(&rua_domain));
    if !accepted {
        return Err(DmarcError::invalid(
            "rua",
            format!(
                "{rua_domain:?} is not a domain the receiving listener accepts (bounce domains, receive.inbound_domains): reports sent there would be refused"
            ),
        ));
    }
    let value = format!(
        "v=DMARC1; p={}; pct={pct}; rua=mailto:{rua}",
        req.policy.as_str()
    );
    let internal = rua_domain == domain || rua_domain.ends_with(&format!(".{domain}"));
    Ok(RecordToPublish {
        record_name: format!("_dmarc.{domain}"),
        record_value: value,
        rua,
        report_authorization: (!internal).then(|| {
            (
                format!("{domain}._report._dmarc.{rua_domain}"),
                "v=DMARC1".to_string(),
            )
        }),
    })
}

/// The `pct=` of a record text (mail-auth follows RFC 9989, which dropped `pct`; receivers
/// following RFC 7489 still apply it, so it is shown).
pub fn pct_of(text: &str) -> Option<u8> {
    text.split(';').find_map(|tag| {
        let (k, v) = tag.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("pct"))
            .then(|| v.trim().parse().ok())
            .flatten()
    })
}

/// The DMARC record at one name of a tree walk.
#[derive(Debug, Clone)]
pub struct Found {
    /// The domain (without `_dmarc.`).
    pub name: String,
    /// The record's text.
    pub text: String,
    /// Parsed by mail-auth.
    pub record: Arc<Dmarc>,
}

/// The `v=DMARC1` record among the TXT strings at `_dmarc.NAME`, if exactly one parses (RFC
/// 7489 §6.6.3: several records, or none, mean no policy at that name).
pub fn pick(name: &str, txt: &[String]) -> Option<Found> {
    let parsed: Vec<Found> = txt
        .iter()
        .filter_map(|t| {
            Dmarc::parse(t.as_bytes()).ok().map(|d| Found {
                name: name.to_string(),
                text: t.clone(),
                record: Arc::new(d),
            })
        })
        .collect();
    match <[Found; 1]>::try_from(parsed) {
        Ok([one]) => Some(one),
        Err(_) => None,
    }
}

/// The names a tree walk queries for `domain` (RFC 9989 §4.10): the domain, then (if it has
/// eight labels or more) its last seven, then one label fewer at a time down to the TLD.
pub fn walk_names(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.split('.').filter(|l| !l.is_empty()).collect();
    let total = labels.len();
    let mut out = Vec::new();
    let mut count = total;
    while count >= 1 {
        out.push(labels[total - count..].join("."));
        count = if count >= 8 { 7 } else { count - 1 };
    }
    out
}

/// The record that applies to a domain and where it came from.
#[derive(Debug, Clone)]
pub struct Effective {
    /// The record found.
    pub found: Found,
    /// The organisational domain (by the tree walk: the shortest name with a record, or the
    /// name a `psd=` record points at).
    pub organisational_domain: String,
    /// True when the record is a parent's (the domain publishes none).
    pub inherited: bool,
    /// The policy that applies to mail from the domain: `p` of its own record, `sp` (default
    /// `p`) of an inherited one.
    pub policy: Option<Policy>,
}

/// The effective record from the records a tree walk found, longest name first (the same rules
/// as mail-auth's DMARC verification, so the explanation matches its verdict).
pub fn effective(domain: &str, walk: &[Found]) -> Option<Effective> {
    let org = organisational_domain(domain, walk);
    let (found, inherited) = match walk.iter().find(|f| f.name == domain) {
        Some(own) => (own.clone(), false),
        None => (
            walk.iter().find(|f| f.name == org).or(walk.last())?.clone(),
            true,
        ),
    };
    let policy = if found.record.p == MaPolicy::Unspecified {
        // RFC 9989 §4.10.1: no valid p= but a rua means p=none; otherwise DMARC does not apply.
        (!found.record.rua.is_empty()).then_some(Policy::None)
    } else if inherited {
        Policy::of(found.record.sp)
    } else {
        Policy::of(found.record.p)
    };
    Some(Effective {
        found,
        organisational_domain: org,
        inherited,
        policy,
    })
}

fn organisational_domain(domain: &str, walk: &[Found]) -> String {
    for f in walk {
        match f.record.psd {
            Psd::No => return f.name.clone(),
            Psd::Yes if f.name != domain => {
                let depth = f.name.split('.').count() + 1;
                let labels: Vec<&str> = domain.split('.').collect();
                return labels[labels.len().saturating_sub(depth)..].join(".");
            }
            _ => {}
        }
    }
    walk.last()
        .map_or_else(|| domain.to_string(), |f| f.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let c = Config::from_toml(
            "[bounce]\nreturn_path_domain = \"bounce.example.com\"\n[receive]\ninbound_domains = [\"reports.example.net\"]\n[dmarc]\nreport_address = \"dmarc@bounce.example.com\"\n",
        )
        .unwrap();
        c.validate().unwrap();
        c
    }

    fn req(domain: &str, policy: Policy) -> RecordRequest<'_> {
        RecordRequest {
            domain,
            policy,
            pct: None,
            rua: None,
        }
    }

    #[test]
    fn the_record_uses_the_report_address_and_parses_with_mail_auth() {
        let r = build(&config(), &req("Example.com", Policy::Quarantine)).unwrap();
        assert_eq!(r.record_name, "_dmarc.example.com");
        assert_eq!(
            r.record_value,
            "v=DMARC1; p=quarantine; pct=100; rua=mailto:dmarc@bounce.example.com"
        );
        assert_eq!(r.report_authorization, None);
        let parsed = Dmarc::parse(r.record_value.as_bytes()).unwrap();
        assert_eq!(parsed.p, MaPolicy::Quarantine);
        assert_eq!(parsed.rua[0].uri(), "dmarc@bounce.example.com");
        assert_eq!(pct_of(&r.record_value), Some(100));
    }

    #[test]
    fn an_outside_report_domain_needs_an_authorisation_record() {
        let r = build(
            &config(),
            &RecordRequest {
                domain: "shop.test",
                policy: Policy::Reject,
                pct: Some(25),
                rua: Some("mailto:agg@reports.example.net"),
            },
        )
        .unwrap();
        assert_eq!(
            r.record_value,
            "v=DMARC1; p=reject; pct=25; rua=mailto:agg@reports.example.net"
        );
        assert_eq!(
            r.report_authorization,
            Some((
                "shop.test._report._dmarc.reports.example.net".to_string(),
                "v=DMARC1".to_string()
            ))
        );
    }

    #[test]
    fn bad_requests_name_the_field() {
        let field = |r: Result<RecordToPublish, DmarcError>| match r {
            Err(DmarcError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let c = config();
        let mut q = req("example.com", Policy::None);
        q.pct = Some(0);
        assert_eq!(field(build(&c, &q)), "pct");
        q.pct = None;
        q.rua = Some("dmarc@elsewhere.test");
        assert_eq!(field(build(&c, &q)), "rua");
        q.rua = Some("not-an-address");
        assert_eq!(field(build(&c, &q)), "rua");
        assert_eq!(
            field(build(&c, &req("no spaces.test", Policy::None))),
            "domain"
        );
        assert_eq!(
            field(build(&Config::default(), &req("example.com", Policy::None))),
            "rua"
        );
    }

    fn found(name: &str, text: &str) -> Found {
        pick(name, &[text.to_string(), "unrelated".to_string()]).unwrap()
    }

    #[test]
    fn a_subdomain_without_a_record_inherits_the_parents_sp() {
        let walk = [found(
            "example.com",
            "v=DMARC1; p=reject; sp=quarantine; pct=50",
        )];
        let e = effective("mail.example.com", &walk).unwrap();
        assert!(e.inherited);
        assert_eq!(e.found.name, "example.com");
        assert_eq!(e.organisational_domain, "example.com");
        assert_eq!(e.policy, Some(Policy::Quarantine));
        assert_eq!(pct_of(&e.found.text), Some(50));
        // Without sp= the parent's p= applies.
        let walk = [found("example.com", "v=DMARC1; p=reject")];
        assert_eq!(
            effective("a.b.example.com", &walk).unwrap().policy,
            Some(Policy::Reject)
        );
        // Its own record wins.
        let walk = [
            found("mail.example.com", "v=DMARC1; p=none"),
            found("example.com", "v=DMARC1; p=reject"),
        ];
        let e = effective("mail.example.com", &walk).unwrap();
        assert!(!e.inherited);
        assert_eq!(e.policy, Some(Policy::None));
        assert!(effective("example.com", &[]).is_none());
    }

    #[test]
    fn walks_and_picks_follow_the_rfc() {
        assert_eq!(
            walk_names("a.b.example.com"),
            ["a.b.example.com", "b.example.com", "example.com", "com"]
        );
        let long = "1.2.3.4.5.6.7.8.example.com";
        let names = walk_names(long);
        assert_eq!(names[0], long);
        assert_eq!(names[1], "4.5.6.7.8.example.com");
        assert_eq!(names[7], "com");
        assert_eq!(names.len(), 8);
        assert!(pick(
            "x.test",
            &["v=DMARC1; p=none".into(), "v=DMARC1; p=reject".into()]
        )
        .is_none());
        assert!(pick("x.test", &["v=spf1 -all".into()]).is_none());
    }
}
