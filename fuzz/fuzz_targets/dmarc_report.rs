//! Fuzzes DMARC aggregate-report parsing (`dmarc::report::parse`): report mail arrives from
//! any receiver on the internet.
//!
//! The first byte picks how the rest reaches the parser: as a whole mail (MIME, attachments,
//! gzip or zip as the reporter sent them), or as the XML of a report wrapped in a mail as an
//! `application/xml` part, plain or gzipped — so mutations reach the XML and row mapping
//! without first having to form valid MIME and a valid gzip stream.
//! Invariants: no panic; a parsed report has a non-empty, trimmed, lower-case domain without
//! a trailing dot, lower-case header-From/DKIM/SPF domains, and round-trips through the JSON
//! it is stored as; the XML `unpack` hands on starts like XML and respects `MAX_XML`.
#![no_main]

use std::io::Write;

use base64::Engine;
use hikyaku_engine::dmarc::report::{parse, unpack, StoredReport, MAX_XML};
use libfuzzer_sys::fuzz_target;

fn mail_with(content_type: &str, encoding: &str, body: &[u8]) -> Vec<u8> {
    let mut mail = format!(
        "From: noreply-dmarc@example.net\r\nTo: dmarc@example.com\r\n\
         Subject: Report Domain: example.com\r\nMIME-Version: 1.0\r\n\
         Content-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    .into_bytes();
    mail.extend_from_slice(body);
    mail
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use mail_auth::flate2::{write::GzEncoder, Compression};
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fn lower(s: &str) -> bool {
    s.to_ascii_lowercase() == s
}

fn check(report: &StoredReport) {
    let d = &report.domain;
    assert!(!d.is_empty(), "empty domain accepted");
    assert!(lower(d), "domain {d:?} not lower case");
    assert_eq!(d.trim(), d, "domain {d:?} not trimmed");
    assert!(!d.ends_with('.'), "domain {d:?} keeps its trailing dot");
    for row in &report.rows {
        assert!(lower(&row.header_from) && lower(&row.envelope_from));
        assert!(row.dkim.iter().all(|(d, _)| lower(d)));
        assert!(row.spf.iter().all(|(d, _)| lower(d)));
    }
    let json = serde_json::to_vec(report).expect("a stored report serialises");
    let back: StoredReport = serde_json::from_slice(&json).expect("and parses back");
    assert_eq!(&back, report, "stored report changed through JSON");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mail = match mode % 4 {
        0 | 1 => rest.to_vec(),
        2 => mail_with("application/xml", "8bit", rest),
        _ => mail_with(
            "application/gzip; name=\"report.xml.gz\"",
            "base64",
            base64::engine::general_purpose::STANDARD
                .encode(gzip(rest))
                .as_bytes(),
        ),
    };
    if let Ok(xml) = unpack(&mail) {
        assert!(xml.len() <= MAX_XML, "unpacked report over MAX_XML");
        let start = xml
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(xml.len());
        let t = &xml[start..];
        let t = t.strip_prefix(b"\xef\xbb\xbf").unwrap_or(t);
        assert!(t.starts_with(b"<?xml") || t.starts_with(b"<feedback"));
    }
    if let Ok(report) = parse(&mail, "0000000000000001") {
        assert_eq!(report.received_id, "0000000000000001");
        check(&report);
    }
});
