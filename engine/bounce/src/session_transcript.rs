//! The failing reply of an SMTP session transcript quoted in a report.
//!
//! Some servers quote the whole session in their report, one line per
//! command and reply, timestamps and arrows in front (MDaemon's "---
//! Session Transcript ---": `… <-- 220 mx ESMTP ready`, `… --> RCPT
//! To:<a@x>`, `… <-- 550 5.1.1 unknown user`). The recipient stands near the
//! top (`*  To: a@x`, the `RCPT` command) and its server's refusal a dozen
//! lines or more below, after the greeting and the capabilities: farther
//! than a paragraph is read. The refusal is the recipient's reason.

/// Arrows in front of a line the server sent, as transcripts mark them.
const SERVER_ARROWS: &[&str] = &["<--", "<<<", "<=="];

/// How many lines below its recipient a transcript's refusal is looked for.
const MAX_LINES: usize = 80;

/// The first refusal (a 4xx or 5xx reply, all its lines) a server sent in
/// the transcript running on below line `at`, before a blank line or
/// another recipient's line (`addr_lines`, sorted) ends it.
pub fn failing_reply(lines: &[&str], at: usize, addr_lines: &[usize]) -> Option<String> {
    let mut out = String::new();
    let mut code: Option<&str> = None;
    for (i, line) in lines.iter().enumerate().skip(at + 1).take(MAX_LINES) {
        if line.trim().is_empty() || addr_lines.binary_search(&i).is_ok() && code.is_none() {
            break;
        }
        let Some(reply) = server_reply(line) else {
            if code.is_some() {
                break;
            }
            continue;
        };
        let this = reply.get(..3).unwrap_or("");
        match code {
            None if reply.starts_with(['4', '5']) => code = Some(this),
            None => continue,
            Some(c) if c != this => break,
            Some(_) => {}
        }
        out.push_str(reply.trim_end());
        out.push(' ');
        // The last line of a multi-line reply has a space after its code.
        if reply.as_bytes().get(3) != Some(&b'-') {
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The reply on a line the server sent: what follows its arrow, when it
/// opens with a three-digit code.
fn server_reply(line: &str) -> Option<&str> {
    let (at, arrow) = SERVER_ARROWS
        .iter()
        .filter_map(|a| line.find(a).map(|i| (i, a.len())))
        .min()?;
    let reply = line.get(at + arrow..)?.trim_start();
    let digits = reply.get(..3)?;
    (digits.bytes().all(|b| b.is_ascii_digit())
        && reply
            .as_bytes()
            .get(3)
            .is_none_or(|b| *b == b' ' || *b == b'-'))
    .then_some(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_below_the_greeting_is_found() {
        let lines = [
            " 15:22:40.093: *  To: a@x.example",
            " 15:22:40.296: <-- 220 mx.x.example ESMTP ready",
            " 15:22:40.328: <-- 250-SIZE 20971520",
            " 15:22:40.328: <-- 250 STARTTLS",
            " 15:22:40.359: <-- 552-5.3.4 Message size exceeds",
            " 15:22:40.359: <-- 552 5.3.4 fixed maximum message size",
            " 15:22:40.359: --> QUIT",
        ];
        assert_eq!(
            failing_reply(&lines, 0, &[0]).as_deref(),
            Some("552-5.3.4 Message size exceeds 552 5.3.4 fixed maximum message size ")
        );
    }

    #[test]
    fn no_refusal_before_a_blank_line_or_another_recipient() {
        let lines = ["a@x.example", "<<< 250 ok", "", "<<< 550 no such user"];
        assert_eq!(failing_reply(&lines, 0, &[0]), None);
        let lines = ["a@x.example", "<<< 250 ok", "b@y.example", "<<< 550 no"];
        assert_eq!(failing_reply(&lines, 0, &[0, 2]), None);
    }
}
