//! `send.bulk` and `send.job`: one template, up to 100 000 recipients, one message each.
//!
//! Everything that can be wrong with the request is checked before the job id is returned:
//! every address, every `%%placeholder%%` against every recipient's values, the template by
//! building the first message, and the size of any message whose values could push it over the
//! limit. Queuing then runs as a background task that commits messages in groups of
//! [`CHUNK`] through the group committer. Job progress is kept in memory: a restart forgets
//! the job record (never the mail already queued); recipients not yet queued when the process
//! stopped are not queued later, and `send.job` reports the job as unknown.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use hikyaku_rpc::types::send::{
    BulkAccepted, DeliveryRef, Header, JobQuery, JobState, JobStatus, SendBulk, SendSingle,
};

use super::message::{self, mailbox};
use super::sending::{limits, new_header_message_id};
use super::{lock, ApiContext, ApiError};
use crate::clock::now_ms;
use crate::intake::{prepare, IntakeContext};

/// Most recipients per job (SPEC §4).
pub(crate) const MAX_RECIPIENTS: usize = 100_000;
/// Messages per durable commit of a running job.
const CHUNK: usize = 256;

/// Every job of this process.
#[derive(Default)]
pub(crate) struct Jobs(Mutex<HashMap<String, Arc<Job>>>);

/// One bulk job.
pub(crate) struct Job {
    owner: String,
    total: u64,
    progress: Mutex<Progress>,
}

struct Progress {
    state: JobState,
    error: Option<String>,
    deliveries: Vec<DeliveryRef>,
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

/// The message of recipient `i`.
fn personalise(p: &SendBulk, i: usize) -> SendSingle {
    let r = &p.recipients[i];
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

/// Checks the whole request; returns nothing but errors.
fn validate(p: &SendBulk, ctx: &ApiContext) -> Result<(), ApiError> {
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
    let limits = limits(ctx);
    let base_len: usize = template_texts(p).iter().map(|t| t.len()).sum();
    for (i, r) in p.recipients.iter().enumerate() {
        mailbox(&format!("recipients[{i}].to"), &r.to)?;
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
        if i == 0 || bound > limits.max_bytes {
            message::build(&personalise(p, i), None, "check@localhost", 0, limits).map_err(
                |e| match e {
                    ApiError::Invalid { field, message } => {
                        ApiError::invalid(format!("recipients[{i}] ({field})"), message)
                    }
                    other => other,
                },
            )?;
        }
    }
    Ok(())
}

impl Jobs {
    /// Validates and starts a job.
    pub(crate) fn start(
        &self,
        ctx: Arc<ApiContext>,
        owner: String,
        api_user: Option<String>,
        p: SendBulk,
    ) -> Result<BulkAccepted, ApiError> {
        validate(&p, &ctx)?;
        let job_id = lock(&ctx.ids).next(now_ms()).to_string();
        let total = p.recipients.len() as u64;
        let job = Arc::new(Job {
            owner,
            total,
            progress: Mutex::new(Progress {
                state: JobState::Running,
                error: None,
                deliveries: Vec::with_capacity(p.recipients.len()),
            }),
        });
        lock(&self.0).insert(job_id.clone(), job.clone());
        tokio::spawn(run(ctx, job, api_user, p));
        Ok(BulkAccepted { job_id, total })
    }

    /// `send.job`: only the caller that started a job (or a group administrator) sees it.
    pub(crate) fn status(
        &self,
        caller_key: &str,
        is_group_admin: bool,
        q: &JobQuery,
    ) -> Result<JobStatus, ApiError> {
        let job = lock(&self.0)
            .get(&q.job_id)
            .cloned()
            .filter(|j| is_group_admin || j.owner.eq_ignore_ascii_case(caller_key))
            .ok_or_else(|| ApiError::NotFound(format!("no job {:?}", q.job_id)))?;
        if q.limit > 10_000 {
            return Err(ApiError::invalid("limit", "at most 10000"));
        }
        let p = lock(&job.progress);
        let start = usize::try_from(q.offset).unwrap_or(usize::MAX);
        let deliveries = p
            .deliveries
            .iter()
            .skip(start)
            .take(usize::try_from(q.limit).unwrap_or(0))
            .cloned()
            .collect();
        Ok(JobStatus {
            job_id: q.job_id.clone(),
            state: p.state,
            total: job.total,
            queued: p.deliveries.len() as u64,
            error: p.error.clone(),
            deliveries,
        })
    }
}

async fn run(ctx: Arc<ApiContext>, job: Arc<Job>, api_user: Option<String>, p: SendBulk) {
    let limits = limits(&ctx);
    let mut i = 0;
    while i < p.recipients.len() {
        let end = (i + CHUNK).min(p.recipients.len());
        let mut ops = Vec::new();
        let mut notices = Vec::new();
        let mut refs = Vec::new();
        let mut failure = None;
        for n in i..end {
            let hmid = new_header_message_id(&ctx);
            let built = message::build(
                &personalise(&p, n),
                api_user.as_deref(),
                &hmid,
                now_ms(),
                limits,
            );
            let tx = match built {
                Ok(tx) => tx,
                Err(e) => {
                    failure = Some(format!("recipients[{n}]: {e}"));
                    break;
                }
            };
            let intake_ctx = IntakeContext {
                hostname: &ctx.hostname,
                peer_ip: std::net::IpAddr::from([127, 0, 0, 1]),
                tls_version: None,
                tags: &p.tags,
            };
            let prepared = {
                let mut ids = lock(&ctx.ids);
                prepare(&tx, &intake_ctx, &mut ids, now_ms())
            };
            match prepared {
                Ok(prep) => {
                    for (r, notice) in tx.recipients.iter().zip(&prep.notices) {
                        refs.push(DeliveryRef {
                            recipient: r.to_string(),
                            delivery_id: notice.delivery_id.to_string(),
                        });
                    }
                    ops.extend(prep.ops);
                    notices.extend(prep.notices);
                }
                Err(e) => {
                    failure = Some(e.to_string());
                    break;
                }
            }
        }
        if failure.is_none() {
            if let Err(e) = ctx.committer.commit(ops).await {
                failure = Some(format!("storage: {e}"));
            }
        }
        if let Some(error) = failure {
            let mut prog = lock(&job.progress);
            prog.state = JobState::Failed;
            prog.error = Some(error);
            return;
        }
        if let Err(e) = ctx.link.enqueue(notices).await {
            tracing::warn!(error = %e, "bulk job: queued durably; shards pick it up at restart");
        }
        lock(&job.progress).deliveries.extend(refs);
        i = end;
    }
    lock(&job.progress).state = JobState::Done;
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
