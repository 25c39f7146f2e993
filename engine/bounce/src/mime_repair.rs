//! A multipart message whose `boundary` parameter was lost: Exchange's
//! known header fault puts a blank line inside the folded `Content-Type`,
//! so the parameter lands in the body and the MIME parser sees one part.
//! The body's own delimiter lines still say what the boundary was.

use mail_parser::{Message, MimeHeaders};

/// The message rebuilt with the boundary its body's delimiter lines use,
/// when the top-level `Content-Type` is multipart and names none.
pub(crate) fn lost_boundary(msg: &Message<'_>, raw: &[u8]) -> Option<Vec<u8>> {
    let root = msg.root_part();
    let ct = root.content_type()?;
    if !ct.ctype().eq_ignore_ascii_case("multipart") || ct.attribute("boundary").is_some() {
        return None;
    }
    let body = raw.get(root.offset_body as usize..)?;
    let boundary = delimiter(body)?;
    let mut out = Vec::with_capacity(body.len() + 80);
    out.extend_from_slice(b"Content-Type: multipart/");
    out.extend_from_slice(ct.subtype().unwrap_or("mixed").as_bytes());
    out.extend_from_slice(b"; boundary=\"");
    out.extend_from_slice(boundary);
    out.extend_from_slice(b"\"\n\n");
    out.extend_from_slice(body);
    Some(out)
}

/// The first `--boundary` line followed by a part's header field, if its
/// closing `--boundary--` (or a second delimiter) follows too. Only the
/// first such line is tried: one pass over the body, however it is made.
fn delimiter(body: &[u8]) -> Option<&[u8]> {
    let mut lines = crate::text::split_lf(body)
        .map(<[u8]>::trim_ascii_end)
        .peekable();
    let b = loop {
        let line = lines.next()?;
        let Some(b) = line.strip_prefix(b"--") else {
            continue;
        };
        let plausible = (1..=70).contains(&b.len())
            && !b.ends_with(b"--")
            && b.iter().all(|&c| c.is_ascii_graphic() && c != b'"');
        let header_next = lines
            .peek()
            .and_then(|n| n.get(..8))
            .is_some_and(|p| p.eq_ignore_ascii_case(b"content-"));
        if plausible && header_next {
            break b;
        }
    };
    lines
        .any(|l| {
            l.strip_prefix(b"--")
                .is_some_and(|r| r == b || r.strip_suffix(b"--") == Some(b))
        })
        .then_some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundary_is_taken_from_the_delimiter_lines() {
        let body = b"\tboundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nhi\n--b1--\n";
        assert_eq!(delimiter(body), Some(&b"b1"[..]));
        // A signature's "--" or a rule of dashes is no delimiter.
        assert_eq!(delimiter(b"--\nContent-Type: x\n--\n"), None);
        assert_eq!(delimiter(b"------\nhi\n"), None);
        let raw = b"From: a@b.example\nContent-Type: multipart/report; report-type=delivery-status;\n\n\tboundary=\"b1\"\n\n--b1\nContent-Type: text/plain\n\nhi\n--b1--\n";
        let msg = mail_parser::MessageParser::new().parse(&raw[..]).unwrap();
        let fixed = lost_boundary(&msg, raw).unwrap();
        assert!(fixed.starts_with(b"Content-Type: multipart/report; boundary=\"b1\"\n\n"));
    }
}
