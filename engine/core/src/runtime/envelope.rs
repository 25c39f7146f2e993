//! What one delivery sends: its envelope sender (VERP) and its message (with the one-click
//! unsubscribe header fields when a policy rule asked for them), and whether it must go in a
//! transaction of its own.

use std::sync::Arc;

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

/// The message as sent to `item`'s recipient: the stored body, with the one-click unsubscribe
/// header fields first when a policy rule asked for them (a copy per recipient: the token
/// names the delivery; the cost is one body copy per such delivery).
pub(super) fn outgoing_body(ctx: &ShardCtx, item: &Loaded) -> Arc<[u8]> {
    if !item.entry.unsubscribe {
        return item.body.clone();
    }
    let fields = crate::unsubscribe::header_fields(
        &ctx.shared.unsubscribe,
        item.waiting.delivery_id,
        &ctx.config().unsubscribe.base_url(),
        bounce_domain(ctx, item).as_deref(),
    );
    let mut body = Vec::with_capacity(fields.len() + item.body.len());
    body.extend_from_slice(fields.as_bytes());
    body.extend_from_slice(&item.body);
    Arc::from(body)
}
