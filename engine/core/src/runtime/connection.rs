//! Drives one SMTP session: moves bytes between the socket and the sans-I/O state machine, and
//! performs what the machine asks for (TLS upgrade, credential check, durable write).

use std::rc::Rc;
use std::time::{Duration, Instant};

use futures::future::{select, Either};
use futures::io::{AsyncReadExt, AsyncWriteExt};
use futures_rustls::TlsAcceptor;
use glommio::net::TcpStream;
use hikyaku_smtp::{
    Access, BareLineEnding, Event, Reply, Session, SessionConfig, Timeouts, Transaction,
};

use super::shard::ShardCtx;
use super::stream::Conn;
use crate::config::LineEndingPolicy;
use crate::intake::{prepare_signed, storage_refusal, IntakeContext};

const READ_BUFFER: usize = 64 * 1024;

/// Which listener a connection came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// The relay: applications submitting mail for delivery.
    Relay,
    /// The receiving listener: bounces and inbound mail for our domains.
    Receive,
}

fn session_config(ctx: &ShardCtx, ip_allowed: bool, kind: Kind) -> SessionConfig {
    let config = ctx.config();
    let relay = &config.relay;
    let (max_kb, access, plain_auth) = match kind {
        Kind::Relay => (
            relay.max_message_size_kb,
            Access::Relay { ip_allowed },
            relay.effective_plain_auth(),
        ),
        Kind::Receive => {
            let mut domains = config.bounce.bounce_domains();
            domains.extend(
                config
                    .receive
                    .inbound_domains
                    .iter()
                    .map(|d| d.to_ascii_lowercase()),
            );
            (
                config.receive.max_message_size_kb,
                Access::Receive { domains },
                false,
            )
        }
    };
    SessionConfig {
        hostname: ctx.shared.hostname.clone(),
        max_message_size: max_kb.saturating_mul(1024),
        max_recipients: relay.max_recipients,
        starttls_available: ctx.shared.tls.is_some(),
        plain_auth_allowed: plain_auth,
        bare_line_ending: match relay.bare_line_ending {
            LineEndingPolicy::Normalize => BareLineEnding::Normalize,
            LineEndingPolicy::Reject => BareLineEnding::Reject,
        },
        access,
        timeouts: Timeouts {
            command: Duration::from_secs(relay.timeouts.command_secs),
            data_block: Duration::from_secs(relay.timeouts.data_block_secs),
            data_end: Duration::from_secs(relay.timeouts.data_end_secs),
        },
    }
}

/// Serves one accepted connection to completion.
pub(super) async fn serve(stream: TcpStream, ctx: Rc<ShardCtx>, over_limit: bool, kind: Kind) {
    let Ok(peer) = stream.peer_addr() else {
        return;
    };
    let mut conn = Conn::Plain(stream);
    if over_limit {
        let reply = hikyaku_smtp::Reply::too_many_connections(&ctx.shared.hostname).to_bytes();
        let _ = conn.write_all(&reply).await;
        let _ = conn.close().await;
        return;
    }
    let ip_allowed = ctx.settings().relay_allow.contains(peer.ip());
    let mut session = Session::new(session_config(&ctx, ip_allowed, kind), peer.ip());
    let mut buf = vec![0u8; READ_BUFFER];
    let interval = Duration::from_millis(match kind {
        Kind::Relay => ctx.config().relay.reception_interval_ms,
        Kind::Receive => ctx.config().receive.reception_interval_ms,
    });
    let mut last_accept = Instant::now();
    let mut drain_started = false;
    loop {
        match session.poll() {
            Event::NeedInput => {
                if flush(&mut conn, &mut session, (&ctx, kind)).await.is_err() {
                    break;
                }
                if ctx.draining.get() && !drain_started {
                    drain_started = true;
                    session.begin_shutdown();
                    continue;
                }
                if conn.set_read_timeout(session.current_timeout()).is_err() {
                    break;
                }
                match read_or_drain(&mut conn, &mut buf, &ctx, drain_started).await {
                    ReadOutcome::Data(n) => session.feed(buf.get(..n).unwrap_or_default()),
                    ReadOutcome::Closed => break,
                    ReadOutcome::TimedOut => session.timed_out(),
                    ReadOutcome::Drain => {
                        drain_started = true;
                        session.begin_shutdown();
                    }
                }
            }
            Event::StartTls => {
                if flush(&mut conn, &mut session, (&ctx, kind)).await.is_err() {
                    break;
                }
                match upgrade(conn, &ctx).await {
                    Some(tls) => {
                        conn = tls;
                        session.tls_established();
                    }
                    None => break,
                }
            }
            Event::Authenticate { username, password } => {
                let store = ctx.shared.store.clone();
                let verified = glommio::executor()
                    .spawn_blocking(move || crate::users::verify(&store, &username, &password))
                    .await;
                let ok = match verified {
                    Ok(found) => found.is_some(),
                    Err(e) => {
                        tracing::error!(error = %e, "credential check failed");
                        false
                    }
                };
                session.auth_result(ok);
            }
            Event::Message(tx) => {
                let data_end = Instant::now();
                let reply = match kind {
                    Kind::Relay => store_message(&ctx, &tx, peer.ip(), conn.tls_version()).await,
                    Kind::Receive => super::receive::receive_message(&ctx, &tx, peer.ip()).await,
                };
                if reply.is_positive() && !interval.is_zero() {
                    let elapsed = last_accept.elapsed();
                    if elapsed < interval {
                        glommio::timer::sleep(interval - elapsed).await;
                    }
                }
                if reply.is_positive() {
                    last_accept = Instant::now();
                }
                count_message(&ctx, kind, &tx, &reply, data_end);
                session.message_result(reply);
            }
            Event::Close => {
                let _ = flush(&mut conn, &mut session, (&ctx, kind)).await;
                let _ = conn.close().await;
                break;
            }
        }
    }
}

enum ReadOutcome {
    Data(usize),
    Closed,
    TimedOut,
    Drain,
}

async fn read_or_drain(
    conn: &mut Conn,
    buf: &mut [u8],
    ctx: &ShardCtx,
    drain_started: bool,
) -> ReadOutcome {
    let result = if drain_started {
        conn.read(buf).await
    } else {
        let listener = ctx.drain_event.listen();
        if ctx.draining.get() {
            return ReadOutcome::Drain;
        }
        match select(conn.read(buf), listener).await {
            Either::Left((r, _)) => r,
            Either::Right(_) => return ReadOutcome::Drain,
        }
    };
    match result {
        Ok(0) => ReadOutcome::Closed,
        Ok(n) => ReadOutcome::Data(n),
        Err(e) if e.kind() == std::io::ErrorKind::TimedOut => ReadOutcome::TimedOut,
        Err(_) => ReadOutcome::Closed,
    }
}

/// The metrics' listener of a connection kind.
pub(super) fn listener(kind: Kind) -> crate::metrics::Listener {
    match kind {
        Kind::Relay => crate::metrics::Listener::Relay,
        Kind::Receive => crate::metrics::Listener::Receive,
    }
}

/// Counts a message's outcome at intake: accepted (with its accept latency, end of DATA to
/// the reply, the reception-interval pause excluded) or refused by the durable write or the
/// S/MIME signing (the two ways `store_message`/`receive_message` refuse).
fn count_message(ctx: &ShardCtx, kind: Kind, tx: &Transaction, reply: &Reply, data_end: Instant) {
    let m = &ctx.shared.metrics;
    let listener = listener(kind);
    if reply.is_positive() {
        m.accepted(listener, tx.recipients.len());
        m.accept_latency(listener, data_end.elapsed());
    } else if matches!(reply.enhanced, Some("4.3.0" | "4.3.1")) {
        m.refused(listener, crate::metrics::Refusal::Storage);
    } else {
        m.refused(listener, crate::metrics::Refusal::Signing);
    }
}

/// Counts the session's own refusals (relay denied, size, bare line endings) from the reply
/// lines about to be sent: the sans-I/O session decides them without telling the driver.
/// Looks at the first bytes of each line, once per write (not per byte of mail).
fn count_refusals(ctx: &ShardCtx, kind: Kind, out: &[u8]) {
    for line in out.split(|b| *b == b'\n') {
        if let Some(why) = crate::metrics::Refusal::of_reply_line(line) {
            ctx.shared.metrics.refused(listener(kind), why);
        }
    }
}

async fn flush(
    conn: &mut Conn,
    session: &mut Session,
    (ctx, kind): (&ShardCtx, Kind),
) -> std::io::Result<()> {
    let out = session.output();
    if out.is_empty() {
        return Ok(());
    }
    count_refusals(ctx, kind, out);
    let n = out.len();
    conn.write_all(out).await?;
    session.consume_output(n);
    conn.flush().await
}

async fn upgrade(conn: Conn, ctx: &ShardCtx) -> Option<Conn> {
    let (Conn::Plain(tcp), Some(tls)) = (conn, ctx.shared.tls.clone()) else {
        return None;
    };
    match TlsAcceptor::from(tls).accept(tcp).await {
        Ok(stream) => Some(Conn::Tls(Box::new(stream))),
        Err(e) => {
            tracing::debug!(error = %e, "TLS handshake failed");
            None
        }
    }
}

/// Makes the message durable and returns the reply for the client.
async fn store_message(
    ctx: &ShardCtx,
    tx: &Transaction,
    peer_ip: std::net::IpAddr,
    tls_version: Option<&str>,
) -> Reply {
    let now_ms = ctx.now_ms();
    let settings = ctx.settings();
    let intake_ctx = IntakeContext {
        hostname: &ctx.shared.hostname,
        peer_ip,
        tls_version,
        tags: &[],
        policy: &settings.policy,
    };
    let signed = match smime_sign(ctx, tx, now_ms).await {
        Ok(signed) => signed,
        Err(reply) => return reply,
    };
    let prepared = {
        let mut ids = ctx.ids.borrow_mut();
        prepare_signed(tx, signed, &intake_ctx, &mut ids, now_ms)
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "preparing spool records failed");
            return Reply::storage_failure();
        }
    };
    match ctx.shared.committer.commit_new_mail(prepared.ops).await {
        Ok(()) => {
            ctx.route(prepared.notices).await;
            Reply::queued(&prepared.message_id.to_string())
        }
        Err(e @ crate::storage::StorageError::NoSpace) => {
            tracing::warn!(error = %e, "message refused with 452");
            storage_refusal(&e)
        }
        Err(e) => {
            tracing::error!(error = %e, "durable write failed; message refused with 451");
            storage_refusal(&e)
        }
    }
}

/// The S/MIME-signed form of the message when its header-From has a signer (SPEC §6, the
/// last change before the message is stored). The signature (about 1 ms of CPU for
/// RSA-2048) runs on glommio's blocking-thread pool, not on this shard's executor, so other
/// sessions keep being served meanwhile. A registered sender's mail is never accepted
/// unsigned: a failure is the reply to give instead of `250`.
async fn smime_sign(
    ctx: &ShardCtx,
    tx: &Transaction,
    now_ms: u64,
) -> Result<Option<Vec<u8>>, Reply> {
    let Some(slot) = ctx.shared.smime.signer_for_message(&tx.body) else {
        return Ok(None);
    };
    let body = tx.body.clone();
    let signed = glommio::executor()
        .spawn_blocking(move || crate::smime::sign_with(&slot, &body, now_ms))
        .await;
    signed.map_err(|e| {
        tracing::warn!(error = %e, "S/MIME signing failed; message refused");
        crate::smime::smtp_reply(&e)
    })
}
