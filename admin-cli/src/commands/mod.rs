//! The commands: one module per namespace, sharing a [`Ctx`] (connection settings, output
//! mode) and a few input helpers.

pub mod blocks;
pub mod bounces;
pub mod bulk;
pub mod deliveries;
pub mod dkim;
pub mod dmarc;
pub mod graph;
pub mod oplog;
pub mod ops;
pub mod received;
pub mod send;
pub mod settings;
pub mod shaping;
pub mod smime;
pub mod spf;
pub mod users;
pub mod webhooks;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use hikyaku_rpc::client::Client;
use hikyaku_rpc::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::args::{Command, SendSub};
use crate::credentials::Credentials;
use crate::failure::CallFailed;
use crate::output;

/// What every command needs: where to connect, with which credential, and how to print.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// URL and credential.
    pub creds: Credentials,
    /// `--json`.
    pub json: bool,
    /// `--timeout`.
    pub timeout: Duration,
}

impl Ctx {
    /// A client with the configured credential.
    pub fn api(&self) -> anyhow::Result<Api> {
        Api::connect(&self.creds.url, self.creds.key.as_deref(), self.timeout)
    }

    /// Calls a method and prints its result: the JSON result with `--json`, else `render`'s text.
    pub async fn show<P: Serialize, R: DeserializeOwned>(
        &self,
        method: Method<P, R>,
        params: &P,
        render: impl FnOnce(&R) -> String,
    ) -> anyhow::Result<()> {
        let api = self.api()?;
        let value = api.call_value(method, params).await?;
        if self.json {
            output::emit_json(&value)
        } else {
            let result: R = api.decode(method, value)?;
            output::emit(&render(&result))
        }
    }
}

/// A connected client that reports failures as [`CallFailed`].
pub struct Api {
    client: Client,
    url: String,
    had_credential: bool,
}

impl Api {
    /// Builds a client (no network traffic yet).
    pub fn connect(url: &str, key: Option<&str>, timeout: Duration) -> anyhow::Result<Self> {
        let client = Client::new(url, key, timeout)
            .map_err(|e| anyhow::anyhow!("cannot use server URL {url:?}: {e}"))?;
        Ok(Self {
            client,
            url: url.to_string(),
            had_credential: key.is_some(),
        })
    }

    /// Calls a method and decodes its typed result.
    pub async fn call<P: Serialize, R: DeserializeOwned>(
        &self,
        method: Method<P, R>,
        params: &P,
    ) -> Result<R, CallFailed> {
        let value = self.call_value(method, params).await?;
        self.decode(method, value)
    }

    /// Calls a method and returns its result exactly as the server sent it.
    pub async fn call_value<P: Serialize, R>(
        &self,
        method: Method<P, R>,
        params: &P,
    ) -> Result<serde_json::Value, CallFailed> {
        let raw: Method<P, serde_json::Value> = Method::new(method.name, method.access);
        self.client
            .call(raw, params)
            .await
            .map_err(|error| self.failed(method.name, error, false))
    }

    /// Decodes a result obtained with [`Api::call_value`].
    pub fn decode<P, R: DeserializeOwned>(
        &self,
        method: Method<P, R>,
        value: serde_json::Value,
    ) -> Result<R, CallFailed> {
        serde_json::from_value(value).map_err(|e| {
            self.failed(
                method.name,
                hikyaku_rpc::client::ClientError::Transport(e.to_string()),
                true,
            )
        })
    }

    fn failed(
        &self,
        method: &'static str,
        error: hikyaku_rpc::client::ClientError,
        bad_answer: bool,
    ) -> CallFailed {
        CallFailed {
            url: self.url.clone(),
            method,
            had_credential: self.had_credential,
            bad_answer,
            error,
        }
    }
}

/// How to name an input path in messages (`-` is standard input).
pub fn input_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// Follows `next_cursor` from page to page and returns the items (the array named `items`) of
/// every page, exactly as the server sent them.
pub async fn all_pages<P: Serialize, R>(
    api: &Api,
    method: Method<P, R>,
    params: &mut P,
    items: &str,
    cursor: fn(&mut P) -> &mut Option<String>,
) -> anyhow::Result<Vec<serde_json::Value>> {
    use serde_json::Value;
    let mut all = Vec::new();
    loop {
        let mut value = api.call_value(method, params).await?;
        let next = value
            .get("next_cursor")
            .and_then(Value::as_str)
            .map(str::to_string);
        match value.get_mut(items).map(Value::take) {
            Some(Value::Array(page)) => all.extend(page),
            _ => anyhow::bail!("unexpected {} result: no `{items}` array", method.name),
        }
        let current = cursor(params);
        match next {
            Some(c) if current.as_deref() == Some(c.as_str()) => {
                anyhow::bail!("{}: the server returned the same cursor twice", method.name)
            }
            Some(c) => *current = Some(c),
            None => return Ok(all),
        }
    }
}

/// Reads a whole text file, or stdin for `-`.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

/// Reads `n` lines from stdin (passwords), without their line endings.
pub fn read_stdin_lines(n: usize) -> anyhow::Result<Vec<String>> {
    let stdin = std::io::stdin();
    let mut lines = Vec::with_capacity(n);
    for i in 0..n {
        let mut line = String::new();
        let read = stdin
            .read_line(&mut line)
            .context("cannot read standard input")?;
        if read == 0 {
            return Err(crate::failure::usage(format!(
                "standard input ended after {i} line(s); expected {n}"
            )));
        }
        lines.push(line.trim_end_matches(['\r', '\n']).to_string());
    }
    Ok(lines)
}

/// Runs one command (everything but `completions`, which main handles without a server).
pub async fn dispatch(ctx: &Ctx, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Send(cmd) => match cmd.sub {
            None => send::single(ctx, cmd.single).await,
            Some(SendSub::Bulk(args)) => bulk::bulk(ctx, args).await,
            Some(SendSub::Job(args)) => bulk::job(ctx, args).await,
        },
        Command::Deliveries(cmd) => deliveries::run(ctx, cmd).await,
        Command::Blocks(cmd) => blocks::run(ctx, cmd).await,
        Command::Bounces(cmd) => bounces::run(ctx, cmd).await,
        Command::Bounce(cmd) => bounces::parse(ctx, cmd),
        Command::Received(cmd) => received::run(ctx, cmd).await,
        Command::Spf(cmd) => spf::run(ctx, cmd).await,
        Command::Dmarc(cmd) => dmarc::run(ctx, cmd).await,
        Command::Dkim(cmd) => dkim::run(ctx, cmd).await,
        Command::Smime(cmd) => smime::run(ctx, cmd).await,
        Command::Webhooks(cmd) => webhooks::run(ctx, cmd).await,
        Command::Stats(cmd) => ops::stats(ctx, cmd).await,
        Command::Graph(args) => graph::run(ctx, args).await,
        Command::Queue(cmd) => ops::queue(ctx, cmd).await,
        Command::Settings(cmd) => settings::run(ctx, cmd).await,
        Command::Login(args) => users::login(ctx, args).await,
        Command::Logout => users::logout(ctx).await,
        Command::Whoami => users::whoami(ctx).await,
        Command::Users(cmd) => users::run(ctx, cmd).await,
        Command::Oplog(args) => oplog::run(ctx, args).await,
        Command::Shaping(cmd) => shaping::run(ctx, cmd).await,
        Command::System(cmd) => ops::system(ctx, cmd).await,
        Command::Discover => ops::discover(ctx).await,
        Command::Completions { .. } => Err(anyhow::anyhow!(
            "completions are generated without a server"
        )),
    }
}
