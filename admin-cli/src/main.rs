//! `hikyaku`: the admin command line of the hikyaku mail engine.
//!
//! A thin client over the JSON-RPC API described by `hikyaku-rpc` (see `docs/rpc.md`): every
//! method is a subcommand grouped by namespace (`hikyaku send`, `hikyaku deliveries search`,
//! `hikyaku settings apply`, ...). The server URL and credential come from flags, then the
//! environment (`HIKYAKU_URL`, `HIKYAKU_KEY`), then the config file
//! (`~/.config/hikyaku/cli.toml`, where `hikyaku login` saves its session).
//!
//! Output is a plain-text table or `key: value` lines; `--json` prints exactly the JSON result
//! of the call instead. Failures print `hikyaku: <message>` on stderr and exit with a code
//! that tells local problems (1), usage errors (2), JSON-RPC errors (3), refused credentials
//! (4) and an unreachable server (5) apart: see [`failure`].
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod args;
mod args_admin;
mod args_enums;
mod commands;
mod credentials;
mod failure;
mod i18n;
mod output;
mod recipients;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{CommandFactory, Parser};

use crate::args::{Cli, Command};
use crate::commands::Ctx;

fn main() -> ExitCode {
    // Usage errors exit with 2 here, help and version with 0.
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if failure::is_broken_pipe(&err) => ExitCode::from(failure::EXIT_LOCAL),
        Err(err) => {
            let _ = writeln!(std::io::stderr().lock(), "hikyaku: {err:#}");
            ExitCode::from(failure::exit_code(&err))
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "hikyaku", &mut script);
        return output::emit(&String::from_utf8_lossy(&script));
    }
    let env = |name: &str| credentials::env_var(name);
    let config_path = credentials::config_path(cli.global.config.as_deref(), &env);
    let config = match &config_path {
        Some(path) => credentials::load_config(path)?,
        None => credentials::ConfigFile::default(),
    };
    i18n::choose(
        cli.global
            .lang
            .or_else(|| env("HIKYAKU_LANG").as_deref().and_then(i18n::Lang::parse)),
        config.language.as_deref().and_then(i18n::Lang::parse),
    );
    let creds = credentials::resolve(
        cli.global.url.as_deref(),
        cli.global.key.as_deref(),
        &env,
        &config,
        config_path,
    );
    let ctx = Ctx {
        creds,
        json: cli.global.json,
        timeout: Duration::from_secs(cli.global.timeout),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(commands::dispatch(&ctx, cli.command))
}
