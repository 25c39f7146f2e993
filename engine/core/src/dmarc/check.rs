//! `dmarc.check`: the effective record of a domain (tree walk through the configured resolver)
//! and whether mail this engine sends from it aligns.
//!
//! Alignment is judged by mail-auth's DMARC verification, fed the facts of our own mail: the
//! header-From domain, the envelope domain we put in MAIL FROM (the VERP bounce domain when
//! configured), mail-auth's own SPF verdict for that envelope domain and every source IP, and
//! a passing DKIM signature with `d=` of the key we would sign with. So the verdict is the one
//! a receiver running mail-auth reaches, and the tree walk of [`super::record`] is only used to
//! explain where the record came from (the two are compared and a disagreement is reported).

use mail_auth::dkim::Signature;
use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimOutput, DmarcResult, MessageAuthenticator, SpfOutput, SpfResult,
};

use super::record::{effective, pct_of, pick, walk_names, Effective, Found, Policy};
use super::DmarcError;
use crate::config::Config;
use crate::spf::{normalise_domain, sources, txt_records};

/// One side (SPF or DKIM) of the alignment verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The domain this side authenticates (envelope domain; DKIM `d=`); `None` when there is
    /// none (no active DKIM key).
    pub domain: Option<String>,
    /// Whether that authentication passes: SPF for every source IP; DKIM always when a key is
    /// active (signatures are ours).
    pub passes: bool,
    /// mail-auth's DMARC result for this side: `pass`, `fail` (passes but not aligned),
    /// `none` (does not pass), `temperror`, `permerror`.
    pub dmarc_result: String,
    /// Why, in words.
    pub detail: String,
}

/// The outcome of [`check`].
#[derive(Debug, Clone)]
pub struct DmarcCheck {
    /// The domain checked.
    pub domain: String,
    /// The record that applies, if any.
    pub effective: Option<Effective>,
    /// The names the walk queried, longest first.
    pub queried: Vec<String>,
    /// SPF alignment of our mail.
    pub spf: Side,
    /// DKIM alignment of our mail.
    pub dkim: Side,
    /// The policy mail-auth applies to mail from the domain (`None`: no DMARC policy).
    pub mail_auth_policy: Option<Policy>,
    /// Whether our mail passes DMARC (either side aligned and passing).
    pub passes: bool,
    /// Advice and any disagreement between the walk and mail-auth.
    pub notes: Vec<String>,
}

/// Runs the check. `dkim_domain` is the `d=` our signer would use for mail from `domain`
/// (its own key, or a parent's), if a DKIM key is active.
pub async fn check(
    auth: &MessageAuthenticator,
    config: &Config,
    domain: &str,
    dkim_domain: Option<String>,
) -> Result<DmarcCheck, DmarcError> {
    let domain = normalise_domain(domain)
        .map_err(|_| DmarcError::invalid("domain", format!("{domain:?} is not a domain name")))?;
    let queried = walk_names(&domain);
    let mut walk: Vec<Found> = Vec::new();
    let mut notes = Vec::new();
    for name in &queried {
        match txt_records(auth, &format!("_dmarc.{name}")).await {
            Ok(txt) => {
                if let Some(found) = pick(name, &txt) {
                    let stop = !matches!(found.record.psd, mail_auth::dmarc::Psd::Default);
                    walk.push(found);
                    if stop {
                        break;
                    }
                }
            }
            Err(e) => return Err(DmarcError::Dns(format!("_dmarc.{name}: {e}"))),
        }
    }
    let effective = effective(&domain, &walk);

    // The envelope domain of our mail: the VERP bounce domain, else the sender's own domain.
    let envelope = config
        .bounce
        .bounce_domain_for(&domain)
        .map_or_else(|| domain.clone(), str::to_ascii_lowercase);
    let helo = config.effective_hostname();
    let sender = format!("postmaster@{envelope}");
    let srcs = sources(config);
    let mut worst = SpfResult::Pass;
    let mut failing = Vec::new();
    for s in &srcs {
        let out = auth
            .verify_spf(SpfParameters::verify_mail_from(s.ip, &helo, &helo, &sender))
            .await;
        if out.result() != SpfResult::Pass {
            failing.push(format!(
                "{} ({})",
                s.ip,
                out.result().to_string().to_ascii_lowercase()
            ));
            worst = out.result();
        }
    }
    let spf_pass = !srcs.is_empty() && failing.is_empty();
    let spf_output = SpfOutput::new(envelope.clone()).with_result(if srcs.is_empty() {
        SpfResult::None
    } else {
        worst
    });

    let raw = format!("From: <postmaster@{domain}>\r\nSubject: dmarc.check\r\n\r\n.\r\n");
    let message = AuthenticatedMessage::parse(raw.as_bytes())
        .ok_or_else(|| DmarcError::invalid("domain", "cannot form a From header with it"))?;
    let signature = dkim_domain.as_ref().map(|d| Signature {
        d: d.clone(),
        ..Default::default()
    });
    let dkim_outputs: Vec<DkimOutput<'_>> = signature
        .iter()
        .map(|s| DkimOutput::pass().with_signature(s))
        .collect();
    let verdict = auth
        .verify_dmarc(DmarcParameters::new(
            &message,
            &dkim_outputs,
            &envelope,
            &spf_output,
        ))
        .await;
    let mail_auth_policy = verdict
        .dmarc_record()
        .and_then(|_| Policy::of(verdict.policy()));
    if verdict.dmarc_record().is_some() || effective.is_some() {
        let ours = effective.as_ref().and_then(|e| e.policy);
        if ours != mail_auth_policy {
            notes.push(format!(
                "the tree walk gives policy {:?} but mail-auth applies {:?}",
                ours.map(Policy::as_str),
                mail_auth_policy.map(Policy::as_str)
            ));
        }
    }
    match &effective {
        None => notes.push(format!(
            "no DMARC record applies to {domain}: publish one at _dmarc.{domain} (dmarc.record)"
        )),
        Some(e) if e.inherited => notes.push(format!(
            "{domain} publishes no record of its own: the record of {} applies with its sp= policy",
            e.found.name
        )),
        Some(_) => {}
    }
    if let Some(e) = &effective {
        if pct_of(&e.found.text).is_some_and(|p| p < 100) {
            notes.push(
                "pct below 100: receivers following RFC 7489 apply the policy to that share only; RFC 9989 receivers ignore pct".into(),
            );
        }
    }

    let spf = Side {
        domain: Some(envelope.clone()),
        passes: spf_pass,
        dmarc_result: result_name(verdict.spf_result()),
        detail: if srcs.is_empty() {
            "no source IP configured: SPF cannot be evaluated".to_string()
        } else if failing.is_empty() {
            format!("SPF of {envelope} authorises every source IP")
        } else {
            format!(
                "SPF of {envelope} does not authorise {}",
                failing.join(", ")
            )
        },
    };
    let dkim = Side {
        passes: dkim_domain.is_some(),
        dmarc_result: result_name(verdict.dkim_result()),
        detail: match &dkim_domain {
            Some(d) => format!("signed with d={d}"),
            None => format!("no active DKIM key for {domain} or a parent domain"),
        },
        domain: dkim_domain,
    };
    let passes = spf.dmarc_result == "pass" || dkim.dmarc_result == "pass";
    Ok(DmarcCheck {
        domain,
        effective,
        queried,
        spf,
        dkim,
        mail_auth_policy,
        passes,
        notes,
    })
}

fn result_name(r: &DmarcResult) -> String {
    match r {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail(_) => "fail",
        DmarcResult::TempError(_) => "temperror",
        DmarcResult::PermError(_) => "permerror",
        DmarcResult::None => "none",
    }
    .to_string()
}
