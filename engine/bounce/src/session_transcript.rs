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
/// the transcript running on below line `at`, before a blank line,
/// another recipient's line (`addr_lines`, sorted), a `RCPT` command for
/// another address than `recipient` (lower case) or another session's
/// start ("... while talking to mx.y.:") ends it: Sendmail's transcript
/// goes on below one recipient's deferral or summary line ("550
/// <a@x>... Host unknown") to the next one's session (`>>> RCPT To:<b@y>`
/// / `<<< 452 4.2.2 Mailbox full`).
pub fn failing_reply(
    lines: &[&str],
    at: usize,
    addr_lines: &[usize],
    recipient: &str,
) -> Option<String> {
    let mut out = String::new();
    let mut code: Option<&str> = None;
    for (i, line) in lines.iter().enumerate().skip(at + 1).take(MAX_LINES) {
        if line.trim().is_empty()
            || addr_lines.binary_search(&i).is_ok() && code.is_none()
            || code.is_none()
                && (rcpt_for_another(line, recipient) || crate::paragraph::new_session(line))
        {
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

/// The refusal a server sent above Sendmail's summary line for
/// `recipient` (lower case), within its session: a refusal at `MAIL FROM`
/// ("... while talking to mail.x.example.:" / ">>> MAIL From:<s@y> SIZE=…"
/// / "<<< 552 5.3.4 Message size exceeds fixed maximum message size" /
/// "554 <a@x>... Service unavailable") names the recipient only in the
/// summary, whose own words are Sendmail's guess. Only in a session
/// ("... while talking to") that sent no `RCPT` before the summary.
pub fn reply_above_summary(lines: &[&str], recipient: &str) -> Option<String> {
    let summary = lines
        .iter()
        .take(MAX_LINES * 4)
        .position(|l| crate::sendmail_summary::is_summary_line(l, recipient))?;
    // Only where the summary gives Sendmail's words for a refused session
    // ("Service unavailable", "Remote protocol error"), not a cause of its
    // own ("550 Host unknown (Authoritative answer from name server)").
    let said = lines.get(summary)?.split_once("... ")?.1.trim_start();
    if !(crate::text::starts_with_ci(said, "service unavailable")
        || crate::text::starts_with_ci(said, "remote protocol error"))
    {
        return None;
    }
    // The session's lines above the summary, back to its start, which must
    // be there: no blank line and no `RCPT` in between (a refusal before
    // any recipient was sent).
    let above = lines.get(..summary)?;
    let start = above
        .iter()
        .rposition(|l| l.trim().is_empty() || crate::paragraph::new_session(l))?;
    let session = above.get(start + 1..)?;
    if !above
        .get(start)
        .is_some_and(|l| crate::paragraph::new_session(l))
        || session.len() > MAX_LINES
        || session
            .iter()
            .any(|l| crate::text::contains_ci(l.as_bytes(), b"rcpt to:"))
    {
        return None;
    }
    session
        .iter()
        .rev()
        .find_map(|l| server_reply(l).filter(|r| r.starts_with(['4', '5'])))
        .map(|r| format!("{} ", r.trim_end()))
}

/// A client's `RCPT TO:` naming an address other than `recipient`.
pub(crate) fn rcpt_for_another(line: &str, recipient: &str) -> bool {
    // Most transcript lines hold no command: tested without a copy first.
    if !crate::text::contains_ci(line.as_bytes(), b"rcpt to:") {
        return false;
    }
    let lower = line.to_ascii_lowercase();
    lower.find("rcpt to:").is_some_and(|at| {
        let rest = lower.get(at + "rcpt to:".len()..).unwrap_or("");
        crate::text::find_addresses(rest)
            .first()
            .is_some_and(|f| crate::text::canonical(f.addr) != recipient)
    })
}

/// The reply on a line the server sent: what follows its arrow, when it
/// opens with a three-digit code.
fn server_reply(line: &str) -> Option<&str> {
    with_code(server_line(line)?)
}

/// What follows the arrow of a line the server sent.
fn server_line(line: &str) -> Option<&str> {
    // Every arrow opens with '<': found by byte first.
    let b = line.as_bytes();
    let mut from = 0;
    while let Some(at) = b.get(from..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let i = from + at;
        if let Some(arrow) = SERVER_ARROWS
            .iter()
            .find(|a| b.get(i..i + a.len()) == Some(a.as_bytes()))
        {
            return Some(line.get(i + arrow.len()..)?.trim_start());
        }
        from = i + 1;
    }
    None
}

/// `reply` when it opens with a three-digit code, then a space, a hyphen
/// or its end.
fn with_code(reply: &str) -> Option<&str> {
    let digits = reply.get(..3)?;
    (digits.bytes().all(|b| b.is_ascii_digit())
        && reply
            .as_bytes()
            .get(3)
            .is_none_or(|b| *b == b' ' || *b == b'-'))
    .then_some(reply)
}

/// Whether `text` holds a transcript's arrows (`-->`, `<--`, `<<<`,
/// `<==`): most reports quote no session, and one pass over the text tells.
pub fn has_arrows(text: &str) -> bool {
    static FINDERS: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    let finders = FINDERS.get_or_init(|| {
        std::iter::once("-->")
            .chain(SERVER_ARROWS.iter().copied())
            .map(memchr::memmem::Finder::new)
            .collect()
    });
    finders.iter().any(|f| f.find(text.as_bytes()).is_some())
}

/// What a transcript's replies say of each `RCPT TO`, paired with the
/// commands in order (RFC 2920: a pipelining client sends its commands
/// ahead and the server answers them in turn, MDaemon's `--> RCPT
/// To:<a@x>` / `--> RCPT To:<b@y>` / `<-- 250 Accepted` / `<-- 552 5.2.2
/// <b@y>: mailbox is full`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// Recipients the server accepted (2xx to their `RCPT TO`).
    pub accepted: Vec<String>,
    /// Recipients it refused, with its reply.
    pub refused: Vec<(String, String)>,
    /// A refusal of another command (`MAIL FROM`, `DATA`, the message
    /// after `DATA`): every recipient failed, accepted or not.
    pub all_failed: bool,
}

/// The command a reply answers.
enum Command {
    Rcpt(String),
    Data,
    Other,
}

/// The session of a transcript in `lines`, whose client lines carry an
/// arrow (`-->`) or are flagged in `client` (Sendmail's `>>>`, taken off
/// the line); `None` without a `RCPT TO` answered.
pub fn session(lines: &[&str], client: &[bool]) -> Option<Session> {
    let mut state = State::default();
    // A multi-line reply's lines so far (`552-5.3.4 …`): its last line, or
    // any other line, ends it.
    let mut open: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let flagged = client.get(i).copied().unwrap_or(false);
        let command = match line.find("-->") {
            Some(at) => line.get(at + 3..),
            None if flagged => Some(*line),
            None => None,
        };
        let said = server_line(line);
        let reply = said.and_then(with_code);
        if let Some(first) = open {
            let continues = reply.is_some_and(|r| r.get(..3) == first.get(..3));
            if !continues {
                state.answer(Some(first));
                open = None;
            }
        }
        if let Some(command) = command.map(str::trim_start) {
            state.pending.push_back(Command::of(command));
            continue;
        }
        match (said, reply) {
            // Only a reply's last line answers (`250-SIZE` … `250 HELP`).
            (_, Some(r)) if r.as_bytes().get(3) == Some(&b'-') => {
                open = open.or(Some(r));
            }
            (_, Some(r)) => {
                state.answer(Some(r));
                open = None;
            }
            // Words without a code answer the command all the same
            // ("<<< Error transferring to …"), saying nothing of it.
            (Some(_), None) => state.answer(None),
            (None, None) => {}
        }
    }
    if let Some(first) = open {
        state.answer(Some(first));
    }
    state.answered_rcpt.then_some(state.out)
}

/// The commands sent and not answered yet, and what the answers said.
#[derive(Default)]
struct State {
    pending: std::collections::VecDeque<Command>,
    in_data: bool,
    answered_rcpt: bool,
    out: Session,
}

impl State {
    /// The server's answer to the oldest command waiting (`None`: words
    /// without a code).
    fn answer(&mut self, reply: Option<&str>) {
        let failed = reply.is_some_and(|r| r.starts_with(['4', '5']));
        match (self.pending.pop_front(), reply) {
            (Some(Command::Rcpt(addr)), Some(r)) => {
                self.answered_rcpt = true;
                if failed {
                    self.out.refused.push((addr, r.to_string()));
                } else if r.starts_with('2') {
                    self.out.accepted.push(addr);
                }
            }
            (Some(Command::Rcpt(_)), None) => self.answered_rcpt = true,
            (Some(Command::Data), Some(r)) if r.starts_with("354") => self.in_data = true,
            (Some(_), _) => self.out.all_failed |= failed && self.answered_rcpt,
            // The greeting, or the answer to the message sent after DATA.
            (None, _) => {
                self.out.all_failed |= failed && self.in_data;
                self.in_data = false;
            }
        }
    }
}

impl Command {
    fn of(command: &str) -> Command {
        let head = command.get(..8).unwrap_or(command).to_ascii_uppercase();
        if head.starts_with("RCPT TO") {
            match crate::text::find_addresses(command).first() {
                Some(f) => Command::Rcpt(crate::text::canonical(f.addr)),
                None => Command::Other,
            }
        } else if head.trim_end() == "DATA" {
            Command::Data
        } else {
            Command::Other
        }
    }
}

/// The one line of `lines` that opens with a reply code and names
/// `recipient` (lower case) as its only address: a server's reply about
/// it, echoed apart from where it is listed.
pub(crate) fn echoed_reply<'l>(lines: &[&'l str], recipient: &str) -> Option<&'l str> {
    let mut found = lines.iter().copied().filter(|l| {
        let t = l.trim_start();
        with_code(t).is_some_and(|r| r.starts_with(['4', '5']) && r.len() > 3)
            && matches!(
                crate::text::find_addresses(t).as_slice(),
                [only] if crate::text::canonical(only.addr) == recipient
            )
    });
    let line = found.next()?;
    found.next().is_none().then_some(line)
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
            failing_reply(&lines, 0, &[0], "a@x.example").as_deref(),
            Some("552-5.3.4 Message size exceeds 552 5.3.4 fixed maximum message size ")
        );
    }

    #[test]
    fn no_refusal_before_a_blank_line_or_another_recipient() {
        let lines = ["a@x.example", "<<< 250 ok", "", "<<< 550 no such user"];
        assert_eq!(failing_reply(&lines, 0, &[0], "a@x.example"), None);
        let lines = ["a@x.example", "<<< 250 ok", "b@y.example", "<<< 550 no"];
        assert_eq!(failing_reply(&lines, 0, &[0, 2], "a@x.example"), None);
        // Sendmail: the next recipient's session below this one's deferral.
        let lines = [
            "<a@x.example>... Deferred: Connection timed out with mx.x.example.",
            "... while talking to mx.y.example.:",
            ">>> RCPT To:<b@y.example>",
            "<<< 452 4.2.2 Mailbox full",
        ];
        assert_eq!(failing_reply(&lines, 0, &[0], "a@x.example"), None);
        let lines = [
            "*  To: a@x.example",
            ">>> RCPT To:<a@x.example>",
            "<<< 550 no",
        ];
        assert_eq!(
            failing_reply(&lines, 0, &[0], "a@x.example").as_deref(),
            Some("550 no ")
        );
    }

    #[test]
    fn pipelined_replies_pair_with_their_commands() {
        let lines = [
            "<-- 220 mx ESMTP",
            "--> MAIL From:<s@a.example>",
            "--> RCPT To:<a@x.example>",
            "--> RCPT To:<b@x.example>",
            "<-- 250 OK",
            "<-- 250 Accepted",
            "<-- 552 5.2.2 <b@x.example>: mailbox is full",
            "--> DATA",
            "<-- 354 go ahead",
            "<-- 250 OK id=1",
        ];
        let s = session(&lines, &[]).unwrap();
        assert_eq!(s.accepted, ["a@x.example"]);
        assert_eq!(s.refused.len(), 1);
        assert!(!s.all_failed);
        // The message refused after DATA: every recipient failed.
        let mut spam = lines.to_vec();
        spam[9] = "<-- 554 5.7.1 spam";
        assert!(session(&spam, &[]).unwrap().all_failed);
    }

    #[test]
    fn sendmails_client_lines_are_flagged() {
        let lines = [
            "RCPT To:<a@x.example>",
            "<<< 550 5.1.1 <a@x.example>... User unknown",
        ];
        let s = session(&lines, &[true, false]).unwrap();
        assert_eq!(s.refused[0].0, "a@x.example");
        assert!(s.accepted.is_empty());
    }
}
