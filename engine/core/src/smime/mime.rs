//! Rebuilds a message as `multipart/signed` (RFC 8551 §3.5.3, RFC 1847).
//!
//! The top-level header block keeps every field except the MIME content fields
//! (`Content-*`) and `MIME-Version`; those content fields and the body become the first part,
//! which is what the signature covers, byte for byte. The second part is the detached CMS
//! signature (`smime.p7s`).
//!
//! Canonical form (RFC 8551 §3.1.1–3.1.2): every line ends in CRLF, and the signed content is
//! made 7-bit clean so that no relay on the way can re-encode it and break the signature: a
//! leaf part whose body holds 8-bit bytes, NULs or lines over 998 octets is re-encoded as
//! base64 (its `Content-Transfer-Encoding` replaced), inside multiparts as deep as they go. A
//! `message/*` part with 8-bit data (which RFC 2046 forbids to re-encode) or 8-bit text
//! between the parts of a multipart cannot be made 7-bit and is refused
//! ([`SmimeError::Message`]). Header fields are never re-encoded (8-bit header text exists
//! only in SMTPUTF8 mail, whose path is 8-bit by definition).

use std::borrow::Cow;
use std::ops::Range;

use base64::Engine;
use mail_parser::{MessageParser, MimeHeaders};

use super::{cms, Credential, SmimeError};

/// What [`sign_message`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// The signed message.
    Signed(Vec<u8>),
    /// The message already is S/MIME (`multipart/signed` or `application/pkcs7-mime`): the
    /// application signed or encrypted it itself and it is left as it is.
    AlreadySmime,
}

/// Signs `message` (a whole RFC 5322 message) with `signer` at `now_ms`.
pub fn sign_message(
    message: &[u8],
    signer: &Credential,
    now_ms: u64,
) -> Result<Signed, SmimeError> {
    let message = crlf(message);
    let (header, body) = split_entity(&message);
    let fields = fields(header);
    let mut top = Vec::with_capacity(header.len() + 200);
    let mut content_fields = Vec::new();
    for f in &fields {
        let name = field_name(f);
        if name.len() > 8 && name[..8].eq_ignore_ascii_case(b"content-") {
            content_fields.push(*f);
        } else if !name.eq_ignore_ascii_case(b"mime-version") {
            top.extend_from_slice(f);
        }
    }
    let mut entity = Vec::with_capacity(message.len() + 64);
    for f in &content_fields {
        entity.extend_from_slice(f);
    }
    if let Some(ct) = content_type(&entity) {
        let (t, s) = (ct.0.as_str(), ct.1.as_str());
        if (t == "multipart" && s == "signed")
            || (t == "application" && (s == "pkcs7-mime" || s == "x-pkcs7-mime"))
        {
            return Ok(Signed::AlreadySmime);
        }
    } else {
        // No Content-Type: RFC 2045's default, written out so the signed part says it.
        entity.extend_from_slice(default_content_type(body));
    }
    entity.extend_from_slice(b"\r\n");
    entity.extend_from_slice(body);
    let content = seven_bit(&entity)?.into_owned();
    let signature = cms::detached_signature(&content, signer, now_ms / 1000)?;
    let boundary = boundary(&content);
    let mut out = Vec::with_capacity(top.len() + content.len() + signature.len() * 4 / 3 + 512);
    out.extend_from_slice(&top);
    out.extend_from_slice(b"MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n\tmicalg=sha-256; boundary=\"");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(
        b"\"\r\n\r\nThis is a cryptographically signed message in MIME format.\r\n\r\n--",
    );
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&content);
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(
        b"\r\nContent-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n\
Content-Transfer-Encoding: base64\r\n\
Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\
Content-Description: S/MIME Cryptographic Signature\r\n\r\n",
    );
    out.extend_from_slice(&base64_lines(&signature));
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    Ok(Signed::Signed(out))
}

/// `message` with every line ending in CRLF (bare LF and bare CR become CRLF); borrowed when
/// it already is (SMTP DATA and the API's builder both write CRLF).
fn crlf(message: &[u8]) -> Cow<'_, [u8]> {
    // One look per line break (memchr), not per byte: this runs on every signed message.
    let bare = memchr::memchr2_iter(b'\r', b'\n', message).any(|i| match message[i] {
        b'\n' => i == 0 || message[i - 1] != b'\r',
        _ => message.get(i + 1) != Some(&b'\n'),
    });
    if !bare {
        return Cow::Borrowed(message);
    }
    let mut out = Vec::with_capacity(message.len() + message.len() / 32);
    let mut i = 0;
    while i < message.len() {
        match message[i] {
            b'\r' if message.get(i + 1) == Some(&b'\n') => {
                out.extend_from_slice(b"\r\n");
                i += 1;
            }
            b'\r' | b'\n' => out.extend_from_slice(b"\r\n"),
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// (header block including each field's CRLF but not the blank line, body).
fn split_entity(entity: &[u8]) -> (&[u8], &[u8]) {
    if entity.starts_with(b"\r\n") {
        return (&[], &entity[2..]);
    }
    match memchr::memmem::find(entity, b"\r\n\r\n") {
        Some(i) => (&entity[..i + 2], &entity[i + 4..]),
        None => (entity, &[]),
    }
}

/// The header fields of a header block, each with its continuation lines and final CRLF.
fn fields(header: &[u8]) -> Vec<&[u8]> {
    let mut out: Vec<&[u8]> = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    while pos < header.len() {
        let end =
            memchr::memmem::find(&header[pos..], b"\r\n").map_or(header.len(), |i| pos + i + 2);
        let continuation = matches!(header[pos], b' ' | b'\t');
        if !continuation && pos > start {
            out.push(&header[start..pos]);
            start = pos;
        }
        pos = end;
    }
    if pos > start {
        out.push(&header[start..pos]);
    }
    out
}

fn field_name(field: &[u8]) -> &[u8] {
    let end = field.iter().position(|&b| b == b':').unwrap_or(field.len());
    field[..end].trim_ascii()
}

/// Lower-cased (type, subtype) and boundary of an entity's Content-Type, if it has one.
fn content_type(entity: &[u8]) -> Option<(String, String, Option<String>)> {
    let (header, _) = split_entity(entity);
    let parsed = MessageParser::new().parse_headers(header)?;
    let ct = parsed.content_type()?;
    Some((
        ct.ctype().to_ascii_lowercase(),
        ct.subtype().unwrap_or("").to_ascii_lowercase(),
        ct.attribute("boundary").map(str::to_string),
    ))
}

fn default_content_type(body: &[u8]) -> &'static [u8] {
    if body.is_ascii() {
        b"Content-Type: text/plain; charset=us-ascii\r\n"
    } else if std::str::from_utf8(body).is_ok() {
        b"Content-Type: text/plain; charset=utf-8\r\n"
    } else {
        b"Content-Type: text/plain; charset=unknown-8bit\r\n"
    }
}

/// Whether `body` (CRLF lines) can travel any SMTP path unchanged: ASCII without NUL, lines
/// of at most 998 octets.
fn is_seven_bit(body: &[u8]) -> bool {
    if body.iter().any(|&b| b >= 0x80 || b == 0) {
        return false;
    }
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len())) {
        if nl - start > 999 {
            return false;
        }
        start = nl + 1;
    }
    true
}

/// `entity` (header block, blank line, body) with every leaf body made 7-bit (see the module
/// documentation); borrowed when nothing had to change.
fn seven_bit(entity: &[u8]) -> Result<Cow<'_, [u8]>, SmimeError> {
    let (header, body) = split_entity(entity);
    if is_seven_bit(body) {
        return Ok(Cow::Borrowed(entity));
    }
    let (ctype, subtype, boundary) =
        content_type(entity).unwrap_or_else(|| ("text".into(), "plain".into(), None));
    if ctype == "multipart" {
        let boundary = boundary.ok_or_else(|| {
            SmimeError::Message("a multipart part with 8-bit data has no boundary".into())
        })?;
        let layout = multipart_layout(body, boundary.as_bytes()).ok_or_else(|| {
            SmimeError::Message(format!("8-bit multipart without its boundary {boundary:?}"))
        })?;
        if !is_seven_bit(&body[layout.outside.0.clone()])
            || !is_seven_bit(&body[layout.outside.1.clone()])
        {
            return Err(SmimeError::Message(
                "8-bit text outside the parts of a multipart".into(),
            ));
        }
        let mut out = Vec::with_capacity(entity.len() + entity.len() / 3);
        out.extend_from_slice(&entity[..entity.len() - body.len()]);
        let mut copied = 0;
        for part in layout.parts {
            out.extend_from_slice(&body[copied..part.start]);
            out.extend_from_slice(&seven_bit(&body[part.clone()])?);
            copied = part.end;
        }
        out.extend_from_slice(&body[copied..]);
        return Ok(Cow::Owned(out));
    }
    if ctype == "message" {
        return Err(SmimeError::Message(format!(
            "a message/{subtype} part carries 8-bit data, which MIME does not allow to re-encode"
        )));
    }
    let mut out = Vec::with_capacity(header.len() + body.len() * 4 / 3 + 64);
    for f in fields(header) {
        let name = field_name(f);
        if name.eq_ignore_ascii_case(b"content-transfer-encoding") {
            let value = f[name.len()..]
                .strip_prefix(b":")
                .unwrap_or(&[])
                .trim_ascii()
                .to_ascii_lowercase();
            if value == b"base64" || value == b"quoted-printable" {
                return Err(SmimeError::Message(format!(
                    "a {} part holds raw 8-bit bytes",
                    String::from_utf8_lossy(&value)
                )));
            }
            continue;
        }
        out.extend_from_slice(f);
    }
    out.extend_from_slice(b"Content-Transfer-Encoding: base64\r\n\r\n");
    out.extend_from_slice(&base64_lines(body));
    Ok(Cow::Owned(out))
}

/// Where a multipart body's parts are (byte ranges, each a whole entity) and its preamble and
/// epilogue.
struct Layout {
    parts: Vec<Range<usize>>,
    outside: (Range<usize>, Range<usize>),
}

/// Finds the delimiter lines `--BOUNDARY` of `body`. The CRLF before a delimiter belongs to
/// it (RFC 2046 §5.1.1), so it is not part of the preceding range. `None` if there is none.
fn multipart_layout(body: &[u8], boundary: &[u8]) -> Option<Layout> {
    let mut parts = Vec::new();
    let mut preamble = None;
    let mut start: Option<usize> = None;
    let mut pos = 0;
    while pos < body.len() {
        let (line_end, next) = match memchr::memmem::find(&body[pos..], b"\r\n") {
            Some(i) => (pos + i, pos + i + 2),
            None => (body.len(), body.len()),
        };
        let line = &body[pos..line_end];
        if let Some(rest) = line
            .strip_prefix(b"--")
            .and_then(|l| l.strip_prefix(boundary))
        {
            let closing = rest.starts_with(b"--");
            let tail = if closing { &rest[2..] } else { rest };
            if tail.iter().all(|&b| b == b' ' || b == b'\t') {
                let end = pos.saturating_sub(2);
                match start {
                    None => preamble = Some(0..end),
                    Some(s) => parts.push(s..end.max(s)),
                }
                if closing {
                    return Some(Layout {
                        parts,
                        outside: (preamble.unwrap_or(0..0), next..body.len()),
                    });
                }
                start = Some(next);
            }
        }
        pos = next;
    }
    let preamble = preamble?;
    if let Some(s) = start {
        parts.push(s..body.len());
    }
    Some(Layout {
        parts,
        outside: (preamble, body.len()..body.len()),
    })
}

/// Base64 in lines of 76 characters, each ending in CRLF.
fn base64_lines(data: &[u8]) -> Vec<u8> {
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let mut out = Vec::with_capacity(text.len() + text.len() / 38 + 2);
    for chunk in text.as_bytes().chunks(76) {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A boundary that does not occur in `content`: random (RFC 2046 asks only that it not
/// appear in the part), drawn again in the (astronomically unlikely) case that it does.
fn boundary(content: &[u8]) -> String {
    loop {
        let candidate = format!("----=_smime_{:032x}", rand::random::<u128>());
        if memchr::memmem::find(content, candidate.as_bytes()).is_none() {
            return candidate;
        }
    }
}
