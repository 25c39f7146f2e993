//! Client properties: the events depend only on the server's byte stream, never on how it
//! was split into reads; random server bytes never panic and every message gets exactly one
//! outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/client.rs"]
mod harness;

use harness::{client_config, message};
use hikyaku_smtp::{Client, ClientEvent, DeliveryResult, OutboundMessage, TlsPolicy};
use proptest::prelude::*;

/// Replies and fragments of replies, so random streams reach deep states.
const TOKENS: &[&str] = &[
    "220 mx\r\n",
    "250 ok\r\n",
    "250-mx\r\n",
    "250-PIPELINING\r\n",
    "250-CHUNKING\r\n",
    "250-SIZE 50\r\n",
    "250-SMTPUTF8\r\n",
    "250-STARTTLS\r\n",
    "250 8BITMIME\r\n",
    "354 go\r\n",
    "421 4.3.2 bye\r\n",
    "450 4.2.0 later\r\n",
    "550-5.1.1 no\r\n",
    "550 5.1.1 no\r\n",
    "502 no\r\n",
    "221 bye\r\n",
    "554 no\r\n",
    "\r\n",
    "\n",
    "garbage",
    "2",
    "5",
    "-",
    " ",
];

fn messages() -> Vec<OutboundMessage> {
    let m1 = message("a@x.test", &["b@y.test", "c@y.test"], b".x\r\n");
    let mut m2 = message("", &["d@y.test"], b"y");
    m2.size = 100;
    let mut m3 = message("a@x.test", &["e@y.test"], b"z\r\n");
    m3.smtputf8 = true;
    vec![m1, m2, m3]
}

/// Runs the client against `input` split at `cuts`, driving it like the runtime: flush the
/// output, feed the next read on `NeedInput` (EOF when the stream is exhausted), send the
/// messages one by one on `Ready`, then quit. Returns what was written and every event but
/// `NeedInput` (whose count naturally depends on the split).
fn run(policy: TlsPolicy, input: &[u8], cuts: &[usize]) -> (Vec<u8>, Vec<ClientEvent>) {
    let mut client = Client::new(client_config(policy, false));
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain([input.len()]) {
        chunks.push(&input[start..cut]);
        start = cut;
    }
    let mut chunks = chunks.into_iter();
    let mut msgs = messages().into_iter();
    let mut written = Vec::new();
    let mut events = Vec::new();
    for _ in 0..100_000 {
        let event = client.poll();
        let wrote = !client.output().is_empty();
        while !client.output().is_empty() {
            let n = client.output().len().min(7);
            written.extend_from_slice(&client.output()[..n]);
            client.consume_output(n);
        }
        match &event {
            // Writing may have unblocked buffered replies (a large body): look again first.
            ClientEvent::NeedInput if wrote => continue,
            ClientEvent::NeedInput => match chunks.next() {
                Some(chunk) => client.feed(chunk),
                None => client.connection_lost(),
            },
            ClientEvent::Ready => match msgs.next() {
                Some(m) => client.send(m).unwrap(),
                None => client.quit(),
            },
            ClientEvent::StartTls => client.tls_established(),
            ClientEvent::Delivered(_) => {}
            ClientEvent::Closed { .. } => {
                events.push(event.clone());
                return (written, events);
            }
        }
        if event != ClientEvent::NeedInput {
            events.push(event);
        }
    }
    panic!("client did not finish: {events:?}");
}

/// Every message handed to `send` got exactly one outcome with its recipients, in order,
/// before `Closed`.
fn outcomes_are_complete(events: &[ClientEvent]) -> bool {
    let msgs = messages();
    let sent = events
        .iter()
        .filter(|e| **e == ClientEvent::Ready)
        .count()
        .min(msgs.len());
    let outcomes: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Delivered(o) => Some(o),
            _ => None,
        })
        .collect();
    matches!(events.last(), Some(ClientEvent::Closed { .. }))
        && outcomes.len() == sent
        && outcomes.iter().zip(&msgs).all(|(o, m)| {
            o.recipients
                .iter()
                .map(|r| &r.recipient)
                .eq(m.recipients.iter())
        })
}

/// Openings that get past the greeting, so most streams exercise transactions.
const OPENINGS: &[&str] = &[
    "",
    "220 mx\r\n250-mx\r\n250-PIPELINING\r\n250-SIZE 50\r\n250 SMTPUTF8\r\n",
    "220 mx\r\n250-mx\r\n250 PIPELINING\r\n",
    "220 mx\r\n250 mx\r\n",
    "220 mx\r\n502 no\r\n250 mx\r\n",
];

/// Replies a transaction needs, weighted up after the opening.
const HAPPY: &[&str] = &["250 ok\r\n", "250 ok\r\n", "354 go\r\n"];

fn stream() -> impl Strategy<Value = Vec<u8>> {
    let body = prop::collection::vec(
        prop_oneof![
            6 => prop::sample::select(TOKENS).prop_map(|t| t.as_bytes().to_vec()),
            4 => prop::sample::select(HAPPY).prop_map(|t| t.as_bytes().to_vec()),
            1 => prop::collection::vec(any::<u8>(), 0..8),
        ],
        0..40,
    );
    (prop::sample::select(OPENINGS), body)
        .prop_map(|(opening, parts)| [opening.as_bytes().to_vec(), parts.concat()].concat())
}

/// A full conversation: greeting, EHLO, three messages (one refused locally), QUIT.
/// `chunking` (with pipelining) makes the server offer CHUNKING, so m1 is sent with BDAT.
fn conversation(pipelining: bool, chunking: bool) -> Vec<u8> {
    let ehlo = match (pipelining, chunking) {
        (true, true) => {
            "250-mx\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-SIZE 50\r\n250 SMTPUTF8\r\n"
        }
        (true, false) => "250-mx\r\n250-PIPELINING\r\n250-SIZE 50\r\n250 SMTPUTF8\r\n",
        _ => "250-mx\r\n250-SIZE 50\r\n250 SMTPUTF8\r\n",
    };
    [
        "220-mx.test ESMTP\r\n220 hello\r\n",
        ehlo,
        // m1: one recipient refused, delivered to the other.
        "250 2.1.0 ok\r\n550-5.1.1 no such\r\n550 5.1.1 user\r\n250 2.1.5 ok\r\n",
        if chunking { "" } else { "354 go\r\n" },
        "250 2.0.0 queued\r\n",
        // m2 is refused locally (SIZE); m3: MAIL deferred.
        if pipelining {
            "451 4.7.1 greylisted\r\n503 5.5.1 no\r\n503 5.5.1 no\r\n"
        } else {
            "451 4.7.1 greylisted\r\n"
        },
        "221 bye\r\n",
    ]
    .concat()
    .into_bytes()
}

#[test]
fn full_conversations_are_split_invariant() {
    for (pipelining, chunking) in [(true, false), (false, false), (true, true)] {
        let input = conversation(pipelining, chunking);
        let whole = run(TlsPolicy::Opportunistic, &input, &[]);
        let events = &whole.1;
        assert!(outcomes_are_complete(events), "{events:?}");
        assert_eq!(
            events.last(),
            Some(&ClientEvent::Closed {
                reason: "QUIT".into()
            })
        );
        let outcomes: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                ClientEvent::Delivered(o) => Some(o),
                _ => None,
            })
            .collect();
        assert!(matches!(
            outcomes[0].recipients[0].result,
            DeliveryResult::PermFail { .. }
        ));
        assert!(matches!(
            outcomes[0].recipients[1].result,
            DeliveryResult::Delivered { .. }
        ));
        assert!(
            matches!(&outcomes[1].recipients[0].result, DeliveryResult::PermFail { reply } if reply.code == 552)
        );
        assert!(
            matches!(&outcomes[2].recipients[0].result, DeliveryResult::TempFail { reply: Some(r), .. } if r.code == 451)
        );
        let written = String::from_utf8(whole.0.clone()).unwrap();
        // m3 ended without a transaction, but QUIT needs no RSET before it.
        assert!(!written.contains("RSET"), "{written}");
        assert!(written.ends_with("QUIT\r\n"), "{written}");
        let every: Vec<usize> = (0..input.len()).collect();
        assert_eq!(run(TlsPolicy::Opportunistic, &input, &every), whole);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_servers_never_break_the_client(
        input in stream(),
        cuts in prop::collection::vec(any::<usize>(), 0..30),
        required in any::<bool>(),
    ) {
        let policy = if required { TlsPolicy::Required } else { TlsPolicy::Opportunistic };
        let whole = run(policy, &input, &[]);
        prop_assert!(outcomes_are_complete(&whole.1), "{:?}", whole.1);
        let split = run(policy, &input, &cuts);
        prop_assert_eq!(&whole, &split);
        let every: Vec<usize> = (0..input.len()).collect();
        prop_assert_eq!(&whole, &run(policy, &input, &every));
    }

    #[test]
    fn conversations_split_anywhere(cuts in prop::collection::vec(any::<usize>(), 0..30), pipelining in any::<bool>(), chunking in any::<bool>()) {
        let input = conversation(pipelining, pipelining && chunking);
        prop_assert_eq!(
            run(TlsPolicy::Opportunistic, &input, &[]),
            run(TlsPolicy::Opportunistic, &input, &cuts)
        );
    }
}
