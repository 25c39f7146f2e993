//! Property tests: address round-trips, no panics, and chunk-split invariance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{config, Client, Seen};
use hikyaku_smtp::{parse_address, Access, BareLineEnding, SessionConfig};
use proptest::prelude::*;

/// Tokens of the SMTP alphabet, so generated streams reach deep states.
const TOKENS: &[&str] = &[
    "EHLO c\r\n",
    "HELO c\r\n",
    "MAIL FROM:<a@x.test>\r\n",
    "MAIL FROM:<>\r\n",
    "MAIL FROM:<a@x.test> SIZE=10\r\n",
    "MAIL FROM:<a@x.test> SIZE=99999\r\n",
    "RCPT TO:<b@y.test>\r\n",
    "RCPT TO:<x..y@y.test>\r\n",
    "RCPT TO:<bad>\r\n",
    "DATA\r\n",
    "BDAT 3\r\n",
    "BDAT 5 LAST\r\n",
    "BDAT 0 LAST\r\n",
    "RSET\r\n",
    "NOOP\r\n",
    "VRFY a\r\n",
    "HELP\r\n",
    "AUTH PLAIN\r\n",
    "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n",
    "AUTH LOGIN\r\n",
    "dXNlcg==\r\n",
    "c2VjcmV0\r\n",
    "*\r\n",
    "STARTTLS\r\n",
    "QUIT\r\n",
    "\r\n",
    "\n",
    "\r",
    ".",
    ".\r\n",
    "\r\n.\r\n",
    "\n.\n",
    "\r.\r",
    "abc",
    "x\r\n",
    "<",
    ">",
    ":",
    "0123456789",
];

fn stream() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
            1 => prop::collection::vec(any::<u8>(), 0..8),
            1 => (900usize..1100).prop_map(|n| vec![b'a'; n]),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn session_config(ip_allowed: bool, reject: bool) -> SessionConfig {
    let mut c = config();
    c.max_message_size = 64;
    // STARTTLS discards the bytes buffered behind it, which depends on the split by design.
    c.starttls_available = false;
    c.plain_auth_allowed = true;
    c.access = Access::Relay { ip_allowed };
    if reject {
        c.bare_line_ending = BareLineEnding::Reject;
    }
    c
}

/// Runs `input` split at `cuts`, returning all output and events.
fn run(config: SessionConfig, input: &[u8], cuts: &[usize]) -> (Vec<u8>, Vec<Seen>) {
    let mut client = Client::new(config);
    let mut out = client.session.take_output();
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    let mut start = 0;
    for cut in cuts.into_iter().chain([input.len()]) {
        client.session.feed(&input[start..cut]);
        client.pump();
        out.extend(client.session.take_output());
        start = cut;
    }
    (out, client.seen)
}

/// Every reply line is `ddd` + ` ` or `-`, and the output ends with CRLF.
fn well_formed(out: &[u8]) -> bool {
    out.is_empty()
        || (out.ends_with(b"\r\n")
            && out[..out.len() - 1].split(|&b| b == b'\n').all(|line| {
                line.len() >= 5
                    && line[..3].iter().all(u8::is_ascii_digit)
                    && (line[3] == b' ' || line[3] == b'-')
                    && line.ends_with(b"\r")
                    && !line[..line.len() - 1].contains(&b'\r')
            }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_address_never_panics(s in any::<String>(), utf8 in any::<bool>()) {
        let _ = parse_address(&s, utf8);
    }

    #[test]
    fn parse_address_round_trips(
        s in "[a-zA-Z0-9.\\\\\"()@ !#_é-]{0,12}@[a-zA-Z0-9._é-]{0,10}",
        utf8 in any::<bool>(),
    ) {
        if let Ok(address) = parse_address(&s, utf8) {
            let again = parse_address(&address.to_string(), utf8);
            prop_assert_eq!(again, Ok(address.clone()));
            prop_assert_eq!(address.to_string(), format!("{}@{}", address.local(), address.domain()));
        }
    }

    #[test]
    fn session_never_panics_on_random_bytes(input in prop::collection::vec(any::<u8>(), 0..2000)) {
        let (out, _) = run(session_config(true, false), &input, &[]);
        prop_assert!(well_formed(&out));
    }

    #[test]
    fn chunk_splits_do_not_change_the_conversation(
        input in stream(),
        cuts in prop::collection::vec(any::<usize>(), 0..30),
        ip_allowed in any::<bool>(),
        reject in any::<bool>(),
    ) {
        let config = session_config(ip_allowed, reject);
        let whole = run(config.clone(), &input, &[]);
        let split = run(config.clone(), &input, &cuts);
        prop_assert!(well_formed(&whole.0));
        prop_assert_eq!(String::from_utf8_lossy(&whole.0), String::from_utf8_lossy(&split.0));
        prop_assert_eq!(&whole.1, &split.1);
        // Byte by byte, the hardest split.
        let every: Vec<usize> = (0..input.len()).collect();
        let bytewise = run(config, &input, &every);
        prop_assert_eq!(&whole.0, &bytewise.0);
        prop_assert_eq!(&whole.1, &bytewise.1);
    }
}

/// A fixed conversation through every deep state, split at every byte: guards against the
/// random streams above rarely reaching DATA/BDAT/AUTH.
#[test]
fn full_conversation_is_split_invariant() {
    let input: &[u8] = b"EHLO c\r\nAUTH LOGIN\r\ndXNlcg==\r\nc2VjcmV0\r\nMAIL FROM:<a@x.test>\r\n\
        RCPT TO:<b@y.test>\r\nDATA\r\n..a\nb\r.\r\n\r\n.\r\nMAIL FROM:<> SIZE=3\r\n\
        RCPT TO:<x..y@y.test>\r\nBDAT 2\r\na\rBDAT 1 LAST\r\n\nNOOP\r\nQUIT\r\n";
    let config = session_config(false, false);
    let whole = run(config.clone(), input, &[]);
    let messages = whole
        .1
        .iter()
        .filter(|s| matches!(s, Seen::Message(_)))
        .count();
    assert_eq!(messages, 2, "{}", String::from_utf8_lossy(&whole.0));
    assert!(matches!(whole.1[0], Seen::Auth(..)));
    assert_eq!(whole.1.last(), Some(&Seen::Close));
    let every: Vec<usize> = (0..input.len()).collect();
    assert_eq!(run(config, input, &every), whole);
    assert!(well_formed(&whole.0));
}
