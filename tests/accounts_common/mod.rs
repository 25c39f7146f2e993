//! Helpers shared by the accounts end-to-end tests (`accounts.rs`, `oplog.rs`): calls as an
//! account, the CLI with a private config file, one-time codes from Python's pyotp.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hikyaku_e2e::{binary, python, Daemon};
use hikyaku_rpc::client::ClientError;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::oplog::{OplogEntry, OplogQuery};
use hikyaku_rpc::types::users::{AddAccount, Login, Role};

/// The code pyotp makes from `uri` for `offset_secs` from now (30: the next step, which the
/// engine accepts as clock drift and which no earlier login can have used).
pub fn pyotp_code(uri: &str, offset_secs: i64) -> String {
    python(
        "import sys, time, pyotp\n\
         t = pyotp.parse_uri(sys.argv[1])\n\
         print(t.at(int(time.time()) + int(sys.argv[2])))\n",
        &[uri, &offset_secs.to_string()],
    )
    .trim()
    .to_string()
}
/// A 6-digit code that is not `code`.
pub fn wrong(code: &str) -> String {
    let first = code.as_bytes()[0] - b'0';
    format!("{}{}", (first + 5) % 10, &code[1..])
}
pub fn code(e: &ClientError) -> i32 {
    e.code().unwrap_or_else(|| panic!("transport error: {e}"))
}
pub fn add_account(d: &Daemon, admin: &str, name: &str, password: &str) {
    d.call(
        Some(admin),
        m::USERS_ADD_ACCOUNT,
        &AddAccount {
            name: name.into(),
            password: password.into(),
            role: Role::ServiceAdmin,
        },
    )
    .unwrap();
}
pub fn login(
    d: &Daemon,
    account: &str,
    password: &str,
    totp: Option<String>,
) -> Result<String, ClientError> {
    d.call(
        None,
        m::USERS_LOGIN,
        &Login {
            account: account.into(),
            password: password.into(),
            totp,
        },
    )
    .map(|s| s.token)
}
/// Runs `hikyaku` with the daemon's URL, `key` (if any) and a private config file.
pub fn cli(d: &Daemon, key: Option<&str>, args: &[&str], stdin: Option<&str>) -> Output {
    let config = d.data.parent().unwrap().join("cli.toml");
    let mut cmd = Command::new(binary("hikyaku"));
    cmd.env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", &config)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(k) = key {
        cmd.env("HIKYAKU_KEY", k);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}
pub fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn fails(o: &Output, exit: i32, message: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(exit), "stderr: {err}");
    assert!(err.contains(message), "expected {message:?} in: {err}");
}
/// The value of a `key: value` line.
pub fn field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no {key} in {text}"))
        .to_string()
}
/// The entries of the operation log matching `q` (as the admin), every page.
pub fn oplog(d: &Daemon, token: &str, mut q: OplogQuery) -> Vec<OplogEntry> {
    let mut all = Vec::new();
    q.limit = Some(3); // small pages: the cursor is exercised too
    loop {
        let page = d.call(Some(token), m::OPLOG_SEARCH, &q).unwrap();
        all.extend(page.entries);
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => return all,
        }
    }
}
