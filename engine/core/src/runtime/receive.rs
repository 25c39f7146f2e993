//! The receiving listener's message handling: bounce processing on the blocking pool, one
//! durable batch, then the `250`. Every message answered `250` is kept in that batch (record,
//! envelope and raw bytes, see [`crate::receiving`]), whatever it is: nothing is acknowledged
//! and dropped. A forward to the original sender, when configured, is queued like any
//! submitted message (null envelope sender, so it can never bounce back).

use hikyaku_smtp::{Reply, Transaction};

use super::shard::ShardCtx;
use crate::bounces::{process, Received};
use crate::delivery::forward::forward_ops;
use crate::receiving::{self, Envelope};

/// Processes one received message and returns the reply.
pub(super) async fn receive_message(
    ctx: &ShardCtx,
    tx: &Transaction,
    peer_ip: std::net::IpAddr,
) -> Reply {
    let now = ctx.now_ms();
    let id = ctx.ids.borrow_mut().next(now);
    let store = ctx.shared.store.clone();
    let verp = ctx.shared.verp.clone();
    let signer = ctx.shared.unsubscribe.clone();
    let config = ctx.config();
    let classifier = ctx.settings().classifier.clone();
    let hostname = ctx.shared.hostname.clone();
    let raw = tx.body.clone();
    let envelope_rcpts: Vec<String> = tx.recipients.iter().map(|r| r.to_string()).collect();
    let envelope = Envelope {
        time_ms: now,
        mail_from: tx
            .mail_from
            .as_ref()
            .map(|a| a.to_string())
            .unwrap_or_default(),
        recipients: envelope_rcpts.clone(),
        peer_ip,
        helo: tx.helo.clone(),
        tls: tx.tls,
    };
    let processed = glommio::executor()
        .spawn_blocking(move || {
            // Mail to u-TOKEN@<bounce domain> is a one-click unsubscribe by mail (RFC 8058's
            // mailto): honoured in the same batch, idempotent, and forged tokens change nothing.
            let mut unsubscribes = Vec::new();
            for rcpt in &envelope_rcpts {
                if let Some(token) = crate::unsubscribe::token_of_address(rcpt) {
                    use crate::unsubscribe::{unsubscribe, Channel, UnsubscribeError};
                    match unsubscribe(&store, &signer, token, Channel::Mailto, now) {
                        Ok((outcome, ops)) => unsubscribes.push((outcome, ops)),
                        Err(UnsubscribeError::Storage(e)) => return Err(e),
                        Err(e) => tracing::info!(recipient = %rcpt, error = %e, "unsubscribe mail ignored"),
                    }
                }
            }
            // Mail to the DMARC report address is filed as an aggregate report (or kept raw
            // with its parse error) in the same batch; it is kept as received mail as well.
            let dmarc_report = envelope_rcpts
                .iter()
                .any(|r| config.dmarc.is_report_address(r));
            let mut processed = process(
                &store,
                &verp,
                &classifier,
                &config.bounce,
                &Received {
                    raw: &raw,
                    envelope_rcpts,
                    now_ms: now,
                    id,
                },
            )?;
            if dmarc_report {
                processed.ops.extend(crate::dmarc::receive_ops(id, now, &raw)?);
            }
            // Mail for an inbound domain goes to the inbound webhooks whose filter matches, in
            // the same batch (none matching: it is still kept and listable).
            processed.ops.extend(crate::inbound::webhook_ops(
                &store, &config, &hostname, id, &envelope, &raw,
            ));
            // Kept whatever it is, in the same batch as the bounce's records.
            let record = receiving::record_of(envelope, &raw, &processed);
            processed.ops.extend(receiving::keep_ops(id, &record, raw)?);
            for (outcome, ops) in unsubscribes {
                if !ops.is_empty() {
                    tracing::info!(recipient = %outcome.recipient, channel = "mailto", "unsubscribed");
                }
                processed.ops.extend(ops);
            }
            Ok::<_, crate::storage::StorageError>((processed, record.kind))
        })
        .await;
    let (mut processed, kind) = match processed {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "bounce processing failed; refused with 451");
            return Reply::storage_failure();
        }
    };
    let senders = std::mem::take(&mut processed.forward_to);
    let forwards = {
        let mut ids = ctx.ids.borrow_mut();
        forward_ops(&senders, tx, &ctx.shared.hostname, peer_ip, &mut ids, now)
    };
    processed.ops.extend(forwards.ops);
    let notices = forwards.notices;
    // Never empty: the received message itself is always in it.
    if let Err(e) = ctx.shared.committer.commit_new_mail(processed.ops).await {
        tracing::error!(error = %e, "received-message write failed or refused");
        return crate::intake::storage_refusal(&e);
    }
    tracing::info!(id = %id, kind = ?kind, "received message kept");
    if !notices.is_empty() {
        ctx.route(notices).await;
    }
    for r in &processed.records {
        tracing::info!(
            recipient = %r.recipient,
            status = r.error_status,
            delivery = r.delivery_id.as_deref().unwrap_or("unmatched"),
            matched_by = r.matched_by.as_deref().unwrap_or("-"),
            "bounce recorded"
        );
    }
    super::outcomes::auto_block(ctx, std::mem::take(&mut processed.counted)).await;
    Reply::queued(&id.to_string())
}
