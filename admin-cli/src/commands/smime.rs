//! `hikyaku smime add|list|remove`: S/MIME signers of sender addresses and domains. The
//! certificate and key are read from files here and sent once (`smime.add`); the engine never
//! sends the key back.

use anyhow::Context;
use clap::{Args, Subcommand};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::smime::{SmimeAdd, SmimeEntry, SmimeList, SmimeTarget};
use hikyaku_rpc::types::{Done, NoParams};

use super::Ctx;
use crate::output::{or_dash, yes_no, Fields, Table};

/// `hikyaku smime ...`.
#[derive(Debug, Subcommand)]
pub enum SmimeCmd {
    /// Register a certificate and key for a sender address or domain; its mail is signed from
    /// then on (smime.add)
    Add(AddArgs),
    /// List signers: certificate subject, issuer, serial, validity, fingerprint (smime.list)
    List,
    /// Delete a signer; its mail is no longer signed (smime.remove)
    Remove(RemoveArgs),
}

/// `hikyaku smime add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// Sender address (news@example.com) or domain (example.com); an address wins over its
    /// domain
    pub address_or_domain: String,
    /// PEM file with the signer certificate (and any intermediate certificates to send along)
    #[arg(long)]
    pub cert: std::path::PathBuf,
    /// PEM file with the certificate's private key (unencrypted PKCS #8, PKCS #1 or SEC1)
    #[arg(long = "private-key")]
    pub private_key: std::path::PathBuf,
}

/// `hikyaku smime remove`.
#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Address or domain as registered
    pub address_or_domain: String,
}

/// Runs an `smime` subcommand.
pub async fn run(ctx: &Ctx, cmd: SmimeCmd) -> anyhow::Result<()> {
    match cmd {
        SmimeCmd::Add(a) => {
            let p = SmimeAdd {
                address_or_domain: a.address_or_domain,
                certificate_pem: std::fs::read_to_string(&a.cert)
                    .with_context(|| format!("reading --cert {}", a.cert.display()))?,
                key_pem: std::fs::read_to_string(&a.private_key).with_context(|| {
                    format!("reading --private-key {}", a.private_key.display())
                })?,
            };
            ctx.show(methods::SMIME_ADD, &p, render_entry).await
        }
        SmimeCmd::List => {
            ctx.show(methods::SMIME_LIST, &NoParams {}, render_list)
                .await
        }
        SmimeCmd::Remove(a) => {
            let target = a.address_or_domain.clone();
            let p = SmimeTarget {
                address_or_domain: a.address_or_domain,
            };
            ctx.show(methods::SMIME_REMOVE, &p, move |_: &Done| {
                format!("removed the S/MIME signer of {target}\n")
            })
            .await
        }
    }
}

fn render_entry(e: &SmimeEntry) -> String {
    Fields::new()
        .add("address or domain", &e.address_or_domain)
        .add("subject", &e.subject)
        .add("issuer", &e.issuer)
        .add("serial", &e.serial)
        .add("not before", &e.not_before)
        .add("not after", &e.not_after)
        .add("fingerprint (SHA-256)", &e.fingerprint_sha256)
        .add("key", &e.key_algorithm)
        .add("chain certificates", e.chain_certificates)
        .add("key held", yes_no(e.key_held))
        .opt("problem", e.problem.as_ref())
        .add("added", &e.added)
        .render()
}

fn render_list(l: &SmimeList) -> String {
    let mut t = Table::new(&[
        "ADDRESS/DOMAIN",
        "SUBJECT",
        "ISSUER",
        "NOT AFTER",
        "KEY",
        "KEY HELD",
        "FINGERPRINT",
    ]);
    for e in &l.entries {
        t.row(vec![
            e.address_or_domain.clone(),
            e.subject.clone(),
            e.issuer.clone(),
            e.not_after.clone(),
            e.key_algorithm.clone(),
            match &e.problem {
                Some(p) => format!("no ({p})"),
                None => yes_no(e.key_held),
            },
            or_dash((!e.fingerprint_sha256.is_empty()).then_some(&e.fingerprint_sha256)),
        ]);
    }
    t.render()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    #[test]
    fn add_takes_the_target_and_two_files() {
        let cli = Cli::try_parse_from([
            "hikyaku",
            "smime",
            "add",
            "example.com",
            "--cert",
            "c.pem",
            "--private-key",
            "k.pem",
        ])
        .unwrap();
        let Command::Smime(SmimeCmd::Add(a)) = cli.command else {
            panic!("not smime add");
        };
        assert_eq!(a.address_or_domain, "example.com");
        assert_eq!(a.cert, std::path::PathBuf::from("c.pem"));
        assert!(Cli::try_parse_from(["hikyaku", "smime", "add", "example.com"]).is_err());
    }
}
