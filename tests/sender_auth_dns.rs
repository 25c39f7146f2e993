//! SPF and DMARC against the real daemon: a test DNS server (the `hikyaku-testdns` binary)
//! publishes SPF and DMARC records; `spf.*` and `dmarc.*` are asked over JSON-RPC and the
//! CLI; aggregate reports built here from RFC 7489 appendix C's schema are mailed to the
//! receiving listener packed as Google, Microsoft and Yahoo pack them, plus a broken one.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use hikyaku_e2e::{binary, free_port, python, wait_for, Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::client::ClientError;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::dmarc::{DmarcDomain, DmarcPolicy, DmarcRecordQuery, DmarcReportsQuery};
use hikyaku_rpc::types::spf::{SpfDomain, SpfRecordStatus};

const ZONE: &str = r#"
example.test TXT "v=spf1 ip4:127.0.0.1 ip4:127.0.0.2 -all"
bounce.example.test TXT "v=spf1 ip4:127.0.0.1 ~all"
bounce.ok.example.test TXT "v=spf1 ip4:127.0.0.0/24 -all"
_dmarc.example.test TXT "v=DMARC1; p=reject; sp=quarantine; pct=50; rua=mailto:dmarc@bounce.example.test"
broken.test TXT "v=spf1 include -all"
"#;

/// The test DNS server, stopped on drop.
struct Dns(Child, u16);

impl Drop for Dns {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dns(dir: &Path) -> Dns {
    let port = free_port();
    let zone = dir.join("zone.txt");
    std::fs::write(&zone, ZONE).unwrap();
    let child = Command::new(binary("hikyaku-testdns"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--zone")
        .arg(&zone)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    Dns(child, port)
}

fn daemon(dns_port: u16) -> Daemon {
    Daemon::start(&format!(
        "sandbox = true\n\
         [delivery]\ndns_servers = [\"127.0.0.1:{dns_port}\"]\n\
         [delivery.default]\nsource_ips = [\"127.0.0.1\"]\n\
         [delivery.domains.\"big.test\"]\nsource_ips = [\"127.0.0.2\", \"127.0.0.1\"]\n\
         [bounce]\nreturn_path_domain = \"bounce.example.test\"\n\
         [bounce.sender_domains]\n\"ok.example.test\" = \"bounce.ok.example.test\"\n\
         [dmarc]\nreport_address = \"dmarc@bounce.example.test\"\n"
    ))
}

fn cli(d: &Daemon, token: &str, args: &[&str]) -> Output {
    let config = d.data.parent().unwrap().join("cli.toml");
    Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", &config)
        .env("HIKYAKU_KEY", token)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok_text(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn spf_and_dmarc_records_and_checks_against_the_test_dns() {
    let dir = tempfile::tempdir().unwrap();
    let dns = dns(dir.path());
    let d = daemon(dns.1);
    let admin = d.login("admin", ADMIN_PASSWORD);
    let t = Some(admin.as_str());

    // The record lists every source IP of every policy once.
    let r = d
        .call(
            t,
            m::SPF_RECORD,
            &SpfDomain {
                domain: "Example.test".into(),
            },
        )
        .unwrap();
    assert_eq!(r.record_name, "example.test");
    assert_eq!(r.record_value, "v=spf1 ip4:127.0.0.1 ip4:127.0.0.2 ~all");

    // bounce.example.test authorises only 127.0.0.1: mail-auth says softfail for .2.
    let c = d
        .call(
            t,
            m::SPF_CHECK,
            &SpfDomain {
                domain: "bounce.example.test".into(),
            },
        )
        .unwrap();
    assert_eq!(c.status, SpfRecordStatus::Valid);
    assert_eq!(c.unauthorised, ["127.0.0.2"]);
    assert!(!c.ok);
    let two = c.verdicts.iter().find(|v| v.ip == "127.0.0.2").unwrap();
    assert_eq!(two.result, "softfail");
    assert!(c
        .verdicts
        .iter()
        .any(|v| v.ip == "127.0.0.1" && v.authorised));
    let c = d
        .call(
            t,
            m::SPF_CHECK,
            &SpfDomain {
                domain: "example.test".into(),
            },
        )
        .unwrap();
    assert!(c.ok && c.unauthorised.is_empty(), "{c:?}");
    let c = d
        .call(
            t,
            m::SPF_CHECK,
            &SpfDomain {
                domain: "nothing.example.test".into(),
            },
        )
        .unwrap();
    assert_eq!(c.status, SpfRecordStatus::Missing);
    assert!(c.verdicts.iter().all(|v| v.result == "none"));
    let c = d
        .call(
            t,
            m::SPF_CHECK,
            &SpfDomain {
                domain: "broken.test".into(),
            },
        )
        .unwrap();
    assert_eq!(c.status, SpfRecordStatus::Invalid);
    assert!(c.verdicts.iter().all(|v| v.result == "permerror"));
    let text = ok_text(&cli(&d, &admin, &["spf", "check", "bounce.example.test"]));
    assert!(text.contains("not authorised: 127.0.0.2"), "{text}");
    assert!(text.contains("softfail"), "{text}");

    // A subdomain without a record inherits the parent's sp=.
    let c = d
        .call(
            t,
            m::DMARC_CHECK,
            &DmarcDomain {
                domain: "news.example.test".into(),
            },
        )
        .unwrap();
    assert!(c.inherited, "{c:?}");
    assert_eq!(c.record_name.as_deref(), Some("_dmarc.example.test"));
    assert_eq!(c.organisational_domain.as_deref(), Some("example.test"));
    assert_eq!(c.policy, Some(DmarcPolicy::Quarantine));
    assert_eq!(c.mail_auth_policy, Some(DmarcPolicy::Quarantine));
    assert_eq!(c.pct, Some(50));
    assert_eq!(c.rua, ["dmarc@bounce.example.test"]);
    // Its mail leaves with MAIL FROM at bounce.example.test, whose SPF fails 127.0.0.2, and
    // there is no DKIM key: it does not pass.
    assert_eq!(c.spf.domain.as_deref(), Some("bounce.example.test"));
    assert!(!c.spf.passes && !c.passes);
    assert_eq!(c.dkim.dmarc_result, "none");
    // The parent itself: its own record, p=.
    let c = d
        .call(
            t,
            m::DMARC_CHECK,
            &DmarcDomain {
                domain: "example.test".into(),
            },
        )
        .unwrap();
    assert!(!c.inherited);
    assert_eq!(
        (c.policy, c.mail_auth_policy),
        (Some(DmarcPolicy::Reject), Some(DmarcPolicy::Reject))
    );
    // ok.example.test bounces through bounce.ok.example.test, which authorises every source:
    // SPF passes and aligns (relaxed, same organisational domain), so DMARC passes.
    let c = d
        .call(
            t,
            m::DMARC_CHECK,
            &DmarcDomain {
                domain: "ok.example.test".into(),
            },
        )
        .unwrap();
    assert_eq!(c.spf.dmarc_result, "pass", "{c:?}");
    assert!(c.passes);
    let c = d
        .call(
            t,
            m::DMARC_CHECK,
            &DmarcDomain {
                domain: "unknown.test".into(),
            },
        )
        .unwrap();
    assert!(c.record.is_none() && c.policy.is_none() && !c.passes);
    let text = ok_text(&cli(&d, &admin, &["dmarc", "check", "news.example.test"]));
    assert!(
        text.contains("inherited") && text.contains("yes") && text.contains("quarantine"),
        "{text}"
    );

    // The record to publish, rua defaulting to the report address.
    let r = d
        .call(
            t,
            m::DMARC_RECORD,
            &DmarcRecordQuery {
                domain: "example.test".into(),
                policy: DmarcPolicy::Reject,
                pct: Some(50),
                rua: None,
            },
        )
        .unwrap();
    assert_eq!(r.record_name, "_dmarc.example.test");
    assert_eq!(
        r.record_value,
        "v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@bounce.example.test"
    );
    assert!(r.report_authorization.is_none());
    let bad = d.call(
        t,
        m::DMARC_RECORD,
        &DmarcRecordQuery {
            domain: "example.test".into(),
            policy: DmarcPolicy::None,
            pct: None,
            rua: Some("dmarc@elsewhere.test".into()),
        },
    );
    match bad {
        Err(ClientError::Rpc { code, message }) => {
            assert_eq!(code, -32602);
            assert!(message.starts_with("rua:"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let json = ok_text(&cli(
        &d,
        &admin,
        &[
            "--json",
            "dmarc",
            "record",
            "example.test",
            "--policy",
            "quarantine",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["record_value"],
        "v=DMARC1; p=quarantine; pct=100; rua=mailto:dmarc@bounce.example.test"
    );
}

/// Builds report mails with Python's standard library (an implementation independent of ours)
/// and sends them to the receiving listener; prints one `250` reply per mail.
const SEND_REPORTS: &str = r#"
import gzip, io, smtplib, sys, zipfile
from email.message import EmailMessage
host, port = sys.argv[1], int(sys.argv[2])

def xml(org, rid, begin, rows):
    recs = ""
    for ip, count, disp, dkim, spf in rows:
        recs += f"""<record><row><source_ip>{ip}</source_ip><count>{count}</count>
<policy_evaluated><disposition>{disp}</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>
<identifiers><header_from>example.test</header_from><envelope_from>bounce.example.test</envelope_from></identifiers>
<auth_results><dkim><domain>example.test</domain><selector>s1</selector><result>{dkim}</result></dkim>
<spf><domain>bounce.example.test</domain><scope>mfrom</scope><result>{'pass' if spf == 'pass' else 'softfail'}</result></spf></auth_results></record>"""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<feedback><version>1.0</version>
<report_metadata><org_name>{org}</org_name><email>dmarc@{org}</email><report_id>{rid}</report_id>
<date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range></report_metadata>
<policy_published><domain>example.test</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p><sp>quarantine</sp><pct>50</pct></policy_published>
{recs}</feedback>""".encode()

def mail(org, maintype, subtype, name, data):
    m = EmailMessage()
    m["From"] = f"dmarc-noreply@{org}"
    m["To"] = "dmarc@bounce.example.test"
    m["Subject"] = f"Report domain: example.test Submitter: {org}"
    m.set_content("This is a DMARC aggregate report.")
    m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return m.as_bytes()

B = 1767225600  # 2026-01-01T00:00:00Z
google = xml("google.com", "g-1", B, [("127.0.0.1", 40, "none", "pass", "pass"), ("198.51.100.9", 3, "reject", "fail", "fail")])
microsoft = xml("enterprise.protection.outlook.com", "m-1", B, [("127.0.0.1", 7, "none", "fail", "pass")])
yahoo = xml("yahoo.com", "y-1", B + 3600, [("127.0.0.2", 5, "quarantine", "fail", "fail")])
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("yahoo.com!example.test!1767229200!1767315599.xml", yahoo)
mails = [
    mail("google.com", "application", "gzip", "google.com!example.test!1767225600!1767311999.xml.gz", gzip.compress(google)),
    mail("enterprise.protection.outlook.com", "application", "x-gzip", "enterprise.protection.outlook.com!example.test!1767225600!1767311999.xml.gz", gzip.compress(microsoft)),
    mail("yahoo.com", "application", "zip", "yahoo.com!example.test!1767229200!1767315599.zip", zbuf.getvalue()),
    mail("broken.test", "application", "gzip", "broken.xml.gz", gzip.compress(google)[:60]),
]
for body in mails:
    with smtplib.SMTP(host, port, local_hostname="reporter.test") as s:
        s.ehlo()
        assert s.mail("dmarc-noreply@reporter.test")[0] == 250
        assert s.rcpt("DMARC@bounce.example.test")[0] == 250
        code, text = s.data(body)
        print(code, text.decode())
"#;

#[test]
fn aggregate_reports_round_trip_and_a_broken_one_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let dns = dns(dir.path());
    let d = daemon(dns.1);
    let admin = d.login("admin", ADMIN_PASSWORD);
    let t = Some(admin.as_str());
    let out = python(
        SEND_REPORTS,
        &[&d.receive.ip().to_string(), &d.receive.port().to_string()],
    );
    let replies: Vec<&str> = out.lines().collect();
    assert_eq!(replies.len(), 4, "{out}");
    assert!(replies.iter().all(|r| r.starts_with("250 ")), "{out}");
    let broken_id = replies[3].rsplit(' ').next().unwrap().to_string();

    let q = DmarcReportsQuery {
        domain: "example.test".into(),
        from: Some("2025-12-31T00:00:00Z".into()),
        to: None,
    };
    let r = wait_for("three reports stored", || {
        let r = d.call(t, m::DMARC_REPORTS, &q).unwrap();
        (r.reports.len() == 3).then_some(r)
    });
    let mut orgs: Vec<&str> = r.reports.iter().map(|x| x.org_name.as_str()).collect();
    orgs.sort();
    assert_eq!(
        orgs,
        [
            "enterprise.protection.outlook.com",
            "google.com",
            "yahoo.com"
        ]
    );
    // Per source IP, most messages first: Google's 40 and Microsoft's 7 from 127.0.0.1.
    let ips: Vec<&str> = r.sources.iter().map(|s| s.source_ip.as_str()).collect();
    assert_eq!(ips, ["127.0.0.1", "127.0.0.2", "198.51.100.9"]);
    let one = &r.sources[0];
    assert_eq!(
        (
            one.messages,
            one.dkim_aligned,
            one.spf_aligned,
            one.dmarc_pass
        ),
        (47, 40, 47, 47)
    );
    assert_eq!(one.disposition.get("none"), Some(&47));
    assert_eq!(one.reporters.len(), 2);
    assert_eq!(r.sources[1].disposition.get("quarantine"), Some(&5));
    assert_eq!(r.sources[2].disposition.get("reject"), Some(&3));
    assert_eq!(r.sources[2].spf.get("softfail"), Some(&3));
    assert_eq!(r.sources[2].dmarc_pass, 0);
    // The broken one: kept raw with its error, and still a received message.
    assert_eq!(r.malformed.len(), 1, "{:?}", r.malformed);
    assert_eq!(r.malformed[0].received_id, broken_id);
    assert!(
        r.malformed[0].error.contains("gzip"),
        "{:?}",
        r.malformed[0]
    );
    let got = d
        .call(
            t,
            m::RECEIVED_GET,
            &hikyaku_rpc::types::received::ReceivedGet {
                id: broken_id.clone(),
                encoding: hikyaku_rpc::types::received::RawEncoding::Text,
            },
        )
        .unwrap();
    assert!(got.raw.contains("broken.xml.gz"));
    // Another domain's query sees none of them; a time range before them neither.
    let other = d
        .call(
            t,
            m::DMARC_REPORTS,
            &DmarcReportsQuery {
                domain: "other.test".into(),
                ..q.clone()
            },
        )
        .unwrap();
    assert!(other.sources.is_empty() && other.reports.is_empty());
    let before = d
        .call(
            t,
            m::DMARC_REPORTS,
            &DmarcReportsQuery {
                domain: "example.test".into(),
                from: Some("2025-01-01T00:00:00Z".into()),
                to: Some("2025-12-01T00:00:00Z".into()),
            },
        )
        .unwrap();
    assert!(before.reports.is_empty());

    let text = ok_text(&cli(
        &d,
        &admin,
        &[
            "dmarc",
            "reports",
            "example.test",
            "--from",
            "2025-12-31T00:00:00Z",
        ],
    ));
    let row = text
        .lines()
        .find(|l| l.starts_with("127.0.0.1"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("47") && row.contains("none=47"), "{row}");
    assert!(text.contains(&broken_id), "{text}");
    let bad = cli(
        &d,
        &admin,
        &["dmarc", "reports", "example.test", "--from", "yesterday"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from"));
}
