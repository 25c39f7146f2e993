//! Parts the MIME parser could not delimit (a boundary lost to a broken
//! header: Exchange's blank line inside a folded `Content-Type`) reach the
//! raw-body fallback still in their transfer encoding. Undone here, as far
//! as the raw text shows it, so that their words and addresses read whole;
//! an HTML part among them is rendered.

use std::borrow::Cow;

use crate::text::contains_ci;

/// Raw text with each `text/html` part's body (from the blank line after
/// its `Content-Type` field to the next `--` delimiter line) rendered as a
/// browser shows it: read as source, an HTML alternative's tags stand
/// between a contact's "via email at" and its address. The other parts keep
/// their lines as they are (a DSN's fields, a transcript's `<<<`).
pub fn html_parts_rendered(text: &str) -> Cow<'_, str> {
    if !contains_ci(text.as_bytes(), b"text/html") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n').peekable();
    let mut changed = false;
    while let Some(line) = lines.next() {
        out.push_str(line);
        let field = line.trim_start();
        let is_html = field
            .get(..13)
            .is_some_and(|p| p.eq_ignore_ascii_case("content-type:"))
            && contains_ci(field.as_bytes(), b"text/html");
        if !is_html {
            continue;
        }
        // The rest of the part's header block, then its body up to the
        // next delimiter line.
        while let Some(l) = lines.next_if(|l| !l.trim().is_empty()) {
            out.push_str(l);
        }
        if let Some(l) = lines.next() {
            out.push_str(l);
        }
        let mut body = String::new();
        while let Some(l) = lines.next_if(|l| !l.starts_with("--")) {
            body.push_str(l);
        }
        out.push_str(&crate::html::strip_html(&body));
        out.push('\n');
        changed = true;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// The raw text with its quoted-printable and base64 parts decoded.
pub fn decoded(raw: &[u8]) -> Cow<'_, [u8]> {
    match undo_base64(raw) {
        Cow::Borrowed(r) => undo_quoted_printable(r),
        Cow::Owned(r) => Cow::Owned(undo_quoted_printable(&r).into_owned()),
    }
}

/// Copies to `out` the rest of a part's header block from line `i` and
/// the blank line that ends it; the line its body starts at.
fn header_rest(lines: &[&[u8]], mut i: usize, out: &mut Vec<u8>) -> usize {
    while let Some(l) = lines.get(i).filter(|l| !l.trim_ascii().is_empty()) {
        out.extend_from_slice(l);
        out.push(b'\n');
        i += 1;
    }
    if let Some(l) = lines.get(i) {
        out.extend_from_slice(l);
        out.push(b'\n');
        i += 1;
    }
    i
}

/// Raw text with the body of each part that declares quoted-printable
/// (after its header block's blank line, up to the next `--` delimiter
/// line) decoded: soft line breaks (`=` at a line's end) joined and `=XX`
/// escapes decoded, anything else left as it is (a lenient reading, as a
/// truncated or hand-edited body needs). The other parts are left alone:
/// a DSN's `status=550` or `action=failed` is no escape. Text that
/// declares no such part is returned unchanged.
fn undo_quoted_printable(raw: &[u8]) -> Cow<'_, [u8]> {
    const FIELD: &[u8] = b"content-transfer-encoding: quoted-printable";
    if !contains_ci(raw, b"quoted-printable") || memchr::memchr(b'=', raw).is_none() {
        return Cow::Borrowed(raw);
    }
    let lines: Vec<&[u8]> = crate::text::split_lf(raw).collect();
    let is_field = |l: &[u8]| {
        let l = l.trim_ascii();
        l.len() >= FIELD.len()
            && l.get(..FIELD.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(FIELD))
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        out.extend_from_slice(line);
        out.push(b'\n');
        i += 1;
        if !is_field(line) {
            continue;
        }
        // The rest of the part's header block, then its body up to the
        // next delimiter line.
        i = header_rest(&lines, i, &mut out);
        let mut body = Vec::new();
        while let Some(l) = lines.get(i).filter(|l| !l.starts_with(b"--")) {
            body.extend_from_slice(l);
            body.push(b'\n');
            i += 1;
        }
        match quoted_printable_lenient(&body) {
            Cow::Owned(decoded) => {
                out.extend_from_slice(&decoded);
                changed = true;
            }
            Cow::Borrowed(same) => out.extend_from_slice(same),
        }
    }
    if changed {
        out.pop();
        Cow::Owned(out)
    } else {
        Cow::Borrowed(raw)
    }
}

/// `raw` with its soft line breaks joined and its `=XX` escapes decoded,
/// any other `=` left as it is: quoted-printable read leniently, as a
/// truncated or hand-edited body needs.
pub(crate) fn quoted_printable_lenient(raw: &[u8]) -> Cow<'_, [u8]> {
    let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16)).map(|d| d as u8);
    // Copied a run at a time between `=` signs; nothing is copied until an
    // escape or a soft break is met.
    let mut out: Option<Vec<u8>> = None;
    let mut from = 0;
    let mut i = 0;
    while let Some(eq) = raw.get(i..).and_then(|r| r.iter().position(|&b| b == b'=')) {
        let at = i + eq;
        let (skip, byte) = match (raw.get(at + 1), hex(raw.get(at + 1)), hex(raw.get(at + 2))) {
            (Some(b'\n'), ..) => (2, None),
            (_, Some(h), Some(l)) => (3, Some(h << 4 | l)),
            _ => {
                i = at + 1;
                continue;
            }
        };
        let o = out.get_or_insert_with(|| Vec::with_capacity(raw.len()));
        o.extend_from_slice(raw.get(from..at).unwrap_or(&[]));
        o.extend(byte);
        from = at + skip;
        i = from;
    }
    match out {
        Some(mut o) => {
            o.extend_from_slice(raw.get(from..).unwrap_or(&[]));
            Cow::Owned(o)
        }
        None => Cow::Borrowed(raw),
    }
}

/// Raw text with each block of base64 lines that follows a
/// `Content-Transfer-Encoding: base64` field (after its header block's blank
/// line) replaced by what it decodes to. A block that does not decode is
/// left as it is.
fn undo_base64(raw: &[u8]) -> Cow<'_, [u8]> {
    const FIELD: &[u8] = b"content-transfer-encoding: base64";
    if !contains_ci(raw, FIELD) {
        return Cow::Borrowed(raw);
    }
    let lines: Vec<&[u8]> = crate::text::split_lf(raw).collect();
    let is_b64 = |l: &[u8]| {
        let l = l.trim_ascii_end();
        l.len() >= 4
            && l.iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    let mut changed = false;
    while let Some(line) = lines.get(i) {
        out.extend_from_slice(line);
        out.push(b'\n');
        i += 1;
        if !(line.len() >= FIELD.len()
            && line
                .get(..FIELD.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(FIELD)))
        {
            continue;
        }
        // The rest of the part's header block, then its body's base64 lines.
        i = header_rest(&lines, i, &mut out);
        let start = i;
        while lines.get(i).is_some_and(|l| is_b64(l)) {
            i += 1;
        }
        let block: Vec<u8> = lines
            .get(start..i)
            .unwrap_or(&[])
            .iter()
            .flat_map(|l| l.trim_ascii_end().iter().copied())
            .collect();
        match mail_parser::decoders::base64::base64_decode(&block) {
            Some(text) if i > start => {
                out.extend_from_slice(&text);
                out.push(b'\n');
                changed = true;
            }
            _ => i = start,
        }
    }
    if changed {
        out.pop();
        Cow::Owned(out)
    } else {
        Cow::Borrowed(raw)
    }
}

/// The raw body of `view` as text, for a report whose parts the MIME
/// parser could not delimit: decoded from its transfer encoding, and its
/// HTML rendered (HTML source read as text is one long line that puts every
/// address next to every failure word; a multipart's HTML parts one by
/// one). None when, decoded, it holds no `@` and so names nobody.
pub(crate) fn body_as_text(view: &crate::mime::View) -> Option<String> {
    let decoded = decoded(&view.raw_body);
    // Nothing to find without an `@`.
    memchr::memchr(b'@', &decoded)?;
    // A single text part's bytes are in the charset its header declares
    // (Shift_JIS read as windows-1252 is noise); a multipart's raw body
    // holds parts of several.
    let raw = match view
        .text_charset
        .as_deref()
        .and_then(|c| mail_parser::decoders::charsets::map::charset_decoder(c.as_bytes()))
    {
        Some(decode) => decode(&decoded),
        None => crate::mime::text_of(&decoded),
    };
    let text = if view.html_body {
        crate::html::strip_html(&raw)
    } else {
        html_parts_rendered(&raw).into_owned()
    };
    Some(without_mime_syntax(&text))
}

/// `text` without the MIME syntax a raw body keeps: its delimiter lines
/// (`--boundary`, `--boundary--`) and `boundary=` parameters, whose value
/// may hold an `@` (Postfix's "ID.time/host", anonymised as
/// "18F5….1460023470/some@daemon.com") and is nobody's address.
fn without_mime_syntax(text: &str) -> String {
    let mime = |line: &str| {
        let t = line.trim();
        let delimiter = t.len() > 2 && t.starts_with("--") && !t.contains(char::is_whitespace);
        delimiter
            || memchr::memchr(b'=', t.as_bytes()).is_some()
                && crate::text::contains_ci(t.as_bytes(), b"boundary=")
    };
    let mut out = String::with_capacity(text.len());
    for line in crate::text::lines(text) {
        if !mime(line) {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_parts_declared_quoted_printable_are_decoded() {
        // A delivery-status part's `status=550` and `action=failed` after a
        // quoted-printable text part stay as written.
        let raw = b"--b\nContent-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9\n--b\n\
Content-Type: message/notifications\n\nstatus=550 (no such user); action=failed\n--b--\n";
        let out = undo_quoted_printable(raw);
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("caf\u{e9}"), "{text}");
        assert!(
            text.contains("status=550 (no such user); action=failed"),
            "{text}"
        );
    }

    #[test]
    fn quoted_printable_undone_only_where_declared() {
        let qp = b"Content-Transfer-Encoding: quoted-printable\n\n<mailto:kijitora@cr.ne=\nko.example.jp> caf=C3=A9 =3D ==\n";
        assert_eq!(
            &*undo_quoted_printable(qp),
            "Content-Transfer-Encoding: quoted-printable\n\n<mailto:kijitora@cr.neko.example.jp> café = ="
                .as_bytes()
        );
        assert!(matches!(
            undo_quoted_printable(b"a=\nb =3D"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn mime_delimiters_and_boundary_parameters_are_left_out() {
        let text = "Content-Type: multipart/mixed;\n boundary=\"1A2B/x@host.example\"\n\n\
--1A2B/x@host.example\n<a@b.example>: mailbox full\n--1A2B/x@host.example--\n-- \nsig\n";
        assert_eq!(
            without_mime_syntax(text),
            "Content-Type: multipart/mixed;\n\n\n\n<a@b.example>: mailbox full\n\n-- \nsig\n"
        );
    }

    #[test]
    fn html_parts_are_rendered_and_the_others_kept() {
        let raw = "--b\nContent-Type: text/plain\n\n<<< 550 5.1.1 <a@b.example>... unknown\n\
--b\nContent-Type: text/html; charset=utf-8\n\n<p>Write to us via email at\n\
<a href=\"mailto:help@b.example\">help@b.example</a>.</p>\n--b--\n";
        assert_eq!(
            html_parts_rendered(raw),
            "--b\nContent-Type: text/plain\n\n<<< 550 5.1.1 <a@b.example>... unknown\n\
--b\nContent-Type: text/html; charset=utf-8\n\n\nWrite to us via email at help@b.example.\n\n--b--\n"
        );
        assert!(matches!(
            html_parts_rendered("<<< 550 <a@b>"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn base64_blocks_after_their_field_are_decoded() {
        let raw = b"--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n\
amFuZS5kb2VAY29ycC5k\nZXN0LmV4YW1wbGU6IG1h\naWxib3ggZnVsbA==\n\n--b--";
        assert_eq!(
            &*decoded(raw),
            &b"--b\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n\
jane.doe@corp.dest.example: mailbox full\n\n--b--"[..]
        );
        // Not base64 after all: left as it is.
        let odd = b"Content-Transfer-Encoding: base64\n\nnot base64 text\n";
        assert!(matches!(decoded(odd), Cow::Borrowed(_)));
    }
}
