//! Failures and exit codes.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | local problem (unreadable file, bad input file, failed bulk job, invalid settings draft) |
//! | 2 | usage error (clap, or a missing input such as a password) |
//! | 3 | JSON-RPC error answered by the server |
//! | 4 | authentication or authorization error (-32001, -32003, -32004, -32006) |
//! | 5 | transport error: the server could not be reached or gave no usable answer |

use hikyaku_rpc::client::ClientError;
use hikyaku_rpc::errors;

/// Exit code: a local problem.
pub const EXIT_LOCAL: u8 = 1;
/// Exit code: a usage error.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: a JSON-RPC error from the server.
pub const EXIT_RPC: u8 = 3;
/// Exit code: authentication or authorization refused.
pub const EXIT_AUTH: u8 = 4;
/// Exit code: the server could not be reached.
pub const EXIT_TRANSPORT: u8 = 5;

/// The exit code for a failed call.
pub fn client_error_exit_code(e: &ClientError) -> u8 {
    match e {
        ClientError::Rpc { code, .. } => match *code {
            errors::UNAUTHENTICATED
            | errors::FORBIDDEN
            | errors::IP_NOT_ALLOWED
            | errors::ACCOUNT_LOCKED => EXIT_AUTH,
            _ => EXIT_RPC,
        },
        ClientError::Transport(_) => EXIT_TRANSPORT,
    }
}

/// A call that failed, with what is needed to explain it.
#[derive(Debug)]
pub struct CallFailed {
    /// The server URL.
    pub url: String,
    /// The method called.
    pub method: &'static str,
    /// Whether a credential was sent.
    pub had_credential: bool,
    /// The server answered, but not with a result of the expected shape.
    pub bad_answer: bool,
    /// What went wrong.
    pub error: ClientError,
}

impl std::fmt::Display for CallFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::message;
        let (url, method) = (&self.url, &self.method);
        match &self.error {
            ClientError::Rpc { code, message: m } => {
                f.write_str(&message("{} (error {})", &[m, code]))?;
                if *code == errors::UNAUTHENTICATED && !self.had_credential {
                    f.write_str(&message(
                        "; no credential given: use --key, HIKYAKU_KEY or `hikyaku login`",
                        &[],
                    ))?;
                }
                Ok(())
            }
            ClientError::Transport(m) if self.bad_answer => f.write_str(&message(
                "unexpected answer from the server at {} ({}): {}",
                &[url, method, m],
            )),
            ClientError::Transport(m) if m.to_ascii_lowercase().contains("timeout") => {
                f.write_str(&message(
                    "no answer from the server at {} in time ({}): {}; see --timeout",
                    &[url, method, m],
                ))
            }
            ClientError::Transport(m) => f.write_str(&message(
                "cannot reach the server at {} ({}): {}",
                &[url, method, m],
            )),
        }
    }
}

impl std::error::Error for CallFailed {}

/// A usage problem found after parsing (exit code 2).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Returns a usage error (exit code 2) as an `anyhow` error.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// The exit code for an error: the first recognised cause in its chain decides; anything
/// else is a local problem.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(c) = cause.downcast_ref::<CallFailed>() {
            return client_error_exit_code(&c.error);
        }
        if let Some(c) = cause.downcast_ref::<ClientError>() {
            return client_error_exit_code(c);
        }
        if cause.downcast_ref::<UsageError>().is_some() {
            return EXIT_USAGE;
        }
    }
    EXIT_LOCAL
}

/// True when the error is a closed output pipe (`hikyaku ... | head`), which is not worth a
/// message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn rpc(code: i32) -> ClientError {
        ClientError::Rpc {
            code,
            message: "m".into(),
        }
    }

    fn failed(error: ClientError, had_credential: bool) -> CallFailed {
        CallFailed {
            url: "http://127.0.0.1:1".into(),
            method: "send.single",
            had_credential,
            bad_answer: false,
            error,
        }
    }

    #[test]
    fn exit_codes_from_client_errors() {
        assert_eq!(client_error_exit_code(&rpc(-32602)), EXIT_RPC);
        assert_eq!(client_error_exit_code(&rpc(-32010)), EXIT_RPC);
        assert_eq!(client_error_exit_code(&rpc(-32005)), EXIT_RPC);
        assert_eq!(client_error_exit_code(&rpc(-32603)), EXIT_RPC);
        for code in [-32001, -32003, -32004, -32006] {
            assert_eq!(client_error_exit_code(&rpc(code)), EXIT_AUTH, "code {code}");
        }
        assert_eq!(
            client_error_exit_code(&ClientError::Transport("refused".into())),
            EXIT_TRANSPORT
        );
    }

    #[test]
    fn exit_codes_through_anyhow_context() {
        let e = anyhow::Error::new(failed(rpc(-32003), true)).context("while adding");
        assert_eq!(exit_code(&e), EXIT_AUTH);
        let e: anyhow::Result<()> = Err(anyhow::Error::new(failed(rpc(-32602), true)));
        assert_eq!(exit_code(&e.context("outer").unwrap_err()), EXIT_RPC);
        let e = anyhow::Error::new(failed(ClientError::Transport("x".into()), false));
        assert_eq!(exit_code(&e), EXIT_TRANSPORT);
        assert_eq!(exit_code(&anyhow::Error::new(rpc(-32006))), EXIT_AUTH);
        assert_eq!(
            exit_code(&usage("no password").context("login")),
            EXIT_USAGE
        );
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        assert_eq!(
            exit_code(&anyhow::Error::new(io).context("reading x")),
            EXIT_LOCAL
        );
        assert_eq!(exit_code(&anyhow::anyhow!("job failed")), EXIT_LOCAL);
    }

    #[test]
    fn messages() {
        let e = failed(
            ClientError::Rpc {
                code: -32602,
                message: "to[0]: \"bad\" is not a valid address (address has no '@')".into(),
            },
            true,
        );
        assert_eq!(
            e.to_string(),
            "to[0]: \"bad\" is not a valid address (address has no '@') (error -32602)"
        );
        let e = failed(ClientError::Transport("connection refused".into()), true);
        assert_eq!(
            e.to_string(),
            "cannot reach the server at http://127.0.0.1:1 (send.single): connection refused"
        );
        let e = failed(ClientError::Transport("Request timeout".into()), true);
        assert!(e
            .to_string()
            .starts_with("no answer from the server at http://127.0.0.1:1 in time"));
        let mut e = failed(ClientError::Transport("missing field `x`".into()), true);
        e.bad_answer = true;
        assert!(e
            .to_string()
            .starts_with("unexpected answer from the server"));
        assert!(failed(rpc(-32001), false)
            .to_string()
            .contains("hikyaku login"));
        assert_eq!(failed(rpc(-32001), true).to_string(), "m (error -32001)");
    }

    #[test]
    fn broken_pipe_is_recognised() {
        let io = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe");
        assert!(is_broken_pipe(&anyhow::Error::new(io).context("writing")));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }
}
