//! `send.bulk` and `send.job`: one template, up to 100 000 recipients, one message each.
//!
//! Everything that can be wrong with the request is checked before the job id is returned:
//! every `%%placeholder%%` against every recipient's values, the template by building the
//! first message, and the size of any message whose values could push it over the limit. A
//! recipient address that is malformed does not refuse the job (SPEC §6.1): it is reported in
//! the answer and logged as `failed` with error status 9, unless no recipient is left.
//!
//! The job is durable ([`super::jobs_store`]): its record, template and recipients are
//! committed before the job id is returned, and queuing then commits messages in chunks of
//! [`CHUNK`] together with the progress cursor. A background task on the control plane runs
//! it; after a crash or a shutdown the next start resumes every running job at its cursor
//! ([`Jobs::resume`]), so every accepted recipient is queued exactly once. Only running jobs
//! are held in memory; a finished one is served from the spool until the retention pass
//! deletes it with the delivery log of the same age.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use hikyaku_rpc::types::send::{
    BulkAccepted, BulkRecipient, DeliveryRef, Header, JobQuery, JobState, JobStatus,
    RejectedRecipient, SendBulk, SendSingle,
};

use super::jobs_store::{self, JobRecord, NewJob};
use super::message::{self, mailbox, Limits, Refused};
use super::sending::{limits, new_header_message_id};
use super::{lock, rejected, ApiContext, ApiError};
use crate::clock::now_ms;
use crate::ids::Id;
use crate::intake::{prepare_signed, IntakeContext, QueuedNotice};
use crate::storage::Op;

/// Most recipients per job (SPEC §4).
pub(crate) const MAX_RECIPIENTS: usize = 100_000;
/// Messages per durable commit of a running job (and recipients per stored chunk).
const CHUNK: u32 = 256;

/// The running jobs of this process (finished ones are read from the spool).
#[derive(Default)]
pub(crate) struct Jobs(Mutex<HashMap<Id, Arc<Job>>>);

/// One running bulk job, as `send.job` sees it.
pub(crate) struct Job {
    owner: String,
    total: u64,
    rejected: u64,
    chunk_size: u32,
    progress: Mutex<Progress>,
}

struct Progress {
    state: JobState,
    error: Option<String>,
    queued: u64,
}

/// Who starts a job.
pub(crate) struct Origin {
    /// Caller key (the job's owner).
    pub(crate) owner: String,
    /// API user the messages are submitted as.
    pub(crate) api_user: Option<String>,
    /// The caller's IP address.
    pub(crate) source_ip: IpAddr,
}

/// The `%%name%%` placeholders of a text.
fn placeholders(text: &str, out: &mut BTreeSet<String>) {
    let mut rest = text;
    while let Some(start) = rest.find("%%") {
        let after = &rest[start + 2..];
        match after.find("%%") {
            Some(end) => {
                let name = &after[..end];
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                {
                    out.insert(name.to_string());
                    rest = &after[end + 2..];
                } else {
                    rest = after;
                }
            }
            None => break,
        }
    }
}

/// Replaces every `%%name%%` that has a value.
fn fill(text: &str, values: &HashMap<&str, &str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("%%") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("%%") {
            Some(end) if values.contains_key(&after[..end]) => {
                out.push_str(values.get(&after[..end]).copied().unwrap_or_default());
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("%%");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn template_texts(p: &SendBulk) -> Vec<&str> {
    let mut v = vec![p.from.as_str(), p.subject.as_str()];
    v.extend(p.text.as_deref());
    v.extend(p.html.as_deref());
    v.extend(p.headers.iter().map(|h| h.value.as_str()));
    v
}

/// The message of recipient `r`.
fn personalise(p: &SendBulk, r: &BulkRecipient) -> SendSingle {
    let values: HashMap<&str, &str> = r
        .values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    SendSingle {
        from: fill(&p.from, &values),
        to: vec![r.to.clone()],
        subject: fill(&p.subject, &values),
        text: p.text.as_deref().map(|t| fill(t, &values)),
        html: p.html.as_deref().map(|t| fill(t, &values)),
        headers: p
            .headers
            .iter()
            .map(|h| Header {
                name: h.name.clone(),
                value: fill(&h.value, &values),
            })
            .collect(),
        reply_to: p.reply_to.clone(),
        envelope_from: p.envelope_from.clone(),
        tags: p.tags.clone(),
        ..SendSingle::default()
    }
}

/// What validation found: which recipients are accepted, which are refused for their format.
struct Checked {
    /// `accepted[i]` for every recipient of the request.
    accepted: Vec<bool>,
    /// The refused ones, with their request index.
    refused: Vec<(usize, Refused)>,
}

/// Checks the whole request. A malformed address refuses only its recipient; anything else
/// (or no well-formed address at all) refuses the job.
fn validate(p: &SendBulk, limits: Limits) -> Result<Checked, ApiError> {
    if p.recipients.is_empty() || p.recipients.len() > MAX_RECIPIENTS {
        return Err(ApiError::invalid(
            "recipients",
            format!(
                "1 to {MAX_RECIPIENTS} recipients are required, got {}",
                p.recipients.len()
            ),
        ));
    }
    let mut names = BTreeSet::new();
    for t in template_texts(p) {
        placeholders(t, &mut names);
    }
    let base_len: usize = template_texts(p).iter().map(|t| t.len()).sum();
    let mut checked = Checked {
        accepted: vec![false; p.recipients.len()],
        refused: Vec::new(),
    };
    let mut built_one = false;
    for (i, r) in p.recipients.iter().enumerate() {
        let field = format!("recipients[{i}].to");
        match mailbox(&field, &r.to) {
            Ok(_) => {}
            Err(ApiError::Invalid { field, message }) => {
                checked.refused.push((
                    i,
                    Refused {
                        field,
                        recipient: r.to.clone(),
                        reason: message,
                    },
                ));
                continue;
            }
            Err(other) => return Err(other),
        }
        let mut growth = 0usize;
        for name in &names {
            match r.values.get(name) {
                Some(v) => growth += v.len(),
                None => {
                    return Err(ApiError::invalid(
                        format!("recipients[{i}].values"),
                        format!("no value for placeholder %%{name}%%"),
                    ))
                }
            }
        }
        // A cheap bound first (every value at every occurrence, base64 at worst 4/3 + folding);
        // build the message for real only when the bound could break the limit.
        let bound = (base_len + growth * 16) * 2 + 4096;
        if !built_one || bound > limits.max_bytes {
            built_one = true;
            message::build(&personalise(p, r), None, "check@localhost", 0, limits).map_err(
                |e| match e {
                    ApiError::Invalid { field, message } => {
                        ApiError::invalid(format!("recipients[{i}] ({field})"), message)
                    }
                    other => other,
                },
            )?;
        }
        checked.accepted[i] = true;
    }
    if !built_one {
        if let Some((_, first)) = checked.refused.first() {
            return Err(first.clone().into_error());
        }
    }
    Ok(checked)
}

/// The envelope sender a recipient's message would have had ("" when it cannot be told).
fn envelope_of(m: &SendSingle) -> String {
    match &m.envelope_from {
        Some(e) if e.is_empty() => String::new(),
        Some(e) => mailbox("envelope_from", e)
            .map(|m| m.address.to_string())
            .unwrap_or_default(),
        None => mailbox("from", &m.from)
            .map(|m| m.address.to_string())
            .unwrap_or_default(),
    }
}

/// The wire entries and log writes of a job's refused recipients (each has a message id of
/// its own, as each recipient of a job gets a message of its own).
fn refusals(
    ctx: &ApiContext,
    p: &SendBulk,
    origin: &Origin,
    refused: &[(usize, Refused)],
) -> Result<(Vec<RejectedRecipient>, Vec<Op>), ApiError> {
    let now = now_ms();
    let mut list = Vec::with_capacity(refused.len());
    let mut ops = Vec::new();
    for (i, r) in refused {
        let (message_id, delivery_id) = {
            let mut ids = lock(&ctx.ids);
            (ids.next(now), ids.next(now))
        };
        let m = personalise(p, &p.recipients[*i]);
        let envelope_from = envelope_of(&m);
        let facts = rejected::Facts {
            message_id,
            api_user: origin.api_user.as_deref(),
            source_ip: origin.source_ip,
            envelope_from: &envelope_from,
            subject: &m.subject,
            size: 0,
            tags: &p.tags,
            now_ms: now,
        };
        let (entry, log_ops) = rejected::record(r, delivery_id, &facts)?;
        list.push(entry);
        ops.extend(log_ops);
    }
    Ok((list, ops))
}

/// Runs blocking work (validation of 100 000 recipients, spool reads) off the async thread.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Unavailable(format!("worker failed: {e}")))?
}

fn parse_job_id(text: &str) -> Result<Id, ApiError> {
    Id::parse(text).ok_or_else(|| ApiError::NotFound(format!("no job {text:?}")))
}

impl Jobs {
    /// Validates a job, stores it durably and starts it.
    pub(crate) async fn start(
        &self,
        ctx: Arc<ApiContext>,
        origin: Origin,
        p: SendBulk,
    ) -> Result<BulkAccepted, ApiError> {
        let limits = limits(&ctx);
        let worker_ctx = ctx.clone();
        let (id, record, rejected_list, ops) = blocking(move || {
            let checked = validate(&p, limits)?;
            let (rejected_list, mut ops) = refusals(&worker_ctx, &p, &origin, &checked.refused)?;
            let now = now_ms();
            let id = lock(&worker_ctx.ids).next(now);
            let accepted: Vec<BulkRecipient> = p
                .recipients
                .iter()
                .zip(&checked.accepted)
                .filter(|(_, ok)| **ok)
                .map(|(r, _)| r.clone())
                .collect();
            let record = JobRecord {
                owner: origin.owner,
                api_user: origin.api_user,
                source_ip: origin.source_ip,
                created_ms: now,
                total: accepted.len() as u64,
                chunk_size: CHUNK,
                next_chunk: 0,
                queued: 0,
                state: JobState::Running,
                error: None,
                finished_ms: None,
                rejected: rejected_list.len() as u64,
            };
            ops.extend(jobs_store::create_ops(NewJob {
                id,
                record: &record,
                template: &p,
                recipients: &accepted,
                rejected: &rejected_list,
            })?);
            Ok((id, record, rejected_list, ops))
        })
        .await?;
        ctx.committer.commit(ops).await?;
        // Malformed recipients were recorded failed (error status 9) in that batch.
        let now = now_ms();
        for _ in &rejected_list {
            ctx.metrics
                .outcome(crate::metrics::Outcome::Failed, Some(9), now, now);
        }
        let total = record.total;
        self.launch(ctx, id, record);
        Ok(BulkAccepted {
            job_id: id.to_string(),
            total,
            rejected: rejected_list,
        })
    }

    /// Resumes every job the spool says is running (at start-up); returns how many.
    pub(crate) fn resume(&self, ctx: &Arc<ApiContext>) -> Result<usize, ApiError> {
        let running = jobs_store::running(&ctx.store)?;
        let n = running.len();
        for (id, record) in running {
            tracing::info!(job = %id, queued = record.queued, total = record.total, "resuming bulk job");
            self.launch(ctx.clone(), id, record);
        }
        Ok(n)
    }

    /// Holds a running job in memory and spawns its task.
    fn launch(&self, ctx: Arc<ApiContext>, id: Id, record: JobRecord) {
        let job = Arc::new(Job {
            owner: record.owner.clone(),
            total: record.total,
            rejected: record.rejected,
            chunk_size: record.chunk_size,
            progress: Mutex::new(Progress {
                state: JobState::Running,
                error: None,
                queued: record.queued,
            }),
        });
        lock(&self.0).insert(id, job.clone());
        tokio::spawn(run(ctx, id, job, record));
    }

    /// Jobs held in memory (the running ones).
    #[cfg(test)]
    fn in_memory(&self) -> usize {
        lock(&self.0).len()
    }

    /// `send.job`: only the caller that started a job (or a group administrator) sees it.
    /// Reads the spool: run it off the async thread.
    pub(crate) fn status(
        &self,
        store: &crate::storage::Store,
        caller_key: &str,
        is_group_admin: bool,
        q: &JobQuery,
    ) -> Result<JobStatus, ApiError> {
        if q.limit > 10_000 {
            return Err(ApiError::invalid("limit", "at most 10000"));
        }
        let id = parse_job_id(&q.job_id)?;
        let live = lock(&self.0).get(&id).cloned();
        let (owner, total, rejected_total, chunk_size, state, error, queued) = match live {
            Some(job) => {
                let p = lock(&job.progress);
                (
                    job.owner.clone(),
                    job.total,
                    job.rejected,
                    job.chunk_size,
                    p.state,
                    p.error.clone(),
                    p.queued,
                )
            }
            None => match jobs_store::load(store, id)? {
                Some(r) => (
                    r.owner,
                    r.total,
                    r.rejected,
                    r.chunk_size,
                    r.state,
                    r.error,
                    r.queued,
                ),
                None => return Err(ApiError::NotFound(format!("no job {:?}", q.job_id))),
            },
        };
        if !(is_group_admin || owner.eq_ignore_ascii_case(caller_key)) {
            return Err(ApiError::NotFound(format!("no job {:?}", q.job_id)));
        }
        let deliveries = if q.limit > 0 {
            jobs_store::deliveries(store, id, chunk_size, queued, q.offset, q.limit)?
        } else {
            Vec::new()
        };
        let rejected = if rejected_total > 0 {
            jobs_store::rejected(store, id)?
        } else {
            Vec::new()
        };
        Ok(JobStatus {
            job_id: q.job_id.clone(),
            state,
            total,
            queued,
            error,
            deliveries,
            rejected_total,
            rejected,
        })
    }

    /// Forgets a finished job whose final state is durable.
    fn evict(&self, id: Id) {
        lock(&self.0).remove(&id);
    }
}

/// One chunk's messages, ready to commit.
struct BuiltChunk {
    ops: Vec<Op>,
    notices: Vec<QueuedNotice>,
    refs: Vec<DeliveryRef>,
}

/// Reads chunk `chunk` of job `id` and builds its messages (blocking: spool read, MIME).
fn build_chunk(
    ctx: &ApiContext,
    id: Id,
    chunk: u32,
    template: &SendBulk,
    record: &JobRecord,
) -> Result<BuiltChunk, String> {
    let limits = limits(ctx);
    let recipients = jobs_store::pending(&ctx.store, id, chunk).map_err(|e| e.to_string())?;
    let mut out = BuiltChunk {
        ops: Vec::new(),
        notices: Vec::with_capacity(recipients.len()),
        refs: Vec::with_capacity(recipients.len()),
    };
    for r in &recipients {
        let hmid = new_header_message_id(ctx);
        let tx = message::build(
            &personalise(template, r),
            record.api_user.as_deref(),
            &hmid,
            now_ms(),
            limits,
        )
        .map_err(|e| format!("recipient {:?}: {e}", r.to))?;
        let settings = ctx.snapshot();
        let intake_ctx = IntakeContext {
            hostname: &ctx.hostname,
            peer_ip: record.source_ip,
            tls_version: None,
            tags: &template.tags,
            policy: &settings.policy,
        };
        // Already on a blocking worker: S/MIME signs inline (see `sending::smime_sign`).
        let signed = match ctx.smime.signer_for_message(&tx.body) {
            Some(slot) => crate::smime::sign_with(&slot, &tx.body, now_ms())
                .map_err(|e| format!("recipient {:?}: {e}", r.to))?,
            None => None,
        };
        let prep = {
            let mut ids = lock(&ctx.ids);
            prepare_signed(&tx, signed, &intake_ctx, &mut ids, now_ms())
        }
        .map_err(|e| format!("storage: {e}"))?;
        for (rcpt, notice) in tx.recipients.iter().zip(&prep.notices) {
            out.refs.push(DeliveryRef {
                recipient: rcpt.to_string(),
                delivery_id: notice.delivery_id.to_string(),
            });
        }
        out.ops.extend(prep.ops);
        out.notices.extend(prep.notices);
    }
    Ok(out)
}

/// Queues the job's chunks from its cursor on, each in one batch with the moved cursor.
async fn run_chunks(
    ctx: &Arc<ApiContext>,
    id: Id,
    job: &Job,
    record: &mut JobRecord,
) -> Result<(), String> {
    let store = ctx.store.clone();
    let template = Arc::new(
        blocking(move || Ok(jobs_store::template(&store, id)?))
            .await
            .map_err(|e| e.to_string())?,
    );
    while record.next_chunk < record.chunks() {
        let chunk = record.next_chunk;
        let (worker_ctx, worker_template, worker_record) =
            (ctx.clone(), template.clone(), record.clone());
        let built = tokio::task::spawn_blocking(move || {
            build_chunk(&worker_ctx, id, chunk, &worker_template, &worker_record)
        })
        .await
        .map_err(|e| format!("worker failed: {e}"))??;
        let mut next = record.clone();
        next.next_chunk = chunk + 1;
        next.queued += built.refs.len() as u64;
        let mut ops = built.ops;
        ops.extend(
            jobs_store::chunk_done_ops(id, chunk, &built.refs, &next)
                .map_err(|e| format!("storage: {e}"))?,
        );
        ctx.committer
            .commit_new_mail(ops)
            .await
            .map_err(|e| format!("storage: {e}"))?;
        // One message per recipient.
        let queued = built.refs.len() as u64;
        ctx.metrics
            .accepted_many(crate::metrics::Listener::Api, queued, queued);
        *record = next;
        lock(&job.progress).queued = record.queued;
        if let Err(e) = ctx.link.enqueue(built.notices).await {
            tracing::warn!(error = %e, "bulk job: queued durably; shards pick it up at restart");
        }
    }
    Ok(())
}

async fn run(ctx: Arc<ApiContext>, id: Id, job: Arc<Job>, mut record: JobRecord) {
    let outcome = run_chunks(&ctx, id, &job, &mut record).await;
    match &outcome {
        Ok(()) => record.state = JobState::Done,
        Err(error) => {
            tracing::error!(job = %id, %error, queued = record.queued, "bulk job failed");
            record.state = JobState::Failed;
            record.error = Some(error.clone());
        }
    }
    record.finished_ms = Some(now_ms());
    let saved = match jobs_store::record_op(id, &record) {
        Ok(op) => ctx.committer.commit(vec![op]).await,
        Err(e) => Err(e),
    };
    {
        let mut p = lock(&job.progress);
        p.state = record.state;
        p.error = record.error.clone();
    }
    match saved {
        // Durable: `send.job` reads it from the spool from now on.
        Ok(()) => ctx.jobs.evict(id),
        // Kept in memory; the spool still says running, so the next start resumes it (a
        // storage failure) or finds nothing left to queue and marks it done.
        Err(e) => tracing::warn!(job = %id, error = %e, "bulk job: final state not stored"),
    }
}

#[cfg(test)]
mod tests;
