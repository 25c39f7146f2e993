//! `hikyaku send`: one message (send.single).

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use hikyaku_rpc::methods;
use hikyaku_rpc::types::send::{
    Attachment, DeliveryRef, RejectedRecipient, SendResult, SendSingle,
};

use super::{read_text, Ctx};
use crate::args::SendSingleArgs;
use crate::credentials::env_var;
use crate::output::{Fields, Table};

/// Header From when neither `--from` nor `HIKYAKU_FROM` is given.
pub const DEFAULT_FROM: &str = "hikyaku@localhost";

/// `--from`, else `HIKYAKU_FROM`, else [`DEFAULT_FROM`].
pub fn default_from(flag: Option<String>) -> String {
    flag.or_else(|| env_var("HIKYAKU_FROM"))
        .unwrap_or_else(|| DEFAULT_FROM.to_string())
}

/// `hikyaku send`.
pub async fn single(ctx: &Ctx, a: SendSingleArgs) -> anyhow::Result<()> {
    let text = match (a.text, &a.text_file) {
        (Some(t), _) => Some(t),
        (None, Some(f)) => Some(read_text(f)?),
        (None, None) => None,
    };
    let html = match (a.html, &a.html_file) {
        (Some(t), _) => Some(t),
        (None, Some(f)) => Some(read_text(f)?),
        (None, None) => None,
    };
    let attachments = a
        .attach
        .iter()
        .map(|p| attachment(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let params = SendSingle {
        from: default_from(a.from),
        to: a.to,
        cc: a.cc,
        bcc: a.bcc,
        reply_to: a.reply_to,
        subject: a.subject,
        text,
        html,
        attachments,
        headers: a.headers,
        envelope_from: a.envelope_from,
        tags: a.tags,
        idempotency_key: a.idempotency_key,
    };
    ctx.show(methods::SEND_SINGLE, &params, render_result).await
}

fn render_result(r: &SendResult) -> String {
    let mut out = Fields::new()
        .add("message_id", &r.message_id)
        .add("header_message_id", &r.header_message_id)
        .add("duplicate", crate::output::yes_no(r.duplicate))
        .render();
    out.push('\n');
    out.push_str(&deliveries_table(&r.deliveries).render());
    if !r.rejected.is_empty() {
        out.push_str("\nrejected (not queued, logged as failed with error status 9):\n");
        out.push_str(&rejected_table(&r.rejected).render());
    }
    out
}

/// A table of recipients refused for their format.
pub fn rejected_table(rejected: &[RejectedRecipient]) -> Table {
    let mut t = Table::new(&["RECIPIENT", "FIELD", "DELIVERY_ID", "STATUS", "REASON"]);
    for r in rejected {
        t.row(vec![
            r.recipient.clone(),
            r.field.clone(),
            r.delivery_id.clone(),
            r.error_status.to_string(),
            crate::i18n::error_status_name(&r.error_status.to_string(), &r.reason),
        ]);
    }
    t
}

/// A table of queued recipients.
pub fn deliveries_table(refs: &[DeliveryRef]) -> Table {
    let mut t = Table::new(&["RECIPIENT", "DELIVERY_ID"]);
    for d in refs {
        t.row(vec![d.recipient.clone(), d.delivery_id.clone()]);
    }
    t
}

/// Reads a file into an attachment.
pub fn attachment(path: &Path) -> anyhow::Result<Attachment> {
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read attachment {}", path.display()))?;
    let filename = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .with_context(|| format!("attachment {} has no file name", path.display()))?;
    Ok(Attachment {
        content_type: Some(content_type(&filename).to_string()),
        filename,
        content: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}

/// A MIME type guessed from a file name's extension.
pub fn content_type(filename: &str) -> &'static str {
    let ext = Path::new(filename)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "text" | "log" => "text/plain",
        "htm" | "html" => "text/html",
        "csv" => "text/csv",
        "ics" => "text/calendar",
        "md" => "text/markdown",
        "json" => "application/json",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_recipients_are_listed() {
        let r = SendResult {
            message_id: "m".into(),
            header_message_id: "h".into(),
            deliveries: vec![DeliveryRef {
                recipient: "good@example.com".into(),
                delivery_id: "d1".into(),
            }],
            rejected: vec![RejectedRecipient {
                recipient: "bad..x@@example".into(),
                field: "to[1]".into(),
                delivery_id: "d2".into(),
                error_status: 9,
                reason: "not a valid address".into(),
            }],
            duplicate: false,
        };
        let text = render_result(&r);
        assert!(text.contains("good@example.com"), "{text}");
        assert!(text.contains("rejected"), "{text}");
        assert!(text.contains("bad..x@@example"), "{text}");
        assert!(text.contains("to[1]"), "{text}");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("report.PDF"), "application/pdf");
        assert_eq!(content_type("a.b.jpeg"), "image/jpeg");
        assert_eq!(content_type("notes.txt"), "text/plain");
        assert_eq!(content_type("Makefile"), "application/octet-stream");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn attachment_is_base64() {
        let path = std::env::temp_dir().join(format!("hikyaku-cli-att-{}.csv", std::process::id()));
        std::fs::write(&path, b"a,b\n1,2\n").unwrap();
        let a = attachment(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(a.content, "YSxiCjEsMgo=");
        assert_eq!(a.content_type.as_deref(), Some("text/csv"));
        assert!(a.filename.starts_with("hikyaku-cli-att-"));
        assert!(attachment(Path::new("/nonexistent/file.pdf")).is_err());
    }
}
