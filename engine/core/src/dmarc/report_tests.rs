//! Report parsing on mail built here from RFC 7489 appendix C's schema, packed the ways
//! receivers pack it: plain XML, gzip under several labels, zip.

use std::io::Write;

use base64::Engine;

use super::*;

fn xml(org: &str, id: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <version>1.0</version>
  <report_metadata>
    <org_name>{org}</org_name>
    <email>noreply-dmarc@{org}</email>
    <report_id>{id}</report_id>
    <date_range><begin>1700000000</begin><end>1700086399</end></date_range>
  </report_metadata>
  <policy_published>
    <domain>Example.com</domain><adkim>r</adkim><aspf>r</aspf><p>quarantine</p><sp>reject</sp><pct>100</pct>
  </policy_published>
  <record>
    <row>
      <source_ip>192.0.2.10</source_ip><count>12</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated>
    </row>
    <identifiers><header_from>example.com</header_from><envelope_from>bounce.example.com</envelope_from></identifiers>
    <auth_results>
      <dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim>
      <spf><domain>bounce.example.com</domain><result>softfail</result></spf>
    </auth_results>
  </record>
  <record>
    <row>
      <source_ip>2001:db8::99</source_ip><count>2</count>
      <policy_evaluated><disposition>quarantine</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated>
    </row>
    <identifiers><header_from>example.com</header_from></identifiers>
    <auth_results><spf><domain>example.com</domain><result>fail</result></spf></auth_results>
  </record>
</feedback>
"#
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = mail_auth::flate2::write::GzEncoder::new(
        Vec::new(),
        mail_auth::flate2::Compression::default(),
    );
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zip(name: &str, data: &[u8]) -> Vec<u8> {
    let mut w = mail_auth::zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(name, mail_auth::zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap().into_inner()
}

/// A report mail with one attachment (or, with `ctype` empty, the body itself as text/xml).
fn mail(ctype: &str, name: &str, body: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let mut m = String::from(
        "From: noreply-dmarc@reporter.test\r\nTo: dmarc@bounce.example.com\r\n\
         Subject: Report Domain: example.com Submitter: reporter.test\r\nMIME-Version: 1.0\r\n",
    );
    m.push_str("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n");
    m.push_str("Content-Type: text/plain\r\n\r\nThis is an aggregate report.\r\n--b1\r\n");
    m.push_str(&format!(
        "Content-Type: {ctype}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n"
    ));
    for chunk in b64.as_bytes().chunks(76) {
        m.push_str(std::str::from_utf8(chunk).unwrap());
        m.push_str("\r\n");
    }
    m.push_str("--b1--\r\n");
    m.into_bytes()
}

fn check(r: &StoredReport, org: &str) {
    assert_eq!(r.org_name, org);
    assert_eq!(r.domain, "example.com");
    assert_eq!((r.begin, r.end), (1_700_000_000, 1_700_086_399));
    assert_eq!(r.policy, "p=quarantine sp=reject");
    assert_eq!(r.rows.len(), 2);
    let a = &r.rows[0];
    assert_eq!(
        (a.source_ip.as_str(), a.count, a.disposition.as_str()),
        ("192.0.2.10", 12, "none")
    );
    assert_eq!(
        (a.dkim_aligned.as_str(), a.spf_aligned.as_str()),
        ("pass", "fail")
    );
    assert_eq!(
        a.spf,
        [("bounce.example.com".to_string(), "softfail".to_string())]
    );
    assert_eq!(r.rows[1].source_ip, "2001:db8::99");
    assert_eq!(r.rows[1].disposition, "quarantine");
}

#[test]
fn every_packing_receivers_use_parses() {
    let x = xml("google.com", "g1");
    let cases = [
        (
            "google.com",
            mail(
                "application/zip",
                "google.com!example.com!1700000000!1700086399.zip",
                &zip(
                    "google.com!example.com!1700000000!1700086399.xml",
                    x.as_bytes(),
                ),
            ),
        ),
        (
            "google.com",
            mail(
                "application/gzip",
                "google.com!example.com!1700000000!1700086399.xml.gz",
                &gzip(x.as_bytes()),
            ),
        ),
        (
            "google.com",
            mail("application/x-gzip", "report.xml.gz", &gzip(x.as_bytes())),
        ),
        // No telling name or type: the bytes decide.
        (
            "google.com",
            mail(
                "application/octet-stream",
                "attachment",
                &gzip(x.as_bytes()),
            ),
        ),
        ("google.com", mail("text/xml", "report.xml", x.as_bytes())),
    ];
    for (org, raw) in cases {
        let r = parse(&raw, "0000000000000001").unwrap();
        check(&r, org);
    }
    // A bare XML body with LF line ends.
    let bare = format!("From: a@b.test\nContent-Type: text/xml\n\n{x}");
    check(&parse(bare.as_bytes(), "1").unwrap(), "google.com");
}

#[test]
fn broken_reports_say_why() {
    let x = xml("yahoo.com", "y1");
    let truncated = gzip(x.as_bytes());
    let cases = [
        (
            mail(
                "application/gzip",
                "r.xml.gz",
                &truncated[..truncated.len() / 2],
            ),
            "gzip",
        ),
        (
            mail("application/zip", "r.zip", b"PK\x03\x04 not a zip at all"),
            "zip",
        ),
        (
            mail("text/xml", "r.xml", b"<?xml version=\"1.0\"?><html></html>"),
            "aggregate report",
        ),
        (mail("application/pdf", "r.pdf", b"%PDF-1.4"), "no XML"),
        (
            mail("text/xml", "r.xml", x.replace("Example.com", "").as_bytes()),
            "domain",
        ),
    ];
    for (raw, want) in cases {
        let e = parse(&raw, "1").unwrap_err().to_string();
        assert!(e.contains(want), "{e:?} should mention {want:?}");
    }
}

#[test]
fn a_compression_bomb_stops_at_the_cap() {
    let big = vec![b' '; MAX_XML + 10];
    let mut doc = b"<?xml version=\"1.0\"?>".to_vec();
    doc.extend_from_slice(&big);
    let e = parse(&mail("application/gzip", "r.xml.gz", &gzip(&doc)), "1").unwrap_err();
    assert_eq!(e, ReportError::TooLarge);
}
