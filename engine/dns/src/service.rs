//! The resolver service: one thread running a current-thread tokio runtime with hickory's
//! resolver, serving routing requests from any runtime (glommio shards, tokio, plain threads).
//!
//! Shards hold a [`DnsHandle`]; each request travels over a bounded flume channel with a
//! `futures` oneshot for the answer, both runtime-agnostic. On the service thread every domain is
//! resolved by its own local task (MX first, then the A/AAAA lookups of all hosts at once), through
//! the [`DnsCache`]. Concurrent requests for one domain share one resolution, but each waiter gets
//! its own shuffle of equal-preference hosts.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use futures::channel::oneshot;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError as NetDnsError, NetError, NoRecords};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::TokioResolver;
use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::cache::{CacheConfig, DnsCache, Family};
use crate::route::{self, MxRecord, Resolution, RouteResult, Target};

/// How the service resolves. The defaults suit production: the system's resolv.conf.
#[derive(Debug, Clone)]
pub struct DnsConfig {
    /// Recursive resolvers to ask (UDP, with TCP for truncated answers); empty means the
    /// system's `/etc/resolv.conf`.
    pub servers: Vec<SocketAddr>,
    /// How long to wait for one answer from one server.
    pub timeout: Duration,
    /// How many times a failed query is retried (hickory's `attempts`).
    pub attempts: usize,
    /// Whether AAAA records are looked up; off for hosts without IPv6 routes, so no time is spent
    /// on addresses that cannot be used.
    pub ipv6: bool,
    /// Bounds of the answer cache.
    pub cache: CacheConfig,
    /// Requests that may wait in the channel before callers are slowed (back-pressure).
    pub queue_capacity: usize,
    /// Seed for the shuffle of equal MX preferences; `None` seeds from the OS. Set in tests to get
    /// a reproducible order.
    pub rng_seed: Option<u64>,
}

impl Default for DnsConfig {
    fn default() -> Self {
        Self {
            servers: Vec::new(),
            timeout: Duration::from_secs(5),
            attempts: 2,
            ipv6: true,
            cache: CacheConfig::default(),
            queue_capacity: 4096,
            rng_seed: None,
        }
    }
}

impl DnsConfig {
    /// A configuration that asks only `server`, as tests and benchmarks do with [`crate::TestDns`].
    pub fn with_server(server: SocketAddr) -> Self {
        Self {
            servers: vec![server],
            ..Self::default()
        }
    }
}

/// Why the service could not start. Lookup failures are never errors: they are [`RouteResult`]s.
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    /// The system resolver configuration could not be read.
    #[error("reading the system DNS configuration: {0}")]
    SystemConfig(#[source] NetError),
    /// The service thread or its runtime could not be created.
    #[error("starting the DNS service thread: {0}")]
    Thread(#[source] std::io::Error),
    /// The service thread ended before it reported being ready.
    #[error("the DNS service thread exited during start-up")]
    StartupAborted,
}

struct Request {
    domain: String,
    reply: oneshot::Sender<RouteResult>,
}

/// A cheap, cloneable way to ask the service for routes from any thread or runtime.
#[derive(Clone, Debug)]
pub struct DnsHandle {
    tx: flume::Sender<Request>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

impl DnsHandle {
    /// Where mail for `domain` goes. Address literals are answered here without a thread hop;
    /// if the service has stopped the answer is a temporary failure, so mail is deferred, not lost.
    pub async fn route(&self, domain: &str) -> RouteResult {
        match route::parse_target(domain) {
            Target::Literal(ip) => return route::literal_route(domain, ip),
            Target::Invalid => return RouteResult::NoSuchDomain,
            Target::Name(_) => {}
        }
        let (reply, answer) = oneshot::channel();
        let request = Request {
            domain: domain.to_string(),
            reply,
        };
        if self.tx.send_async(request).await.is_err() {
            return RouteResult::TempFail("the DNS service has stopped".to_string());
        }
        answer.await.unwrap_or_else(|_| {
            RouteResult::TempFail("the DNS service dropped the request".to_string())
        })
    }
}

/// Starts the resolver thread.
pub struct DnsService;

impl DnsService {
    /// Spawns the service thread and waits until its resolver is built. The thread ends when
    /// every [`DnsHandle`] has been dropped; join the returned handle to wait for that.
    pub fn start(config: DnsConfig) -> Result<(DnsHandle, JoinHandle<()>), DnsError> {
        let (resolver_config, opts) = resolver_setup(&config)?;
        let (tx, rx) = flume::bounded(config.queue_capacity.max(1));
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<Result<(), std::io::Error>>(1);
        let thread = std::thread::Builder::new()
            .name("hikyaku-dns".to_string())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let local = tokio::task::LocalSet::new();
                local.block_on(&runtime, async move {
                    let built = TokioResolver::builder_with_config(
                        resolver_config,
                        TokioRuntimeProvider::default(),
                    )
                    .with_options(opts)
                    .build();
                    let resolver = match built {
                        Ok(r) => r,
                        Err(e) => {
                            let _ = ready_tx.send(Err(std::io::Error::other(e.to_string())));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    serve(rx, resolver, config).await;
                });
            })
            .map_err(DnsError::Thread)?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok((DnsHandle { tx }, thread)),
            Ok(Err(e)) => Err(DnsError::Thread(e)),
            Err(_) => Err(DnsError::StartupAborted),
        }
    }
}

/// Turns our configuration into hickory's: explicit servers (no search domains, names are
/// always fully qualified) or the system configuration, and hickory's own cache off because
/// [`DnsCache`] is the one place TTL bounds are applied.
fn resolver_setup(config: &DnsConfig) -> Result<(ResolverConfig, ResolverOpts), DnsError> {
    let (resolver_config, mut opts) = if config.servers.is_empty() {
        hickory_resolver::system_conf::read_system_conf().map_err(DnsError::SystemConfig)?
    } else {
        (
            resolver_config_for(&config.servers),
            ResolverOpts::default(),
        )
    };
    opts.timeout = config.timeout;
    opts.attempts = config.attempts;
    opts.cache_size = 0;
    opts.preserve_intermediates = false;
    Ok((resolver_config, opts))
}

/// hickory's configuration for explicit servers (`addr` with its port: the test DNS server
/// listens on a high port), UDP with TCP for truncated answers, no search domains. Public so
/// the sender-authentication checks (mail-auth, which wraps a hickory resolver) ask the same
/// servers as routing.
pub fn resolver_config_for(servers: &[std::net::SocketAddr]) -> ResolverConfig {
    let configs = servers
        .iter()
        .map(|addr| {
            let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
                .into_iter()
                .map(|mut c| {
                    c.port = addr.port();
                    c
                })
                .collect();
            NameServerConfig::new(addr.ip(), true, connections)
        })
        .collect();
    ResolverConfig::from_parts(None, vec![], configs)
}

struct State {
    resolver: TokioResolver,
    cache: RefCell<DnsCache>,
    pending: RefCell<HashMap<String, Vec<oneshot::Sender<RouteResult>>>>,
    rng: RefCell<StdRng>,
    ipv6: bool,
}

async fn serve(rx: flume::Receiver<Request>, resolver: TokioResolver, config: DnsConfig) {
    let rng = config
        .rng_seed
        .map_or_else(StdRng::from_entropy, StdRng::seed_from_u64);
    let state = Rc::new(State {
        resolver,
        cache: RefCell::new(DnsCache::new(config.cache.clone())),
        pending: RefCell::new(HashMap::new()),
        rng: RefCell::new(rng),
        ipv6: config.ipv6,
    });
    while let Ok(Request { domain, reply }) = rx.recv_async().await {
        let Target::Name(name) = route::parse_target(&domain) else {
            let _ = reply.send(RouteResult::NoSuchDomain);
            continue;
        };
        {
            let mut pending = state.pending.borrow_mut();
            if let Some(waiters) = pending.get_mut(&name) {
                waiters.push(reply);
                continue;
            }
            pending.insert(name.clone(), vec![reply]);
        }
        tokio::task::spawn_local(resolve_and_answer(Rc::clone(&state), name));
    }
    tracing::debug!("DNS service: every handle dropped, stopping");
}

async fn resolve_and_answer(state: Rc<State>, name: String) {
    let mx = lookup_mx(&state, &name).await;
    let needed = route::addresses_needed(&name, &mx);
    let lookups = needed.into_iter().map(|host| {
        let state = Rc::clone(&state);
        async move {
            let addrs = lookup_addrs(&state, &host).await;
            (host, addrs)
        }
    });
    let addrs: HashMap<String, Resolution<Vec<IpAddr>>> = futures::future::join_all(lookups)
        .await
        .into_iter()
        .collect();
    let waiters = state.pending.borrow_mut().remove(&name).unwrap_or_default();
    let mut rng = state.rng.borrow_mut();
    for waiter in waiters {
        let _ = waiter.send(route::decide(&name, &mx, &addrs, &mut *rng));
    }
}

/// The name as hickory needs it: fully qualified, so no search domain is ever appended.
fn fqdn(name: &str) -> Result<Name, String> {
    let mut n = Name::from_utf8(name).map_err(|e| format!("invalid name {name}: {e}"))?;
    n.set_fqdn(true);
    Ok(n)
}

/// A name from an answer in our canonical form: lower case, no trailing dot, `"."` for the root.
fn canonical(name: &Name) -> String {
    if name.is_root() {
        return ".".to_string();
    }
    let s = name.to_ascii();
    s.strip_suffix('.').unwrap_or(&s).to_ascii_lowercase()
}

async fn lookup_mx(state: &State, name: &str) -> Resolution<Vec<MxRecord>> {
    if let Some(hit) = state.cache.borrow_mut().get_mx(name, Instant::now()) {
        return hit;
    }
    let query = match fqdn(name) {
        Ok(q) => q,
        Err(e) => {
            tracing::debug!("{e}");
            return Resolution::NxDomain;
        }
    };
    let (answer, ttl) = match state.resolver.lookup(query, RecordType::MX).await {
        Ok(lookup) => {
            let mut ttl: Option<u32> = None;
            let mut records = Vec::new();
            for record in lookup.answers() {
                if let RData::MX(mx) = &record.data {
                    ttl = Some(ttl.map_or(record.ttl, |t| t.min(record.ttl)));
                    records.push(MxRecord {
                        preference: mx.preference,
                        exchange: canonical(&mx.exchange),
                    });
                }
            }
            if records.is_empty() {
                (Resolution::NoData, None)
            } else {
                (Resolution::Found(records), ttl)
            }
        }
        Err(e) => classify(&e),
    };
    state
        .cache
        .borrow_mut()
        .put_mx(name, &answer, ttl, Instant::now());
    answer
}

async fn lookup_addrs(state: &State, name: &str) -> Resolution<Vec<IpAddr>> {
    if !state.ipv6 {
        return lookup_family(state, Family::V4, name).await;
    }
    let (v4, v6) = futures::join!(
        lookup_family(state, Family::V4, name),
        lookup_family(state, Family::V6, name)
    );
    route::combine_families(v4, v6)
}

async fn lookup_family(state: &State, family: Family, name: &str) -> Resolution<Vec<IpAddr>> {
    if let Some(hit) = state
        .cache
        .borrow_mut()
        .get_addrs(family, name, Instant::now())
    {
        return hit;
    }
    let query = match fqdn(name) {
        Ok(q) => q,
        Err(e) => {
            tracing::debug!("{e}");
            return Resolution::NxDomain;
        }
    };
    let rtype = match family {
        Family::V4 => RecordType::A,
        Family::V6 => RecordType::AAAA,
    };
    let (answer, ttl) = match state.resolver.lookup(query, rtype).await {
        Ok(lookup) => {
            let mut ttl: Option<u32> = None;
            let mut addrs = Vec::new();
            for record in lookup.answers() {
                let ip = match &record.data {
                    RData::A(a) => IpAddr::V4(a.0),
                    RData::AAAA(aaaa) => IpAddr::V6(aaaa.0),
                    _ => continue,
                };
                ttl = Some(ttl.map_or(record.ttl, |t| t.min(record.ttl)));
                addrs.push(ip);
            }
            if addrs.is_empty() {
                (Resolution::NoData, None)
            } else {
                (Resolution::Found(addrs), ttl)
            }
        }
        Err(e) => classify(&e),
    };
    state
        .cache
        .borrow_mut()
        .put_addrs(family, name, &answer, ttl, Instant::now());
    answer
}

/// Maps a hickory error to routing terms, with the negative TTL when there is one. hickory
/// reports SERVFAIL and REFUSED as "no records found" too, so the response code decides: only
/// NXDOMAIN and NOERROR are answers about the name; everything else (other codes, timeouts,
/// I/O, no reachable server) is temporary.
pub(crate) fn classify<T>(err: &NetError) -> (Resolution<T>, Option<u32>) {
    if let NetError::Dns(NetDnsError::NoRecordsFound(NoRecords {
        response_code,
        negative_ttl,
        ..
    })) = err
    {
        match *response_code {
            ResponseCode::NXDomain => return (Resolution::NxDomain, *negative_ttl),
            ResponseCode::NoError => return (Resolution::NoData, *negative_ttl),
            _ => {}
        }
    }
    (Resolution::TempFail(err.to_string()), None)
}
