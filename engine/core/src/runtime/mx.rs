//! MX routing through the DNS service (hickory on its own thread, see `hikyaku-dns`).

use std::net::SocketAddr;

use hikyaku_dns::RouteResult;

use super::connect::Route;
use super::shard::ShardCtx;
use crate::delivery::Attempt;

/// Routes `domain` by its MX records (or implicit MX), in the order to try.
pub(super) async fn route(ctx: &ShardCtx, domain: &str) -> Route {
    let Some(dns) = &ctx.shared.dns else {
        return Route::Fail(Attempt::TempFail {
            reply: None,
            reason: "no DNS resolver running".into(),
        });
    };
    let port = ctx.config().delivery.mx_port;
    match dns.route(domain).await {
        RouteResult::Hosts(hosts) => Route::Hosts(
            hosts
                .into_iter()
                .flat_map(|h| {
                    let name = h.name.clone();
                    h.addrs
                        .into_iter()
                        .map(move |ip| (name.clone(), SocketAddr::new(ip, port)))
                })
                .collect(),
        ),
        r @ (RouteResult::NullMx | RouteResult::NoSuchDomain | RouteResult::NoAddress) => {
            Route::Fail(Attempt::NoRoute {
                reason: r.to_string(),
            })
        }
        r @ RouteResult::TempFail(_) => Route::Fail(Attempt::TempFail {
            reply: None,
            reason: r.to_string(),
        }),
    }
}
