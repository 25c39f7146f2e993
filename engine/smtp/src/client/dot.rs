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
            if self.at_line_start && rest[0] == b'.' {
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
