//! Flattens a parsed message into what the strategies need: the human
//! readable text, the machine-readable report parts, and the returned
//! original message's headers.

use std::sync::OnceLock;

use mail_parser::decoders::base64::base64_decode;
use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::decoders::quoted_printable::quoted_printable_decode;
use mail_parser::{
    Encoding, HeaderName, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use crate::html::strip_html;
use crate::text::canonical;

/// The returned original message, as far as the bounce includes it.
#[derive(Debug, Default, Clone)]
pub struct Original {
    /// `To`/`Cc` addresses of the original, the recipients of last resort.
    pub to: Vec<String>,
    /// `From` of the original: the sender, never a failed recipient.
    pub from: Option<String>,
    /// Message-ID of the original, for matching the delivery.
    pub message_id: Option<String>,
    /// Header blocks of the returned originals, raw: their `Received:`
    /// trace is read (`trace::trace_recipients`) only when a failure names
    /// nobody, which few bounces need.
    pub headers: Vec<Vec<u8>>,
}

/// Everything the strategies look at, decoded once.
#[derive(Debug, Default)]
pub struct View {
    /// `From` address of the bounce itself (lower case).
    pub from_addr: String,
    /// `From` display name of the bounce.
    pub from_name: String,
    /// Subject of the bounce.
    pub subject: String,
    /// `To` addresses of the bounce: the original sender.
    pub to: Vec<String>,
    /// The `report-type` parameter of a top-level multipart/report.
    pub report_type: Option<String>,
    /// Bodies of message/delivery-status parts.
    pub delivery_status: Vec<String>,
    /// A message/feedback-report part was present (RFC 5965).
    pub has_feedback_part: bool,
    /// The `Disposition` field of a message/disposition-notification part
    /// (RFC 8098), lower case: "manual-action/mdn-sent-manually; displayed".
    pub disposition: Option<String>,
    /// Human-readable text parts outside the attached original.
    pub texts: Vec<String>,
    /// The attached or inlined original, if any.
    pub original: Original,
    /// The original was attached (message/rfc822 or headers part).
    pub has_attached_original: bool,
    /// Raw bytes of the first attached message/rfc822 part, which some
    /// gateways use to forward the real (inner) bounce.
    pub attached_raw: Vec<u8>,
    /// The raw body (after the top header block), for messages whose MIME
    /// structure is broken; decoded only when that fallback runs.
    pub raw_body: Vec<u8>,
    /// The message is a single `text/html` part: its raw body is HTML
    /// source.
    pub html_body: bool,
    /// The legacy charset a top-level `text/*` part declares (lower case;
    /// not UTF-8 or ASCII, which `text_of` reads as they come): its raw
    /// body's bytes are in it.
    pub text_charset: Option<String>,
    /// `type/subtype` of every leaf part, lower case (report attachments).
    pub part_types: Vec<String>,
    /// File names of the leaf parts that carry one, lower case (a report's
    /// attachment is named by RFC 7489 whatever media type it is sent as).
    pub file_names: Vec<String>,
    /// The top-level header fields, name as written and trimmed raw value;
    /// looked up by [`View::header`], which ignores the name's case.
    pub headers: crate::header_fields::HeaderFields,
}

impl View {
    /// A top-level header value (first occurrence), case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }
}

fn addr_list(a: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    a.map(|a| {
        a.iter()
            .filter_map(|x| x.address())
            .map(canonical)
            .filter(|s| s.contains('@'))
            .collect()
    })
    .unwrap_or_default()
}

fn original_from(m: &Message<'_>, raw: &[u8]) -> Original {
    let mut to = addr_list(m.to());
    to.extend(addr_list(m.cc()));
    // A headers-only part has no body offset: all of it is header. The
    // block ends at its first empty line whatever the offset says: for a
    // multipart returned message the parser's body offset can lie past the
    // headers of a message attached inside it (a list's command reply
    // returning the mail it answers), whose `Return-Path:` is no sender of
    // ours.
    let end = match m.root_part().offset_body as usize {
        0 => raw.len(),
        e => e.min(raw.len()),
    };
    let end = first_empty_line(raw).map_or(end, |blank| blank.min(end));
    let headers = raw.get(..end).unwrap_or(raw).to_vec();
    Original {
        to,
        from: addr_list(m.from()).into_iter().next(),
        message_id: m.message_id().map(str::to_string),
        headers: vec![headers],
    }
}

/// Where the first empty line of `raw` starts (the end of a header block),
/// blank lines before its first field passed over.
fn first_empty_line(raw: &[u8]) -> Option<usize> {
    let lead = raw
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let rest = raw.get(lead..)?;
    memchr::memmem::find(rest, b"\n\n")
        .into_iter()
        .chain(memchr::memmem::find(rest, b"\n\r\n"))
        .min()
        .map(|at| lead + at + 1)
}

/// The header block of a body part when it holds a returned message's own
/// fields (`Received:`, `Message-ID:`) after the part's `Content-*` ones,
/// for want of the blank line between them.
fn run_on_header<'a>(part: &MessagePart<'_>, raw: &'a [u8]) -> Option<&'a [u8]> {
    let block = raw.get(part.offset_header as usize..part.offset_body as usize)?;
    let own = |line: &[u8]| {
        let name = line.split(|&b| b == b':').next().unwrap_or(&[]);
        name.eq_ignore_ascii_case(b"received") || name.eq_ignore_ascii_case(b"message-id")
    };
    crate::text::split_lf(block).any(own).then_some(block)
}

/// The text of a part whose declared charset is wrong, as mail systems write it: UTF-8 or
/// ISO-2022-JP bytes sent as `us-ascii` or with no charset (which mail-parser reads as UTF-8,
/// leaving ISO-2022-JP's escapes in the text), UTF-8 or Shift_JIS bytes sent as 7-bit
/// ISO-2022-JP, and 8-bit text with no charset that is not UTF-8. `us-ascii` is decoded as windows-1252 (the WHATWG rule), which turns
/// "宛先のメールアドレスが存在しません" into mojibake no phrase matches. `None` when the
/// declaration holds or the bytes are neither.
fn misdeclared_text(part: &MessagePart<'_>, raw: &[u8]) -> Option<String> {
    let charset = part
        .content_type()
        .and_then(|c| c.attribute("charset"))
        .map(|c| c.trim().to_ascii_lowercase());
    let japanese = charset
        .as_deref()
        .is_some_and(|c| c.starts_with("iso-2022-jp"));
    let ascii = match charset.as_deref() {
        None => false,
        Some("us-ascii" | "ascii" | "us_ascii" | "ansi_x3.4-1968") => true,
        // ISO-2022-JP (and its -KR, -CN kin) is 7-bit: an 8-bit byte in such
        // a part says the label is wrong. Japanese servers and relays send
        // UTF-8 or Shift_JIS so labelled.
        Some(c) if c.starts_with("iso-2022-") => true,
        // A name no decoder knows (`unknown-8bit`, `x-unknown`, `8bit`) says
        // nothing: read as if undeclared.
        Some(c) if charset_decoder(c.as_bytes()).is_none() => false,
        Some(_) => return None,
    };
    let body = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    let bytes = match part.encoding {
        Encoding::None => std::borrow::Cow::Borrowed(body),
        Encoding::QuotedPrintable => quoted_printable_decode(body)?.into(),
        Encoding::Base64 => base64_decode(body)?.into(),
    };
    if let Some(t) = jis_text(&bytes) {
        return Some(t);
    }
    if bytes.is_ascii() {
        return None;
    }
    match std::str::from_utf8(&bytes) {
        Ok(t) => ascii.then(|| t.to_owned()),
        // No charset and not UTF-8: an 8-bit legacy text (a French or
        // German server's "Boîte pleine", "Empfänger unbekannt"), read as
        // windows-1252 rather than with replacement characters.
        Err(_) if !ascii => Some(legacy_text(&bytes)),
        Err(_) if japanese => charset_decoder(b"shift_jis")
            .map(|d| d(&bytes))
            .filter(|t| !t.contains('\u{fffd}')),
        Err(_) => None,
    }
}

/// Bytes that are not UTF-8, as windows-1252 (the superset of Latin-1 that
/// undeclared 8-bit mail text mostly is).
fn legacy_text(bytes: &[u8]) -> String {
    match charset_decoder(b"windows-1252") {
        Some(d) => d(bytes),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Bytes of no declared charset as text: UTF-8 (also RFC 6533's
/// delivery-status parts), else 8-bit legacy text.
pub(crate) fn text_of(bytes: &[u8]) -> String {
    if let Some(t) = jis_text(bytes) {
        return t;
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => legacy_text(bytes),
    }
}

/// A text part the MIME parser found no end for (a truncated message, its
/// closing delimiter lost) comes back still in its transfer encoding: a
/// quoted-printable soft break splits an address (`<ots=` / `u@x>`) and
/// base64 reads as noise. Decoded here as far as it goes, then by its
/// declared charset.
fn unterminated_text(part: &MessagePart<'_>, raw: &[u8]) -> Option<String> {
    let body = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    let cte = part.content_transfer_encoding().unwrap_or("").trim();
    let bytes: std::borrow::Cow<'_, [u8]> = if cte.eq_ignore_ascii_case("quoted-printable") {
        crate::raw_transfer::quoted_printable_lenient(body)
    } else if cte.eq_ignore_ascii_case("base64") {
        let mut b64: Vec<u8> = body
            .iter()
            .copied()
            .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            .collect();
        b64.truncate(b64.len() / 4 * 4);
        base64_decode(&b64)?.into()
    } else {
        body.into()
    };
    let declared = part
        .content_type()
        .and_then(|c| c.attribute("charset"))
        .and_then(|c| charset_decoder(c.trim().as_bytes()));
    if let Some(t) = jis_text(&bytes) {
        return Some(t);
    }
    Some(match (std::str::from_utf8(&bytes), declared) {
        (Ok(t), _) => t.to_owned(),
        (Err(_), Some(decode)) => decode(&bytes),
        (Err(_), None) => text_of(&bytes),
    })
}

/// 7-bit bytes holding ISO-2022-JP's kanji escapes (`ESC $ B`, `ESC $ @`),
/// decoded: they are valid UTF-8 too, and read as such they leave the
/// Japanese as `$B…(B` noise. Japanese carriers' reports are written so,
/// declared or not (a raw body read past a broken part, a wrong label).
fn jis_text(bytes: &[u8]) -> Option<String> {
    let escaped = memchr::memchr(0x1b, bytes).is_some()
        && bytes.is_ascii()
        && bytes.windows(3).any(|w| w == b"\x1b$B" || w == b"\x1b$@");
    escaped
        .then(|| charset_decoder(b"iso-2022-jp"))
        .flatten()
        .map(|d| d(bytes))
}

fn merge(into: &mut Original, o: Original) {
    if into.to.is_empty() {
        into.to = o.to;
    }
    if into.from.is_none() {
        into.from = o.from;
    }
    if into.message_id.is_none() {
        into.message_id = o.message_id;
    }
    into.headers.extend(o.headers);
}

/// The parser, configured once: only the headers this crate reads through
/// typed accessors (MIME, From/To/Cc, Subject, Message-ID) are parsed into
/// structures; every other header is skipped, its value read later from
/// the raw bytes (`headers_raw`, by offset). mail-parser's default parses
/// every registered header, and tokenising the `Received:` traces of a
/// bounce and of its returned original was a tenth of the parse time;
/// copying the skipped values into strings nobody read was another 4 %.
fn parser() -> &'static MessageParser {
    static P: OnceLock<MessageParser> = OnceLock::new();
    P.get_or_init(|| {
        MessageParser::new()
            .default_header_ignore()
            .with_mime_headers()
            .header_text(HeaderName::Subject)
            .header_address(HeaderName::From)
            .header_address(HeaderName::To)
            .header_address(HeaderName::Cc)
            .header_id(HeaderName::MessageId)
    })
}

/// Builds the view; `None` when mail-parser finds no message at all.
pub fn view(raw: &[u8]) -> Option<View> {
    let msg = parser().parse(raw)?;
    let mut v = View {
        from_addr: addr_list(msg.from()).into_iter().next().unwrap_or_default(),
        from_name: msg
            .from()
            .and_then(|a| a.first())
            .and_then(|a| a.name())
            .unwrap_or("")
            .to_string(),
        subject: msg.subject().unwrap_or("").to_string(),
        to: addr_list(msg.to()),
        ..View::default()
    };
    for (name, value) in msg.headers_raw() {
        v.headers.push(name, value.trim());
    }
    if let Some(ct) = msg.root_part().content_type() {
        let text = ct.ctype().eq_ignore_ascii_case("text");
        v.html_body = text && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("html"));
        // (UTF-8 and ASCII labels are left to `text_of`, UTF-8 first: an
        // ASCII label over UTF-8 bytes is a common slip.)
        v.text_charset = ct
            .attribute("charset")
            .filter(|_| text)
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| {
                !c.is_empty() && !matches!(c.as_str(), "us-ascii" | "ascii" | "utf-8" | "utf8")
            });
        if ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
        {
            v.report_type = ct.attribute("report-type").map(|s| s.to_ascii_lowercase());
        }
    }
    // A boundary lost to a broken header: the parts are read from the
    // message rebuilt with the boundary its delimiter lines use.
    let rebuilt = crate::mime_repair::lost_boundary(&msg, raw);
    let reparsed = rebuilt.as_deref().and_then(|r| parser().parse(r));
    let (msg, raw) = match (&reparsed, rebuilt.as_deref()) {
        (Some(m), Some(r)) => (m, r),
        _ => (&msg, raw),
    };
    let mut html = Vec::new();
    let mut returned = Vec::new();
    let mut stubs = stub_alternatives(msg);
    for (i, part) in msg.parts.iter().enumerate() {
        if let Some(s) = stubs.iter_mut().find(|s| s.html == i) {
            let rendered = std::mem::take(&mut s.rendered);
            if s.stub {
                v.texts.push(rendered);
            } else {
                html.push(rendered);
            }
            continue;
        }
        // The blank line after a returned message's part header lost
        // (copied or re-wrapped reports): its own header fields run on in
        // the part's header block, and its `Content-Type` (often
        // `multipart/mixed`) becomes the part's.
        if i > 0 {
            if let Some(h) = run_on_header(part, raw) {
                if let Some(hm) = parser().parse_headers(h) {
                    v.has_attached_original = true;
                    merge(&mut v.original, original_from(&hm, h));
                }
            }
        }
        let (ctype, sub) = part
            .content_type()
            .map(|c| {
                (
                    c.ctype().to_ascii_lowercase(),
                    c.subtype().unwrap_or("").to_ascii_lowercase(),
                )
            })
            .unwrap_or_else(|| ("text".into(), "plain".into()));
        if !matches!(part.body, PartType::Multipart(_)) {
            v.part_types.push(format!("{ctype}/{sub}"));
            if let Some(name) = part.attachment_name() {
                v.file_names.push(name.to_ascii_lowercase());
            }
        }
        match (&part.body, ctype.as_str(), sub.as_str()) {
            (_, "message", "delivery-status" | "global-delivery-status") => {
                v.delivery_status.push(text_of(part.contents()));
            }
            (_, "message", "feedback-report") => v.has_feedback_part = true,
            (_, "message", "disposition-notification" | "global-disposition-notification") => {
                let fields = text_of(part.contents());
                v.disposition = fields.lines().find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.trim()
                        .eq_ignore_ascii_case("disposition")
                        .then(|| value.trim().to_ascii_lowercase())
                });
            }
            (PartType::Message(m), _, _) => {
                returned.push(part.offset_body as usize..part.offset_end as usize);
                v.has_attached_original = true;
                if v.attached_raw.is_empty() {
                    v.attached_raw = m.raw_message().to_vec();
                }
                merge(&mut v.original, original_from(m, m.raw_message()));
            }
            // Headers only, or a returned original the parser could not
            // delimit (a message cut short: it comes back as text).
            (_, "text", "rfc822-headers")
            | (_, "message", "rfc822-headers" | "rfc822" | "global" | "global-headers") => {
                returned.push(part.offset_body as usize..part.offset_end as usize);
                v.has_attached_original = true;
                if let Some(m) = parser().parse_headers(part.contents()) {
                    merge(&mut v.original, original_from(&m, part.contents()));
                }
            }
            // Not a part of the returned original that the parser's
            // recovery lifted out of it: that text stays the sender's.
            (PartType::Text(_), "text", _)
                if part.is_encoding_problem
                    && !returned
                        .iter()
                        .any(|r| r.contains(&(part.offset_header as usize))) =>
            {
                if let Some(t) = unterminated_text(part, raw) {
                    if crate::html::is_html_document(&t) {
                        v.texts.push(strip_html(&t));
                    } else {
                        v.texts.push(t);
                    }
                }
            }
            // An HTML document sent as plain text (no `Content-Type`, a
            // mailer's wrong label): read as the HTML it is.
            (PartType::Text(t), _, _) if crate::html::is_html_document(t) => {
                v.texts.push(strip_html(t));
            }
            (PartType::Text(t), _, _) => v
                .texts
                .push(misdeclared_text(part, raw).unwrap_or_else(|| t.to_string())),
            (PartType::Html(h), _, _) => html.push(strip_html(h)),
            (PartType::Binary(b) | PartType::InlineBinary(b), "text", _) => {
                v.texts.push(text_of(b));
            }
            _ => {}
        }
    }
    if v.texts.is_empty() {
        v.texts = html;
    }
    let body_start = (msg.root_part().offset_body as usize).min(raw.len());
    v.raw_body = without(raw, body_start, &returned);
    Some(v)
}

/// A `multipart/alternative`'s HTML part, rendered. Where the plain part
/// does not say what the HTML says ("view this report in an HTML reader", a
/// summary), the HTML is read as well.
struct StubAlternative {
    html: usize,
    rendered: String,
    /// The plain part is a stub: the HTML is read as well.
    stub: bool,
}

/// The `multipart/alternative`s of `msg` with a plain and an HTML part,
/// the HTML rendered once: a stub where the plain part holds under half the
/// words of the rendered HTML. Equal alternatives (Exchange writes both in
/// full) are read once, from the plain part.
fn stub_alternatives(msg: &Message<'_>) -> Vec<StubAlternative> {
    let mut out = Vec::new();
    for part in &msg.parts {
        let PartType::Multipart(kids) = &part.body else {
            continue;
        };
        if !part
            .content_type()
            .and_then(|c| c.subtype())
            .is_some_and(|s| s.eq_ignore_ascii_case("alternative"))
        {
            continue;
        }
        let kid = |want: fn(&PartType<'_>) -> bool| {
            kids.iter()
                .map(|&k| k as usize)
                .find(|&k| msg.parts.get(k).is_some_and(|p| want(&p.body)))
        };
        let (Some(plain), Some(html)) = (
            kid(|b| matches!(b, PartType::Text(_))),
            kid(|b| matches!(b, PartType::Html(_))),
        ) else {
            continue;
        };
        let (Some(PartType::Text(p)), Some(PartType::Html(h))) = (
            msg.parts.get(plain).map(|p| &p.body),
            msg.parts.get(html).map(|p| &p.body),
        ) else {
            continue;
        };
        let rendered = strip_html(h);
        // A plain part about as long as the HTML's text says it all (the
        // usual case, counted without building word sets); a shorter one
        // is compared word by word.
        let letters = |t: &str| t.chars().filter(|c| c.is_alphanumeric()).count();
        let stub = letters(p) * 10 < letters(&rendered) * 9 && {
            let plain_words = words(p);
            let html_words = words(&rendered);
            html_words.intersection(&plain_words).count() * 2 < html_words.len()
        };
        // Rendered once: an equal HTML part is kept as the texts' fallback.
        out.push(StubAlternative {
            html,
            stub,
            rendered,
        });
    }
    out
}

/// The distinct words of a text, as written (both alternatives come from
/// one writer).
fn words(t: &str) -> std::collections::HashSet<&str> {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `raw` from `start` on, less the `returned` ranges: the returned
/// original's parts, where the MIME parser found them, are the sender's own
/// mail, whose words and `To:` are no evidence of a failure (the raw body
/// is read when broken MIME hides the report's text).
fn without(raw: &[u8], start: usize, returned: &[std::ops::Range<usize>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len().saturating_sub(start));
    let mut at = start;
    for r in returned {
        if r.start > at {
            out.extend_from_slice(raw.get(at..r.start).unwrap_or(&[]));
        }
        at = at.max(r.end);
    }
    out.extend_from_slice(raw.get(at..).unwrap_or(&[]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_2022_jp_escapes_are_decoded_wherever_text_is_read() {
        // "宛先" in ISO-2022-JP, then ASCII.
        let jis = b"\x1b$B08@h\x1b(B: a@b.example";
        assert_eq!(text_of(jis), "宛先: a@b.example");
        assert_eq!(text_of(b"plain $B text"), "plain $B text");
        // Not 7-bit: not ISO-2022-JP whatever it holds.
        assert_eq!(text_of("é \x1b$B".as_bytes()), "é \x1b$B");
    }
}
