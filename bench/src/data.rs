//! The DATA section as a receiver sees it: finding its end (the line holding a single
//! dot, RFC 5321 section 4.1.1.4, with dot-stuffed lines left alone) and picking the
//! Message-ID out of its header. Both work on chunks as they arrive from the socket.

/// `CRLF . CRLF`, the end-of-data marker; the leading CRLF may be the one that ended
/// the DATA command itself (an empty message is just `.CRLF`).
const END: &[u8; 5] = b"\r\n.\r\n";

/// Incremental end-of-data detector.
///
/// It tracks how much of [`END`] the bytes seen so far end with. Only a dot directly
/// after CRLF followed by CRLF ends the data: a dot-stuffed line (`..text`), a dot in
/// the middle of a line and bare-LF line endings do not.
#[derive(Debug, Clone)]
pub struct DataEnd {
    matched: usize,
}

impl Default for DataEnd {
    fn default() -> Self {
        Self::new()
    }
}

impl DataEnd {
    /// A detector positioned right after the CRLF of the DATA command.
    pub fn new() -> Self {
        DataEnd { matched: 2 }
    }

    /// Feeds the next chunk; returns the number of bytes of `chunk` up to and including
    /// the end marker, or `None` if the data goes on past this chunk.
    pub fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        let mut i = 0;
        while i < chunk.len() {
            if self.matched == 0 {
                // Fast path: nothing matched, jump to the next CR.
                match memchr::memchr(b'\r', &chunk[i..]) {
                    Some(off) => i += off,
                    None => return None,
                }
            }
            let b = chunk[i];
            i += 1;
            if b == END[self.matched] {
                self.matched += 1;
                if self.matched == END.len() {
                    self.matched = 2;
                    return Some(i);
                }
            } else {
                // The only proper prefix of END that can restart a match is "\r".
                self.matched = usize::from(b == b'\r');
            }
        }
        None
    }
}

/// Collects the header block of a message (up to `limit` bytes) as DATA chunks
/// arrive, so the Message-ID can be read once the message is complete.
#[derive(Debug, Clone)]
pub struct HeaderCapture {
    buf: Vec<u8>,
    done: bool,
    limit: usize,
}

impl HeaderCapture {
    /// A capture that keeps at most `limit` bytes of header.
    pub fn new(limit: usize) -> Self {
        HeaderCapture {
            buf: Vec::new(),
            done: false,
            limit,
        }
    }

    /// Forgets the previous message.
    pub fn reset(&mut self) {
        self.buf.clear();
        self.done = false;
    }

    /// Adds the next chunk of message data (raw, still dot-stuffed).
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.done {
            return;
        }
        // The header ends at the first empty line; an empty first line means no header.
        let from = self.buf.len().saturating_sub(3);
        let room = self.limit.saturating_sub(self.buf.len());
        self.buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if self.buf.starts_with(b"\r\n") {
            self.buf.clear();
            self.done = true;
        } else if let Some(p) = memchr::memmem::find(&self.buf[from..], b"\r\n\r\n") {
            self.buf.truncate(from + p + 2);
            self.done = true;
        } else if self.buf.len() >= self.limit {
            self.done = true;
        }
    }

    /// The unfolded value of the first Message-ID header, if any.
    pub fn message_id(&self) -> Option<String> {
        header_value(&self.buf, "message-id")
    }
}

/// The first value of header `name` (case-insensitive) in a raw header block, with
/// folded continuation lines joined and surrounding whitespace trimmed.
pub fn header_value(block: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(block);
    let mut lines = text.split("\r\n").peekable();
    while let Some(line) = lines.next() {
        let Some((n, v)) = line.split_once(':') else {
            continue;
        };
        if !n.trim_end().eq_ignore_ascii_case(name) {
            continue;
        }
        let mut value = v.trim().to_string();
        while let Some(cont) = lines.next_if(|l| l.starts_with([' ', '\t'])) {
            value.push(' ');
            value.push_str(cont.trim());
        }
        return Some(value.trim().to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_at(data: &[u8]) -> Option<usize> {
        DataEnd::new().feed(data)
    }

    #[test]
    fn finds_end_marker() {
        assert_eq!(
            end_at(b"Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n"),
            Some(24)
        );
        assert_eq!(end_at(b".\r\n"), Some(3), "empty message");
        assert_eq!(end_at(b"hello\r\n.\r"), None);
    }

    #[test]
    fn dot_stuffing_is_not_the_end() {
        assert_eq!(end_at(b"a\r\n..\r\n.x\r\n"), None);
        assert_eq!(end_at(b"a\r\n..\r\n.\r\n"), Some(10));
        assert_eq!(end_at(b"a.\r\nb\r\n"), None, "dot mid-line");
        assert_eq!(
            end_at(b"a\n.\nb\r\n"),
            None,
            "bare LF is not a line end here"
        );
        assert_eq!(end_at(b"a\r\r\n.\r\n"), Some(7));
        assert_eq!(end_at(b"a\r\n.\r\r\n.\r\n"), Some(10));
    }

    #[test]
    fn end_split_across_every_chunk_boundary() {
        let msg = b"Message-ID: <a@b>\r\n\r\nline\r\n..stuffed\r\n.\r\nNEXT";
        let want = msg.len() - 4;
        for split in 0..msg.len() {
            let mut d = DataEnd::new();
            let got = match d.feed(&msg[..split]) {
                Some(n) => Some(n),
                None => d.feed(&msg[split..]).map(|n| n + split),
            };
            assert_eq!(got, Some(want), "split at {split}");
        }
        // Byte by byte.
        let mut d = DataEnd::new();
        let pos = (0..msg.len()).find(|&i| d.feed(&msg[i..=i]).is_some());
        assert_eq!(pos, Some(want - 1));
    }

    #[test]
    fn detector_resets_for_next_message() {
        let mut d = DataEnd::new();
        assert_eq!(d.feed(b"x\r\n.\r\n"), Some(6));
        assert_eq!(
            d.feed(b".\r\n"),
            Some(3),
            "second message starts at a line start"
        );
    }

    #[test]
    fn header_capture_and_message_id() {
        let msg = b"From: a\r\nMessage-ID:\r\n <loadgen.r.0000000007@bench.test>\r\n\r\nMessage-ID: <body@x>\r\n";
        for split in [1, 5, 20, 40, msg.len()] {
            let mut h = HeaderCapture::new(4096);
            h.feed(&msg[..split]);
            h.feed(&msg[split..]);
            assert_eq!(
                h.message_id().as_deref(),
                Some("<loadgen.r.0000000007@bench.test>")
            );
        }
        let mut h = HeaderCapture::new(4096);
        h.feed(b"\r\nMessage-ID: <not-a-header@x>\r\n");
        assert_eq!(h.message_id(), None);
        h.reset();
        h.feed(b"message-id:<x@y>\r\n\r\n");
        assert_eq!(h.message_id().as_deref(), Some("<x@y>"));
    }
}
