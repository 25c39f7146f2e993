//! Prints the status of each reply line of a file of `want<TAB>reply` rows
//! whose status differs from `want` (a list of accepted statuses, comma
//! separated), with the phrase that decided. For checking the phrase table against reply wordings by hand.
#![allow(clippy::print_stdout)]

use hikyaku_bounce::Classifier;

fn main() {
    let cl = Classifier::builtin();
    let (mut rows, mut wrong) = (0, 0);
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            println!("{path}: unreadable");
            continue;
        };
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let Some((want, reply)) = line.split_once('\t') else {
                continue;
            };
            // A third column names the reply's source: not part of it.
            let reply = reply.split('\t').next().unwrap_or(reply);
            rows += 1;
            // The evidence of the tables, the status as a live reply gets it
            // (the words' vote included).
            let got = (
                cl.classify(None, None, reply),
                cl.classify_evidence(None, None, reply).1,
            );
            let ok = want
                .split(',')
                .any(|w| w.trim().parse::<u8>().ok() == Some(got.0.as_u8()));
            if !ok {
                wrong += 1;
                let phrase = cl.explain(None, None, reply).map_or("-", |(_, p)| p);
                println!(
                    "got {:>2} ({:?}, phrase {phrase:?}) want {want:<6} {reply}",
                    got.0.as_u8(),
                    got.1
                );
            }
        }
    }
    println!("{wrong} of {rows} differ");
}
