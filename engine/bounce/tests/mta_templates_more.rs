//! More whole bounce messages written from the documented or well-known
//! layouts of MTAs, gateways and providers (`tests/mta_templates/more_*.eml`),
//! beside the first set in `tests/mta_templates.rs`: Exchange 2007 to 2019
//! in text and HTML, Office 365's RESOLVER/STOREDRV/AS refusals, Gmail's
//! current notices, the big mailbox providers' refusals as the sending
//! Postfix quotes them, mail security gateways, Postfix, Exim, Sendmail,
//! qmail, Domino, GroupWise, Kerio, IceWarp, Zimbra, CommuniGate,
//! hMailServer, Oracle Messaging Server, OpenSMTPD, PowerMTA and ESP DSNs.
//! Each names its failed recipients with the status an operator would give
//! (SPEC §13.5). The non-failures (delay warnings, auto-replies in several
//! languages, challenge-response, list moderation, a virus notice, an ARF
//! complaint, a DMARC aggregate report) name nobody and get their own kind.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/templates.rs"]
mod templates;

use templates::{count_files, dir, wrong_cases, wrong_notices, Case, Notice};

/// File, then (recipient, status) in the order the message lists them.
const CASES: &[Case] = &[
    // --- Exchange and Office 365
    ("more_exch2007_text.eml", &[("jd@exch.example.com", 2)]),
    ("more_exch2010_dsn.eml", &[("jd@exch.example.com", 2)]),
    ("more_exch2013_html.eml", &[("jd@exch.example.com", 5)]),
    ("more_exch2016_notfound.eml", &[("jd@exch.example.com", 2)]),
    // Delivery restricted to certain senders: the receiver's policy.
    (
        "more_exch2019_restricted.eml",
        &[("sales@exch.example.com", 4)],
    ),
    // Directory-based edge blocking: the address does not exist there.
    ("more_o365_dbeb.eml", &[("ghost@dest.example", 2)]),
    ("more_o365_quota.eml", &[("full@dest.example", 5)]),
    ("more_o365_traffic.eml", &[("jd@dest.example", 4)]),
    ("more_o365_banned_ip.eml", &[("jd@dest.example", 4)]),
    ("more_o365_restricted.eml", &[("board@dest.example", 4)]),
    // --- Gmail
    ("more_gmail_disabled.eml", &[("olduser@gmail.com", 2)]),
    ("more_gmail_overquota.eml", &[("busy@gmail.com", 5)]),
    ("more_gmail_dns.eml", &[("jd@nxdomain.example", 1)]),
    // Connection refused for two days until Gmail gave up.
    ("more_gmail_timeout.eml", &[("jd@slow.example", 3)]),
    ("more_gmail_blocked.eml", &[("jd@dest.example", 4)]),
    ("more_postfix_gmail_5726.eml", &[("friend@gmail.com", 4)]),
    // --- mailbox providers, as the sending Postfix quotes them
    ("more_yahoo_disabled.eml", &[("olduser@yahoo.com", 2)]),
    ("more_yahoo_spam.eml", &[("jd@yahoo.com", 4)]),
    // Deferred for five days for volume or complaints: the cause is kept.
    ("more_yahoo_tss04_final.eml", &[("jd@yahoo.com", 4)]),
    ("more_aol_policy.eml", &[("jd@aol.com", 4)]),
    ("more_icloud_unknown.eml", &[("nobody@icloud.com", 2)]),
    ("more_icloud_policy.eml", &[("jd@me.com", 4)]),
    ("more_hotmail_unavailable.eml", &[("gone@hotmail.com", 2)]),
    ("more_outlook_blocklist.eml", &[("jd@outlook.com", 4)]),
    ("more_gmx_unavailable.eml", &[("nix@gmx.de", 2)]),
    ("more_webde_policy.eml", &[("jd@web.de", 4)]),
    ("more_tonline_block.eml", &[("jd@t-online.de", 4)]),
    ("more_orange_invalid.eml", &[("inconnu@wanadoo.fr", 2)]),
    ("more_orange_refused.eml", &[("jd@orange.fr", 4)]),
    ("more_free_quota.eml", &[("plein@free.fr", 5)]),
    ("more_libero_unknown.eml", &[("nessuno@libero.it", 2)]),
    ("more_mailru_unknown.eml", &[("nikto@mail.ru", 2)]),
    ("more_yandex_nosuch.eml", &[("nikto@yandex.ru", 2)]),
    ("more_qq_notfound.eml", &[("10000@qq.com", 2)]),
    ("more_163_spam.eml", &[("jd@163.com", 4)]),
    ("more_126_notfound.eml", &[("nobody@126.com", 2)]),
    ("more_naver_unknown.eml", &[("nobody@naver.com", 2)]),
    ("more_zoho_unknown.eml", &[("nobody@zoho.example", 2)]),
    ("more_proton_unknown.eml", &[("nobody@proton.example", 2)]),
    (
        "more_fastmail_disabled.eml",
        &[("closed@fastmail.example", 2)],
    ),
    // --- mail security gateways
    ("more_mimecast_blocked.eml", &[("jd@corp.example", 4)]),
    ("more_mimecast_invalid.eml", &[("nobody@corp.example", 2)]),
    ("more_proofpoint_blocked.eml", &[("jd@corp.example", 4)]),
    ("more_barracuda_reputation.eml", &[("jd@corp.example", 4)]),
    // IronPort's LDAP accept query refusing an address it does not know.
    ("more_ironport_rejected.eml", &[("nobody@corp.example", 2)]),
    ("more_messagelabs_filtered.eml", &[("jd@corp.example", 4)]),
    ("more_trendmicro_ers.eml", &[("jd@corp.example", 4)]),
    // --- MTAs
    (
        "more_postfix_local_table.eml",
        &[("nobody@mail.our.example", 2)],
    ),
    ("more_postfix_mailbox_full.eml", &[("full@dest.example", 5)]),
    (
        "more_postfix_connect_timeout.eml",
        &[("jd@down.example", 3)],
    ),
    ("more_postfix_relay_denied.eml", &[("jd@other.example", 7)]),
    ("more_postfix_helo.eml", &[("jd@strict.example", 4)]),
    (
        "more_postfix_text_nodsn.eml",
        &[("a@nomx.example", 1), ("b@dest.example", 8)],
    ),
    ("more_exim_rcpt.eml", &[("nobody@dest.example", 2)]),
    ("more_exim_retry_timeout.eml", &[("jd@flaky.example", 3)]),
    (
        "more_exim_unrouteable.eml",
        &[("jd@no-such-domain.example", 1)],
    ),
    ("more_sendmail_dsn.eml", &[("nobody@dest.example", 2)]),
    ("more_sendmail_old_full.eml", &[("full@dest.example", 5)]),
    ("more_qmail_local.eml", &[("nobody@mail.our.example", 2)]),
    ("more_netqmail_quota.eml", &[("full@dest.example", 5)]),
    (
        "more_qmail_queue_too_long.eml",
        &[("jd@unreachable.example", 3)],
    ),
    ("more_domino9_dsn.eml", &[("jd@notes.example.com", 2)]),
    ("more_groupwise8.eml", &[("full@gw.example.com", 5)]),
    ("more_kerio.eml", &[("nobody@dest.example", 2)]),
    ("more_icewarp.eml", &[("nobody@dest.example", 2)]),
    ("more_zimbra_lmtp_quota.eml", &[("full@zimbra.example", 5)]),
    ("more_communigate.eml", &[("full@cgp.example", 5)]),
    ("more_hmailserver.eml", &[("jd@nomx.example", 1)]),
    ("more_sun_messaging.eml", &[("nobody@ims.example.com", 2)]),
    ("more_opensmtpd.eml", &[("nobody@dest.example", 2)]),
    ("more_powermta.eml", &[("nobody@dest.example", 2)]),
    ("more_ses.eml", &[("nobody@dest.example", 2)]),
    ("more_sparkpost_dsn.eml", &[("full@dest.example", 5)]),
    // --- second set: localized Exchange, more Office 365 and Gmail replies,
    // US ISPs, more Exim/Sendmail/qmail/Courier layouts
    ("more_exch_de.eml", &[("jd@exch.example.com", 2)]),
    ("more_exch_fr.eml", &[("jd@exch.example.com", 5)]),
    ("more_exch_ja.eml", &[("jd@exch.example.com", 2)]),
    ("more_exch_remote_nested.eml", &[("nobody@dest.example", 2)]),
    ("more_exch_queue_expired.eml", &[("jd@slow.example", 3)]),
    ("more_exch_nonexthop.eml", &[("jd@nowhere.example", 1)]),
    ("more_exch_sizelimit.eml", &[("jd@exch.example.com", 8)]),
    ("more_o365_dmarc.eml", &[("jd@dest.example", 4)]),
    // The recipient's mailbox forwards outside and its organisation refuses.
    ("more_o365_ext_forward.eml", &[("jd@dest.example", 6)]),
    ("more_o365_group_auth.eml", &[("allstaff@dest.example", 4)]),
    // A hop-count loop with no forwarding named: a receiver misconfiguration,
    // as data/phrases*.jsonl already read "mail loop" (only "mail forwarding
    // loop" is a forwarding error).
    ("more_o365_loop.eml", &[("jd@dest.example", 7)]),
    ("more_gmail_old_unknown.eml", &[("nobody@dest.example", 2)]),
    ("more_gmail_old_size.eml", &[("jd@dest.example", 8)]),
    ("more_gmail_size.eml", &[("jd@gmail.example", 8)]),
    ("more_gmail_rate.eml", &[("jd@gmail.com", 4)]),
    ("more_gmail_policy.eml", &[("jd@workspace.example", 4)]),
    ("more_gmail_quota_perm.eml", &[("full@gmail.com", 5)]),
    ("more_gmail_nodomain.eml", &[("jd@gmial.example", 1)]),
    ("more_gmail_badaddr.eml", &[("jd.@dest.example", 9)]),
    ("more_comcast_dnsbl.eml", &[("jd@comcast.net", 4)]),
    ("more_att_rbl.eml", &[("jd@att.net", 4)]),
    ("more_yahoo_nombox.eml", &[("nobody@yahoo.com", 2)]),
    ("more_apple_hm08.eml", &[("jd@icloud.com", 4)]),
    ("more_exim_quota_timeout.eml", &[("full@mx.our.example", 5)]),
    ("more_exim_mx_nonexist.eml", &[("jd@broken.example", 1)]),
    ("more_exim_hosts_failing.eml", &[("jd@flaky.example", 3)]),
    ("more_exim_size.eml", &[("jd@dest.example", 8)]),
    (
        "more_exim_two.eml",
        &[("a@dest.example", 2), ("b@other.example", 5)],
    ),
    ("more_sendmail_hostunknown.eml", &[("jd@nohost.example", 1)]),
    ("more_sendmail_5days.eml", &[("jd@slow.example", 3)]),
    ("more_qmail_nohost.eml", &[("jd@nohost.example", 1)]),
    ("more_qmail_sender_rejected.eml", &[("jd@dest.example", 4)]),
    ("more_courier_quota.eml", &[("full@courier.example", 5)]),
    ("more_smartermail.eml", &[("nobody@dest.example", 2)]),
    ("more_axigen.eml", &[("full@axigen.example", 5)]),
    // --- third set: Postfix's own wordings, DSN edge cases, localized Gmail
    ("more_pf_loops_back.eml", &[("jd@dest.example", 7)]),
    // Refused for five days with "Domain not found": the cause is kept.
    (
        "more_pf_domain_not_found_final.eml",
        &[("jd@nodns.example", 1)],
    ),
    ("more_pf_no_ptr.eml", &[("jd@strict.example", 4)]),
    ("more_pf_spamhaus.eml", &[("jd@strict.example", 4)]),
    // Our own sender domain refused: the recipient is not at fault.
    ("more_pf_sender_rejected.eml", &[("jd@strict.example", 4)]),
    ("more_pf_greeting_timeout.eml", &[("jd@slow.example", 3)]),
    ("more_pf_name_service.eml", &[("jd@gone.example", 1)]),
    ("more_pf_local_unknown.eml", &[("jd@mail.our.example", 2)]),
    (
        "more_pf_mixed.eml",
        &[("gone@dest.example", 2), ("big@dest.example", 8)],
    ),
    ("more_cyrus_disabled.eml", &[("jd@cyrus.example", 2)]),
    ("more_o365_spamhaus.eml", &[("jd@dest.example", 4)]),
    (
        "more_dsn_generic_code_full.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "more_dsn_qp_human.eml",
        &[("jane.doe.with.a.rather.long.name@exch.example.com", 2)],
    ),
    // Only the failed recipient; the delayed one may still be delivered.
    (
        "more_dsn_failed_and_delayed.eml",
        &[("gone@dest.example", 2)],
    ),
    // Dovecot's rejection is an MDN, not a DSN, but a refused delivery.
    ("more_dovecot_reject.eml", &[("full@dest.example", 5)]),
    // A Microsoft CDO report returning a list's "held for approval"
    // notice: the notice is the returned text, the report names no cause.
    (
        "more_cdo_ndr_of_list_notice.eml",
        &[("kim@dest.example", 99)],
    ),
    // A Sieve reject whose text part is empty: the subject says why, the
    // returned copy's `Delivered-To:` says whose filter refused it.
    (
        "more_dovecot_reject_sieve_no_text.eml",
        &[("filtered@dest.example", 4)],
    ),
    (
        "../mta_templates_native/gmail_de.eml",
        &[("nobody@dest.example", 2)],
    ),
    ("more_yahoo_sender_side.eml", &[("full@dest.example", 5)]),
    ("more_sendmail_size.eml", &[("jd@dest.example", 8)]),
    ("more_exim_local_quota.eml", &[("full@mx.our.example", 5)]),
    // --- gateways' own notices
    ("more_barracuda_ndr.eml", &[("jd@corp.example", 4)]),
    ("more_symantec_smg.eml", &[("nobody@dest.example", 2)]),
    ("more_mimecast_html.eml", &[("jd@corp.example", 4)]),
    ("more_fortimail.eml", &[("full@corp.example", 5)]),
    ("more_sophos_ndr.eml", &[("jd@corp.example", 4)]),
    // --- fourth set (tests/mta_templates_native/, which the headerless test
    // does not read: without their headers nothing marks them as bounces):
    // provider notices in their own language, cause in words only
    (
        "../mta_templates_native/zh_netease_unknown.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/zh_qq_full.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/ru_mailru_full.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/ru_user_unknown.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/es_buzon_lleno.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/es_usuario_desconocido.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/pt_usuario_inexistente.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/pt_caixa_cheia.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/it_casella_piena.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/it_utente_inesistente.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/de_postfach_voll.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/de_empfaenger_unbekannt.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/fr_boite_pleine.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/fr_destinataire_inconnu.eml",
        &[("nobody@dest.example", 2)],
    ),
    (
        "../mta_templates_native/nl_mailbox_vol.eml",
        &[("full@dest.example", 5)],
    ),
    (
        "../mta_templates_native/ko_unknown.eml",
        &[("nobody@dest.example", 2)],
    ),
];

/// Non-failures: file and kind.
const NOTICES: &[Notice] = &[
    ("more_exch_delay.eml", "delayed"),
    ("more_gmail_delay.eml", "delayed"),
    ("more_postfix_delay.eml", "delayed"),
    ("more_exim_delay2.eml", "delayed"),
    ("more_outlook_ooo.eml", "auto_reply"),
    ("more_gmail_vacation.eml", "auto_reply"),
    ("more_german_ooo.eml", "auto_reply"),
    ("more_french_ooo.eml", "auto_reply"),
    ("more_japanese_ooo.eml", "auto_reply"),
    ("more_boxbe.eml", "challenge_response"),
    ("more_spamarrest.eml", "challenge_response"),
    ("more_boxtrapper.eml", "challenge_response"),
    ("more_mailman3_held.eml", "list_owner"),
    ("more_google_groups_pending.eml", "list_owner"),
    ("more_sympa_moderation.eml", "list_owner"),
    ("more_listserv_moderation.eml", "list_owner"),
    ("more_scanmail_virus.eml", "content_filter"),
    ("more_arf.eml", "feedback"),
    ("more_dmarc_aggregate.eml", "report"),
    ("more_exch_delay_de.eml", "delayed"),
    ("more_courier_delay.eml", "delayed"),
    ("more_relay_success.eml", "not_bounce"),
    ("more_spanish_ooo.eml", "auto_reply"),
    ("more_italian_ooo.eml", "auto_reply"),
    ("more_dutch_ooo.eml", "auto_reply"),
    ("more_chinese_ooo.eml", "auto_reply"),
    ("more_helpdesk_ack.eml", "auto_reply"),
    ("more_proofpoint_quarantine.eml", "content_filter"),
    ("more_tlsrpt.eml", "report"),
    ("more_barracuda_quarantine.eml", "content_filter"),
    ("more_sieve_vacation.eml", "auto_reply"),
    ("more_exch_delivered.eml", "not_bounce"),
    ("more_gmail_delay_old.eml", "delayed"),
];

#[test]
fn more_template_notices_name_nobody() {
    let wrong = wrong_notices(&dir(), NOTICES);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn more_template_messages_name_their_recipients_with_the_right_status() {
    let wrong = wrong_cases(&dir(), CASES);
    assert_eq!(
        count_files(&dir(), |n| n.starts_with("more_"))
            + count_files(&dir().join("../mta_templates_native"), |_| true),
        CASES.len() + NOTICES.len(),
        "every more_ and native template message has a case"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
