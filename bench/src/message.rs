//! Test messages built once per size; only the sequence number in the Message-ID is
//! patched before each send, so the load generator does no per-message formatting.

/// Width of the zero-padded sequence number inside the Message-ID.
pub const SEQ_WIDTH: usize = 10;

/// A complete DATA payload (header, body, final `.CRLF`) with a patchable id.
#[derive(Debug, Clone)]
pub struct MessageTemplate {
    bytes: Vec<u8>,
    seq_at: usize,
    run_id: String,
}

impl MessageTemplate {
    /// Builds a message whose body carries `body_size` bytes (lines of at most 78
    /// characters plus CRLF). No body line starts with a dot, so no stuffing is needed.
    pub fn new(run_id: &str, from: &str, to: &str, body_size: usize) -> Self {
        let mut bytes = Vec::with_capacity(body_size + 512);
        bytes.extend_from_slice(format!("From: <{from}>\r\nTo: <{to}>\r\n").as_bytes());
        bytes.extend_from_slice(b"Subject: hikyaku loadgen test message\r\nMessage-ID: <loadgen.");
        bytes.extend_from_slice(run_id.as_bytes());
        bytes.push(b'.');
        let seq_at = bytes.len();
        bytes.extend_from_slice(&[b'0'; SEQ_WIDTH]);
        bytes.extend_from_slice(b"@bench.test>\r\n");
        bytes.extend_from_slice(
            b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n",
        );
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut left = body_size;
        let mut k = 0usize;
        while left > 0 {
            // A line is `len` bytes of text plus CRLF; tiny remainders become short lines.
            let len = left.saturating_sub(2).min(76);
            for _ in 0..len {
                bytes.push(ALPHABET[k % ALPHABET.len()]);
                k += 1;
            }
            if left >= 2 {
                bytes.extend_from_slice(b"\r\n");
                left -= len + 2;
            } else {
                // One odd byte cannot form a CRLF line; pad it as text on its own line.
                bytes.extend_from_slice(b"x\r\n");
                left = 0;
            }
        }
        if !bytes.ends_with(b"\r\n") {
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(b".\r\n");
        MessageTemplate {
            bytes,
            seq_at,
            run_id: run_id.to_string(),
        }
    }

    /// Writes `seq` into the Message-ID and returns the bytes to send after DATA.
    pub fn patch(&mut self, seq: u64) -> &[u8] {
        let mut v = seq;
        for i in (0..SEQ_WIDTH).rev() {
            self.bytes[self.seq_at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        &self.bytes
    }

    /// The Message-ID value (with angle brackets) of message `seq`.
    pub fn message_id(&self, seq: u64) -> String {
        format!(
            "<loadgen.{}.{:0w$}@bench.test>",
            self.run_id,
            seq,
            w = SEQ_WIDTH
        )
    }

    /// Total bytes sent per message after DATA, terminator included.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Never true: a template always holds at least a header and the terminator.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{DataEnd, HeaderCapture};

    #[test]
    fn patched_id_is_what_a_sink_reads() {
        for size in [0, 1, 2, 3, 77, 78, 79, 80, 1024, 10240] {
            let mut t = MessageTemplate::new("r1", "a@b", "c@d", size);
            let bytes = t.patch(4_200_000_017).to_vec();
            assert_eq!(
                DataEnd::new().feed(&bytes),
                Some(bytes.len()),
                "size {size}"
            );
            let mut h = HeaderCapture::new(8192);
            h.feed(&bytes);
            assert_eq!(h.message_id(), Some(t.message_id(4_200_000_017)));
            let body_at = memchr::memmem::find(&bytes, b"\r\n\r\n").unwrap() + 4;
            let body = bytes.len() - 3 - body_at;
            assert!(body >= size && body <= size + 3, "size {size} got {body}");
        }
    }
}
