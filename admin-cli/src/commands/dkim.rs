//! `hikyaku dkim create|list|check|activate|remove`: sender-domain DKIM keys. The usual
//! sequence is `create` → publish the printed TXT record → `check` → `activate`; rotation is
//! the same with a new selector (the old key becomes `retired`; remove it once mail signed with
//! it has been delivered).

use clap::{Args, Subcommand, ValueEnum};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::dkim::{
    DkimActivate, DkimAlgorithm, DkimCheck, DkimCheckQuery, DkimCreate, DkimKeyInfo, DkimKeyList,
    DkimListQuery, DkimRemove,
};
use hikyaku_rpc::types::Done;

use super::Ctx;
use crate::output::{or_dash, wire_name, yes_no, Fields, Table};

/// `hikyaku dkim ...`.
#[derive(Debug, Subcommand)]
pub enum DkimCmd {
    /// Generate a key for a domain and selector and print the TXT record to publish
    /// (dkim.create)
    Create(CreateArgs),
    /// List keys with their state and record (dkim.list)
    List(ListArgs),
    /// Look the records up through the engine's resolver and compare them (dkim.check)
    Check(CheckArgs),
    /// Make a selector the domain's signing key; the previous one is retired (dkim.activate)
    Activate(ActivateArgs),
    /// Delete a key; removing the active key stops signing for its domain (dkim.remove)
    Remove(KeyArgs),
}

/// `--algorithm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlgorithmArg {
    /// rsa-sha256 with a 2048-bit key (understood by every verifier).
    #[value(name = "rsa-2048")]
    Rsa2048,
    /// ed25519-sha256 (RFC 8463); usually published beside an RSA selector.
    Ed25519,
}

/// `hikyaku dkim create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Sender domain (the From domain of the mail to sign)
    pub domain: String,
    /// Selector, one DNS label (e.g. s2026)
    pub selector: String,
    /// Key algorithm
    #[arg(long, value_enum, default_value = "rsa-2048")]
    pub algorithm: AlgorithmArg,
}

/// `hikyaku dkim list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this domain's keys
    #[arg(long)]
    pub domain: Option<String>,
}

/// `hikyaku dkim check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Domain whose keys are checked
    pub domain: String,
    /// Only this selector
    #[arg(long)]
    pub selector: Option<String>,
}

/// `hikyaku dkim activate`.
#[derive(Debug, Args)]
pub struct ActivateArgs {
    /// Domain
    pub domain: String,
    /// Selector to sign with from now on
    pub selector: String,
    /// Activate even if DNS does not show the matching record yet
    #[arg(long)]
    pub force: bool,
}

/// A domain and selector.
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Domain
    pub domain: String,
    /// Selector
    pub selector: String,
}

/// Runs a `dkim` subcommand.
pub async fn run(ctx: &Ctx, cmd: DkimCmd) -> anyhow::Result<()> {
    match cmd {
        DkimCmd::Create(a) => {
            let p = DkimCreate {
                domain: a.domain,
                selector: a.selector,
                algorithm: match a.algorithm {
                    AlgorithmArg::Rsa2048 => DkimAlgorithm::Rsa2048,
                    AlgorithmArg::Ed25519 => DkimAlgorithm::Ed25519,
                },
            };
            ctx.show(methods::DKIM_CREATE, &p, |k: &DkimKeyInfo| {
                let mut out = render_key(k);
                out.push_str(&format!(
                    "\nPublish this TXT record, then run `hikyaku dkim check {}` and `hikyaku dkim activate {} {}`:\n{}  IN TXT  \"{}\"\n",
                    k.domain, k.domain, k.selector, k.record_name, k.record_value
                ));
                out
            })
            .await
        }
        DkimCmd::List(a) => {
            let q = DkimListQuery { domain: a.domain };
            ctx.show(methods::DKIM_LIST, &q, render_list).await
        }
        DkimCmd::Check(a) => {
            let q = DkimCheckQuery {
                domain: a.domain,
                selector: a.selector,
            };
            ctx.show(methods::DKIM_CHECK, &q, render_check).await
        }
        DkimCmd::Activate(a) => {
            let p = DkimActivate {
                domain: a.domain,
                selector: a.selector,
                force: a.force,
            };
            ctx.show(methods::DKIM_ACTIVATE, &p, render_key).await
        }
        DkimCmd::Remove(a) => {
            let p = DkimRemove {
                domain: a.domain.clone(),
                selector: a.selector.clone(),
            };
            ctx.show(methods::DKIM_REMOVE, &p, move |_: &Done| {
                format!("removed {}._domainkey.{}\n", a.selector, a.domain)
            })
            .await
        }
    }
}

fn render_key(k: &DkimKeyInfo) -> String {
    Fields::new()
        .add("domain", &k.domain)
        .add("selector", &k.selector)
        .add("algorithm", wire_name(&k.algorithm))
        .add("state", wire_name(&k.state))
        .add("record name", &k.record_name)
        .add("record value", &k.record_value)
        .add("created", &k.created)
        .opt("activated", k.activated.as_ref())
        .render()
}

fn render_list(l: &DkimKeyList) -> String {
    let mut t = Table::new(&[
        "DOMAIN",
        "SELECTOR",
        "ALGORITHM",
        "STATE",
        "CREATED",
        "ACTIVATED",
    ]);
    for k in &l.keys {
        t.row(vec![
            k.domain.clone(),
            k.selector.clone(),
            wire_name(&k.algorithm),
            wire_name(&k.state),
            k.created.clone(),
            or_dash(k.activated.as_ref()),
        ]);
    }
    t.render()
}

fn render_check(c: &DkimCheck) -> String {
    let mut t = Table::new(&["SELECTOR", "STATE", "RECORD", "DNS"]);
    for k in &c.keys {
        let verdict = match &k.error {
            Some(e) => format!("{} ({e})", wire_name(&k.status)),
            None => wire_name(&k.status),
        };
        t.row(vec![
            k.selector.clone(),
            wire_name(&k.state),
            k.record_name.clone(),
            verdict,
        ]);
    }
    let mut out = t.render();
    out.push_str(&format!(
        "{}: active key published and matching: {}\n",
        c.domain,
        yes_no(c.active_ok)
    ));
    out
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    #[test]
    fn create_defaults_to_rsa_and_takes_ed25519() {
        let cli = Cli::try_parse_from(["hikyaku", "dkim", "create", "example.com", "s1"]).unwrap();
        let Command::Dkim(DkimCmd::Create(a)) = cli.command else {
            panic!("not dkim create");
        };
        assert_eq!(a.algorithm, AlgorithmArg::Rsa2048);
        let cli = Cli::try_parse_from([
            "hikyaku",
            "dkim",
            "create",
            "example.com",
            "s2",
            "--algorithm",
            "ed25519",
        ])
        .unwrap();
        let Command::Dkim(DkimCmd::Create(a)) = cli.command else {
            panic!("not dkim create");
        };
        assert_eq!(a.algorithm, AlgorithmArg::Ed25519);
        let cli = Cli::try_parse_from([
            "hikyaku",
            "dkim",
            "create",
            "example.com",
            "s3",
            "--algorithm",
            "rsa-2048",
        ])
        .unwrap();
        let Command::Dkim(DkimCmd::Create(a)) = cli.command else {
            panic!("not dkim create");
        };
        assert_eq!(a.algorithm, AlgorithmArg::Rsa2048);
    }
}
