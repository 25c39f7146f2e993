//! Whole bounce messages of older mail systems (1996 to 2008), written from
//! their well-known layouts (`tests/mta_templates/old_*.eml`): Lotus Notes
//! R4 to R6, the cc:Mail and MS Mail gateways, GroupWise 5 and 6, Exchange
//! 5.5 and 2000 in text, IIS SMTPSVC, IMail and SMTP32, Post.Office and
//! InterMail, CommuniGate Pro, SIMS, iPlanet and PMDF, LSMTP, MDaemon,
//! Mercury/32, ArGoSoft, WorldMail, Mirapoint, the webmail providers of the
//! time, qmail 1.03, smail 3, Exim 3 and 4, Sendmail 5 and 8 text, Postfix
//! 1.x, ZMailer and MMDF. Each names its failed recipients with the status
//! an operator would give (SPEC §13.5). The non-failures of the time (delay
//! warnings, Exchange 5.5 receipts, vacation(1), Mailman 2.0 and majordomo
//! notices, a challenge) name nobody and get their own kind.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/templates.rs"]
mod templates;

use templates::{count_files, dir, wrong_cases, wrong_notices, Case, Notice};

/// File, then (recipient, status) in the order the message lists them.
const CASES: &[Case] = &[
    // Notes R4 SMTP MTA: the reason line, then the address under it.
    (
        "old_notes_r4_failure_reasons.eml",
        &[("jd@notes.example.com", 2)],
    ),
    (
        "old_notes_r5_not_listed.eml",
        &[("john.smith@notes.example.com", 2)],
    ),
    (
        "old_notes_r6_quota.eml",
        &[("mary.jones@notes.example.com", 5)],
    ),
    (
        "old_notes_r6_size.eml",
        &[("paul.brown@notes.example.com", 8)],
    ),
    // cc:Mail Link to SMTP, the router's own reason.
    ("old_ccmail_smtplink.eml", &[("jd@ccmail.example.com", 2)]),
    ("old_groupwise5_user.eml", &[("ann@gw.example.com", 2)]),
    ("old_groupwise6_host.eml", &[("jd@nowhere.example", 1)]),
    // Exchange 5.5 IMS text NDR with the MTS-ID and MSEXCH diagnostic.
    ("old_exch55_unknown.eml", &[("jd@exch.example.com", 2)]),
    ("old_exch55_dns.eml", &[("jd@nowhere.example", 1)]),
    ("old_exch2000_timeout.eml", &[("jd@slow.example", 3)]),
    ("old_exch2000_dns.eml", &[("jd@nowhere.example", 1)]),
    ("old_exch2000_full.eml", &[("ann@exch.example.com", 5)]),
    ("old_iis_smtpsvc.eml", &[("jd@dest.example", 2)]),
    // SMTPSVC gave up after its expiry time: 4.4.7 in a failed DSN.
    ("old_iis_expired.eml", &[("jd@slow.example", 3)]),
    // phquery's directory miss; the addresses of its advice paragraph
    // ("e.g., if a@… fails, try b@…", "finger NAME@…") are examples.
    (
        "old_phquery_advice.eml",
        &[("jqpublic@univ.example.edu", 2)],
    ),
    ("old_msmail_gateway.eml", &[("jd@msmail.example.com", 2)]),
    ("old_imail_unknown.eml", &[("jd@imail.example.com", 2)]),
    ("old_imail_quota.eml", &[("ann@imail.example.com", 5)]),
    ("old_smtp32_rcpt.eml", &[("jd@dest.example", 2)]),
    // Three connection timeouts, then the retries ran out.
    ("old_smtp32_expired.eml", &[("jd@slow.example", 3)]),
    // Post.Office relaying a remote refusal per recipient.
    ("old_postoffice_rejected.eml", &[("jd@dest.example", 2)]),
    (
        "old_postoffice_hostnotfound.eml",
        &[("jd@nowhere.example", 1)],
    ),
    // Post.Office: destination not reachable within the queue period.
    ("old_postoffice_unreachable.eml", &[("jd@slow.example", 3)]),
    (
        "old_intermail_quota.eml",
        &[("ann@intermail.example.net", 5)],
    ),
    // InterMail's own unknown-address list.
    (
        "old_openwave_not_delivered.eml",
        &[("gone@openwave.example.net", 2)],
    ),
    ("old_cgp_quota.eml", &[("ann@cgp.example.com", 5)]),
    ("old_cgp_remote_unknown.eml", &[("jd@dest.example", 2)]),
    // SIMS: the recipient's domain is not a valid host.
    ("old_sims_illegal_host.eml", &[("jd@nowhere.example", 1)]),
    ("old_iplanet_smtp_reject.eml", &[("jd@dest.example", 2)]),
    ("old_iplanet_quota.eml", &[("ann@sims.example.com", 5)]),
    // PMDF relaying the VMS MAIL refusal.
    ("old_pmdf_vms.eml", &[("smithj@vms.example.edu", 2)]),
    ("old_lsmtp.eml", &[("jd@dest.example", 2)]),
    ("old_mdaemon_full.eml", &[("ann@dest.example", 5)]),
    ("old_mercury32.eml", &[("jd@mercury.example.com", 2)]),
    ("old_argosoft.eml", &[("jd@dest.example", 2)]),
    ("old_worldmail.eml", &[("jd@dest.example", 2)]),
    (
        "old_mirapoint_quota.eml",
        &[("ann@mirapoint.example.com", 5)],
    ),
    ("old_yahoo_disabled.eml", &[("olduser@yahoo.com", 2)]),
    ("old_yahoo_overquota.eml", &[("busy@yahoo.com", 5)]),
    ("old_yahoo_remote.eml", &[("jd@dest.example", 2)]),
    ("old_hotmail_dsn.eml", &[("nobody123@hotmail.com", 2)]),
    // AOL's full mailbox, quoted by the sender's Sendmail, then 554 Service unavailable.
    ("old_aol_full.eml", &[("bigmailbox@aol.com", 5)]),
    ("old_aol_unknown.eml", &[("nosuchname@aol.com", 2)]),
    // CompuServe's numeric user id, named in the returned header.
    ("old_compuserve.eml", &[("76543.210@compuserve.com", 2)]),
    ("old_excite_unknown.eml", &[("olduser@excite.com", 2)]),
    ("old_netscape_msgsrv.eml", &[("gone@netscape.net", 2)]),
    ("old_qmail_nohost.eml", &[("jd@nowhere.example", 1)]),
    // Temporary DNS failure until the queue lifetime ran out.
    ("old_qmail_cname.eml", &[("jd@broken.example", 3)]),
    // Refused at the greeting for the sending IP's listing.
    ("old_qmail_greeting.eml", &[("jd@busy.example", 4)]),
    ("old_qmail_noconnect.eml", &[("jd@slow.example", 3)]),
    ("old_qmail_nomailbox.eml", &[("jd@qmail.example.com", 2)]),
    ("old_qmail_remote_full.eml", &[("ann@dest.example", 5)]),
    (
        "old_qmail_vpopmail_quota.eml",
        &[("ann@qmail.example.com", 5)],
    ),
    // The MX points at a host that does not take the domain: misconfiguration.
    ("old_qmail_not_local.eml", &[("jd@misconf.example", 7)]),
    ("old_smail_host.eml", &[("jd@nowhere.example", 1)]),
    ("old_exim3_local.eml", &[("jd@exim.example.com", 2)]),
    ("old_exim3_unrouteable.eml", &[("jd@nowhere.example", 1)]),
    ("old_exim4_remote.eml", &[("jd@dest.example", 2)]),
    ("old_exim4_retry.eml", &[("jd@slow.example", 3)]),
    ("old_sendmail_user_unknown.eml", &[("jd@sm.example.com", 2)]),
    (
        "old_sendmail_host_unknown.eml",
        &[("jd@nowhere.example", 1)],
    ),
    ("old_sendmail_5days.eml", &[("jd@slow.example", 3)]),
    // Refused at MAIL FROM for the sending IP (an old DNSBL).
    (
        "old_sendmail_service_unavailable.eml",
        &[("jd@dest.example", 4)],
    ),
    // Two recipients at two hosts, one transcript each.
    (
        "old_sendmail_two_hosts.eml",
        &[("jd@dest.example", 2), ("ann@other.example", 5)],
    ),
    // The returned message quotes an older bounce: its address is not ours.
    (
        "old_sendmail_nested.eml",
        &[("oldlist@lists.example.org", 2)],
    ),
    ("old_postfix1_local.eml", &[("jd@pf.example.com", 2)]),
    ("old_postfix1_dns.eml", &[("jd@nowhere.example", 1)]),
    ("old_postfix1_timeout.eml", &[("jd@slow.example", 3)]),
    ("old_zmailer.eml", &[("jd@dest.example", 2)]),
    // MMDF's failed-mail report.
    ("old_mmdf.eml", &[("smithj@mmdf.example.edu", 2)]),
    // Sendmail 5 (uucp era): transcript and unsent message only.
    (
        "old_sendmail5_unknown_host.eml",
        &[("jd@oldhost.example", 1)],
    ),
    // --- a second set: causes kept after the retries, local mailers, sizes
    ("old_earthlink_quota.eml", &[("full@earthlink.net", 5)]),
    ("old_juno_full.eml", &[("full@juno.com", 5)]),
    ("old_exch55_size.eml", &[("ann@exch.example.com", 8)]),
    // procmail could not write the mailbox: the alias's owner is named.
    ("old_sendmail_procmail.eml", &[("jd@sm.example.com", 7)]),
    // A full mailbox for five days: the named cause is kept.
    ("old_sendmail_5days_full.eml", &[("full@dest.example", 5)]),
    // No MX and no address record for the domain.
    ("old_qmail_nomx.eml", &[("jd@nomx.example", 1)]),
    (
        "old_exim3_mailbox_full.eml",
        &[("full@exim.example.com", 5)],
    ),
    ("old_yahoo_size.eml", &[("jd@dest.example", 8)]),
    // AOL's dynamic-IP refusal (RTR:BB), summed up as Service unavailable.
    ("old_aol_rtr.eml", &[("jd@aol.com", 4)]),
];

/// Non-failures: file and kind.
const NOTICES: &[Notice] = &[
    ("old_sendmail_warning_4h.eml", "delayed"),
    ("old_cgp_delayed.eml", "delayed"),
    ("old_exch55_delivered.eml", "not_bounce"),
    ("old_exch55_read.eml", "not_bounce"),
    ("old_vacation1.eml", "auto_reply"),
    ("old_vacation_onvacation.eml", "auto_reply"),
    ("old_mailman20_held.eml", "list_owner"),
    ("old_majordomo_bounce.eml", "list_owner"),
    ("old_mailman20_removal.eml", "not_bounce"),
    ("old_earthlink_spamblocker.eml", "challenge_response"),
];

#[test]
fn old_template_notices_name_nobody() {
    let wrong = wrong_notices(&dir(), NOTICES);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn old_template_messages_name_their_recipients_with_the_right_status() {
    let wrong = wrong_cases(&dir(), CASES);
    assert_eq!(
        count_files(&dir(), |n| n.starts_with("old_")),
        CASES.len() + NOTICES.len(),
        "every old_ template message has a case"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
