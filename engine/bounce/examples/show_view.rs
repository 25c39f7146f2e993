//! Prints what the parser read of each message file given: the texts of
//! the report (HTML rendered as text) and each failed recipient's status
//! and diagnostic. For looking into one message by hand.
#![allow(clippy::print_stdout)]

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(raw) = std::fs::read(&path) else {
            println!("{path}: unreadable");
            continue;
        };
        if let Some(v) = hikyaku_bounce::mime::view(&raw) {
            if std::env::var_os("SHOW_VIEW_DEBUG").is_some() {
                println!("{v:#?}");
            }
            for (i, t) in v.texts.iter().enumerate() {
                println!("--- text {i} ---\n{t}");
            }
        }
        let r = hikyaku_bounce::parse(&raw);
        println!("=== {path}: {}", r.kind.as_str());
        for f in &r.recipients {
            println!(
                "  {} -> {} ({:?} {:?}) {}",
                f.recipient,
                f.status.as_u8(),
                f.smtp_status,
                f.enhanced_status,
                f.diagnostic
            );
        }
    }
}
