//! Opening outbound sessions for a domain: where its mail goes (transport, smart host or MX),
//! a connection parked by another domain of the shard for the same host or a new one within
//! the host's cap, and waiting for a slot when every host is at its cap. The decisions are
//! `delivery::connection_plan`'s; this is the I/O around them.

use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;
use std::time::Duration;

use futures::future::select;
use hikyaku_smtp::client::{ClientConfig, TlsPolicy};

use super::outbound::Outbound;
use super::shard::ShardCtx;
use crate::config::DomainPolicy;
use crate::delivery::connection_plan::{open_failure, round_failed, tls_policy, OpenFailure};
use crate::delivery::host_limits::HostPermit;
use crate::delivery::pool::{PoolKey, Pooled};
use crate::delivery::{Attempt, Remote};
use crate::shaping::{Gate, SiteKey, SitePermit, WaitReason};

/// An open, idle-between-transactions connection with its share of the host's cap.
pub(super) struct Conn {
    /// The session.
    pub(super) out: Outbound,
    /// Where it goes, for the delivery log.
    pub(super) remote: Remote,
    /// Held for the life of the connection.
    pub(super) permit: HostPermit,
    /// Its share of its shaping site's connections from its source IP (`None` when shaping
    /// is off).
    pub(super) site_permit: Option<SitePermit>,
    /// The source IP chosen for it (`None`: the kernel's choice); the shaping lane it counts in.
    pub(super) source: Option<std::net::IpAddr>,
    /// Its reuse key.
    pub(super) key: PoolKey,
    /// Messages sent on it so far (counts against `max_messages_per_connection`).
    pub(super) used: usize,
    /// Counts it in `hikyaku_smtp_connections_out` until dropped (held, never read).
    pub(super) _counted: crate::metrics::OutboundGuard,
}

impl Pooled for Conn {
    fn key(&self) -> &PoolKey {
        &self.key
    }
}

/// How often a worker waiting for a host slot looks again (slots freed on other shards do
/// not wake it).
pub(super) const SLOT_RECHECK: Duration = Duration::from_millis(100);

/// Where a domain's mail goes.
pub(super) enum Route {
    Hosts(Vec<(String, SocketAddr)>),
    Fail(Attempt),
}

/// The hosts of `domain`: its transport or the smart host when set (resolved on the blocking
/// pool), else its MX records.
pub(super) async fn route(ctx: &ShardCtx, domain: &str) -> Route {
    let config = ctx.config();
    let d = &config.delivery;
    let fixed = d
        .policy(domain)
        .transport
        .clone()
        .or_else(|| d.smart_host.clone());
    if let Some(target) = fixed {
        let resolved = glommio::executor()
            .spawn_blocking(move || {
                target
                    .to_socket_addrs()
                    .map(|a| (target.clone(), a.collect::<Vec<_>>()))
            })
            .await;
        return match resolved {
            Ok((name, addrs)) if !addrs.is_empty() => {
                let host = name
                    .rsplit_once(':')
                    .map_or(name.clone(), |(h, _)| h.to_string());
                Route::Hosts(addrs.into_iter().map(|a| (host.clone(), a)).collect())
            }
            Ok((name, _)) => Route::Fail(Attempt::TempFail {
                reply: None,
                reason: format!("{name}: no address"),
            }),
            Err(e) => Route::Fail(Attempt::TempFail {
                reply: None,
                reason: format!("resolving the transport: {e}"),
            }),
        };
    }
    super::mx::route(ctx, domain).await
}

/// The next source address of `pool` of `addr`'s family (round robin per shard); `None` when
/// the pool has none of that family, and the kernel chooses.
fn pick_source(
    ctx: &ShardCtx,
    pool: &[std::net::IpAddr],
    addr: &SocketAddr,
) -> Option<std::net::IpAddr> {
    let family: Vec<&std::net::IpAddr> = pool
        .iter()
        .filter(|ip| ip.is_ipv4() == addr.is_ipv4())
        .collect();
    if family.is_empty() {
        return None;
    }
    let n = ctx.delivery.source_rr.get();
    ctx.delivery.source_rr.set(n.wrapping_add(1));
    family.get(n % family.len()).map(|ip| **ip)
}

/// How `open_connection` ended.
pub(super) enum Opened {
    Conn(Box<Conn>),
    /// No host could be used: every ready recipient gets this outcome.
    Failed(Attempt, Remote),
    /// The domain's mail went elsewhere (or the shard drains) while waiting for a host slot.
    Nothing,
    /// Shaping: no source IP may connect to the site before then (suspended, warm-up
    /// allowance spent); the recipients are held.
    Hold(u64, WaitReason),
    /// Shaping: a `bounce` rule is in force for the site.
    Bounce(String),
}

/// Closes connections taken out of the pool, in the background.
pub(super) fn close_all(conns: Vec<Conn>) {
    for c in conns {
        glommio::spawn_local(async move {
            c.out.quit().await;
            drop(c.permit);
            drop(c.site_permit);
        })
        .detach();
    }
}

/// How one round over the hosts ended without a session.
enum Round {
    Opened(Opened),
    /// Every host is at its cap.
    Busy,
}

/// A session to the first usable host of `hosts`: a connection parked by another domain of
/// this shard for the same host, else a new one within the host's cap. When every host is at
/// its cap the worker waits for a hand-over or a free slot (see `delivery::pool`).
pub(super) async fn open_connection(
    ctx: &Rc<ShardCtx>,
    domain: &str,
    hosts: &[(String, SocketAddr)],
    policy: &DomainPolicy,
    site: &SiteKey,
) -> Opened {
    let mut addrs: Vec<SocketAddr> = hosts.iter().map(|(_, a)| *a).collect();
    addrs.sort_unstable();
    addrs.dedup();
    // One place in each host's queue of waiters, however many ports it is listed with.
    let mut ips: Vec<std::net::IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
    ips.dedup();
    let mut waited = false;
    loop {
        if let Round::Opened(opened) = try_hosts(ctx, hosts, policy, site, waited).await {
            return opened;
        }
        // Every host is at its cap: no attempt is recorded, the recipients stay ready. Wait
        // for a hand-over on this shard or a released slot on any.
        let mut waiting = ctx.delivery.pool.wait(&addrs);
        let mut host_waiters: Vec<_> = ips
            .iter()
            .map(|ip| ctx.shared.host_limits.wait(*ip))
            .collect();
        let wakers: Vec<&mut event_listener::EventListener> = waiting
            .offered
            .iter_mut()
            .chain(host_waiters.iter_mut().map(|w| &mut w.released))
            .collect();
        let _ = select(
            futures::future::select_all(wakers),
            Box::pin(glommio::timer::sleep(SLOT_RECHECK)),
        )
        .await;
        drop(waiting);
        drop(host_waiters);
        waited = true;
        if ctx.draining.get() || ctx.queue.borrow().ready_count(domain) == 0 {
            return Opened::Nothing;
        }
    }
}

/// One round over `hosts` in order: a parked connection, else a new one where the host's cap
/// allows (`waited`: the worker already waited its turn).
async fn try_hosts(
    ctx: &Rc<ShardCtx>,
    hosts: &[(String, SocketAddr)],
    policy: &DomainPolicy,
    site: &SiteKey,
    waited: bool,
) -> Round {
    let settings = ctx.settings();
    let config = settings.config.clone();
    let plan = &settings.shaping;
    let timeout = Duration::from_secs(config.delivery.connect_timeout_secs);
    let site_tls = plan.enabled.then(|| plan.limits(&site.site).tls).flatten();
    let mut tls = tls_policy(site_tls.unwrap_or(policy.tls));
    let mut last_error = String::from("no usable address");
    let mut tries = 0;
    let mut busy = 0;
    let mut host_iter = hosts.iter();
    while let Some((name, addr)) = host_iter.next() {
        let key = PoolKey {
            addr: *addr,
            host: name.clone(),
            tls,
            sources: policy.source_ips.clone(),
        };
        let mut close = Vec::new();
        let parked = ctx.delivery.pool.take(&key, &mut close);
        close_all(close);
        if let Some(conn) = parked {
            return Round::Opened(Opened::Conn(Box::new(conn)));
        }
        // The shaping site's slot first, then the host's cap over all shards; a busy one is
        // skipped like an unreachable host, but without counting as a failed attempt. In
        // this order a worker that finds its site full never takes and gives back a host
        // slot: giving one back wakes every waiter of the host (on all shards), and with
        // many domains waiting on one full site each of them did so in turn, a wake-up
        // storm that cost more CPU than the deliveries.
        let (source, site_permit) = match shaping_slot(ctx, plan, site, &policy.source_ips, addr) {
            Ok(slot) => slot,
            Err(Some(stop)) => return Round::Opened(*stop),
            Err(None) => {
                busy += 1;
                continue;
            }
        };
        let Some(permit) = ctx.shared.host_limits.try_acquire(
            addr.ip(),
            config.delivery.max_connections_per_host,
            waited,
        ) else {
            if let Some(unused) = site_permit {
                unused.unused();
            }
            busy += 1;
            continue;
        };
        tries += 1;
        let client = ClientConfig {
            helo_name: ctx.shared.hostname.clone(),
            tls_policy: tls,
            tls_available: ctx.shared.tls_client.is_some(),
            chunking: policy.chunking,
        };
        let tls_config = ctx.shared.tls_client.clone();
        let timeouts = config.delivery.client_timeouts();
        let connected =
            Outbound::connect(*addr, source, name, client, timeouts, tls_config, timeout).await;
        let mut out = match connected {
            Ok(out) => out,
            Err(e) => {
                last_error = e.0;
                continue;
            }
        };
        tracing::debug!(host = %name, %addr, source = ?out.local_ip(), "connected");
        let remote = |tls: Option<&str>| Remote {
            host: Some(name.clone()),
            ip: Some(addr.ip().to_string()),
            tls: tls.map(str::to_string),
        };
        if out.ready().await {
            return Round::Opened(Opened::Conn(Box::new(Conn {
                remote: remote(out.tls_version()),
                out,
                permit,
                site_permit,
                source,
                key,
                used: 0,
                _counted: ctx.shared.metrics.outbound_opened(),
            })));
        }
        let failure = out.failure();
        match open_failure(
            out.retry_without_tls(),
            tries,
            failure.as_ref(),
            out.closed.as_deref(),
        ) {
            OpenFailure::RetryPlain => {
                // Broken STARTTLS under the opportunistic policy: same hosts, no TLS.
                tls = TlsPolicy::Disabled;
                host_iter = hosts.iter();
            }
            OpenFailure::Fail(attempt) => {
                return Round::Opened(Opened::Failed(attempt, remote(None)));
            }
            OpenFailure::Next(reason) => last_error = reason,
        }
    }
    if round_failed(tries, busy) {
        let attempt = Attempt::TempFail {
            reply: None,
            reason: last_error,
        };
        return Round::Opened(Opened::Failed(attempt, Remote::default()));
    }
    Round::Busy
}

/// A new connection's source IP (`None`: the kernel's choice) and its shaping slot.
type Slot = (Option<std::net::IpAddr>, Option<SitePermit>);

/// The source IP for a new connection to `addr` and its slot in the shaping site: `Err(None)`
/// when the site is busy for a short while (like a host at its cap: wait and look again),
/// `Err(Some(opened))` when the worker should hold or bounce the domain instead.
fn shaping_slot(
    ctx: &ShardCtx,
    plan: &crate::shaping::Plan,
    site: &SiteKey,
    pool: &[std::net::IpAddr],
    addr: &SocketAddr,
) -> Result<Slot, Option<Box<Opened>>> {
    if !plan.enabled {
        return Ok((pick_source(ctx, pool, addr), None));
    }
    let now = ctx.now_ms();
    let family: Vec<std::net::IpAddr> = pool
        .iter()
        .copied()
        .filter(|ip| ip.is_ipv4() == addr.is_ipv4())
        .collect();
    let shaper = &ctx.shared.shaper;
    let stop = |gate: Gate| match gate {
        Gate::Bounce(reason) => Some(Box::new(Opened::Bounce(reason))),
        Gate::Wait { until_ms, reason }
            if reason == WaitReason::Suspended
                || until_ms.saturating_sub(now) > super::shaping::INLINE_WAIT_MS =>
        {
            Some(Box::new(Opened::Hold(until_ms, reason)))
        }
        Gate::Wait { .. } | Gate::Go => None,
    };
    let source = shaper.pick_source(plan, site, &family, now).map_err(stop)?;
    let permit = shaper.open(plan, site, source, now).map_err(stop)?;
    Ok((source, permit))
}
