//! What one delivery sends: its envelope sender (VERP) and its message (with the one-click
//! unsubscribe header fields when a policy rule asked for them), and whether it must go in a
//! transaction of its own.

use super::outcomes::Loaded;
use super::shard::ShardCtx;

/// The envelope sender for one delivery: a VERP address on the sender domain's bounce domain
/// when one is configured (SPEC §6.4), else the original; the null sender stays null.
pub(super) fn return_path(ctx: &ShardCtx, item: &Loaded) -> String {
    let original = item.meta.envelope_from.clone();
    let Some((_, sender_domain)) = original.rsplit_once('@') else {
        return original;
    };
    let config = ctx.config();
    match config.bounce.bounce_domain_for(sender_domain) {
        Some(bounce_domain) => ctx
            .shared
            .verp
            .encode(item.waiting.delivery_id, bounce_domain),
        None => original,
    }
}

/// Whether `item` needs a transaction of its own: a VERP return path (a bounce domain is
/// configured for its sender's domain) makes the envelope sender per recipient, and one-click
/// unsubscribe headers make the message per recipient.
pub(super) fn per_recipient(ctx: &ShardCtx, item: &Loaded) -> bool {
    item.entry.unsubscribe || bounce_domain(ctx, item).is_some()
}

/// The bounce (return-path) domain of `item`'s sender, if one is configured.
fn bounce_domain(ctx: &ShardCtx, item: &Loaded) -> Option<String> {
    let (_, sender_domain) = item.meta.envelope_from.rsplit_once('@')?;
    ctx.config()
        .bounce
        .bounce_domain_for(sender_domain)
        .map(str::to_string)
}

/// The header fields sent before the stored message for this transaction: the DKIM
/// signature of the whole (when the header-From domain has an active key), then the one-click
/// unsubscribe fields when a policy rule asked for them (they name the delivery, so such
/// messages go one recipient per transaction). The stored body is shared, never copied; the
/// signature is computed off the executor thread (an RSA-2048 signature is ~1 ms of CPU, which
/// would stall every other session of the shard).
pub(super) async fn outgoing_head(ctx: &ShardCtx, item: &Loaded) -> Vec<u8> {
    let mut fields = Vec::new();
    if item.entry.unsubscribe {
        fields = crate::unsubscribe::header_fields(
            &ctx.shared.unsubscribe,
            item.waiting.delivery_id,
            &ctx.config().unsubscribe.base_url(),
            bounce_domain(ctx, item).as_deref(),
        )
        .into_bytes();
    }
    let from_domain = from_domain(item);
    let parents = ctx.config().dkim.sign_with_parent;
    let Some(signer) = ctx.shared.dkim.signer_for(&from_domain, parents) else {
        return fields;
    };
    let body = item.body.clone();
    let signed = glommio::executor()
        .spawn_blocking(move || {
            signer
                .sign(&[&fields, &body])
                .map(|mut head| {
                    head.extend_from_slice(&fields);
                    head
                })
                .map_err(|e| (e, fields))
        })
        .await;
    match signed {
        Ok(head) => head,
        Err((e, fields)) => {
            // Deterministic for this message (e.g. no header to sign): retrying would not
            // help, so it goes unsigned and the log says why.
            tracing::warn!(delivery = %item.waiting.delivery_id, error = %e, "sending unsigned");
            fields
        }
    }
}

/// The header-From domain: recorded at intake; read from the stored header block for
/// messages spooled before it was recorded.
fn from_domain(item: &Loaded) -> String {
    if !item.meta.from_domain.is_empty() {
        return item.meta.from_domain.clone();
    }
    crate::intake::HeaderFacts::scan(&item.body)
        .from_domain
        .unwrap_or_default()
}
