//! Messages parsed per second over the bounce corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn load() -> Vec<Vec<u8>> {
    hikyaku_bounce::scoring::throughput_messages()
        .expect("corpus missing")
        .into_iter()
        .map(|(_, raw)| raw)
        .collect()
}

fn bench(c: &mut Criterion) {
    let msgs = load();
    assert!(!msgs.is_empty(), "corpus is empty");
    let _ = hikyaku_bounce::Classifier::builtin();
    let mut g = c.benchmark_group("bounce");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.sample_size(20);
    g.bench_function("parse_corpus", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &msgs {
                n += hikyaku_bounce::parse(std::hint::black_box(m))
                    .recipients
                    .len();
            }
            n
        })
    });
    // A hostile report: 80,000 address lines (4.7 MB). Linear work, read up
    // to `nonstd::MAX_RECIPIENTS` (55 s per message before the cap).
    let lines: String = (0..80_000)
        .map(|i| {
            format!(
                "<user{i}@example{}.com>: host mx said: 550 5.1.1 unknown\n",
                i % 97
            )
        })
        .collect();
    let hostile = format!(
        "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
This is the mail system at host x.example.\n\n{lines}"
    )
    .into_bytes();
    g.throughput(Throughput::Bytes(hostile.len() as u64));
    g.sample_size(10);
    g.bench_function("many_recipients", |b| {
        b.iter(|| {
            hikyaku_bounce::parse(std::hint::black_box(&hostile))
                .recipients
                .len()
        })
    });
    // One recipient's paragraph of 10 MB of subject words with no cause
    // (English and Japanese): the subject-and-cause search must read a
    // bounded head of it, not search after every subject to the text's end.
    for (name, words) in [
        (
            "subject_words_en",
            "the mailbox of user x is something else entirely and ",
        ),
        ("subject_words_ja", "ユーザーの情報は以下の通りです "),
    ] {
        let text = words.repeat(10_000_000 / words.len());
        let hostile = format!(
            "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\
Content-Type: text/plain; charset=utf-8\n\n\
Delivery to the following recipient failed permanently:\n\n  jdoe@dest.example\n\n{text}\n"
        )
        .into_bytes();
        g.throughput(Throughput::Bytes(hostile.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                hikyaku_bounce::parse(std::hint::black_box(&hostile))
                    .recipients
                    .len()
            })
        });
    }
    // Broken or HTML-only structure at 10 MB: an HTML report with a stub
    // plain alternative (rendered, and its words compared), and a
    // multipart with no boundary over 200,000 distinct delimiter lines
    // (the repair tries the first only).
    let html_lines = "the mailbox of user x is something else entirely<br>\r\n".repeat(180_000);
    let stub_html = format!(
        "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\
MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=a\n\n--a\n\
Content-Type: text/plain\n\nview this report in HTML\n\n--a\nContent-Type: text/html\n\n\
<p>Delivery to the following recipient failed permanently: jdoe@dest.example<br>\n{html_lines}</p>\n--a--\n"
    )
    .into_bytes();
    let delimiters: String = (0..200_000)
        .map(|i| format!("--b{i}\nContent-Type: text/plain\n\nx\n"))
        .collect();
    let no_boundary =
        format!("From: a@b.example\nContent-Type: multipart/mixed;\n\n{delimiters}").into_bytes();
    // 5 MB of `@`s after non-ASCII letters and no angle bracket: each
    // sends the address scan looking for brackets, which must stay within
    // an address's length (a whole-text search was quadratic: 1.5 s at
    // 480 KB).
    let eai_like = format!(
        "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\
Content-Type: text/plain; charset=utf-8\n\nThis is the mail system at host x.example.\n\n{}\n",
        "é@x.example ".repeat(400_000)
    )
    .into_bytes();
    // Lines of nothing but `@`s, and addresses run together without a
    // space: each `@` once cost a search to its line's ends and over the
    // whole prefix (an 80 KB line: 3 s; a 17 MB copy of them: 58 s). The
    // text read for failures stops at `nonstd::MAX_TEXT`.
    let head = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
<jdoe@example.com>: host said: 550 user unknown\n";
    let at_lines =
        format!("{head}{}", format!("{}\n", "@".repeat(100)).repeat(50_000)).into_bytes();
    let at_line = format!("{head}{}\n", "@".repeat(1_000_000)).into_bytes();
    let run_together = format!("{head}{}\n", "<x@y.example>".repeat(80_000)).into_bytes();
    // One failure line repeated on 9,000 lines (found by `mutfuzz.py`):
    // every line's paragraph was compared with every other line's hits,
    // 12 s for a 370 KB message; each recipient is now read on its first
    // `MAX_LINES_PER_RECIPIENT` lines.
    // A quoted header block repeated 6,000 times, each with the same `To:`
    // line, below a failure naming nobody (found by `mutfuzz.py`): the
    // copy's `To:` was gathered once per line and each looked for in the
    // whole text (5 s here); now each address once, 100 at most.
    let to_lines = format!(
        "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\n\
The following recipient failed: user unknown\n\n{}",
        (0..6_000)
            .map(|i| format!(
                "Received: from a.example by x.example id {i}\nTo: same@dest.example\n"
            ))
            .collect::<String>()
    )
    .into_bytes();
    let same_line = format!(
        "{head}{}",
        "550 5.1.1 <a@b.example>: user unknown\n".repeat(9_000)
    )
    .into_bytes();
    for (name, msg) in [
        ("at_sign_lines", &at_lines),
        ("at_sign_line", &at_line),
        ("addresses_run_together", &run_together),
        ("one_address_many_lines", &same_line),
        ("copy_to_lines_repeated", &to_lines),
        ("html_stub_alternative", &stub_html),
        ("lost_boundary_delimiters", &no_boundary),
        ("non_ascii_next_to_every_at", &eai_like),
    ] {
        g.throughput(Throughput::Bytes(msg.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                hikyaku_bounce::parse(std::hint::black_box(msg))
                    .recipients
                    .len()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
