//! Dot-stuffing (RFC 5321 §4.5.2) of a stored body into the DATA stream, a block at a time.
//!
//! The stuffer can produce the stream in bounded blocks as the socket drains (bounded memory
//! per connection) or all at once (what the client does today, see `BODY_BLOCK`); either way
//! the work is linear: each step finds the next CR or LF with `memchr2` and copies the run
//! before it in one go.
//!
//! Line endings are normalized on the way out: a bare LF or bare CR (which must not occur in
//! stored bodies, but might) is sent as CRLF. That is what makes the stuffing sound: a `.` at
//! the start of what any receiver could consider a line is doubled, and no bare line ending
//! reaches the next hop, so the message cannot be cut short or smuggle a second one (the same
//! reasoning as the server's `BareLineEnding::Normalize`). The stream always ends with
//! `CRLF . CRLF`; a CRLF is added when the body does not end with one.
//!
//! A line whose first byte that is not NUL is `.` is stuffed too (the `.` goes before the
//! NULs). Some next hops drop NUL bytes before looking for the end of data; to them a stored
//! line `NUL . ` would be the terminator, and what follows it a second message (SMTP
//! smuggling). The mail is not refused for it: a receiver keeping NULs undoes the stuffing as
//! usual (`.` `NUL` `.` becomes `NUL` `.`, the stored line), one dropping them sees `..` and
//! gets `.`. Either way the end of data is only ever the one we send.

/// Progress through one body.
#[derive(Debug)]
pub(super) struct DotStuffer {
    pos: usize,
    at_line_start: bool,
    /// The previous byte was a CR whose meaning depends on the next byte.
    pending_cr: bool,
}

impl DotStuffer {
    pub(super) fn new() -> DotStuffer {
        DotStuffer {
            pos: 0,
            at_line_start: true,
            pending_cr: false,
        }
    }

    /// Appends about `budget` more bytes of the stuffed stream of `body` to `out` (at least one
    /// step, so progress is guaranteed). Returns `true` once the terminator has been appended;
    /// the stuffer must not be used after that.
    pub(super) fn fill(&mut self, body: &[u8], out: &mut Vec<u8>, budget: usize) -> bool {
        let limit = out.len().saturating_add(budget.max(1));
        while out.len() < limit {
            if self.pending_cr {
                // CR LF, or a bare CR made into one; either way a line ends here.
                self.pending_cr = false;
                out.extend_from_slice(b"\r\n");
                self.at_line_start = true;
                if body.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
                continue;
            }
            let Some(rest) = body.get(self.pos..).filter(|r| !r.is_empty()) else {
                if !self.at_line_start {
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b".\r\n");
                return true;
            };
            if self.at_line_start && needs_stuffing(rest) {
                out.push(b'.');
            }
            // Never scan (or copy) far past the budget, so one long line is cut into blocks.
            let span = &rest[..rest.len().min(limit.saturating_sub(out.len()).max(1))];
            match memchr::memchr2(b'\r', b'\n', span) {
                Some(i) => {
                    out.extend_from_slice(&span[..i]);
                    self.pos += i + 1;
                    if span[i] == b'\r' {
                        self.pending_cr = true;
                        // `at_line_start` is settled when the CR is resolved.
                        self.at_line_start = false;
                    } else {
                        out.extend_from_slice(b"\r\n");
                        self.at_line_start = true;
                    }
                }
                None => {
                    out.extend_from_slice(span);
                    self.pos += span.len();
                    self.at_line_start = false;
                }
            }
        }
        false
    }
}

/// Whether a line (`line` starts at a line start; it may run on past the line's end) is
/// stuffed: its first byte that is not NUL is `.` (see the module docs). Linear in the NULs
/// it skips, and the caller asks once per line.
pub(super) fn needs_stuffing(line: &[u8]) -> bool {
    line.iter().find(|b| **b != 0) == Some(&b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stuff(body: &[u8], budget: usize) -> Vec<u8> {
        let mut s = DotStuffer::new();
        let mut out = Vec::new();
        let mut rounds = 0;
        while !s.fill(body, &mut out, budget) {
            rounds += 1;
            assert!(rounds <= body.len() * 2 + 4, "no progress");
        }
        out
    }

    #[test]
    fn stuffs_and_terminates() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"", b".\r\n"),
            (b"a\r\n", b"a\r\n.\r\n"),
            (b"a", b"a\r\n.\r\n"),
            (b".\r\n", b"..\r\n.\r\n"),
            (b"..a\r\n.b\r\nc.\r\n.", b"...a\r\n..b\r\nc.\r\n..\r\n.\r\n"),
            (b"a\nb\n", b"a\r\nb\r\n.\r\n"),
            (b"a\n.\nb", b"a\r\n..\r\nb\r\n.\r\n"),
            (b"a\r.\rb\r", b"a\r\n..\r\nb\r\n.\r\n"),
            (b"\r\n\r\n", b"\r\n\r\n.\r\n"),
            (b"\n\r", b"\r\n\r\n.\r\n"),
            (b"a\r\r\nb", b"a\r\n\r\nb\r\n.\r\n"),
            // A dot after NULs is stuffed before them; NULs elsewhere change nothing.
            (b"\0.\r\n", b".\0.\r\n.\r\n"),
            (b"a\r\n\0\0\0.\r\nb", b"a\r\n.\0\0\0.\r\nb\r\n.\r\n"),
            (b"a\n\0.\n", b"a\r\n.\0.\r\n.\r\n"),
            (b"a\r\0.\r", b"a\r\n.\0.\r\n.\r\n"),
            (b"\0..x\r\n", b".\0..x\r\n.\r\n"),
            (b"\0", b"\0\r\n.\r\n"),
            (b"\0\r\n.", b"\0\r\n..\r\n.\r\n"),
            (b"\0a.\r\n", b"\0a.\r\n.\r\n"),
            (b"a\0.\r\n", b"a\0.\r\n.\r\n"),
            (b".\0\r\n", b"..\0\r\n.\r\n"),
        ];
        for (body, want) in cases {
            for budget in [1, 2, 3, 7, 1 << 16] {
                assert_eq!(
                    String::from_utf8_lossy(&stuff(body, budget)),
                    String::from_utf8_lossy(want),
                    "{body:?} budget {budget}"
                );
            }
        }
    }

    /// What a receiver makes of a DATA stream (RFC 5321 §4.5.2), optionally dropping every
    /// NUL first as some MTAs do: the lines up to the first `.` line, un-stuffed, and where
    /// that terminator ended. `lenient` also takes a bare LF as a line end.
    fn receive(stream: &[u8], strip_nul: bool, lenient: bool) -> (Vec<u8>, Option<usize>) {
        let stream: Vec<u8> = if strip_nul {
            stream.iter().copied().filter(|b| *b != 0).collect()
        } else {
            stream.to_vec()
        };
        let mut message = Vec::new();
        let mut pos = 0;
        loop {
            // The next line end: CRLF, or (lenient) a LF with or without the CR.
            let rest = &stream[pos..];
            let found = if lenient {
                memchr::memchr(b'\n', rest).map(|i| (i, 1))
            } else {
                rest.windows(2).position(|w| w == b"\r\n").map(|i| (i, 2))
            };
            let Some((i, len)) = found else { break };
            let mut line = &rest[..i];
            if lenient {
                line = line.strip_suffix(b"\r").unwrap_or(line);
            }
            pos += i + len;
            if line == b"." {
                return (message, Some(pos));
            }
            message.extend_from_slice(line.strip_prefix(b".").unwrap_or(line));
            message.extend_from_slice(b"\r\n");
        }
        (message, None)
    }

    /// The body as the stuffer sends it before stuffing: every bare CR or LF made a CRLF,
    /// and a final CRLF where it lacks one.
    fn normalized(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < body.len() {
            match body[i] {
                b'\r' => {
                    out.extend_from_slice(b"\r\n");
                    i += if body.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                }
                b'\n' => {
                    out.extend_from_slice(b"\r\n");
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        if !out.is_empty() && !out.ends_with(b"\r\n") {
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    #[test]
    fn the_receiver_model_finds_an_unstuffed_nul_dot_line() {
        // What the model must catch: before NUL lines were stuffed, `NUL .` went out as is.
        let old = b"a\r\n\0.\r\nMAIL FROM:<x@y>\r\n.\r\n";
        assert_eq!(receive(old, false, false).1, Some(old.len()));
        assert_eq!(receive(old, true, false).1, Some(6));
        assert_eq!(
            receive(b"a\r\n.\0.\r\nb\r\n.\r\n", true, false).0,
            b"a\r\n.\r\nb\r\n"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// Any body, in any block size: a receiver keeping NULs gets the normalized body back,
        /// one dropping them gets it without its NULs, strict or lenient about bare LF, and
        /// neither sees the end of data before the end of the stream.
        #[test]
        fn stuffing_round_trips_with_and_without_nul_stripping(
            body in proptest::collection::vec(
                proptest::sample::select(vec![0u8, 0, b'.', b'.', b'\r', b'\n', b'a', b' ']),
                0..80,
            ),
            budget in 1usize..12,
        ) {
            let stream = stuff(&body, budget);
            let want = normalized(&body);
            for lenient in [false, true] {
                let (got, end) = receive(&stream, false, lenient);
                proptest::prop_assert_eq!(end, Some(stream.len()));
                proptest::prop_assert_eq!(&got, &want);
                let stripped: Vec<u8> = stream.iter().copied().filter(|b| *b != 0).collect();
                let (got, end) = receive(&stream, true, lenient);
                proptest::prop_assert_eq!(end, Some(stripped.len()));
                let want: Vec<u8> = want.iter().copied().filter(|b| *b != 0).collect();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn ten_megabytes_is_linear_and_bounded() {
        let line = b".starts with a dot and is long enough to look like a real line of mail\r\n";
        let body = line.repeat((10 << 20) / line.len());
        let mut s = DotStuffer::new();
        let mut total = 0;
        let mut out = Vec::new();
        loop {
            out.clear();
            let done = s.fill(&body, &mut out, 1 << 16);
            assert!(out.len() <= (1 << 16) + line.len() + 8);
            total += out.len();
            if done {
                break;
            }
        }
        assert_eq!(total, body.len() + body.len() / line.len() + 3);
        // One line of 10 MB without any line ending is cut into blocks too.
        let flat = vec![b'x'; 10 << 20];
        let mut s = DotStuffer::new();
        out.clear();
        assert!(!s.fill(&flat, &mut out, 1 << 16));
        assert_eq!(out.len(), 1 << 16);
    }
}
