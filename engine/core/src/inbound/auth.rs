//! SPF, DKIM and DMARC results of an inbound message, evaluated with mail-auth through the
//! engine's resolver (`authdns`: the routing DNS servers).
//!
//! mail-auth's resolver is tokio-native and the receiving listener runs on a glommio shard, so
//! [`evaluate`] is meant for the shard's blocking pool: it runs the lookups on a current-thread
//! tokio runtime of its own, bounded by the resolver's timeout (5 s, 2 attempts), and the
//! `250` waits for it as it does for bounce processing. Inbound mail is a small share of the
//! traffic; bounces (to a bounce domain) are never evaluated.

use std::net::IpAddr;

use mail_auth::dmarc::verify::DmarcParameters;
use mail_auth::dmarc::Policy;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::AuthenticatedMessage;
use serde::Serialize;

use crate::config::Config;

/// One DKIM signature's verdict.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DkimVerdict {
    /// Signing domain (`d=`), when the signature parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Selector (`s=`), when the signature parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    /// `pass`, `fail; …`, `neutral; …`, `temp error; …`, `perm error; …` or `none`.
    pub result: String,
}

/// The sender-authentication results of one message (RFC 8601 vocabulary, lower case).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthResults {
    /// SPF of the MAIL FROM identity (the HELO identity for the null sender): `pass`, `fail`,
    /// `softfail`, `neutral`, `temperror`, `permerror` or `none`.
    pub spf: String,
    /// The domain SPF was evaluated for.
    pub spf_domain: String,
    /// Every DKIM signature's verdict (empty: the message carries none).
    pub dkim: Vec<DkimVerdict>,
    /// DMARC: `pass`, `fail; …`, `none`, …
    pub dmarc: String,
    /// The header-From domain DMARC evaluated.
    pub dmarc_domain: String,
    /// The published policy: `none`, `quarantine`, `reject` or `unspecified`.
    pub dmarc_policy: String,
}

/// Why the results could not be evaluated (the message is still delivered to the webhook,
/// without `auth`).
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No resolver or runtime.
    #[error("sender-authentication checks unavailable: {0}")]
    Unavailable(String),
    /// mail-auth could not read the header block.
    #[error("the message has no header block mail-auth can read")]
    Unparsable,
}

fn spf_name(r: mail_auth::SpfResult) -> &'static str {
    use mail_auth::SpfResult as S;
    match r {
        S::Pass => "pass",
        S::Fail => "fail",
        S::SoftFail => "softfail",
        S::Neutral => "neutral",
        S::TempError => "temperror",
        S::PermError => "permerror",
        S::None => "none",
    }
}

fn policy_name(p: Policy) -> &'static str {
    match p {
        Policy::None => "none",
        Policy::Quarantine => "quarantine",
        Policy::Reject => "reject",
        Policy::Unspecified => "unspecified",
    }
}

/// Evaluates SPF (for `mail_from`, or the HELO name when it is empty), every DKIM signature
/// and DMARC for `raw`, received from `peer` which said `helo`. Blocking: see the module doc.
pub fn evaluate(
    config: &Config,
    hostname: &str,
    peer: IpAddr,
    helo: &str,
    mail_from: &str,
    raw: &[u8],
) -> Result<AuthResults, AuthError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AuthError::Unavailable(e.to_string()))?;
    runtime.block_on(async {
        let auth = crate::authdns::authenticator(config)
            .map_err(|e| AuthError::Unavailable(e.to_string()))?;
        let message = AuthenticatedMessage::parse(raw).ok_or(AuthError::Unparsable)?;
        let dkim = auth.verify_dkim(&message).await;
        let sender = if mail_from.is_empty() {
            format!("postmaster@{helo}")
        } else {
            mail_from.to_string()
        };
        let spf = auth
            .verify_spf(SpfParameters::verify_mail_from(
                peer, helo, hostname, &sender,
            ))
            .await;
        let mail_from_domain = sender.rsplit_once('@').map_or(helo, |(_, d)| d).to_string();
        let dmarc = auth
            .verify_dmarc(DmarcParameters::new(
                &message,
                &dkim,
                &mail_from_domain,
                &spf,
            ))
            .await;
        Ok(AuthResults {
            spf: spf_name(spf.result()).to_string(),
            spf_domain: spf.domain().to_string(),
            dkim: dkim
                .iter()
                .map(|o| DkimVerdict {
                    domain: o.signature().map(|s| s.d.clone()),
                    selector: o.signature().map(|s| s.s.clone()),
                    result: o.result().to_string(),
                })
                .collect(),
            dmarc: dmarc.result().to_string(),
            dmarc_domain: dmarc.domain().to_string(),
            dmarc_policy: policy_name(dmarc.policy()).to_string(),
        })
    })
}
