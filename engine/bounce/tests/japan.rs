//! Japanese carriers and ISPs (issue 18 item 5): docomo, au/KDDI, SoftBank,
//! Rakuten, OCN, @nifty, BIGLOBE, Gmail, Yahoo! JAPAN and Outlook, written
//! from their documented reply and bounce formats, with ISO-2022-JP,
//! Shift_JIS and UTF-8 bodies (7bit, 8bit, base64, quoted-printable).
//! `tests/japan/labels.jsonl` says what each message must give.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use serde::Deserialize;

#[derive(Deserialize)]
struct Label {
    file: String,
    carrier: String,
    kind: String,
    recipient: Option<String>,
    #[serde(default)]
    status: Vec<u8>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/japan")
}

#[test]
fn japanese_carriers_decoded_and_classified() {
    let labels = std::fs::read_to_string(dir().join("labels.jsonl")).unwrap();
    let mut checked = 0;
    for line in labels.lines().filter(|l| !l.trim().is_empty()) {
        let l: Label = serde_json::from_str(line).unwrap();
        let raw = std::fs::read(dir().join(&l.file)).unwrap();
        let r = hikyaku_bounce::parse(&raw);
        let what = format!("{} ({}): {:?}", l.file, l.carrier, r);
        match l.kind.as_str() {
            "failed" => {
                assert!(r.kind.is_failure(), "{what}");
                let want = l.recipient.as_deref().unwrap();
                assert_eq!(r.recipients.len(), 1, "{what}");
                assert_eq!(r.recipients[0].recipient, want, "{what}");
                assert!(
                    l.status.contains(&r.recipients[0].status.as_u8()),
                    "status {} not in {:?}: {what}",
                    r.recipients[0].status.as_u8(),
                    l.status
                );
            }
            kind => {
                assert_eq!(
                    r.kind.as_str(),
                    kind.replace("autoreply", "auto_reply"),
                    "{what}"
                );
                assert!(r.recipients.is_empty(), "{what}");
                if let Some(want) = &l.recipient {
                    assert_eq!(&r.mentioned, &vec![want.clone()], "{what}");
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} messages");
}

#[test]
fn japanese_text_is_decoded_not_mojibake() {
    // The classification of the Nifty and BIGLOBE messages rests on Japanese
    // wording only (no SMTP code), so it proves ISO-2022-JP decoding; this
    // checks the Shift_JIS one the same way through the diagnostic text.
    let raw = std::fs::read(dir().join("rakuten-refused-sjis.eml")).unwrap();
    let r = hikyaku_bounce::parse(&raw);
    assert!(
        r.recipients[0].diagnostic.contains("受信拒否"),
        "{}",
        r.recipients[0].diagnostic
    );
}
