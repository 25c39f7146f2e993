//! Load generator for the JSON-RPC sending API: `send.single` from N concurrent callers, or one
//! `send.bulk` job, against a running hikyakud. Prints one JSON line with rates and latency
//! percentiles (hdrhistogram, microseconds).
//!
//! ```text
//! hikyaku-rpc-load --url http://127.0.0.1:8525 --key hk_... single --messages 20000 --concurrency 32
//! hikyaku-rpc-load --url http://127.0.0.1:8525 --key hk_... bulk --recipients 100000
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use hdrhistogram::Histogram;
use hikyaku_rpc::client::Client;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::send::{BulkRecipient, JobQuery, JobState, SendBulk, SendSingle};

#[derive(Parser)]
#[command(about = "JSON-RPC sending-API load generator")]
struct Args {
    /// RPC URL.
    #[arg(long, default_value = "http://127.0.0.1:8525")]
    url: String,
    /// API key with the sending right.
    #[arg(long)]
    key: String,
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Many `send.single` calls.
    Single {
        /// Messages in total.
        #[arg(long, default_value_t = 10_000)]
        messages: u64,
        /// Concurrent callers (one HTTP connection each).
        #[arg(long, default_value_t = 32)]
        concurrency: u64,
        /// Recipient domains to spread over.
        #[arg(long, default_value_t = 100)]
        domains: u64,
        /// Body size in bytes.
        #[arg(long, default_value_t = 1000)]
        size: usize,
    },
    /// One `send.bulk` job, timed until every recipient is queued.
    Bulk {
        /// Recipients in the job.
        #[arg(long, default_value_t = 100_000)]
        recipients: u64,
        /// Recipient domains to spread over.
        #[arg(long, default_value_t = 100)]
        domains: u64,
    },
}

fn main() -> Result<()> {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run(args))
}

async fn run(args: Args) -> Result<()> {
    match args.mode {
        Mode::Single {
            messages,
            concurrency,
            domains,
            size,
        } => {
            let body = "x".repeat(size.saturating_sub(100).max(1));
            let started = Instant::now();
            let mut tasks = Vec::new();
            let body = Arc::new(body);
            for worker in 0..concurrency {
                let client = Client::new(&args.url, Some(&args.key), Duration::from_secs(60))?;
                let body = body.clone();
                tasks.push(tokio::spawn(async move {
                    let mut h = Histogram::<u64>::new(3)?;
                    let mut n = worker;
                    while n < messages {
                        let p = SendSingle {
                            from: "load@bench.test".into(),
                            to: vec![format!("user{n}@d{}.bench.test", n % domains)],
                            subject: format!("load {n}"),
                            text: Some(body.to_string()),
                            ..SendSingle::default()
                        };
                        let t = Instant::now();
                        client
                            .call(m::SEND_SINGLE, &p)
                            .await
                            .context("send.single")?;
                        h.record(t.elapsed().as_micros() as u64)?;
                        n += concurrency;
                    }
                    anyhow::Ok(h)
                }));
            }
            let mut all = Histogram::<u64>::new(3)?;
            for t in tasks {
                all.add(t.await??)?;
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({
                    "mode": "single",
                    "messages": messages,
                    "concurrency": concurrency,
                    "seconds": secs,
                    "msgs_per_sec": messages as f64 / secs,
                    "p50_us": all.value_at_quantile(0.5),
                    "p99_us": all.value_at_quantile(0.99),
                    "p999_us": all.value_at_quantile(0.999),
                    "max_us": all.max(),
                })
            );
        }
        Mode::Bulk {
            recipients,
            domains,
        } => {
            let client = Client::new(&args.url, Some(&args.key), Duration::from_secs(300))?;
            let p = SendBulk {
                from: "news@bench.test".into(),
                subject: "Hello %%name%%".into(),
                text: Some("Dear %%name%%,\nthis is a bulk benchmark message.\n".into()),
                recipients: (0..recipients)
                    .map(|i| BulkRecipient {
                        to: format!("user{i}@d{}.bench.test", i % domains),
                        values: [("name".to_string(), format!("User {i}"))].into(),
                    })
                    .collect(),
                ..SendBulk::default()
            };
            let started = Instant::now();
            let accepted = client.call(m::SEND_BULK, &p).await.context("send.bulk")?;
            let accept_secs = started.elapsed().as_secs_f64();
            loop {
                let s = client
                    .call(
                        m::SEND_JOB,
                        &JobQuery {
                            job_id: accepted.job_id.clone(),
                            offset: 0,
                            limit: 0,
                        },
                    )
                    .await?;
                match s.state {
                    JobState::Done => break,
                    JobState::Failed => bail!("job failed: {:?}", s.error),
                    JobState::Running => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({
                    "mode": "bulk",
                    "recipients": recipients,
                    "accept_seconds": accept_secs,
                    "seconds": secs,
                    "msgs_per_sec": recipients as f64 / secs,
                })
            );
        }
    }
    Ok(())
}
