use super::*;
use crate::config::{Config, StorageConfig};
use crate::storage::{Cf, Committer, DeliveryLogRecord, Store};
use std::time::Duration;

/// The context and what stops its spool writer.
fn context(dir: &std::path::Path) -> (Arc<ApiContext>, Box<dyn FnOnce()>) {
    let store = Store::open(dir, &StorageConfig::default()).unwrap();
    let (committer, writer) = Committer::start(store.clone(), &StorageConfig::default()).unwrap();
    // No shards: handing recipients over fails at once (they stay in the spool).
    let (link, rxs) = crate::control::EngineLink::new(1, 4);
    drop(rxs);
    let ctx = ApiContext::new(
        crate::config::Snapshot::compile(Arc::new(Config::default())).unwrap(),
        store,
        committer,
        link,
        "h".into(),
        Default::default(),
    )
    .unwrap();
    (Arc::new(ctx), Box::new(move || writer.join()))
}

fn request(n: usize, malformed: &[usize]) -> SendBulk {
    SendBulk {
        from: "news@app.test".into(),
        subject: "Hi %%name%%".into(),
        text: Some("Dear %%name%%".into()),
        recipients: (0..n)
            .map(|i| BulkRecipient {
                to: if malformed.contains(&i) {
                    format!("bad{i}@example..com")
                } else {
                    format!("r{i}@example.com")
                },
                values: [("name".to_string(), format!("R{i}"))].into(),
            })
            .collect(),
        ..SendBulk::default()
    }
}

fn origin() -> Origin {
    Origin {
        owner: "u:app".into(),
        api_user: Some("app".into()),
        source_ip: IpAddr::from([127, 0, 0, 2]),
    }
}

fn query(id: &str, offset: u64, limit: u64) -> JobQuery {
    JobQuery {
        job_id: id.into(),
        offset,
        limit,
    }
}

async fn finished(ctx: &ApiContext, id: &str) -> JobStatus {
    for _ in 0..2000 {
        let s = ctx
            .jobs
            .status(&ctx.store, "u:app", false, &query(id, 0, 0))
            .unwrap();
        if s.state != JobState::Running && ctx.jobs.in_memory() == 0 {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("job {id} did not finish");
}

fn count(store: &Store, cf: Cf) -> usize {
    let mut n = 0;
    store
        .scan(cf, b"", None, |_, _| {
            n += 1;
            true
        })
        .unwrap();
    n
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_job_reports_malformed_recipients_runs_to_done_and_leaves_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, stop_writer) = context(dir.path());
    runtime().block_on(async {
        let accepted = ctx
            .jobs
            .start(ctx.clone(), origin(), request(600, &[5, 300]))
            .await
            .unwrap();
        assert_eq!(accepted.total, 598);
        let fields: Vec<&str> = accepted.rejected.iter().map(|r| r.field.as_str()).collect();
        assert_eq!(fields, ["recipients[5].to", "recipients[300].to"]);
        assert!(accepted.rejected.iter().all(|r| r.error_status == 9));
        let s = finished(&ctx, &accepted.job_id).await;
        assert_eq!((s.state, s.queued, s.total), (JobState::Done, 598, 598));
        assert_eq!((s.rejected_total, s.rejected.len()), (2, 2));
        // Served from the spool now; offsets count accepted recipients only.
        let page = ctx
            .jobs
            .status(&ctx.store, "u:app", false, &query(&accepted.job_id, 5, 2))
            .unwrap();
        let names: Vec<&str> = page
            .deliveries
            .iter()
            .map(|d| d.recipient.as_str())
            .collect();
        assert_eq!(names, ["r6@example.com", "r7@example.com"]);
        assert!(matches!(
            ctx.jobs
                .status(&ctx.store, "u:other", false, &query(&accepted.job_id, 0, 0)),
            Err(ApiError::NotFound(_))
        ));
        assert!(ctx
            .jobs
            .status(&ctx.store, "u:other", true, &query(&accepted.job_id, 0, 0))
            .is_ok());
        assert_eq!(count(&ctx.store, Cf::Queue), 598);
        // One queued record per accepted recipient, one failed (status 9) per refused
        // one, all with the caller's IP.
        let mut failed = 0;
        ctx.store
            .scan(Cf::DeliveryLog, b"", None, |_, v| {
                let r: DeliveryLogRecord = serde_json::from_slice(v).unwrap();
                assert_eq!(r.source_ip, "127.0.0.2");
                if r.error_status == Some(9) {
                    failed += 1;
                }
                true
            })
            .unwrap();
        assert_eq!(failed, 2);
        assert_eq!(count(&ctx.store, Cf::DeliveryLog), 600);
    });
    stop_writer();
}

#[test]
fn a_job_cut_short_resumes_at_its_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, stop_writer) = context(dir.path());
    // What a crash right after the commit of chunk 0 leaves: the record says running with
    // the cursor at 1, chunk 0's refs stored, chunks 1 and 2 pending.
    let id = Id(0x0001_0000_0000_0001);
    let p = request(600, &[]);
    let mut record = JobRecord {
        owner: "u:app".into(),
        api_user: Some("app".into()),
        source_ip: IpAddr::from([127, 0, 0, 2]),
        created_ms: 1,
        total: 600,
        chunk_size: CHUNK,
        next_chunk: 0,
        queued: 0,
        state: JobState::Running,
        error: None,
        finished_ms: None,
        rejected: 0,
    };
    let mut ops = jobs_store::create_ops(NewJob {
        id,
        record: &record,
        template: &p,
        recipients: &p.recipients,
        rejected: &[],
    })
    .unwrap();
    let refs: Vec<DeliveryRef> = p.recipients[..CHUNK as usize]
        .iter()
        .map(|r| DeliveryRef {
            recipient: r.to.clone(),
            delivery_id: "before-the-crash".into(),
        })
        .collect();
    record.next_chunk = 1;
    record.queued = u64::from(CHUNK);
    ops.extend(jobs_store::chunk_done_ops(id, 0, &refs, &record).unwrap());
    ctx.store.write_ops(&ops, false).unwrap();

    runtime().block_on(async {
        assert_eq!(ctx.jobs.resume(&ctx).unwrap(), 1);
        let s = finished(&ctx, &id.to_string()).await;
        assert_eq!((s.state, s.queued), (JobState::Done, 600));
        // Only the chunks after the cursor were queued.
        assert_eq!(count(&ctx.store, Cf::Queue), 600 - CHUNK as usize);
        let job = id.to_string();
        let first = ctx
            .jobs
            .status(&ctx.store, "u:app", false, &query(&job, 0, 1))
            .unwrap();
        assert_eq!(first.deliveries[0].delivery_id, "before-the-crash");
        let last = ctx
            .jobs
            .status(&ctx.store, "u:app", false, &query(&job, 599, 10))
            .unwrap();
        assert_eq!(last.deliveries.len(), 1);
        assert_eq!(last.deliveries[0].recipient, "r599@example.com");
        // Nothing is left to resume.
        assert_eq!(jobs_store::running(&ctx.store).unwrap().len(), 0);
    });
    stop_writer();
}

#[test]
fn placeholders_are_found_and_filled() {
    let mut names = BTreeSet::new();
    placeholders("Hi %%first_name%%, 100%% off %%code%%!", &mut names);
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        vec!["code".to_string(), "first_name".to_string()]
    );
    let values = HashMap::from([("first_name", "Aki"), ("code", "X1")]);
    assert_eq!(
        fill("Hi %%first_name%%, 100%% off %%code%%!", &values),
        "Hi Aki, 100%% off X1!"
    );
    assert_eq!(fill("%%unknown%% stays", &values), "%%unknown%% stays");
}
