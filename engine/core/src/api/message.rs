//! Building and checking the messages of the sending API (SPEC §4): every parameter is
//! validated before anything is queued, and every error names its field.

use base64::Engine;
use hikyaku_rpc::types::send::{Attachment, Header, SendSingle};
use hikyaku_smtp::{parse_address, Address, Transaction};
use mail_builder::headers::text::Text;
use mail_builder::MessageBuilder;

use super::ApiError;

/// Headers the sending API sets from its own parameters; custom headers may not override
/// them (a second `From` or `Content-Type` would make the message ambiguous).
const RESERVED: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "sender",
    "received",
    "return-path",
];

/// A parsed `Name <addr>` or bare `addr`.
pub(crate) struct Mailbox {
    pub(crate) name: Option<String>,
    pub(crate) address: Address,
}

/// Parses one mailbox of field `field`.
pub(crate) fn mailbox(field: &str, text: &str) -> Result<Mailbox, ApiError> {
    let trimmed = text.trim();
    let (name, addr) = match (trimmed.rfind('<'), trimmed.ends_with('>')) {
        (Some(open), true) => {
            let name = trimmed[..open].trim().trim_matches('"').trim();
            (
                (!name.is_empty()).then(|| name.to_string()),
                &trimmed[open + 1..trimmed.len() - 1],
            )
        }
        _ => (None, trimmed),
    };
    if addr.is_empty() {
        return Err(ApiError::invalid(field, "an address is required"));
    }
    let address = parse_address(addr, true)
        .map_err(|e| ApiError::invalid(field, format!("{addr:?} is not a valid address ({e})")))?;
    Ok(Mailbox { name, address })
}

fn builder_address(m: &Mailbox) -> mail_builder::headers::address::Address<'static> {
    let addr = m.address.to_string();
    match &m.name {
        Some(n) => (n.clone(), addr).into(),
        None => addr.into(),
    }
}

/// Checks one custom header.
fn check_header(field: &str, h: &Header) -> Result<(), ApiError> {
    let name_ok = !h.name.is_empty()
        && h.name.len() <= 76
        && h.name.bytes().all(|b| (33..=126).contains(&b) && b != b':');
    if !name_ok {
        return Err(ApiError::invalid(
            format!("{field}.name"),
            format!(
                "{:?} is not a header field name (printable ASCII, no colon)",
                h.name
            ),
        ));
    }
    if RESERVED.contains(&h.name.to_ascii_lowercase().as_str()) {
        return Err(ApiError::invalid(
            format!("{field}.name"),
            format!(
                "{:?} is set by its own parameter, not as a custom header",
                h.name
            ),
        ));
    }
    if h.value.chars().any(|c| c == '\r' || c == '\n' || c == '\0') {
        return Err(ApiError::invalid(
            format!("{field}.value"),
            "header values may not contain CR, LF or NUL",
        ));
    }
    Ok(())
}

/// Decodes one attachment.
fn decode_attachment(field: &str, a: &Attachment) -> Result<(String, Vec<u8>), ApiError> {
    if a.filename.is_empty() || a.filename.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            format!("{field}.filename"),
            "a file name without control characters is required",
        ));
    }
    let content_type = a
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".to_string());
    let ct_ok = content_type
        .split_once('/')
        .is_some_and(|(t, s)| !t.is_empty() && !s.is_empty())
        && content_type
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/+-.".contains(&b));
    if !ct_ok {
        return Err(ApiError::invalid(
            format!("{field}.content_type"),
            format!("{content_type:?} is not a MIME type such as application/pdf"),
        ));
    }
    let cleaned: String = a.content.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(cleaned.trim_end_matches('='))
        .map_err(|e| {
            ApiError::invalid(
                format!("{field}.content"),
                format!("not valid base64 ({e})"),
            )
        })?;
    Ok((content_type, bytes))
}

/// Limits a built message must respect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Largest message in bytes.
    pub(crate) max_bytes: usize,
    /// Most recipients.
    pub(crate) max_recipients: usize,
}

/// A recipient refused for its format while the rest of the message goes ahead (SPEC §6.1:
/// via the API it becomes a `failed` delivery with error status 9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    /// The parameter that held it, e.g. `to[1]`.
    pub(crate) field: String,
    /// The recipient as given.
    pub(crate) recipient: String,
    /// What is wrong with it.
    pub(crate) reason: String,
}

impl Refused {
    /// The whole-call error this refusal becomes when no recipient is left.
    pub(crate) fn into_error(self) -> ApiError {
        ApiError::invalid(self.field, self.reason)
    }

    /// The lower-cased domain part, as far as one can be told (for the delivery log).
    pub(crate) fn domain(&self) -> String {
        let text = self.recipient.trim().trim_end_matches('>');
        text.rsplit_once('@')
            .map(|(_, d)| d.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// A built message and the recipients refused for their format.
pub(crate) struct Built {
    /// What to queue.
    pub(crate) tx: Transaction,
    /// Malformed recipients left out of `tx` (and out of the To/Cc headers).
    pub(crate) refused: Vec<Refused>,
}

/// Builds the MIME message of `p` and the transaction that queues it; any malformed
/// recipient is an error.
pub(crate) fn build(
    p: &SendSingle,
    api_user: Option<&str>,
    header_message_id: &str,
    now_ms: u64,
    limits: Limits,
) -> Result<Transaction, ApiError> {
    let built = build_partial(p, api_user, header_message_id, now_ms, limits)?;
    match built.refused.into_iter().next() {
        Some(r) => Err(r.into_error()),
        None => Ok(built.tx),
    }
}

/// Builds the MIME message of `p` for its well-formed recipients and lists the others. When
/// no recipient is well-formed, the first malformed one is the error of the whole call.
pub(crate) fn build_partial(
    p: &SendSingle,
    api_user: Option<&str>,
    header_message_id: &str,
    now_ms: u64,
    limits: Limits,
) -> Result<Built, ApiError> {
    let from = mailbox("from", &p.from)?;
    let mut recipients = Vec::new();
    let mut refused = Vec::new();
    let mut to = Vec::new();
    let mut cc = Vec::new();
    for (list, name, shown) in [
        (&p.to, "to", Some(&mut to)),
        (&p.cc, "cc", Some(&mut cc)),
        (&p.bcc, "bcc", None),
    ] {
        let mut shown = shown;
        for (i, text) in list.iter().enumerate() {
            let field = format!("{name}[{i}]");
            let m = match mailbox(&field, text) {
                Ok(m) => m,
                Err(ApiError::Invalid { field, message }) => {
                    refused.push(Refused {
                        field,
                        recipient: text.clone(),
                        reason: message,
                    });
                    continue;
                }
                Err(other) => return Err(other),
            };
            recipients.push(m.address.clone());
            if let Some(v) = shown.as_mut() {
                v.push(builder_address(&m));
            }
        }
    }
    if recipients.is_empty() {
        return Err(match refused.into_iter().next() {
            Some(r) => r.into_error(),
            None => ApiError::invalid("to", "at least one recipient is required in to, cc or bcc"),
        });
    }
    if recipients.len() > limits.max_recipients {
        return Err(ApiError::invalid(
            "to",
            format!(
                "{} recipients exceed the limit of {} per message (relay.max_recipients)",
                recipients.len(),
                limits.max_recipients
            ),
        ));
    }
    if p.text.is_none() && p.html.is_none() {
        return Err(ApiError::invalid("text", "give text, html or both"));
    }
    let envelope_from = match &p.envelope_from {
        Some(e) if e.is_empty() => None,
        Some(e) => Some(mailbox("envelope_from", e)?.address),
        None => Some(from.address.clone()),
    };
    for (i, h) in p.headers.iter().enumerate() {
        check_header(&format!("headers[{i}]"), h)?;
    }
    for (i, t) in p.tags.iter().enumerate() {
        if t.is_empty() || t.len() > 128 || t.chars().any(char::is_control) {
            return Err(ApiError::invalid(
                format!("tags[{i}]"),
                "tags are 1-128 characters without control characters",
            ));
        }
    }
    let mut builder = MessageBuilder::new()
        .from(builder_address(&from))
        .subject(p.subject.clone())
        .message_id(header_message_id.to_string())
        .date(i64::try_from(now_ms / 1000).unwrap_or(0));
    if !to.is_empty() {
        builder = builder.to(to);
    }
    if !cc.is_empty() {
        builder = builder.cc(cc);
    }
    if let Some(r) = &p.reply_to {
        builder = builder.reply_to(builder_address(&mailbox("reply_to", r)?));
    }
    for h in &p.headers {
        builder = builder.header(h.name.clone(), Text::new(h.value.clone()));
    }
    if let Some(t) = &p.text {
        builder = builder.text_body(t.clone());
    }
    if let Some(h) = &p.html {
        builder = builder.html_body(h.clone());
    }
    for (i, a) in p.attachments.iter().enumerate() {
        let (ct, bytes) = decode_attachment(&format!("attachments[{i}]"), a)?;
        builder = builder.attachment(ct, a.filename.clone(), bytes);
    }
    let body = builder
        .write_to_vec()
        .map_err(|e| ApiError::Unavailable(format!("building the message: {e}")))?;
    if body.len() > limits.max_bytes {
        return Err(ApiError::invalid(
            "message",
            format!(
                "the built message has {} bytes, over the limit of {} (relay.max_message_size_kb)",
                body.len(),
                limits.max_bytes
            ),
        ));
    }
    let smtputf8 = recipients.iter().any(Address::is_utf8)
        || envelope_from.as_ref().is_some_and(Address::is_utf8);
    Ok(Built {
        tx: Transaction {
            helo: "json-rpc".into(),
            mail_from: envelope_from,
            recipients,
            body,
            smtputf8,
            eight_bit_mime: true,
            auth_user: api_user.map(str::to_string),
            tls: false,
        },
        refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_bytes: 1 << 20,
        max_recipients: 100,
    };

    fn basic() -> SendSingle {
        SendSingle {
            from: "Shop <shop@example.com>".into(),
            to: vec!["a@example.net".into()],
            bcc: vec!["hidden@example.org".into()],
            subject: "こんにちは".into(),
            text: Some("Hello".into()),
            html: Some("<p>Hello</p>".into()),
            attachments: vec![Attachment {
                filename: "a.txt".into(),
                content_type: Some("text/plain".into()),
                content: "aGVsbG8=".into(),
            }],
            headers: vec![Header {
                name: "X-Campaign".into(),
                value: "winter".into(),
            }],
            ..SendSingle::default()
        }
    }

    #[test]
    fn builds_multipart_with_encoded_subject_and_hidden_bcc() {
        let tx = build(&basic(), Some("app"), "id1@host", 1_700_000_000_000, LIMITS).unwrap();
        let text = String::from_utf8(tx.body.clone()).unwrap();
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(text.contains("multipart/mixed"));
        assert!(text.contains("Subject: =?utf-8?"), "{text}");
        assert!(text.contains("Message-ID: <id1@host>"));
        assert!(text.contains("X-Campaign: winter"));
        assert!(!text.to_ascii_lowercase().contains("hidden@example.org"));
        assert_eq!(tx.recipients.len(), 2);
        assert_eq!(tx.mail_from.unwrap().to_string(), "shop@example.com");
        // Parses back.
        let parsed = mail_parser::MessageParser::default()
            .parse(&tx.body)
            .unwrap();
        assert_eq!(parsed.subject(), Some("こんにちは"));
        assert_eq!(parsed.attachment_count(), 1);
    }

    #[test]
    fn every_bad_input_names_its_field() {
        type Mutation = Box<dyn Fn(&mut SendSingle)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|p| p.from = String::new()), "from:"),
            (Box::new(|p| p.to = vec!["not-an-address".into()]), "to[0]:"),
            (Box::new(|p| p.cc = vec!["x@bad..domain".into()]), "cc[0]:"),
            (
                Box::new(|p| {
                    p.to.clear();
                    p.bcc.clear();
                }),
                "to:",
            ),
            (
                Box::new(|p| {
                    p.text = None;
                    p.html = None;
                }),
                "text:",
            ),
            (
                Box::new(|p| p.attachments[0].content = "!!!".into()),
                "attachments[0].content:",
            ),
            (
                Box::new(|p| p.attachments[0].content_type = Some("pdf".into())),
                "attachments[0].content_type:",
            ),
            (
                Box::new(|p| p.headers[0].name = "From".into()),
                "headers[0].name:",
            ),
            (
                Box::new(|p| p.headers[0].value = "a\r\nBcc: x@y.z".into()),
                "headers[0].value:",
            ),
            (Box::new(|p| p.text = Some("x".repeat(2 << 20))), "message:"),
            (
                Box::new(|p| p.envelope_from = Some("bad".into())),
                "envelope_from:",
            ),
        ];
        for (mutate, prefix) in cases {
            let mut p = basic();
            mutate(&mut p);
            let err = build(&p, None, "i@h", 0, LIMITS).unwrap_err().to_string();
            assert!(err.starts_with(prefix), "{prefix}: {err}");
        }
    }

    #[test]
    fn malformed_recipients_are_left_out_unless_none_is_left() {
        // (`bad..x@@example` would be accepted: §13.1 quotes an irregular local part, and the
        // domain is split off at the last `@`.)
        let mut p = basic();
        p.to = vec!["good@example.com".into(), "bad@example..com".into()];
        p.bcc.clear();
        let built = build_partial(&p, None, "i@h", 0, LIMITS).unwrap();
        assert_eq!(built.tx.recipients.len(), 1);
        assert_eq!(built.tx.recipients[0].to_string(), "good@example.com");
        assert_eq!(built.refused.len(), 1);
        assert_eq!(built.refused[0].field, "to[1]");
        assert_eq!(built.refused[0].recipient, "bad@example..com");
        assert_eq!(built.refused[0].domain(), "example..com");
        let text = String::from_utf8(built.tx.body).unwrap();
        assert!(!text.contains("bad@"), "{text}");
        // The strict build refuses the same call, naming the field.
        let err = build(&p, None, "i@h", 0, LIMITS).unwrap_err().to_string();
        assert!(err.starts_with("to[1]:"), "{err}");
        // No valid recipient at all: the whole call is refused.
        p.to = vec!["@@".into(), "x@bad..domain".into()];
        let err = build_partial(&p, None, "i@h", 0, LIMITS)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("to[0]:"), "{err}");
    }

    #[test]
    fn irregular_local_parts_are_quoted() {
        let mut p = basic();
        p.to = vec!["irregular..pattern@example.com".into()];
        let tx = build(&p, None, "i@h", 0, LIMITS).unwrap();
        assert_eq!(
            tx.recipients[0].to_string(),
            "\"irregular..pattern\"@example.com"
        );
    }
}
