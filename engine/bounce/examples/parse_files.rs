//! Prints the parse of each message file given: kind, failed recipients
//! with status, and with `DIAG=1` in the environment each recipient's
//! diagnostic (and the address the sender used, when the report names
//! another). For checking template messages by hand.
#![allow(clippy::print_stdout)]

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(raw) = std::fs::read(&path) else {
            println!("{path}: unreadable");
            continue;
        };
        let r = hikyaku_bounce::parse(&raw);
        let named: Vec<String> = r
            .recipients
            .iter()
            .map(|f| format!("{} -> {}", f.recipient, f.status.as_u8()))
            .collect();
        println!(
            "{path}: {} [{}] mentioned {:?}",
            r.kind.as_str(),
            named.join(", "),
            r.mentioned
        );
        if std::env::var_os("DIAG").is_some() {
            for f in &r.recipients {
                match &f.original_recipient {
                    Some(o) => println!("  {} (sent to {o}): {}", f.recipient, f.diagnostic),
                    None => println!("  {}: {}", f.recipient, f.diagnostic),
                }
            }
        }
    }
}
