//! Header facts read at intake (subject, Message-ID, Date) and the trace/missing headers added
//! to the stored copy.

use hikyaku_smtp::Transaction;
use mail_parser::MessageParser;

use super::IntakeContext;
use crate::ids::Id;

/// What intake needs from the application's header block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderFacts {
    /// Decoded `Subject` (RFC 2047 words decoded).
    pub subject: Option<String>,
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// Whether a `Date` header is present.
    pub has_date: bool,
    /// Domain of the first `From` address, lower case (what DKIM signs for and DMARC aligns
    /// with).
    pub from_domain: Option<String>,
}

impl HeaderFacts {
    /// Parses only the header block (mail-parser stops at the blank line).
    pub fn scan(message: &[u8]) -> Self {
        Self::of(parse_header_block(message).as_ref())
    }

    /// The facts of an already parsed header block (`None`: it did not parse).
    pub fn of(parsed: Option<&mail_parser::Message<'_>>) -> Self {
        let Some(parsed) = parsed else {
            return Self::default();
        };
        Self {
            subject: parsed.subject().map(str::to_string),
            message_id: parsed
                .message_id()
                .filter(|id| !id.is_empty())
                .map(str::to_string),
            has_date: parsed.date().is_some(),
            from_domain: parsed
                .from()
                .and_then(|from| from.first())
                .and_then(|addr| addr.address())
                .and_then(|a| a.rsplit_once('@'))
                .map(|(_, domain)| domain.trim().to_ascii_lowercase())
                .filter(|d| !d.is_empty()),
        }
    }
}

/// The header block of `message`, parsed once for everything intake reads from it (facts and
/// the policy's header view).
pub fn parse_header_block(message: &[u8]) -> Option<mail_parser::Message<'_>> {
    MessageParser::new().parse_headers(&message[..header_block_len(message)])
}

/// Length of the header block including its terminating blank line (whole message if none).
fn header_block_len(message: &[u8]) -> usize {
    if message.starts_with(b"\r\n") {
        return 2;
    }
    memfind(message, b"\r\n\r\n").map_or(message.len(), |i| i + 4)
}

fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `message` without the `Received` fields of its header block (SPEC §6.2: the trace the
/// application or its MTA added; our own is added after). Continuation lines go with their
/// field; the body is untouched.
pub(super) fn strip_received(message: &[u8]) -> Vec<u8> {
    let end = header_block_len(message);
    let mut out = Vec::with_capacity(message.len());
    let mut dropping = false;
    let mut rest = &message[..end];
    while !rest.is_empty() {
        let line_len = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let (line, tail) = rest.split_at(line_len);
        let continuation = matches!(line.first(), Some(b' ' | b'\t'));
        if !continuation {
            dropping = line.len() >= 9 && line[..9].eq_ignore_ascii_case(b"received:");
        }
        if !dropping {
            out.extend_from_slice(line);
        }
        rest = tail;
    }
    out.extend_from_slice(&message[end..]);
    out
}

/// The stored copy: our `Received` line, any missing `Message-ID`/`Date`, then the message.
pub(super) fn stored_message(
    tx: &Transaction,
    ctx: &IntakeContext<'_>,
    facts: &HeaderFacts,
    message_id: Id,
    header_message_id: &str,
    now_ms: u64,
) -> Vec<u8> {
    let date = rfc5322_date(now_ms);
    let protocol = match (tx.tls, tx.auth_user.is_some()) {
        (false, false) => "ESMTP",
        (true, false) => "ESMTPS",
        (false, true) => "ESMTPA",
        (true, true) => "ESMTPSA",
    };
    let tls = ctx
        .tls_version
        .map(|v| format!(" ({v})"))
        .unwrap_or_default();
    let helo = sanitize(&tx.helo);
    let mut head = format!(
        "Received: from {helo} ([{ip}])\r\n\tby {host} (hikyaku) with {protocol}{tls} id {message_id};\r\n\t{date}\r\n",
        ip = ctx.peer_ip,
        host = ctx.hostname,
    );
    if facts.message_id.is_none() {
        head.push_str(&format!("Message-ID: <{header_message_id}>\r\n"));
    }
    if !facts.has_date {
        head.push_str(&format!("Date: {date}\r\n"));
    }
    let mut out = Vec::with_capacity(head.len() + tx.body.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(&tx.body);
    out
}

/// HELO text is client-controlled: keep it printable and on one line inside our header.
fn sanitize(helo: &str) -> String {
    let s: String = helo.chars().filter(|c| !c.is_control()).take(255).collect();
    if s.is_empty() {
        "unknown".to_string()
    } else {
        s
    }
}

/// RFC 5322 date in UTC, e.g. `Tue, 24 Nov 2026 08:53:52 +0000`.
pub fn rfc5322_date(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{weekday}, {d} {month} {y} {:02}:{:02}:{:02} +0000",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}
