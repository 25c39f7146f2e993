//! A matrix of whole bounce messages, mail-system family × failure reason,
//! written for this test from the families' well-known layouts
//! (`tests/mta_templates_matrix/<family>_<reason>.eml`): Postfix 2.x and
//! 3.x, Exim 4 (text and DSN), Sendmail 8, qmail 1.03 / netqmail / vpopmail,
//! Courier, Exchange 2003 text NDRs, Exchange 2010 to 2019 and Exchange
//! Online (classic "Diagnostic information for administrators" and the new
//! layout), Lotus Domino, GroupWise, Gmail, Yahoo, OpenSMTPD, Haraka, Amazon
//! SES, Cisco IronPort, hMailServer, MDaemon, Barracuda, Mail.ru and
//! Mimecast; then CommuniGate Pro, Kerio Connect, MailEnable, SmarterMail,
//! Trend Micro InterScan, McAfee Email Gateway, Symantec MessageLabs,
//! GMX / web.de, T-Online, Yandex, Fastmail, iCloud, Proofpoint, Zoho,
//! IceWarp, Axigen, Zimbra, Sophos Email Appliance and Tencent Exmail, and
//! the replies of Outlook.com, Orange, AOL and QQ. Reasons: unknown user
//! (2), unknown host (1), resend timeout (3), policy or blocklist (4),
//! mailbox full (5), forwarding (6), relay denied (7), oversize (8) and
//! malformed address (9), as each family reports them. Each row gives the
//! status an operator would give (SPEC §13.5); the expectations were
//! decided before the parser ran.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

// Only the case checks of the shared module are used here.
#[allow(dead_code)]
#[path = "support/templates.rs"]
mod templates;

use std::path::PathBuf;

use templates::{count_files, wrong_cases, Case};

/// File, then (recipient, status) in the order the message lists them.
const CASES: &[Case] = &[
    ("postfix_user.eml", &[("jd@dest.example", 2)]),
    ("postfix_host.eml", &[("jd@nowhere.example", 1)]),
    ("postfix_quota.eml", &[("ann@dest.example", 5)]),
    ("postfix_policy.eml", &[("jd@dest.example", 4)]),
    ("postfix_relay.eml", &[("jd@dest.example", 7)]),
    ("postfix_size.eml", &[("jd@dest.example", 8)]),
    ("postfix2_expired.eml", &[("jd@slow.example", 3)]),
    ("postfix2_syntax.eml", &[("jd..smith@dest.example", 9)]),
    ("exim_user.eml", &[("jd@dest.example", 2)]),
    ("exim_host.eml", &[("jd@nowhere.example", 1)]),
    ("exim_quota.eml", &[("ann@our.example", 5)]),
    ("exim_expired.eml", &[("jd@slow.example", 3)]),
    ("exim_dmarc.eml", &[("jd@gmail.com", 4)]),
    ("exim_size.eml", &[("jd@dest.example", 8)]),
    ("exim_moved.eml", &[("jd@dest.example", 6)]),
    ("exim_syntax.eml", &[("jd.@dest.example", 9)]),
    ("sendmail_user.eml", &[("jd@dest.example", 2)]),
    ("sendmail_host.eml", &[("jd@nowhere.example", 1)]),
    ("sendmail_expired.eml", &[("jd@slow.example", 3)]),
    ("sendmail_quota.eml", &[("ann@dest.example", 5)]),
    ("sendmail_relay.eml", &[("jd@dest.example", 7)]),
    ("sendmail_size.eml", &[("jd@dest.example", 8)]),
    ("sendmail_moved.eml", &[("jd@dest.example", 6)]),
    ("qmail_user.eml", &[("jd@qmail.our.example", 2)]),
    ("qmail_host.eml", &[("jd@nowhere.example", 1)]),
    ("qmail_vpopmail_quota.eml", &[("ann@vpop.example.net", 5)]),
    ("qmail_expired.eml", &[("jd@slow.example", 3)]),
    ("netqmail_policy.eml", &[("jd@dest.example", 4)]),
    ("netqmail_size.eml", &[("jd@dest.example", 8)]),
    ("courier_user.eml", &[("jd@dest.example", 2)]),
    ("courier_host.eml", &[("jd@nowhere.example", 1)]),
    ("courier_quota.eml", &[("ann@our.example", 5)]),
    ("courier_expired.eml", &[("jd@slow.example", 3)]),
    ("courier_policy.eml", &[("jd@dest.example", 4)]),
    ("exch2003_user.eml", &[("jd@dest.example", 2)]),
    ("exch2003_host.eml", &[("jd@nowhere.example", 1)]),
    ("exch2003_quota.eml", &[("ann@our.example", 5)]),
    ("exch2003_expired.eml", &[("jd@slow.example", 3)]),
    ("exch2003_size.eml", &[("jd@dest.example", 8)]),
    ("exch2003_relay.eml", &[("jd@dest.example", 7)]),
    ("exch2010_user.eml", &[("jd@dest.example", 2)]),
    ("exch2016_quota.eml", &[("ann@our.example", 5)]),
    ("exo_dmarc.eml", &[("jd@outlook.com", 4)]),
    ("exo_expired.eml", &[("jd@slow.example", 3)]),
    ("exo_user.eml", &[("jd@dest.example", 2)]),
    ("exo_host.eml", &[("jd@nowhere.example", 1)]),
    ("exch2019_size.eml", &[("jd@dest.example", 8)]),
    ("exch2013_relay.eml", &[("jd@dest.example", 7)]),
    ("domino_user.eml", &[("jd@notes.our.example", 2)]),
    ("domino_quota.eml", &[("ann@notes.our.example", 5)]),
    ("domino_host.eml", &[("jd@nowhere.example", 1)]),
    ("domino_expired.eml", &[("jd@slow.example", 3)]),
    ("domino_size.eml", &[("jd@dest.example", 8)]),
    ("groupwise_user.eml", &[("jd@dest.example", 2)]),
    ("groupwise_host.eml", &[("jd@nowhere.example", 1)]),
    ("groupwise_quota.eml", &[("ann@dest.example", 5)]),
    ("groupwise_relay.eml", &[("jd@dest.example", 7)]),
    ("groupwise_expired.eml", &[("jd@slow.example", 3)]),
    ("gmail_user.eml", &[("jd@dest.example", 2)]),
    ("gmail_host.eml", &[("jd@nowhere.example", 1)]),
    ("gmail_quota.eml", &[("ann@dest.example", 5)]),
    ("gmail_expired.eml", &[("jd@slow.example", 3)]),
    ("gmail_policy.eml", &[("jd@dest.example", 4)]),
    ("gmail_size.eml", &[("jd@dest.example", 8)]),
    ("yahoo_user.eml", &[("jd@dest.example", 2)]),
    ("yahoo_host.eml", &[("jd@nowhere.example", 1)]),
    ("yahoo_quota.eml", &[("ann@dest.example", 5)]),
    ("yahoo_expired.eml", &[("jd@slow.example", 3)]),
    ("yahoo_policy.eml", &[("jd@dest.example", 4)]),
    ("opensmtpd_user.eml", &[("jd@dest.example", 2)]),
    ("opensmtpd_host.eml", &[("jd@nowhere.example", 1)]),
    ("opensmtpd_quota.eml", &[("ann@dest.example", 5)]),
    ("opensmtpd_expired.eml", &[("jd@slow.example", 3)]),
    ("opensmtpd_policy.eml", &[("jd@dest.example", 4)]),
    ("haraka_user.eml", &[("jd@dest.example", 2)]),
    ("haraka_host.eml", &[("jd@nowhere.example", 1)]),
    ("haraka_expired.eml", &[("jd@slow.example", 3)]),
    ("haraka_policy.eml", &[("jd@dest.example", 4)]),
    ("haraka_size.eml", &[("jd@dest.example", 8)]),
    ("ses_user.eml", &[("jd@dest.example", 2)]),
    ("ses_host.eml", &[("jd@nowhere.example", 1)]),
    ("ses_quota.eml", &[("ann@dest.example", 5)]),
    ("ses_expired.eml", &[("jd@slow.example", 3)]),
    ("ses_policy.eml", &[("jd@dest.example", 4)]),
    ("ironport_user.eml", &[("jd@dest.example", 2)]),
    ("ironport_host.eml", &[("jd@nowhere.example", 1)]),
    ("ironport_expired.eml", &[("jd@slow.example", 3)]),
    ("ironport_quota.eml", &[("ann@dest.example", 5)]),
    ("ironport_policy.eml", &[("jd@dest.example", 4)]),
    ("ironport_size.eml", &[("jd@dest.example", 8)]),
    ("hmailserver_user.eml", &[("jd@dest.example", 2)]),
    ("hmailserver_host.eml", &[("jd@nowhere.example", 1)]),
    ("hmailserver_quota.eml", &[("ann@dest.example", 5)]),
    ("hmailserver_expired.eml", &[("jd@slow.example", 3)]),
    ("hmailserver_size.eml", &[("jd@dest.example", 8)]),
    ("mdaemon_user.eml", &[("jd@dest.example", 2)]),
    ("mdaemon_host.eml", &[("jd@nowhere.example", 1)]),
    ("mdaemon_quota.eml", &[("ann@our.example", 5)]),
    ("mdaemon_expired.eml", &[("jd@slow.example", 3)]),
    ("mdaemon_relay.eml", &[("jd@dest.example", 7)]),
    ("barracuda_policy.eml", &[("jd@dest.example", 4)]),
    ("barracuda_user.eml", &[("jd@dest.example", 2)]),
    ("barracuda_blocked_reply.eml", &[("jd@dest.example", 4)]),
    ("barracuda_expired.eml", &[("jd@slow.example", 3)]),
    ("barracuda_host.eml", &[("jd@nowhere.example", 1)]),
    ("mailru_user.eml", &[("jd@dest.example", 2)]),
    ("mailru_host.eml", &[("jd@nowhere.example", 1)]),
    ("mailru_quota.eml", &[("ann@dest.example", 5)]),
    ("mailru_expired.eml", &[("jd@slow.example", 3)]),
    ("mailru_size.eml", &[("jd@dest.example", 8)]),
    ("mimecast_user.eml", &[("jd@dest.example", 2)]),
    ("mimecast_policy.eml", &[("jd@dest.example", 4)]),
    ("mimecast_host.eml", &[("jd@nowhere.example", 1)]),
    ("mimecast_expired.eml", &[("jd@slow.example", 3)]),
    ("communigate_user.eml", &[("jd@dest.example", 2)]),
    ("communigate_quota.eml", &[("ann@our.example", 5)]),
    ("communigate_host.eml", &[("jd@nowhere.example", 1)]),
    ("communigate_expired.eml", &[("jd@slow.example", 3)]),
    ("kerio_user.eml", &[("jd@dest.example", 2)]),
    ("kerio_quota.eml", &[("ann@our.example", 5)]),
    ("kerio_host.eml", &[("jd@nowhere.example", 1)]),
    ("kerio_expired.eml", &[("jd@slow.example", 3)]),
    ("mailenable_user.eml", &[("jd@dest.example", 2)]),
    ("mailenable_quota.eml", &[("ann@our.example", 5)]),
    ("mailenable_host.eml", &[("jd@nowhere.example", 1)]),
    ("mailenable_expired.eml", &[("jd@slow.example", 3)]),
    ("smartermail_user.eml", &[("jd@dest.example", 2)]),
    ("smartermail_quota.eml", &[("ann@dest.example", 5)]),
    ("smartermail_size.eml", &[("jd@dest.example", 8)]),
    ("smartermail_expired.eml", &[("jd@slow.example", 3)]),
    ("interscan_user.eml", &[("jd@dest.example", 2)]),
    ("interscan_size.eml", &[("jd@dest.example", 8)]),
    ("interscan_host.eml", &[("jd@nowhere.example", 1)]),
    ("interscan_expired.eml", &[("jd@slow.example", 3)]),
    ("mcafee_user.eml", &[("jd@dest.example", 2)]),
    ("mcafee_policy.eml", &[("jd@dest.example", 4)]),
    ("mcafee_quota.eml", &[("ann@dest.example", 5)]),
    ("messagelabs_user.eml", &[("jd@dest.example", 2)]),
    ("messagelabs_expired.eml", &[("jd@slow.example", 3)]),
    ("messagelabs_policy.eml", &[("jd@dest.example", 4)]),
    ("gmx_user.eml", &[("jd@dest.example", 2)]),
    ("gmx_quota.eml", &[("ann@dest.example", 5)]),
    ("gmx_expired.eml", &[("jd@slow.example", 3)]),
    ("webde_host.eml", &[("jd@nowhere.example", 1)]),
    ("tonline_user.eml", &[("jd@dest.example", 2)]),
    ("tonline_quota.eml", &[("ann@dest.example", 5)]),
    ("tonline_host.eml", &[("jd@nowhere.example", 1)]),
    ("yandex_user.eml", &[("jd@dest.example", 2)]),
    ("yandex_quota.eml", &[("ann@dest.example", 5)]),
    ("yandex_host.eml", &[("jd@nowhere.example", 1)]),
    ("yandex_policy.eml", &[("jd@dest.example", 4)]),
    ("fastmail_user.eml", &[("jd@dest.example", 2)]),
    ("fastmail_size.eml", &[("jd@dest.example", 8)]),
    ("fastmail_relay.eml", &[("jd@dest.example", 7)]),
    ("icloud_user.eml", &[("jd@dest.example", 2)]),
    ("icloud_expired.eml", &[("jd@slow.example", 3)]),
    ("outlookcom_user.eml", &[("jd@hotmail.com", 2)]),
    ("outlookcom_policy.eml", &[("jd@outlook.com", 4)]),
    ("proofpoint_policy.eml", &[("jd@dest.example", 4)]),
    ("proofpoint_user.eml", &[("jd@dest.example", 2)]),
    ("proofpoint_expired.eml", &[("jd@slow.example", 3)]),
    ("zoho_user.eml", &[("jd@dest.example", 2)]),
    ("zoho_quota.eml", &[("ann@dest.example", 5)]),
    ("zoho_host.eml", &[("jd@nowhere.example", 1)]),
    ("icewarp_user.eml", &[("jd@dest.example", 2)]),
    ("icewarp_quota.eml", &[("ann@dest.example", 5)]),
    ("icewarp_relay.eml", &[("jd@dest.example", 7)]),
    ("axigen_user.eml", &[("jd@dest.example", 2)]),
    ("axigen_size.eml", &[("jd@dest.example", 8)]),
    ("axigen_quota.eml", &[("ann@dest.example", 5)]),
    ("orange_user.eml", &[("jd@wanadoo.fr", 2)]),
    ("orange_policy.eml", &[("jd@orange.fr", 4)]),
    ("orange_expired.eml", &[("jd@slow.example", 3)]),
    ("aol_user.eml", &[("jd@aol.com", 2)]),
    ("aol_policy.eml", &[("jd@aol.com", 4)]),
    ("zimbra_quota.eml", &[("ann@our.example", 5)]),
    ("zimbra_user.eml", &[("jd@dest.example", 2)]),
    ("qq_user.eml", &[("jd@qq.com", 2)]),
    ("qq_policy.eml", &[("jd@qq.com", 4)]),
    ("communigate_policy.eml", &[("jd@dest.example", 4)]),
    ("kerio_relay.eml", &[("jd@dest.example", 7)]),
    ("mailenable_size.eml", &[("jd@dest.example", 8)]),
    ("sophos_policy.eml", &[("jd@dest.example", 4)]),
    ("exmail_user.eml", &[("jd@dest.example", 2)]),
    ("exmail_quota.eml", &[("ann@dest.example", 5)]),
    ("zoho_size.eml", &[("jd@dest.example", 8)]),
];

/// Messages the parser still gets wrong, each with what it gets wrong. The
/// test fails when one of them becomes right too: take it off the list.
const KNOWN: &[(&str, &str)] = &[];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/mta_templates_matrix")
}

fn known(file: &str) -> bool {
    KNOWN.iter().any(|(k, _)| *k == file)
}

#[test]
fn every_matrix_message_has_a_case() {
    assert_eq!(
        count_files(&dir(), |n| n.ends_with(".eml")),
        CASES.len(),
        "every matrix message has a case"
    );
    for (file, _) in KNOWN {
        assert!(
            CASES.iter().any(|(f, _)| f == file),
            "KNOWN {file} has no case"
        );
    }
}

#[test]
fn matrix_messages_name_their_recipients_with_the_right_status() {
    let (known_cases, cases): (Vec<Case>, Vec<Case>) =
        CASES.iter().copied().partition(|(f, _)| known(f));
    let wrong = wrong_cases(&dir(), &cases);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let fixed: Vec<&str> = known_cases
        .iter()
        .filter(|c| wrong_cases(&dir(), std::slice::from_ref(*c)).is_empty())
        .map(|(f, _)| *f)
        .collect();
    assert!(
        fixed.is_empty(),
        "now right, take off KNOWN: {}",
        fixed.join(", ")
    );
}
