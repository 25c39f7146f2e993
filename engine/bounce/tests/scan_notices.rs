//! An anti-virus or spam-filter scan notice appended to a report ("scanned
//! for viruses", "No virus found", "Virus-free", "report this email as
//! spam"), or a provider's pointer to its policies ("read our Anti-Spam
//! Policy", "Blacklist removal requests") is no content rejection: the word "virus" or "spam" in it names
//! no cause (`data/not_causes.txt`). Replies that do
//! reject a message for a virus stay rejections. Written for this test in
//! the wordings scanners and gateways append, not copied from a corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, Classifier, ErrorStatus};

const FOOTERS: &[&str] = &[
    "No virus found in this outgoing message.\nChecked by AVG - www.avg.com\n\
Version: 8.0.100 / Virus Database: 269.23.21/1450 - Release Date: 5/19/2008",
    "This message has been scanned for viruses and\ndangerous content by MailScanner, and is\n\
believed to be clean.",
    "--\nNo virus detected. Scanned by ClamAV on mx.sender.example.",
    "Virus-free. www.avast.com",
    "__________ Informacion de NOD32 __________\n\n\
Este mensaje ha sido analizado con NOD32 antivirus system",
    "Diese E-Mail wurde von Avast Antivirus-Software auf Viren geprueft.",
    "This message has been scanned for spam and viruses by Proofpoint Essentials.\n\
Click here to report this email as spam.",
    "This email was checked for spam by our filter and is considered clean.\n\
Read our privacy policy at https://www.sender.example/privacy",
    // A provider's standing pointers to its documents and procedures.
    "Please read our Anti-Spam Policy and Acceptable Use Policy on our web site.\n\
Blacklist removal requests: https://isp.example.net/delist",
];

/// A Windows-style report that names no cause, with `footer` below it.
fn report(footer: &str) -> String {
    format!(
        "From: postmaster@mx.sender.example\nTo: news@sender.example\n\
Subject: Delivery Status Notification (Failure)\n\n\
This is an automatically generated Delivery Status Notification.\n\n\
Delivery to the following recipients failed.\n\n       jdoe@dest.example\n\n\n\n{footer}\n"
    )
}

#[test]
fn a_scan_notice_below_a_report_is_no_cause() {
    for footer in FOOTERS {
        let r = parse(report(footer).as_bytes());
        let named: Vec<_> = r
            .recipients
            .iter()
            .map(|f| (&*f.recipient, f.status))
            .collect();
        assert_eq!(
            named,
            vec![("jdoe@dest.example", ErrorStatus::Other)],
            "{footer}"
        );
    }
}

#[test]
fn a_scan_notice_leaves_the_reply_cause_alone() {
    let cl = Classifier::builtin();
    for footer in FOOTERS {
        let text = format!("550 5.2.2 jdoe@dest.example: mailbox full\n\n{footer}");
        assert_eq!(
            cl.classify_evidence(None, None, &text).0,
            ErrorStatus::OverCapacity,
            "{footer}"
        );
    }
}

#[test]
fn virus_and_spam_rejections_stay_rejections() {
    let cl = Classifier::builtin();
    for reply in [
        "550 5.7.1 Message rejected: virus detected (W32/Netsky)",
        "554 5.7.0 Your message contains a virus (Eicar-Test-Signature)",
        "Message rejected by anti-virus scanner: infected with Worm.Mydoom",
        "552 Message contains a virus: Worm.SomeFool.P",
        "Your message was infected with a virus (Trojan.Agent) and has been quarantined",
        "550 Virus found in message: HTML.Phishing.Bank",
        "554 5.7.1 Rejected by antivirus: Win.Trojan.Agent FOUND",
        "554 5.7.1 This message has been classified as spam",
        "550 5.7.1 Message rejected due to content policy",
        "550 Your message violates our anti-spam policy",
        "554 Your IP is blacklisted. For blacklist removal visit https://isp.example.net/delist",
    ] {
        assert_eq!(
            cl.classify_evidence(None, None, reply).0,
            ErrorStatus::Rejected,
            "{reply}"
        );
    }
}

#[test]
fn an_antivirus_that_found_a_virus_is_a_content_filter_notice_still() {
    let raw = "From: MAILER-DAEMON@gw.dest.example\nTo: news@sender.example\n\
Subject: Virus alert\n\n\
Our anti-virus detected W32/Netsky.P in a message you sent to jdoe@dest.example.\n\
The message was not delivered.\n";
    assert_eq!(
        parse(raw.as_bytes()).kind,
        hikyaku_bounce::Kind::ContentFilter
    );
}

/// The same notice in the languages gateways localise it into: a virus
/// found is a content filter's verdict, not a failure to deliver.
#[test]
fn a_virus_found_in_other_languages_is_a_content_filter_notice() {
    for (subject, body) in [
        (
            "Virus in Ihrer Nachricht gefunden",
            "In Ihrer Nachricht an carola@dest.example wurde ein Virus (Eicar-Test-Signature) \
gefunden. Der Anhang wurde entfernt.",
        ),
        (
            "Virus détecté",
            "Un virus a été détecté dans votre message à claire@dest.example (Eicar-Test-Signature).",
        ),
        (
            "Virus detectado",
            "Se detectó un virus en su mensaje para carlos@dest.example (Eicar-Test-Signature).",
        ),
        (
            "Virus rilevato",
            "È stato rilevato un virus nel messaggio inviato a carla@dest.example.",
        ),
        (
            "Virus gevonden",
            "In uw bericht aan karel@dest.example is een virus gevonden (Eicar-Test-Signature).",
        ),
        (
            "ウイルス検出のお知らせ",
            "taro@dest.example 宛のメールからウイルスが検出されたため、添付ファイルを削除しました。",
        ),
        (
            "病毒警告",
            "在您发送给 wang@dest.example 的邮件中检测到病毒，附件已被删除。",
        ),
    ] {
        let raw = format!(
            "From: Mail Gateway <postmaster@gw.dest.example>\nTo: news@sender.example\n\
Subject: {subject}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\n{body}\n"
        );
        let r = parse(raw.as_bytes());
        assert_eq!(r.kind, hikyaku_bounce::Kind::ContentFilter, "{body}: {r:?}");
        assert!(r.recipients.is_empty(), "{body}: {r:?}");
    }
}
